"""Workers' logins: issued by staff with one-time passwords, changed at first login."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core import logins
from core.models import ChangeLog, Community, Role, User, Worker
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_district_staff_issue_logins_for_a_community_once(demo_city, client):
    community = Community.objects.order_by("code")[1]
    staff = UserFactory(role=Role.DISTRICT_STAFF, district=community.street.district)
    workers = set(community.workers.exclude(status="left").values_list("pk", flat=True))
    client.force_login(staff)

    page = client.post(reverse("core:worker-logins"), {"community": community.code})

    assert page.status_code == 200
    issued = User.objects.filter(role=Role.WORKER, worker__community=community)
    assert set(issued.values_list("worker_id", flat=True)) == workers
    assert all(user.must_change_password for user in issued)
    rows = page.context["rows"]
    assert {row["worker_id"] for row in rows} == workers
    for row in rows:
        user = issued.get(username=row["username"])
        assert user.check_password(row["password"])
        assert row["password"] in page.content.decode()
    assert ChangeLog.objects.filter(model="core.user", actor=staff).count() == len(
        workers
    )
    # The download gives the same passwords, once.
    download = client.get(reverse("core:worker-logins-download"))
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {(v[2], v[3]) for v in values} == {
        (r["username"], r["password"]) for r in rows
    }
    assert client.get(reverse("core:worker-logins-download")).status_code == 404
    # A second issue for the same community leaves the logins alone.
    again = client.post(reverse("core:worker-logins"), {"community": community.code})
    assert again.context["rows"] == []
    assert User.objects.filter(
        role=Role.WORKER, worker__community=community
    ).count() == len(workers)


def test_phone_number_is_the_login_name_when_free(demo_city):
    community = Community.objects.order_by("code")[2]
    first, second, *_ = community.workers.order_by("pk")
    Worker.objects.filter(pk__in=[first.pk, second.pk]).update(phone="13800001111")
    Worker.objects.filter(pk=first.pk).update(phone="138 0000 1111")

    issued = logins.worker_logins_issue(
        actor=None,
        workers=Worker.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"),
    )

    assert [i.username for i in issued] == ["13800001111", f"w{second.pk:06d}"]


def test_only_roster_staff_in_scope_issue_logins(demo_city):
    community = Community.objects.order_by("code")[0]
    other = Community.objects.exclude(
        street__district=community.street.district
    ).first()
    worker = community.workers.filter(user__isnull=True).first()
    with pytest.raises(PermissionDenied):
        logins.worker_login_issue(
            actor=UserFactory(role=Role.SECRETARY, community=community), worker=worker
        )
    with pytest.raises(PermissionDenied):
        logins.worker_login_issue(actor=UserFactory(role=Role.FINANCE), worker=worker)
    if other is not None:
        with pytest.raises(PermissionDenied):
            logins.worker_login_issue(
                actor=UserFactory(
                    role=Role.DISTRICT_STAFF, district=other.street.district
                ),
                worker=worker,
            )
    assert not User.objects.filter(worker=worker).exists()


def test_reset_gives_a_new_one_time_password(demo_city, client):
    worker = Worker.objects.filter(user__isnull=True).first()
    city = UserFactory(role=Role.CITY_STAFF)
    client.force_login(city)

    first = client.post(reverse("core:worker-login-issue", args=[worker.pk]))
    again = client.post(reverse("core:worker-login-issue", args=[worker.pk]))
    reset = client.post(
        reverse("core:worker-login-issue", args=[worker.pk]), {"reset": "1"}
    )

    user = User.objects.get(worker=worker)
    old = first.context["rows"][0]["password"]
    new = reset.context["rows"][0]["password"]
    assert again.status_code == 302  # refused with a message: she has a login
    assert old != new
    assert user.check_password(new)
    assert not user.check_password(old)
    assert user.must_change_password


def test_first_login_must_change_the_one_time_password(demo_city, client):
    worker = Worker.objects.filter(user__isnull=True, status="active").first()
    issued = logins.worker_login_issue(actor=None, worker=worker)

    signed_in = client.post(
        reverse("login"),
        {"username": issued.username, "password": issued.password},
    )
    assert signed_in.status_code == 302
    home = client.get(reverse("selfservice:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("password_change")
    same = client.post(
        reverse("password_change"),
        {
            "old_password": issued.password,
            "new_password1": issued.password,
            "new_password2": issued.password,
        },
    )
    assert same.status_code == 200  # refused: not the one-time password again
    done = client.post(
        reverse("password_change"),
        {
            "old_password": issued.password,
            "new_password1": "Mine-Own-2026",
            "new_password2": "Mine-Own-2026",
        },
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("selfservice:home")
    assert not User.objects.get(worker=worker).must_change_password
    assert client.get(reverse("selfservice:home")).status_code == 200


def test_command_issues_logins_for_a_community_into_a_file(demo_city, tmp_path):
    community = Community.objects.order_by("code")[1]
    output = tmp_path / "logins.xlsx"

    call_command(
        "issue_worker_logins", "--community", community.code, "--output", str(output)
    )

    rows = list(load_workbook(output).active.iter_rows(min_row=2, values_only=True))
    users = User.objects.filter(role=Role.WORKER, worker__community=community)
    assert (
        len(rows) == users.count() == community.workers.exclude(status="left").count()
    )
    for _community, _name, username, password in rows:
        assert users.get(username=username).check_password(password)


def test_worker_login_needs_its_worker():
    user = User(username="x", role=Role.WORKER)
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "worker" in error.value.message_dict


def test_city_staff_issue_logins_for_the_whole_roster(demo_city, client):
    client.force_login(UserFactory(role=Role.CITY_STAFF))
    employed = Worker.objects.exclude(status="left")
    without = set(employed.filter(user__isnull=True).values_list("pk", flat=True))

    page = client.post(reverse("core:worker-logins"), {"everyone": "on"})

    assert {row["worker_id"] for row in page.context["rows"]} == without
    assert not employed.filter(user__isnull=True).exists()
