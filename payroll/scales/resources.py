"""xlsx import and export of a scale version's tables (django-import-export).

Each table has a resource keyed by (version, key). Imports go through
core.imports.import_dataset: all rows or none. A used version refuses rows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LabelChoiceWidget
from core.models import CertificateKind, Education, Post
from payroll.models import (
    SCALE_VERSION_USED,
    ParameterCode,
    ScaleCertificateLevels,
    ScaleEducationYears,
    ScaleGradeCoefficient,
    ScaleLevelPay,
    ScaleParameter,
    ScalePostAllowance,
    ScaleStarAllowance,
    ScaleVersion,
)
from payroll.scales import services
from ratings.models import Grade

TEXT = widgets.CharWidget(allow_blank=True)  # empty cell -> ""


class ScaleRowResource(SafeExportMixin, resources.ModelResource):
    version = fields.Field(
        attribute="version", column_name="版本", widget=CodeWidget(ScaleVersion)
    )
    source_note = fields.Field(attribute="source_note", column_name="依据", widget=TEXT)

    def __init__(self, *, version: ScaleVersion | None = None) -> None:
        super().__init__()
        self.scale_version = version

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return [str(self.fields[name].column_name) for name in self._meta.fields]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        return [self.fields[name] for name in self._meta.fields]

    def get_import_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self._meta.fields]

    def get_queryset(self) -> Any:
        queryset = self._meta.model.objects.select_related("version")
        if self.scale_version is not None:
            queryset = queryset.filter(version=self.scale_version)
        return queryset

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if self.scale_version is not None:
            row["版本"] = self.scale_version.code
        code = str(row.get("版本") or "").strip()
        if ScaleVersion.objects.filter(code=code, used_at__isnull=False).exists():
            raise ValidationError(SCALE_VERSION_USED)

    def do_instance_save(self, instance: Any, is_create: bool) -> None:
        services.scale_row_save(row=instance)


_ROW_META = {
    "clean_model_instances": True,
    "skip_unchanged": True,
    "report_skipped": True,
    "use_transactions": True,
}


class ScaleLevelPayResource(ScaleRowResource):
    level = fields.Field(
        attribute="level", column_name="等级", widget=widgets.IntegerWidget()
    )
    standard_pay = fields.Field(
        attribute="standard_pay",
        column_name="标准工资",
        widget=widgets.DecimalWidget(),
    )

    class Meta:
        model = ScaleLevelPay
        fields = ("version", "level", "standard_pay", "source_note")
        import_id_fields = ("version", "level")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScalePostAllowanceResource(ScaleRowResource):
    post = fields.Field(
        attribute="post", column_name="岗位代码", widget=CodeWidget(Post)
    )
    amount = fields.Field(
        attribute="amount", column_name="岗位津贴", widget=widgets.DecimalWidget()
    )

    class Meta:
        model = ScalePostAllowance
        fields = ("version", "post", "amount", "source_note")
        import_id_fields = ("version", "post")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScaleGradeCoefficientResource(ScaleRowResource):
    grade = fields.Field(
        attribute="grade",
        column_name="考核结果",
        widget=LabelChoiceWidget(Grade.choices),
    )
    coefficient = fields.Field(
        attribute="coefficient",
        column_name="绩效系数",
        widget=widgets.DecimalWidget(),
    )

    class Meta:
        model = ScaleGradeCoefficient
        fields = ("version", "grade", "coefficient", "source_note")
        import_id_fields = ("version", "grade")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScaleStarAllowanceResource(ScaleRowResource):
    stars = fields.Field(
        attribute="stars", column_name="星级", widget=widgets.IntegerWidget()
    )
    amount = fields.Field(
        attribute="amount", column_name="星级津贴", widget=widgets.DecimalWidget()
    )

    class Meta:
        model = ScaleStarAllowance
        fields = ("version", "stars", "amount", "source_note")
        import_id_fields = ("version", "stars")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScaleEducationYearsResource(ScaleRowResource):
    education = fields.Field(
        attribute="education",
        column_name="学历学位",
        widget=LabelChoiceWidget(Education.choices),
    )
    years = fields.Field(
        attribute="years", column_name="折算年限", widget=widgets.IntegerWidget()
    )

    class Meta:
        model = ScaleEducationYears
        fields = ("version", "education", "years", "source_note")
        import_id_fields = ("version", "education")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScaleCertificateLevelsResource(ScaleRowResource):
    kind = fields.Field(
        attribute="kind",
        column_name="证书",
        widget=LabelChoiceWidget(CertificateKind.choices),
    )
    levels = fields.Field(
        attribute="levels", column_name="加级数", widget=widgets.IntegerWidget()
    )

    class Meta:
        model = ScaleCertificateLevels
        fields = ("version", "kind", "levels", "source_note")
        import_id_fields = ("version", "kind")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class ScaleParameterResource(ScaleRowResource):
    code = fields.Field(
        attribute="code",
        column_name="参数",
        widget=LabelChoiceWidget(ParameterCode.choices),
    )
    rate = fields.Field(
        attribute="rate", column_name="比率", widget=widgets.DecimalWidget()
    )
    amount = fields.Field(
        attribute="amount", column_name="金额", widget=widgets.DecimalWidget()
    )
    count = fields.Field(
        attribute="count", column_name="数值", widget=widgets.IntegerWidget()
    )
    reference_year = fields.Field(
        attribute="reference_year",
        column_name="统计年度",
        widget=widgets.IntegerWidget(),
    )

    class Meta:
        model = ScaleParameter
        fields = (
            "version",
            "code",
            "rate",
            "amount",
            "count",
            "reference_year",
            "source_note",
        )
        import_id_fields = ("version", "code")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


# table key -> (resource, sheet title)
TABLES: dict[str, tuple[type[ScaleRowResource], Any]] = {
    "level_pays": (ScaleLevelPayResource, gettext_lazy("等级标准工资")),
    "post_allowances": (ScalePostAllowanceResource, gettext_lazy("岗位津贴")),
    "grade_coefficients": (
        ScaleGradeCoefficientResource,
        gettext_lazy("考核绩效系数"),
    ),
    "star_allowances": (ScaleStarAllowanceResource, gettext_lazy("星级津贴")),
    "education_years": (ScaleEducationYearsResource, gettext_lazy("学历折算年限")),
    "certificate_levels": (ScaleCertificateLevelsResource, gettext_lazy("证书加级")),
    "parameters": (ScaleParameterResource, gettext_lazy("薪酬参数")),
}


def scale_workbook(version: ScaleVersion) -> Any:
    """Every table of ``version`` as one sheet each (the import's layout)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.exports import append_row

    workbook = Workbook()
    workbook.remove(workbook.active)
    for resource_class, title in TABLES.values():
        resource = resource_class(version=version)
        dataset = resource.export()
        sheet = workbook.create_sheet(str(title)[:31])
        append_row(sheet, list(dataset.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in dataset:
            append_row(sheet, list(row))
    return workbook


def table_label(key: str) -> str:
    return _(str(TABLES[key][1]))
