from datetime import date

import pytest

from core.demo import build_demo_city
from funding import selectors
from funding.demo import seed_demo
from funding.models import FundYear, Project, ProjectState


@pytest.mark.django_db
def test_seed_demo_gives_every_community_a_fund_year_and_projects():
    today = date(2026, 6, 15)
    demo = build_demo_city(communities=6, workers_per_community=4, seed=7, today=today)
    seed_demo(demo=demo, seed=7, today=today)
    assert FundYear.objects.count() == 6
    states = set(Project.objects.values_list("state", flat=True))
    assert {
        ProjectState.PUBLISHED,
        ProjectState.IN_PROGRESS,
        ProjectState.ON_NOTICE,
        ProjectState.STREET_APPROVED,
    } <= states
    fund_year = demo.users["secretary"].community.fund_years.get()
    assert selectors.fund_year_figures(fund_year).spent > 0
    # the demo's receipts are real files: a PDF and a PNG per expense
    from io import BytesIO

    from PIL import Image

    from funding.models import StoredFile
    from funding.services import stored_file_path

    receipts = list(StoredFile.objects.filter(expense__isnull=False))
    assert {r.kind for r in receipts} == {"pdf", "png"}
    for stored in receipts:
        content = stored_file_path(stored).read_bytes()
        assert len(content) > 500
        if stored.kind == "pdf":
            assert content.startswith(b"%PDF-")
            assert b"%%EOF" in content[-32:]
        else:
            Image.open(BytesIO(content)).verify()
    assert len({r.sha256 for r in receipts}) == len(receipts)
