"""The form that starts a payroll cycle."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import model_choice_field
from core.models import District, User
from core.selectors import district_list_acted_for


class CycleStartForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("月"), min_value=1, max_value=12)
    district: forms.ModelChoiceField[District] = forms.ModelChoiceField(
        label=gettext_lazy("范围"),
        queryset=District.objects.none(),
        required=False,
        empty_label=gettext_lazy("全市"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = district_list_acted_for(user=user)
        field = model_choice_field(self, "district", District)
        if user.district_id:
            field.required = True
            field.empty_label = None
        field.queryset = districts
