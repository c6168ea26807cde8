"""Writes of core: workers and users, each change kept in the history."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import extensions, history
from core.models import ChangeLog, User, Worker, WorkerCertificate, WorkerPosition
from core.roles import ADMIN_SITE_ROLES
from core.selectors import (
    UserOrAnonymous,
    community_list_visible_to,
    user_can_edit_roster,
)

WORKER_TRACKED_FIELDS = (
    "full_name",
    "id_number",
    "gender",
    "birth_date",
    "community",
    "post",
    "level",
    "started_on",
    "education",
    "joined_on",
    "left_on",
    "status",
    "bank_name",
    "bank_account",
    "phone",
)
USER_TRACKED_FIELDS = (
    "username",
    "role",
    "district",
    "street",
    "community",
    "is_active",
    "is_staff",
    "is_superuser",
)


def worker_edit_check(*, actor: User | None, worker: Worker) -> None:
    """Refuse an edit by a role that may not edit rosters or outside the scope."""
    if actor is None:
        return  # system jobs (seed, migrations) act without a user
    if not user_can_edit_roster(actor):
        raise PermissionDenied(_("您的角色不能修改人员信息。"))
    if (
        not community_list_visible_to(user=actor)
        .filter(pk=worker.community_id)
        .exists()
    ):
        raise PermissionDenied(_("该社区不在您的管理范围内。"))


@transaction.atomic
def worker_save(
    *,
    actor: User | None,
    worker: Worker,
    note: str = "",
    action: str | None = None,
    level_recorded: bool = False,
    level_flag: extensions.LevelFlag | None = None,
    level_reason: str = "",
) -> Worker:
    """Validate and save a worker, recording what changed and who changed it.

    A new level or post set here (a roster import, an edit in the admin) is
    passed to the apps' ``hooks.worker_level_changed`` so the level history
    stays complete; services that keep that history themselves pass
    ``level_recorded=True``. ``level_flag`` is the placement rule's word on
    a level that differs from it (``extensions.level_checker``), kept with
    the change as an override with ``level_reason``.
    """
    worker_edit_check(actor=actor, worker=worker)
    before: dict[str, object] = {}
    stored = None
    if worker.pk:
        stored = Worker.objects.filter(pk=worker.pk).first()
        if stored is not None:
            before = history.snapshot(stored, WORKER_TRACKED_FIELDS)
    worker.full_clean()
    worker.save()
    level_changed = stored is None or (stored.level, stored.post_id) != (
        worker.level,
        worker.post_id,
    )
    if level_changed and not level_recorded:
        extensions.worker_level_changed(
            worker=worker,
            old_level=stored.level if stored else None,
            old_post_id=stored.post_id if stored else None,
            actor=actor,
            action=action
            or (ChangeLog.Action.UPDATE if stored else ChangeLog.Action.CREATE),
            level_flag=level_flag
            if level_flag and level_flag.level == worker.level
            else None,
            level_reason=level_reason,
        )
    after = history.snapshot(worker, WORKER_TRACKED_FIELDS)
    changes = history.diff(before, after)
    if changes or not before:
        history.change_record(
            actor=actor,
            instance=worker,
            action=action
            or (ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE),
            changes=changes,
            note=note,
        )
    return worker


@transaction.atomic
def worker_positions_set(
    *, actor: User | None, worker: Worker, positions: set[str], on: date, note: str = ""
) -> list[WorkerPosition]:
    """Make the worker hold exactly ``positions`` from ``on``: end the others."""
    worker_edit_check(actor=actor, worker=worker)
    current = {p.position: p for p in worker.positions.filter(ended_on__isnull=True)}
    added = [
        WorkerPosition(worker=worker, position=code, started_on=on)
        for code in sorted(positions - current.keys())
    ]
    ended = [current[code] for code in current.keys() - positions]
    for position in ended:
        position.ended_on = on
        position.save(update_fields=["ended_on"])
    for position in added:
        position.full_clean()
    WorkerPosition.objects.bulk_create(added)
    if added or ended:
        history.change_record(
            actor=actor,
            instance=worker,
            action=ChangeLog.Action.UPDATE,
            changes={
                "positions": [
                    sorted(current.keys()),
                    sorted(positions),
                ]
            },
            note=note,
        )
    return list(worker.positions.filter(ended_on__isnull=True))


@transaction.atomic
def worker_certificate_record(
    *,
    actor: User | None,
    worker: Worker,
    kind: str,
    obtained_on: date,
    number: str = "",
) -> WorkerCertificate:
    worker_edit_check(actor=actor, worker=worker)
    certificate, created = WorkerCertificate.objects.get_or_create(
        worker=worker,
        kind=kind,
        defaults={"obtained_on": obtained_on, "number": number},
    )
    if not created and certificate.obtained_on != obtained_on:
        old = certificate.obtained_on.isoformat()
        certificate.obtained_on = obtained_on
        certificate.full_clean()
        certificate.save(update_fields=["obtained_on"])
    else:
        old = None
    if created or old:
        history.change_record(
            actor=actor,
            instance=worker,
            action=ChangeLog.Action.UPDATE,
            changes={f"certificate:{kind}": [old, obtained_on.isoformat()]},
        )
    return certificate


USER_ADMIN_ONLY = gettext_lazy("只有系统管理员可以管理用户。")


@transaction.atomic
def user_save(*, actor: User | None, user: User, note: str = "") -> User:
    """Save a user; role and scope changes are kept in the history.

    Staff access to the admin follows the role, so that granting a role is one
    decision, not two.
    """
    if actor is not None and not actor.is_superuser and actor.role != "admin":
        raise PermissionDenied(USER_ADMIN_ONLY)
    before: dict[str, object] = {}
    if user.pk:
        stored = User.objects.filter(pk=user.pk).first()
        if stored is not None:
            before = history.snapshot(stored, USER_TRACKED_FIELDS)
    user.is_staff = user.is_superuser or user.role in ADMIN_SITE_ROLES
    user.full_clean(exclude=["password"])
    user.save()
    changes = history.diff(before, history.snapshot(user, USER_TRACKED_FIELDS))
    if changes:
        history.change_record(
            actor=actor,
            instance=user,
            action=ChangeLog.Action.UPDATE if before else ChangeLog.Action.CREATE,
            changes=changes,
            note=note,
        )
    return user


OWNER_ONLY = gettext_lazy("只有本人可以查看完整信息。")
REVEALABLE_FIELDS = ("id_number", "bank_account")


@transaction.atomic
def personal_data_reveal(*, user: UserOrAnonymous, worker: Worker, field: str) -> str:
    """Her own full ID number or bank account, for her eyes only; every
    reveal is kept in the history (who, when, which field, never the value)."""
    if field not in REVEALABLE_FIELDS:
        raise ValidationError(_("未知字段。"))
    if not user.is_authenticated or user.worker_id != worker.pk:
        raise PermissionDenied(OWNER_ONLY)
    history.change_record(
        actor=user,
        instance=worker,
        action=ChangeLog.Action.REVEAL,
        changes={},
        note=field,
    )
    return str(getattr(worker, field))


def validation_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


PASSWORD_RESET_NOTE = gettext_lazy("重设密码")


@transaction.atomic
def user_password_set(*, actor: User | None, user: User, password: str) -> User:
    """An administrator sets a new password (the user changes it after
    logging in); the history records that it happened, never the value."""
    if actor is not None and not actor.is_superuser and actor.role != "admin":
        raise PermissionDenied(USER_ADMIN_ONLY)
    user.set_password(password)
    user.save(update_fields=["password"])
    history.change_record(
        actor=actor,
        instance=user,
        action=ChangeLog.Action.UPDATE,
        changes={},
        note=str(PASSWORD_RESET_NOTE),
    )
    return user


class LeaveReason:
    """Why an employment ended; kept in the history's note."""

    CHOICES = (
        ("resigned", gettext_lazy("辞职")),
        ("retired", gettext_lazy("退休")),
        ("dismissed", gettext_lazy("解聘")),
        ("transferred", gettext_lazy("调出社区工作者队伍")),
        ("deceased", gettext_lazy("死亡")),
        ("other", gettext_lazy("其他")),
    )


ALREADY_LEFT = gettext_lazy("该人员已经离职。")


@transaction.atomic
def worker_employment_end(
    *, actor: User | None, worker: Worker, left_on: date, reason: str, note: str = ""
) -> Worker:
    """End an employment on ``left_on``: status 离职, the leave date and the
    reason kept; the apps then close what depends on it (the annuity
    membership) through ``hooks.worker_left``. The month of leaving is paid
    to the leave date by the next payroll cycle."""
    if worker.status == Worker.Status.LEFT:
        raise ValidationError(ALREADY_LEFT)
    label = dict(LeaveReason.CHOICES).get(reason, reason)
    worker.left_on = left_on
    worker.status = Worker.Status.LEFT
    text = f"{label}：{note.strip()}" if note.strip() else str(label)
    worker_save(actor=actor, worker=worker, note=text)
    extensions.worker_left(
        worker=worker, left_on=left_on, reason=reason, actor=actor, note=text
    )
    return worker
