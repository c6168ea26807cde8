from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choice_field, model_choice_field
from payroll.models import DeductionStandard

SHARES = [
    ("1", _("100%（本人全额扣除）")),
    ("0.5", _("50%（与配偶或兄弟姐妹平均分摊）")),
]


def standard_label(standard: DeductionStandard) -> str:
    return str(_("%(label)s · %(amount)s 元/月")) % {
        "label": standard.display_label,
        "amount": f"{standard.monthly_amount:,.2f}",
    }


class StandardChoiceField(forms.ModelChoiceField):  # not subscriptable at run time
    def label_from_instance(self, obj: DeductionStandard) -> str:
        return standard_label(obj)


class DeductionClaimForm(forms.Form):
    """A worker's declaration of one item for a year."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    standard = StandardChoiceField(
        label=_("扣除项目"), queryset=DeductionStandard.objects.none()
    )
    children = forms.IntegerField(
        label=_("子女人数"),
        min_value=1,
        max_value=9,
        initial=1,
        help_text=_("仅子女教育、婴幼儿照护填写。"),
    )
    share = forms.TypedChoiceField(
        label=_("本人扣除比例"), choices=SHARES, coerce=Decimal, initial="1"
    )
    name = forms.CharField(label=_("子女 / 老人姓名"), required=False, max_length=50)
    id_tail = forms.CharField(label=_("证件号后四位"), required=False, max_length=4)
    school = forms.CharField(
        label=_("就读学校 / 教育机构"), required=False, max_length=100
    )
    address = forms.CharField(label=_("住房地址"), required=False, max_length=100)
    contract = forms.CharField(
        label=_("贷款或租赁合同编号"), required=False, max_length=50
    )
    note = forms.CharField(label=_("其他说明"), required=False, max_length=200)

    DETAIL_FIELDS = ("name", "id_tail", "school", "address", "contract", "note")

    def __init__(
        self,
        *args: Any,
        years: Iterable[int] = (),
        standards: Iterable[DeductionStandard] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "year").choices = [(y, str(y)) for y in years]
        model_choice_field(
            self, "standard", DeductionStandard
        ).queryset = DeductionStandard.objects.filter(
            pk__in=[s.pk for s in standards]
        ).order_by("category", "variant")

    def details(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in self.DETAIL_FIELDS}


class DeductionReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=300)
