"""Imports and exports of the per-worker payroll data finance keeps: contribution
bases, special additional deductions, year-end bonuses and the opening
year-to-date figures of a mid-year start (all or nothing, through
core.imports), keyed by citizen ID number."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import LabelChoiceWidget, LocalDateWidget, MoneyAmountWidget
from core.late_changes import LateChanges
from core.models import Worker
from core.selectors import worker_list_visible_to
from payroll.models import (
    ContributionBase,
    OpeningBalance,
    TaxDeclaration,
    YearEndBonus,
)


class WorkerIdWidget(widgets.ForeignKeyWidget):
    """A worker by citizen ID number, limited to the importing user's scope."""

    def __init__(self, user: Any) -> None:
        super().__init__(Worker, field="id_number")
        self.user = user

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        number = str(value or "").strip().upper()
        if not number:
            raise ValueError(_("身份证号为必填项。"))
        queryset = (
            worker_list_visible_to(user=self.user)
            if self.user is not None
            else Worker.objects.all()
        )
        worker = queryset.filter(id_number=number).first()
        if worker is None:
            raise ValueError(
                _("身份证号 %(n)s 不存在或不在您的范围内。") % {"n": number}
            )
        return worker

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.id_number if value else ""


BOOL_CHOICES = [("1", _("是")), ("0", _("否"))]


class BoolWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = str(value or "").strip().lower()
        if text in ("", "0", "否", "no", "false", "n"):
            return False
        if text in ("1", "是", "yes", "true", "y"):
            return True
        raise ValueError(_("应填“是”或“否”。"))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "是" if value else "否"


def amount_column(attribute: str, column: str, **kwargs: Any) -> fields.Field:
    """A Decimal amount column (a contribution base)."""
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widgets.DecimalWidget(),
        **kwargs,
    )


def typed_amount_field(attribute: str, column: str, **kwargs: Any) -> fields.Field:
    """A typed amount (a CNY MoneyField) as a plain number in the sheet."""
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=MoneyAmountWidget(),
        **kwargs,
    )


class _WorkerKeyed(SafeExportMixin, resources.ModelResource):
    def __init__(self, *, user: Any = None) -> None:
        super().__init__()
        self.user = user
        self.fields["worker"] = fields.Field(
            attribute="worker", column_name="身份证号", widget=WorkerIdWidget(user)
        )
        self.late_changes = LateChanges()  # rows reaching locked months (A11)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for name, field in self.fields.items():
            if isinstance(field.widget, widgets.DecimalWidget):
                value = row.get(field.column_name)
                if value not in (None, "") and str(value).strip().startswith("-"):
                    raise ValidationError({name: _("金额不能为负数。")})

    def get_queryset(self) -> Any:
        queryset = self._meta.model.objects.select_related("worker")
        if self.user is None:
            return queryset
        return queryset.filter(
            worker__in=worker_list_visible_to(user=self.user).values("pk")
        )


class ContributionBaseResource(_WorkerKeyed):
    starts_on = fields.Field(
        attribute="starts_on", column_name="起始日期", widget=LocalDateWidget()
    )
    ends_on = fields.Field(
        attribute="ends_on", column_name="截止日期", widget=LocalDateWidget()
    )
    social_insurance_base = amount_column("social_insurance_base", "社保缴费基数")
    housing_fund_base = amount_column("housing_fund_base", "公积金缴存基数")
    source = fields.Field(
        attribute="source",
        column_name="来源",
        widget=LabelChoiceWidget(ContributionBase.Source.choices),
    )

    class Meta:
        model = ContributionBase
        fields = (
            "worker",
            "starts_on",
            "ends_on",
            "social_insurance_base",
            "housing_fund_base",
            "source",
        )
        export_order = fields
        import_id_fields = ("worker", "starts_on")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        if not instance.source:
            instance.source = ContributionBase.Source.IMPORT

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.late_changes.add(
            row=kwargs.get("row_number"),
            worker_id=instance.worker_id,
            since=instance.starts_on,
        )

    def validate_instance(
        self,
        instance: Any,
        import_validation_errors: Any = None,
        validate_unique: bool = True,
    ) -> None:
        """A base out of the limits in force is refused, with the limits in
        the message (A7), like any other invalid row."""
        from payroll.cycles.bases import contribution_base_limit_errors

        errors = dict(import_validation_errors or {})
        for field, message in contribution_base_limit_errors(instance).items():
            errors.setdefault(field, message)
        super().validate_instance(instance, errors, validate_unique)


