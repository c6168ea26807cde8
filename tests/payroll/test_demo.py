import pytest
from django.core.management import call_command

from core.models import Worker
from payroll.models import LevelChange, ScaleVersion
from payroll.scales.selectors import scale_for
from ratings.models import AnnualGrade, StarRating

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_scheme_places_workers_and_rates():
    call_command("seed_demo", communities=2, workers_per_community=5, verbosity=0)
    version = ScaleVersion.objects.get(code="2026")
    assert version.status == ScaleVersion.Status.ADOPTED
    assert scale_for(version).standard_pay[7] == 8400
    placed = LevelChange.objects.filter(reason=LevelChange.Reason.PLACEMENT)
    assert placed.count() == Worker.objects.count() == 10
    for change in placed.select_related("worker"):
        assert change.worker.level == change.new_level
        assert change.params["service_years"]
    assert AnnualGrade.objects.exists()
    assert StarRating.objects.filter(community__isnull=False).count() == 2
    draft = ScaleVersion.objects.get(code="2027")
    assert draft.status == ScaleVersion.Status.DRAFT
    assert draft.based_on == version


def test_home_card_names_the_version(client):
    call_command("seed_demo", communities=1, workers_per_community=4, verbosity=0)
    from core.models import User

    client.force_login(User.objects.get(username="city"))
    assert "三岗十八级薪酬表 2026版" in client.get("/").content.decode()


def test_seed_demo_with_a_past_starts_from_the_roster_of_1_january():
    """The past is lived from 1 January: a roster built with today's joiners
    made the driver appoint a secretary who had not joined yet (a failed seed)."""
    from datetime import date

    from core import clock

    with clock.frozen(date(2026, 11, 30)):
        call_command(
            "seed_demo",
            communities=4,
            workers_per_community=8,
            seed=1,
            history=True,
            verbosity=0,
        )
    built = Worker.objects.order_by("pk")[:32]
    assert max(w.joined_on for w in built) <= date(2026, 1, 1)
