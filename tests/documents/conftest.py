import pytest

from funding.reference import reference_data_ensure_current


@pytest.fixture
def fund_reference(db):
    reference_data_ensure_current()
