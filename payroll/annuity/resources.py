"""Import of a plan's yearly investment returns (all or nothing, through
core.imports): one row per year with a rate or an amount; each saved row is
credited to every account at once, inside the import's transaction, so a bad
row leaves no return and no entry behind."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from payroll.annuity.services.returns import annuity_return_credit
from payroll.models.annuity import AnnuityReturn
from payroll.models.annuity_plans import AnnuityPlan


class AnnuityReturnResource(SafeExportMixin, resources.ModelResource):
    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    rate = fields.Field(
        attribute="rate", column_name="收益率", widget=widgets.DecimalWidget()
    )
    amount = fields.Field(
        attribute="amount", column_name="收益金额", widget=widgets.DecimalWidget()
    )
    required_columns = ("年度",)

    class Meta:
        model = AnnuityReturn
        fields = ("year", "rate", "amount")
        export_order = fields
        import_id_fields = ("year",)
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, *, plan: AnnuityPlan) -> None:
        super().__init__()
        self.plan = plan

    def get_queryset(self) -> Any:
        return AnnuityReturn.objects.filter(plan=self.plan)

    def init_instance(self, row: Any = None) -> AnnuityReturn:
        return AnnuityReturn(plan=self.plan)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        year = str(row.get("年度") or "").strip()
        if year.isdigit() and self.get_queryset().filter(year=int(year)).exists():
            raise ValidationError(
                _("%(year)s 年度收益已导入并记入账户，不能重复导入。") % {"year": year}
            )

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        annuity_return_credit(annuity_return=instance)
