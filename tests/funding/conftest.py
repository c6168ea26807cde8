import pytest

from funding.reference import reference_data_ensure_current


@pytest.fixture
def fund_reference(db):
    """Policy, categories, forbidden uses and transitions (a flush removes the
    rows the data migration made, so tests ensure them)."""
    reference_data_ensure_current()
