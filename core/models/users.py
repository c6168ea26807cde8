"""Users: their role says what kind of work they do, the district, street or
community on them says where (scope is decided in ``core.selectors``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .places import Community, District, Street


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("市民政工作人员")
    DISTRICT_STAFF = "district_staff", _("区民政工作人员")
    FINANCE = "finance", _("财务人员")
    STREET_OFFICER = "street_officer", _("街道工作人员")
    SECRETARY = "secretary", _("社区书记")
    AUDITOR = "auditor", _("审计人员")
    ADMIN = "admin", _("系统管理员")
    WORKER = "worker", _("社区工作者（本人）")


class User(AbstractUser):
    """A login with one role and the part of the city it may see."""

    role = models.CharField(
        _("角色"), max_length=20, choices=Role.choices, default=Role.AUDITOR
    )
    district = models.ForeignKey(
        District, models.PROTECT, null=True, blank=True, verbose_name=_("所属区")
    )
    street = models.ForeignKey(
        Street, models.PROTECT, null=True, blank=True, verbose_name=_("所属街道")
    )
    community = models.ForeignKey(
        Community, models.PROTECT, null=True, blank=True, verbose_name=_("所属社区")
    )
    # The worker this login belongs to, if any: a secretary sees her own
    # annuity account through it.
    worker = models.OneToOneField(
        "core.Worker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("本人（社区工作者）"),
    )
    # Set when staff issue a one-time password; the login may do nothing but
    # choose its own password until it is cleared.
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """As Django's, except that a separation-of-duty permission comes only
        from the role (core.permissions.role_only_permissions): a superuser
        administrator cannot compute, approve or lock a payroll cycle."""
        from core.permissions import role_has_perm, role_only_permissions

        if perm in role_only_permissions():
            return self.is_active and role_has_perm(self.role, perm)
        return super().has_perm(perm, obj)

    def clean(self) -> None:
        super().clean()
        scope_of_role: dict[str, str] = {
            Role.DISTRICT_STAFF: "district",
            Role.STREET_OFFICER: "street",
            Role.SECRETARY: "community",
            Role.WORKER: "worker",
        }
        required = scope_of_role.get(self.role)
        if required and getattr(self, f"{required}_id") is None:
            raise ValidationError({required: _("该角色必须指定范围。")})
        if self.role == Role.WORKER and (
            self.district_id or self.street_id or self.community_id
        ):
            raise ValidationError(_("本人账号只能看到本人，不应限定区、街道或社区。"))
        if self.role in (Role.CITY_STAFF, Role.ADMIN) and (
            self.district_id or self.street_id or self.community_id
        ):
            raise ValidationError(_("市级角色不应限定区、街道或社区。"))
        self._clean_scope_nesting(required)

    def _clean_scope_nesting(self, required: str | None) -> None:
        """District ⊃ street ⊃ community: a scope whose parts disagree would
        let the narrowest part decide silently (core.selectors.scope_q)."""
        errors: dict[str, StrOrPromise] = {}
        if (
            self.district_id
            and self.street is not None
            and self.street.district_id != self.district_id
        ):
            errors["street"] = _("该街道不属于所选的区。")
        if (
            self.street_id
            and self.community is not None
            and self.community.street_id != self.street_id
        ):
            errors["community"] = _("该社区不属于所选的街道。")
        elif (
            self.district_id
            and self.community is not None
            and self.community.street.district_id != self.district_id
        ):
            errors["community"] = _("该社区不属于所选的区。")
        below = {"district": ("street", "community"), "street": ("community",)}
        for name in below.get(required or "", ()):
            if getattr(self, f"{name}_id") and name not in errors:
                errors[name] = _("该角色的范围只到%(level)s，请不要再选下一级。") % {
                    "level": {"district": _("区"), "street": _("街道")}[required or ""]
                }
        if errors:
            raise ValidationError(errors)
