"""Import and export of grades and star ratings (all-or-nothing via core.imports)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LabelChoiceWidget, LocalDateWidget
from core.late_changes import LateChanges
from core.models import Community, Worker
from core.selectors import community_list_visible_to, worker_list_visible_to
from ratings import rules
from ratings.facts import grade_pays_from, star_pays_from
from ratings.models import AnnualGrade, Grade, StarRating

TEXT = widgets.CharWidget(allow_blank=True)  # empty cell -> ""


class WorkerByIdWidget(widgets.ForeignKeyWidget):
    """A worker by citizen ID number, limited to the user's scope."""

    def __init__(self, queryset: Any) -> None:
        super().__init__(Worker, field="id_number")
        self._queryset = queryset

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return self._queryset

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return None
        number = str(value).strip().upper()
        try:
            return self._queryset.get(id_number=number)
        except Worker.DoesNotExist:
            raise ValueError(
                _("身份证号“%(n)s”不存在或不在您的范围内。") % {"n": number}
            ) from None


def _visible_workers(user: Any) -> Any:
    return worker_list_visible_to(user=user) if user is not None else Worker.objects


class ScopedResource(SafeExportMixin, resources.ModelResource):
    """Sets ``entered_by`` and refuses rows outside the user's scope."""

    def __init__(self, *, user: Any = None) -> None:
        super().__init__()
        self.user = user
        self.late_changes = LateChanges()  # rows reaching locked months (A11)

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if getattr(self.user, "pk", None):
            instance.entered_by = self.user


class AnnualGradeResource(ScopedResource):
    worker = fields.Field(attribute="worker", column_name="身份证号")
    full_name = fields.Field(
        attribute="worker__full_name", column_name="姓名", readonly=True
    )
    year = fields.Field(
        attribute="year", column_name="考核年度", widget=widgets.IntegerWidget()
    )
    grade = fields.Field(
        attribute="grade",
        column_name="考核结果",
        widget=LabelChoiceWidget(Grade.choices),
    )
    note = fields.Field(attribute="note", column_name="备注", widget=TEXT)

    required_columns = ("身份证号", "考核年度", "考核结果")

    class Meta:
        model = AnnualGrade
        fields = ("worker", "full_name", "year", "grade", "note")
        export_order = fields
        import_id_fields = ("worker", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user: Any = None) -> None:
        super().__init__(user=user)
        self.fields["worker"].widget = WorkerByIdWidget(_visible_workers(user))

    def get_queryset(self) -> Any:
        queryset = AnnualGrade.objects.select_related("worker")
        if self.user is not None:
            queryset = queryset.filter(worker__in=_visible_workers(self.user))
        return queryset

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for column in self.required_columns:
            if str(row.get(column) or "").strip() == "":
                raise ValidationError({column: _("“%(c)s”为必填项。") % {"c": column}})

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.late_changes.add(
            row=kwargs.get("row_number"),
            worker_id=instance.worker_id,
            since=grade_pays_from(instance.year),
        )


class StarRatingResource(ScopedResource):
    worker = fields.Field(attribute="worker", column_name="身份证号")
    community = fields.Field(attribute="community", column_name="社区代码")
    rated_on = fields.Field(
        attribute="rated_on", column_name="评定日期", widget=LocalDateWidget()
    )
    stars = fields.Field(
        attribute="stars", column_name="星级", widget=widgets.IntegerWidget()
    )
    score = fields.Field(
        attribute="score", column_name="得分", widget=widgets.DecimalWidget()
    )
    assessor = fields.Field(attribute="assessor", column_name="评定单位", widget=TEXT)
    valid_until = fields.Field(
        attribute="valid_until", column_name="有效期至", widget=LocalDateWidget()
    )
    evidence = fields.Field(attribute="evidence", column_name="依据材料", widget=TEXT)

    required_columns = ("评定日期", "星级")

    class Meta:
        model = StarRating
        fields = (
            "worker",
            "community",
            "rated_on",
            "stars",
            "score",
            "assessor",
            "valid_until",
            "evidence",
        )
        export_order = fields
        import_id_fields = ("worker", "community", "rated_on")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user: Any = None) -> None:
        super().__init__(user=user)
        self.fields["worker"].widget = WorkerByIdWidget(_visible_workers(user))
        communities = (
            community_list_visible_to(user=user)
            if user is not None
            else Community.objects.all()
        )
        self.fields["community"].widget = CodeWidget(Community, queryset=communities)

    def get_queryset(self) -> Any:
        return StarRating.objects.select_related("worker", "community")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for column in self.required_columns:
            if str(row.get(column) or "").strip() == "":
                raise ValidationError({column: _("“%(c)s”为必填项。") % {"c": column}})
        has_worker = bool(str(row.get("身份证号") or "").strip())
        has_community = bool(str(row.get("社区代码") or "").strip())
        if has_worker == has_community:
            raise ValidationError(_("“身份证号”和“社区代码”须且只能填写一个。"))
        if not str(row.get("有效期至") or "").strip():
            try:
                rated_on = LocalDateWidget().clean(row.get("评定日期"))
            except ValueError:
                return  # the field reports the bad date
            if rated_on:
                row["有效期至"] = rules.default_valid_until(rated_on).isoformat()

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if instance.worker_id and instance.rated_on:
            self.late_changes.add(
                row=kwargs.get("row_number"),
                worker_id=instance.worker_id,
                since=star_pays_from(instance.rated_on),
            )
