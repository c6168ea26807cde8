"""The fund pages in English: every interface string comes from the catalogue
(funding/locale/en), so a page about English-named data has no Chinese left."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Role, User
from funding import services
from funding.models import ProjectState
from tests.factories import CommunityFactory, UserFactory
from tests.funding.factories import (
    FundYearFactory,
    ProjectFactory,
    approved_project,
    services_bought,
)

pytestmark = pytest.mark.usefixtures("fund_reference")

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
# The language menu names Chinese in Chinese, as language menus do.
ALLOWED = {"简体中文"}
PO = Path(settings.BASE_DIR) / "funding/locale/en/LC_MESSAGES/django.po"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def fund_year():
    year = date.today().year  # noqa: DTZ011
    community = CommunityFactory(
        name="Harbour", street__name="Riverside", street__district__name="Lakeside"
    )
    fund_year = FundYearFactory(community=community, year=year)
    secretary = UserFactory(
        username="wang", role=Role.SECRETARY, community=community, first_name="Wang"
    )
    project = approved_project(
        fund_year=fund_year,
        title="Stairwell lights",
        purpose="New lights",
        beneficiaries="Residents",
        proposed_by=secretary,
    )
    services.expense_record(
        classification=services_bought(),
        actor=secretary,
        project=project,
        payee="Lighting Ltd",
        paid_on=date(year, 1, 2),
        amount=Decimal("1200"),
        description="Lamps",
        files=[SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n")],
        today=date(year, 1, 2),
    )
    ProjectFactory(
        fund_year=fund_year,
        title="Festival",
        purpose="Autumn festival",
        beneficiaries="Elderly residents",
        state=ProjectState.ON_NOTICE,
        proposed_by=secretary,
        notice_started_on=date(year, 1, 2),
        notice_ends_on=date(year, 1, 8),
    )
    return fund_year


def leftover_chinese(html: str) -> set[str]:
    return set(CJK.findall(html)) - ALLOWED


def test_secretary_pages_render_in_english(english, fund_year):
    secretary = User.objects.get(username="wang")
    english.force_login(secretary)
    project = fund_year.projects.get(title="Stairwell lights")
    for url in (
        reverse("funding:desk"),
        reverse("funding:fund-year-detail", args=[fund_year.pk]),
        reverse("funding:project-detail", args=[project.pk]),
        reverse("funding:project-create", args=[fund_year.pk]),
        reverse("funding:expense-create", args=[project.pk]),
    ):
        response = english.get(url)
        assert response.status_code == 200
        assert response["Content-Language"] == "en"
        assert leftover_chinese(response.text) == set(), url
    desk = english.get(reverse("funding:desk")).text
    assert "Service fund · secretary's desk" in desk
    assert "Public services" in desk  # a shipped category name
    assert "Street officer: Approve after the notice" in desk  # a shipped step
    assert "1,200.00" in desk


def test_officer_report_and_public_pages_render_in_english(english, fund_year):
    english.force_login(
        UserFactory(role=Role.STREET_OFFICER, street=fund_year.community.street)
    )
    for url in (reverse("funding:desk"), reverse("funding:report")):
        response = english.get(url)
        assert leftover_chinese(response.text) == set(), url
    report = english.get(reverse("funding:report")).text
    assert "Budget and actual spending" in report
    english.logout()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    public = english.get(
        reverse("funding:public-community", args=[fund_year.community.code])
    )
    assert leftover_chinese(public.text) == set()
    assert "Community service fund: public report" in public.text


def test_budget_control_pages_render_in_english(english, fund_year):
    secretary = User.objects.get(username="wang")
    project = fund_year.projects.get(title="Stairwell lights")
    english.force_login(secretary)
    response = english.get(reverse("funding:budget-change-create", args=[project.pk]))
    assert leftover_chinese(response.text) == set()
    english.post(
        reverse("funding:budget-change-create", args=[project.pk]),
        {
            "new_amount": "31000",
            "reason": "More residents",
            "held_on": f"{fund_year.year}-01-02",
            "attendance": "12",
            "minutes": "Agreed",
            "result": "passed",
        },
    )
    services.project_transition(
        actor=secretary,
        project=project,
        to_state=ProjectState.IN_PROGRESS,
        today=date(fund_year.year, 1, 3),
    )
    services.project_transition(
        actor=secretary,
        project=project,
        to_state=ProjectState.REPORTED,
        today=date(fund_year.year, 1, 3),
    )
    english.force_login(
        UserFactory(role=Role.STREET_OFFICER, street=fund_year.community.street)
    )
    page = english.get(reverse("funding:project-detail", args=[project.pk])).text
    assert leftover_chinese(page) == set()
    assert "Before acceptance: approved amount against each expense" in page
    assert "Budget change: 30,000.00 → 31,000.00 yuan" in page
    english.force_login(UserFactory(role=Role.CITY_STAFF))
    close = english.get(reverse("funding:fund-year-close", args=[fund_year.pk])).text
    assert leftover_chinese(close) == set()
    assert "Unfinished projects" in close
    response = english.post(
        reverse("funding:expense-create", args=[project.pk]), {"amount": "1"}
    )
    assert response.status_code == 403  # only the secretary records spending


def test_service_messages_are_english_for_english_readers(english, fund_year):
    english.force_login(UserFactory(role=Role.CITY_STAFF))
    response = english.post(
        reverse("funding:fund-year-create"),
        {
            "community": CommunityFactory(name="Hill").code,
            "year": fund_year.year,
            "allocation": "150000",
            "city_share": "100000",
            "district_share": "50000",
            "street_share": "0",
        },
    )
    assert "The allocation of 150,000.00 yuan is below the minimum" in response.text


def po_entries(text: str) -> list[dict[str, str]]:
    """msgid/msgstr pairs of a .po file, wrapped lines joined (no polib)."""
    entries = []
    for block in text.split("\n\n"):
        entry: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            keyword, _space, rest = line.partition(" ")
            if keyword.startswith("msg"):
                key = keyword
                entry[key] = rest.strip('"')
            elif line.startswith('"'):
                entry[key] += line.strip('"')
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_fund_string_has_an_english_translation():
    entries = po_entries(PO.read_text(encoding="utf-8"))
    # Template strings live in the project catalogue (makemessages puts them
    # there); this one holds the app's Python strings.
    assert len(entries) > 200
    untranslated = [
        e["msgid"]
        for e in entries
        if not (e.get("msgstr") or e.get("msgstr[0]"))
        or CJK.search(e.get("msgstr", "") + e.get("msgstr[0]", ""))
    ]
    assert untranslated == []
