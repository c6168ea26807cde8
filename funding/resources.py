"""Allocation import: one row per community and year, all or nothing."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from djmoney.money import Money
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, MoneyAmountWidget
from core.models import Community
from core.money import decimal_of, to_money
from core.selectors import community_list_visible_to
from funding import services
from funding.models import ExpenseClass, FundYear

MONEY_FIELDS = ("allocation", "city_share", "district_share", "street_share")


def _money(value: Any) -> Decimal | None:
    """A non-negative amount with at most two decimals, or None."""
    text = str(value if value is not None else "").strip().replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if (
        not amount.is_finite()
        or amount < 0
        or amount != amount.quantize(Decimal("0.01"))
    ):
        return None
    return amount


class MoneyWidget(MoneyAmountWidget):
    """An amount as typed in a sheet: 200000, 200000.00 or 200,000.00 (CNY)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Money | None:
        if value in (None, ""):
            return None
        amount = _money(value)
        if amount is None:
            raise ValueError(_("“%(value)s”不是有效的金额。") % {"value": value})
        return to_money(amount)


HEADERS = ("社区代码", "年度", "年度拨款", "市级承担", "区级承担", "街道承担")


class AllocationResource(SafeExportMixin, resources.ModelResource):
    """Sets each community's allocation through ``services.fund_year_set``,
    so the 200,000 floor, the sources and the scope are checked per row."""

    community = fields.Field(attribute="community", column_name="社区代码")
    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    allocation = fields.Field(
        attribute="allocation", column_name="年度拨款", widget=MoneyWidget()
    )
    city_share = fields.Field(
        attribute="city_share", column_name="市级承担", widget=MoneyWidget()
    )
    district_share = fields.Field(
        attribute="district_share",
        column_name="区级承担",
        widget=MoneyWidget(),
    )
    street_share = fields.Field(
        attribute="street_share",
        column_name="街道承担",
        widget=MoneyWidget(),
    )

    required_columns = HEADERS

    class Meta:
        model = FundYear
        fields = (
            "community",
            "year",
            "allocation",
            "city_share",
            "district_share",
            "street_share",
        )
        export_order = fields
        import_id_fields = ("community", "year")
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def __init__(self, *, user: Any = None) -> None:
        super().__init__()
        self.user = user
        visible = (
            community_list_visible_to(user=user)
            if user is not None
            else Community.objects.all()
        )
        self._communities = visible
        self.fields["community"].widget = CodeWidget(Community, queryset=visible)
        self._rows: dict[tuple[str, str], list[int]] = defaultdict(list)

    def get_import_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        headers = dataset.headers or []
        self._rows = defaultdict(list)
        if "社区代码" in headers and "年度" in headers:
            for number, (code, year) in enumerate(
                zip(dataset["社区代码"], dataset["年度"], strict=True), 1
            ):
                self._rows[(str(code).strip(), str(year).strip())].append(number)

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        """Check what the widgets would refuse with an unclear message, so
        every problem names its column (core.imports adds the label)."""
        errors: dict[str, list[str]] = {}
        for name in self.Meta.fields:
            column = self.fields[name].column_name
            if str(row.get(column) or "").strip() == "":
                errors[name] = [_("“%(c)s”为必填项。") % {"c": column}]
        code = str(row.get("社区代码") or "").strip()
        if (
            "community" not in errors
            and not self._communities.filter(code=code).exists()
        ):
            errors["community"] = [
                _("社区代码“%(code)s”不存在或不在您的管理范围内。") % {"code": code}
            ]
        year = str(row.get("年度") or "").strip()
        if "year" not in errors and not re.fullmatch(r"(19|20|21)\d\d(\.0+)?", year):
            errors["year"] = [_("“%(value)s”不是有效的年度。") % {"value": year}]
        for name in MONEY_FIELDS:
            value = row.get(self.fields[name].column_name)
            if name not in errors and _money(value) is None:
                errors[name] = [
                    _("“%(value)s”不是有效的金额（元，最多两位小数）。")
                    % {"value": value}
                ]
        rows = self._rows.get((code, year), [])
        if len(rows) > 1:
            errors.setdefault("community", []).append(
                _(
                    "社区 %(c)s 的 %(y)s 年度在文件中出现了 %(n)s 次（第 %(rows)s 行），只能保留一行。"
                )
                % {
                    "c": code,
                    "y": year,
                    "n": len(rows),
                    "rows": _("、").join(str(r) for r in rows),
                }
            )
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance: FundYear, is_create: bool) -> None:
        saved = services.fund_year_set(
            actor=self.user,
            community=instance.community,
            year=instance.year,
            allocation=decimal_of(instance.allocation),
            city_share=decimal_of(instance.city_share),
            district_share=decimal_of(instance.district_share),
            street_share=decimal_of(instance.street_share),
        )
        instance.pk = saved.pk


class ExpenseClassResource(SafeExportMixin, resources.ModelResource):
    """The economic classifications, by code: staff keep the list in a sheet.

    A changed rule is best a new row with a later ``effective_on`` and the old
    row given an ``ends_on``, so expenses already recorded keep theirs.
    """

    code = fields.Field(attribute="code", column_name="代码")
    name = fields.Field(attribute="name", column_name="名称")
    is_allowed = fields.Field(
        attribute="is_allowed",
        column_name="允许使用",
        widget=widgets.BooleanWidget(),
    )
    rule = fields.Field(attribute="rule", column_name="依据的规定")
    effective_on = fields.Field(
        attribute="effective_on",
        column_name="生效日期",
        widget=widgets.DateWidget(format="%Y-%m-%d"),
    )
    ends_on = fields.Field(
        attribute="ends_on",
        column_name="停用日期",
        widget=widgets.DateWidget(format="%Y-%m-%d"),
    )
    sort_order = fields.Field(
        attribute="sort_order", column_name="排序", widget=widgets.IntegerWidget()
    )

    class Meta:
        model = ExpenseClass
        fields = (
            "code",
            "name",
            "is_allowed",
            "rule",
            "effective_on",
            "ends_on",
            "sort_order",
        )
        export_order = fields
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True
