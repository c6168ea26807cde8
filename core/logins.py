"""Workers' own logins: issued by staff with a one-time password.

A worker's login has the role ``worker`` and is linked to her ``Worker`` row;
it sees nothing but her own pay (``core.selectors``). Staff issue logins for
one worker, a community or their whole roster; each gets a one-time password
that is shown once (and downloadable for the staff who hand them out) and
must be changed at the first login.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import history
from core.models import ChangeLog, Role, User, Worker
from core.selectors import user_can_issue_worker_logins, worker_list_visible_to

LOGINS_NOT_ALLOWED = gettext_lazy("您的角色不能为社区工作者开通账号。")
WORKER_OUT_OF_SCOPE = gettext_lazy("该社区工作者不在您的管理范围内。")
WORKER_HAS_LOGIN = gettext_lazy("该社区工作者已有账号；如需新密码请选择“重设密码”。")
WORKER_NOT_EMPLOYED = gettext_lazy("该社区工作者已离职，不能开通账号。")

# No 0/O, 1/l/I: a one-time password is read off paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class IssuedLogin:
    worker: Worker
    username: str
    password: str
    is_new: bool


def one_time_password() -> str:
    """Ten characters with at least a letter and a digit."""
    while True:
        password = "".join(
            secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH)
        )
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def username_for(worker: Worker, taken: set[str]) -> str:
    """Her mobile number when she has one and no one uses it; else ``w`` and
    her worker number."""
    phone = "".join(ch for ch in (worker.phone or "") if ch.isdigit())
    if len(phone) >= 11 and phone not in taken:
        return phone
    return f"w{worker.pk:06d}"


def _check_actor(actor: Any, workers: Iterable[Worker]) -> None:
    if actor is None:
        return  # management command run by the operator
    if not user_can_issue_worker_logins(actor):
        raise PermissionDenied(LOGINS_NOT_ALLOWED)
    ids = {worker.pk for worker in workers}
    visible = set(
        worker_list_visible_to(user=actor)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    if ids - visible:
        raise PermissionDenied(WORKER_OUT_OF_SCOPE)


@transaction.atomic
def worker_logins_issue(
    *, actor: Any, workers: Iterable[Worker], reset: bool = False
) -> list[IssuedLogin]:
    """Create a login with a one-time password for each worker who has none.

    With ``reset``, a worker who already has a login gets a new one-time
    password instead (she must change it again). Workers who have left are
    skipped; every issue is kept in the change history (without the password).
    """
    workers = list(workers)
    _check_actor(actor, workers)
    existing = {
        user.worker_id: user
        for user in User.objects.filter(worker__in=[w.pk for w in workers])
    }
    taken = set(User.objects.values_list("username", flat=True))
    issued: list[IssuedLogin] = []
    for worker in workers:
        if worker.status == Worker.Status.LEFT:
            continue
        user = existing.get(worker.pk)
        if user is not None and not reset:
            continue
        password = one_time_password()
        is_new = user is None
        if user is None:
            username = username_for(worker, taken)
            taken.add(username)
            user = User(
                username=username,
                first_name=worker.full_name,
                role=Role.WORKER,
                worker=worker,
            )
        user.password = make_password(password)
        user.must_change_password = True
        user.is_active = True
        user.full_clean(exclude=["password"])
        user.save()
        history.change_record(
            actor=actor,
            instance=user,
            action=ChangeLog.Action.CREATE if is_new else ChangeLog.Action.UPDATE,
            changes={"role": [None, Role.WORKER]} if is_new else {},
            note=_("开通本人账号（一次性密码）")
            if is_new
            else _("重设本人账号的一次性密码"),
        )
        issued.append(
            IssuedLogin(
                worker=worker, username=user.username, password=password, is_new=is_new
            )
        )
    return issued


def worker_login_issue(
    *, actor: Any, worker: Worker, reset: bool = False
) -> IssuedLogin:
    """One worker's login; refuses a second login unless ``reset``."""
    if worker.status == Worker.Status.LEFT:
        raise ValidationError(WORKER_NOT_EMPLOYED)
    if not reset and User.objects.filter(worker=worker).exists():
        raise ValidationError(WORKER_HAS_LOGIN)
    return worker_logins_issue(actor=actor, workers=[worker], reset=reset)[0]


@transaction.atomic
def user_password_changed(*, user: User) -> User:
    """The login chose its own password: the one-time password is spent."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    return user