class TaxDeclarationResource(_WorkerKeyed):
    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    child_education = typed_amount_field("child_education", "子女教育")
    infant_care = typed_amount_field("infant_care", "3岁以下婴幼儿照护")
    elderly_support = typed_amount_field("elderly_support", "赡养老人")
    housing_loan_interest = typed_amount_field("housing_loan_interest", "住房贷款利息")
    housing_rent = typed_amount_field("housing_rent", "住房租金")
    continuing_education = typed_amount_field("continuing_education", "继续教育")
    full_year_deduction_from_january = fields.Field(
        attribute="full_year_deduction_from_january",
        column_name="适用2020年第19号公告",
        widget=BoolWidget(),
    )
    counts_from_january = fields.Field(
        attribute="counts_from_january",
        column_name="年度首次取得工资",
        widget=BoolWidget(),
    )

    class Meta:
        model = TaxDeclaration
        fields = (
            "worker", "year", "child_education", "infant_care", "elderly_support",
            "housing_loan_interest", "housing_rent", "continuing_education",
            "full_year_deduction_from_january", "counts_from_january",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("worker", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class YearEndBonusResource(_WorkerKeyed):
    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    month = fields.Field(
        attribute="month", column_name="发放月份", widget=widgets.IntegerWidget()
    )
    amount = typed_amount_field("amount", "金额")
    merge_into_comprehensive_income = fields.Field(
        attribute="merge_into_comprehensive_income",
        column_name="并入综合所得",
        widget=BoolWidget(),
    )

    class Meta:
        model = YearEndBonus
        fields = (
            "worker",
            "year",
            "month",
            "amount",
            "merge_into_comprehensive_income",
        )
        export_order = fields
        import_id_fields = ("worker", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class OpeningBalanceResource(_WorkerKeyed):
    """Year-to-date figures from an earlier system, as of the month before
    the first cycle (A7)."""

    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    as_of_month = fields.Field(
        attribute="as_of_month", column_name="截至月份", widget=widgets.IntegerWidget()
    )
    gross_income = typed_amount_field("gross_income", "累计收入")
    tax_exempt_income = typed_amount_field("tax_exempt_income", "累计免税收入")
    special_deductions = typed_amount_field("special_deductions", "累计专项扣除")
    special_additional_deductions = typed_amount_field(
        "special_additional_deductions", "累计专项附加扣除"
    )
    other_deductions = typed_amount_field("other_deductions", "累计其他扣除")
    tax_withheld = typed_amount_field("tax_withheld", "累计已预扣税额")
    months_employed = fields.Field(
        attribute="months_employed",
        column_name="本单位任职受雇月份数",
        widget=widgets.IntegerWidget(),
    )
    floor_total = typed_amount_field("floor_total", "年度最低薪酬口径累计")

    class Meta:
        model = OpeningBalance
        fields = (
            "worker", "year", "as_of_month", "gross_income", "tax_exempt_income",
            "special_deductions", "special_additional_deductions",
            "other_deductions", "tax_withheld", "months_employed", "floor_total",
        )  # fmt: skip
        export_order = fields
        import_id_fields = ("worker", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


PAYROLL_DATA = {
    "bases": (ContributionBaseResource, gettext_lazy("缴费基数")),
    "declarations": (TaxDeclarationResource, gettext_lazy("个税专项附加扣除")),
    "bonuses": (YearEndBonusResource, gettext_lazy("全年一次性奖金")),
    "openings": (OpeningBalanceResource, gettext_lazy("期初累计数")),
}
