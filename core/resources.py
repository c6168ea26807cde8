"""Roster import and export (django-import-export)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core import clock, extensions, services
from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LabelChoiceWidget, LocalDateWidget, choice_maps
from core.late_changes import LateChanges, changed_dates_since
from core.models import (
    CertificateKind,
    ChangeLog,
    Community,
    Education,
    Position,
    Post,
    Worker,
    WorkerCertificate,
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


def split_positions(text: str) -> set[str]:
    by_label, file_labels = choice_maps(Position.choices)
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
        self._seen_ids: Counter[str] = Counter()
        self._extras: dict[int, tuple[set[str] | None, str, Any]] = {}
        # Rows whose level the placement rule would not give: warnings, not
        # errors (an override is legitimate), shown by the import preview.
        self.row_warnings: dict[int, list[str]] = {}
        self._level_check: Any = None
        self._stored: dict[str, tuple[int, int, int | None]] = {}
        self._certificates: dict[int, list[tuple[str, Any]]] = {}
        # Joining and leaving dates as stored, by row: a changed date that
        # reaches a locked month is named in the preview (DOMAIN A11).
        self._dates_before: dict[int, dict[str, object]] = {}
        self.late_changes = LateChanges()

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

    # import hooks
    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        if "身份证号" in (dataset.headers or []):
            self._seen_ids = Counter(
                str(v).strip().upper() for v in dataset["身份证号"] if v
            )
        self._prefetch_levels()

    def _prefetch_levels(self) -> None:
        """What the level check reads, for every row at once: the rule's
        tables, and the stored level, post and certificates of the workers
        the file names (a constant number of queries)."""
        self._level_check = extensions.level_checker()
        numbers = [n for n in self._seen_ids if "*" not in n]
        stored = Worker.objects.filter(id_number__in=numbers).values_list(
            "id_number", "pk", "level", "post_id"
        )
        self._stored = {number: (pk, level, post) for number, pk, level, post in stored}
        ids = [pk for pk, _level, _post in self._stored.values()]
        self._certificates = {}
        rows = WorkerCertificate.objects.filter(worker_id__in=ids).values_list(
            "worker_id", "kind", "obtained_on"
        )
        for worker_id, kind, obtained_on in rows:
            self._certificates.setdefault(worker_id, []).append((kind, obtained_on))

    def _level_flag(self, worker: Worker) -> Any:
        """The placement rule's word on the row's level, when the row sets
        one (a new worker, or a level or post that changes); no query."""
        if self._level_check is None or worker.post_id is None or not worker.level:
            return None
        stored = self._stored.get(worker.id_number)
        if stored is not None and stored[1:] == (worker.level, worker.post_id):
            return None
        _positions, kind, cert_on = self._extras.get(
            self._current_row, (None, "", None)
        )
        certificates = list(self._certificates.get(stored[0], [])) if stored else []
        if kind:
            certificates.append((kind, cert_on))
        return self._level_check(
            extensions.LevelFacts(
                post=worker.post,
                level=worker.level,
                started_on=worker.started_on,
                joined_on=worker.joined_on,
                education=worker.education,
                certificates=tuple(certificates),
            )
        )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        number = str(row.get("身份证号") or "").strip().upper()
        row["身份证号"] = number
        # Every problem of the row is collected and reported together.
        errors: dict[str, Any] = {}
        if number and "*" not in number and self._seen_ids[number] > 1:
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
        kinds, kind_labels = choice_maps(CertificateKind.choices)
        if cert_label and cert_label not in kinds:
            errors["certificate"] = _("未知证书“%(v)s”，可选：%(o)s") % {
                "v": cert_label,
                "o": "、".join(kind_labels.values()),
            }
        if cert_label and not cert_on:
            errors["certificate_on"] = _("填写证书时必须填写取得日期。")
        if cert_on and cert_on > clock.today():
            errors["certificate_on"] = _("日期不能晚于今天。")
        if errors:
            raise ValidationError(errors)
        self._extras[kwargs.get("row_number", 0)] = (
            positions,
            kinds.get(cert_label, ""),
            cert_on,
        )

    def after_init_instance(
        self, instance: Worker, new: bool, row: Any, **kwargs: Any
    ) -> None:
        if not new:
            self._dates_before[kwargs.get("row_number", 0)] = {
                "joined_on": instance.joined_on,
                "left_on": instance.left_on,
            }
        if not new and self.user is not None:
            visible = community_list_visible_to(user=self.user)
            if not visible.filter(pk=instance.community_id).exists():
                raise ValidationError(
                    {"community": _("该人员属于您管理范围以外的社区。")}
                )

    def skip_row(
        self,
        instance: Any,
        original: Any,
        row: Any,
        import_validation_errors: Any = None,
    ) -> bool:
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        positions, kind, cert_on = self._extras.get(
            self._row_number(row), (None, "", None)
        )
        if positions is not None and instance.pk:
            current = {
                p.position for p in instance.positions.filter(ended_on__isnull=True)
            }
            if current != positions:
                return False
        return not (
            kind
            and instance.pk
            and not instance.certificates.filter(
                kind=kind, obtained_on=cert_on
            ).exists()
        )

    def _row_number(self, row: Any) -> int:
        return getattr(self, "_current_row", 0)

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> Any:
        self._current_row = kwargs.get("row_number", 0)
        self._current_reason = str(row.get("等级调整理由") or "").strip()
        return super().import_row(row, instance_loader, **kwargs)

    def do_instance_save(self, instance: Worker, is_create: bool) -> None:
        flag = self._level_flag(instance)
        if flag is not None:
            self.row_warnings.setdefault(self._current_row, []).append(flag.message)
        services.worker_save(
            actor=self.user,
            worker=instance,
            action=ChangeLog.Action.IMPORT,
            level_flag=flag,
            level_reason=getattr(self, "_current_reason", ""),
        )

    def after_save_instance(self, instance: Worker, row: Any, **kwargs: Any) -> None:
        number = kwargs.get("row_number", 0)
        before = self._dates_before.get(number)
        if before is not None:
            self.late_changes.add(
                row=number,
                worker_id=instance.pk,
                since=changed_dates_since(before, instance),
            )
        positions, kind, cert_on = self._extras.get(number, (None, "", None))
        if positions is not None:
            services.worker_positions_set(
                actor=self.user,
                worker=instance,
                positions=positions,
                on=instance.joined_on if is_new_worker(instance) else clock.today(),
            )
        if kind:
            services.worker_certificate_record(
                actor=self.user, worker=instance, kind=kind, obtained_on=cert_on
            )


def is_new_worker(worker: Worker) -> bool:
    return not worker.positions.exists()
