"""Forms of the fund: parse and validate input; services do the writing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import (
    CommunityField,
    ScopeChooserForm,
    choice_field,
    model_choice_field,
)
from core.money import amount_form_field
from funding.models import Category, CouncilMeeting, ExpenseClass, FundYear
from funding.selectors import category_list, expense_class_list

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


POSITIVE = Decimal("0.01")
DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CategoryChoiceField(forms.ModelChoiceField):  # not subscriptable at run time
    def label_from_instance(self, obj: Category) -> str:
        # Shipped category names are in the catalogue (funding/reference.py).
        return gettext(obj.name)


class ExpenseClassChoiceField(forms.ModelChoiceField):  # not subscriptable at run time
    def label_from_instance(self, obj: ExpenseClass) -> str:
        if obj.is_allowed:
            return gettext(obj.name)
        return gettext("%(name)s（不得使用专项资金）") % {"name": gettext(obj.name)}


class FundYearForm(forms.Form):
    community = CommunityField(label=_("社区"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    allocation = amount_form_field(_("年度拨款（元）"))
    city_share = amount_form_field(_("市级承担（元）"))
    district_share = amount_form_field(_("区级承担（元）"))
    street_share = amount_form_field(_("街道承担（元）"))

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CommunityField, self.fields["community"]).queryset = communities


class FundYearFilterForm(ScopeChooserForm):
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int)
    q = forms.CharField(label=_("社区名称或代码"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False)
    field_order = ["year", "q", "district", "street", "community", "status"]

    def __init__(self, *args: Any, years: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything: list[tuple[str, StrOrPromise]] = [("", _("全部"))]
        choice_field(self, "year").choices = everything + [(y, str(y)) for y in years]
        choice_field(self, "status").choices = everything + list(
            FundYear.Status.choices
        )


class ProjectForm(forms.Form):
    category = CategoryChoiceField(label=_("类别"), queryset=None)
    title = forms.CharField(label=_("项目名称"), max_length=100)
    purpose = forms.CharField(
        label=_("用途与内容"), widget=forms.Textarea(attrs={"rows": 4})
    )
    beneficiaries = forms.CharField(label=_("受益对象"), max_length=200)
    expected_beneficiaries = forms.IntegerField(label=_("预计受益人数"), min_value=0)
    estimated_cost = amount_form_field(_("预算金额（元）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "category", Category).queryset = category_list()


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    attendance = forms.IntegerField(label=_("出席人数"), min_value=1)
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4})
    )
    result = forms.ChoiceField(label=_("结果"), choices=CouncilMeeting.Result.choices)
    # Declared fields leave the class at creation, so this name does not
    # shadow the form's own `files` at run time; the stubs cannot see that.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("附件（签到表、照片等，PDF/JPG/PNG）"), required=False
    )


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE)
    content = forms.CharField(
        label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("冲销理由"), max_length=200)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=forms.Textarea(attrs={"rows": 2}))


class ExpenseForm(forms.Form):
    payee = forms.CharField(label=_("收款方"), max_length=100)
    payee_is_person = forms.BooleanField(
        label=_("收款方为个人（公开页面不显示姓名）"), required=False
    )
    paid_on = forms.DateField(label=_("支付日期"), widget=DATE)
    amount = amount_form_field(_("金额（元）"), minimum=POSITIVE)
    description = forms.CharField(label=_("支出内容"), max_length=200)
    classification = ExpenseClassChoiceField(label=_("经济分类"), queryset=None)
    # Declared fields leave the class (see MeetingForm).
    files = MultipleFileField(label=_("票据（PDF/JPG/PNG）"))  # type: ignore[assignment]

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Forbidden ones stay in the list, marked, so that choosing one is
        # refused with its rule rather than silently missing.
        model_choice_field(
            self, "classification", ExpenseClass
        ).queryset = expense_class_list(today)


class BudgetChangeForm(forms.Form):
    new_amount = amount_form_field(_("新批准金额（元）"), minimum=POSITIVE)
    reason = forms.CharField(
        label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3})
    )
    held_on = forms.DateField(label=_("议事会日期"), widget=DATE)
    attendance = forms.IntegerField(label=_("出席人数"), min_value=1)
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 3})
    )
    result = forms.ChoiceField(label=_("结果"), choices=CouncilMeeting.Result.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse")],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CarryForwardForm(forms.Form):
    reason = forms.CharField(label=_("结转理由"), max_length=200)


class ReportFilterForm(ScopeChooserForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)
    field_order = ["year", "district", "street", "community"]

    def __init__(self, *args: Any, years: Iterable[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "year").choices = [(y, y) for y in years]
