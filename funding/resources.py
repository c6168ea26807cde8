"""Allocation import: one row per community and year, all or nothing."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.imports import CodeWidget
from core.models import Community
from core.selectors import community_list_visible_to
from funding import services
from funding.models import FundYear

HEADERS = ("社区代码", "年度", "年度拨款", "市级承担", "区级承担", "街道承担")


class AllocationResource(resources.ModelResource):
    """Sets each community's allocation through ``services.fund_year_set``,
    so the 200,000 floor, the sources and the scope are checked per row."""

    community = fields.Field(attribute="community", column_name="社区代码")
    year = fields.Field(
        attribute="year", column_name="年度", widget=widgets.IntegerWidget()
    )
    allocation = fields.Field(
        attribute="allocation", column_name="年度拨款", widget=widgets.DecimalWidget()
    )
    city_share = fields.Field(
        attribute="city_share", column_name="市级承担", widget=widgets.DecimalWidget()
    )
    district_share = fields.Field(
        attribute="district_share",
        column_name="区级承担",
        widget=widgets.DecimalWidget(),
    )
    street_share = fields.Field(
        attribute="street_share",
        column_name="街道承担",
        widget=widgets.DecimalWidget(),
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
        self.fields["community"].widget = CodeWidget(Community, queryset=visible)
        self._seen: Counter[tuple[str, str]] = Counter()

    def get_import_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        return [self.fields[name] for name in self.Meta.fields]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        headers = dataset.headers or []
        if "社区代码" in headers and "年度" in headers:
            self._seen = Counter(
                (str(c).strip(), str(y).strip())
                for c, y in zip(dataset["社区代码"], dataset["年度"], strict=True)
            )

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for column in self.required_columns:
            if str(row.get(column) or "").strip() == "":
                raise ValidationError({column: _("“%(c)s”为必填项。") % {"c": column}})
        key = (str(row.get("社区代码")).strip(), str(row.get("年度")).strip())
        if self._seen[key] > 1:
            raise ValidationError(
                {
                    "community": _("社区 %(c)s 的 %(y)s 年度在文件中重复出现。")
                    % {"c": key[0], "y": key[1]}
                }
            )

    def do_instance_save(self, instance: FundYear, is_create: bool) -> None:
        saved = services.fund_year_set(
            actor=self.user,
            community=instance.community,
            year=instance.year,
            allocation=instance.allocation,
            city_share=instance.city_share,
            district_share=instance.district_share,
            street_share=instance.street_share,
        )
        instance.pk = saved.pk
