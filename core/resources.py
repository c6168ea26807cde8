"""Roster import and export (django-import-export)."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core import clock
from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LabelChoiceWidget, LocalDateWidget, choice_maps
from core.models import (
    CertificateKind,
    Community,
    Education,
    Position,
    Post,
    Worker,
)
from core.selectors import community_list_visible_to

POSITION_SEPARATORS = (";", "；", "、", ",", "，")


class MaskedField(fields.Field):
    """A sensitive column (masked on export by core.export_safety): a masked
    value on import means "unchanged", so a round trip loses nothing."""

    def export(self, instance: Any, **kwargs: Any) -> str:
        return self.get_value(instance) or ""

    def save(self, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any):
        value = row.get(self.column_name)
        if value is not None and "*" in str(value):
            if instance.pk is None:
                raise ValueError(_("新增人员不能使用打码的值。"))
            return
        super().save(instance, row, is_m2m, **kwargs)


@functools.cache
def _position_maps() -> tuple[dict[str, str], dict[str, str]]:
    return choice_maps(Position.choices)


def split_positions(text: str) -> set[str]:
    by_label, file_labels = _position_maps()
    for separator in POSITION_SEPARATORS:
        text = text.replace(separator, ";")
    codes = set()
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if part in by_label:
            codes.add(by_label[part])
        else:
            raise ValueError(
                _("未知职务“%(value)s”，可选：%(options)s")
                % {"value": part, "options": "、".join(file_labels.values())}
            )
    return codes


def positions_label(codes: set[str]) -> str:
    order = [value for value, _label in Position.choices]
    _by_text, labels = choice_maps(Position.choices)
    return ";".join(labels[c] for c in sorted(codes, key=order.index))


class WorkerResource(SafeExportMixin, resources.ModelResource):
    """The roster: one row per worker, keyed by the citizen ID number."""

    id_number = fields.Field(attribute="id_number", column_name="身份证号")
    full_name = fields.Field(
        attribute="full_name", column_name="姓名", widget=widgets.CharWidget()
    )
    community = fields.Field(attribute="community", column_name="社区代码")
    post = fields.Field(
        attribute="post", column_name="岗位代码", widget=CodeWidget(Post)
    )
    level = fields.Field(
        attribute="level", column_name="等级", widget=widgets.IntegerWidget()
    )
    started_on = fields.Field(
        attribute="started_on", column_name="参加社区工作日期", widget=LocalDateWidget()
    )
    education = fields.Field(
        attribute="education",
        column_name="学历学位",
        widget=LabelChoiceWidget(Education.choices),
    )
    joined_on = fields.Field(
        attribute="joined_on", column_name="入职日期", widget=LocalDateWidget()
    )
    left_on = fields.Field(
        attribute="left_on", column_name="离职日期", widget=LocalDateWidget()
    )
    status = fields.Field(
        attribute="status",
        column_name="状态",
        widget=LabelChoiceWidget(Worker.Status.choices),
    )
    bank_name = fields.Field(
        attribute="bank_name", column_name="开户银行", widget=widgets.CharWidget()
    )
    phone = fields.Field(
        attribute="phone", column_name="手机", widget=widgets.CharWidget()
    )
    positions = fields.Field(column_name="职务", readonly=True)
    certificate = fields.Field(column_name="最高社工证书", readonly=True)
    certificate_on = fields.Field(column_name="证书取得日期", readonly=True)
    # Why a level differs from the placement rule (kept with the override).
    level_reason = fields.Field(column_name="等级调整理由", readonly=True)

    required_columns = ("身份证号", "姓名", "社区代码", "岗位代码", "等级")

    class Meta:
        model = Worker
        fields = (
            "id_number",
            "full_name",
            "community",
            "post",
            "level",
            "started_on",
            "education",
            "joined_on",
            "left_on",
            "status",
            "positions",
            "certificate",
            "certificate_on",
            "level_reason",
            "bank_name",
            "bank_account",
            "phone",
        )
        export_order = fields
        import_id_fields = ("id_number",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user: Any = None) -> None:
        super().__init__()
        self.user = user
        visible = (
            community_list_visible_to(user=user)
            if user is not None
            else Community.objects.all()
        )
        self.fields["community"].widget = CodeWidget(Community, queryset=visible)
        self.fields["bank_account"] = MaskedField(
            attribute="bank_account",
            widget=widgets.CharWidget(),
            column_name="银行账号",
        )
        self.fields["id_number"] = MaskedField(
            attribute="id_number",
            widget=widgets.CharWidget(),
            column_name="身份证号",
        )
        self._certificate_maps = choice_maps(CertificateKind.choices)

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return [str(self.fields[name].column_name) for name in self.Meta.fields]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def get_import_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def get_queryset(self) -> Any:
        return Worker.objects.select_related("community", "post").prefetch_related(
            "positions", "certificates"
        )

    # export of the derived columns
    def dehydrate_positions(self, worker: Worker) -> str:
        return positions_label(
            {p.position for p in worker.positions.all() if p.ended_on is None}
        )

    def _highest_certificate(self, worker: Worker) -> Any:
        order = [value for value, _label in CertificateKind.choices]
        certificates = sorted(
            worker.certificates.all(), key=lambda c: order.index(c.kind)
        )
        return certificates[-1] if certificates else None

    def dehydrate_certificate(self, worker: Worker) -> str:
        certificate = self._highest_certificate(worker)
        return (
            choice_maps(CertificateKind.choices)[1][certificate.kind]
            if certificate
            else ""
        )

    def dehydrate_certificate_on(self, worker: Worker) -> str:
        certificate = self._highest_certificate(worker)
        return certificate.obtained_on.isoformat() if certificate else ""

    def dehydrate_level_reason(self, worker: Worker) -> str:
        return ""

    # import: checked and saved in bulk (core.roster_import)
    def bulk_check(
        self, dataset: Any, progress: Any = None
    ) -> tuple[Any, dict[str, Any] | None]:
        from core.roster_import import roster_check

        return roster_check(self, dataset, progress=progress)

    def bulk_apply(self, plan: dict[str, Any]) -> dict[str, int]:
        from core.roster_import import roster_apply

        return roster_apply(plan, user=self.user)

    def bulk_late_facts(self, plan: dict[str, Any]) -> Any:
        from core.roster_import import roster_late_facts

        return roster_late_facts(plan)

    def import_data(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: the roster is imported in bulk (``bulk_check`` then
        ``bulk_apply``, core.import_jobs), which checks the user's scope and
        keeps the change log and level history; django-import-export's
        row-by-row save would skip all three."""
        raise NotImplementedError(
            "WorkerResource.import_data is not supported: import the roster "
            "through core.import_jobs (bulk_check, then bulk_apply)."
        )

    def row_prechecks(
        self, row: dict[str, Any], seen: Counter[str]
    ) -> tuple[dict[str, Any], tuple[set[str] | None, str, Any]]:
        """The row's problems outside the model's own checks (keyed by
        attribute or column), and its positions and certificate."""
        number = row.get("身份证号") or ""
        errors: dict[str, Any] = {}
        if number and "*" not in number and seen[number] > 1:
            errors["id_number"] = _("身份证号 %(n)s 在文件中重复出现。") % {"n": number}
        for column in self.required_columns:
            if str(row.get(column) or "").strip() == "":
                errors[column] = _("“%(c)s”为必填项。") % {"c": column}
        positions_text = str(row.get("职务") or "")
        cert_label = str(row.get("最高社工证书") or "").strip()
        try:
            cert_on = LocalDateWidget().clean(row.get("证书取得日期"))
        except ValueError as exc:
            errors["certificate_on"] = str(exc)
            cert_on = None
        try:
            positions = split_positions(positions_text) if "职务" in row else None
        except ValueError as exc:
            errors["positions"] = str(exc)
            positions = None
        kinds, kind_labels = self._certificate_maps
        if cert_label and cert_label not in kinds:
            errors["certificate"] = _("未知证书“%(v)s”，可选：%(o)s") % {
                "v": cert_label,
                "o": "、".join(kind_labels.values()),
            }
        if cert_label and not cert_on:
            errors["certificate_on"] = _("填写证书时必须填写取得日期。")
        if cert_on and cert_on > clock.today():
            errors["certificate_on"] = _("日期不能晚于今天。")
        return errors, (positions, kinds.get(cert_label, ""), cert_on)
