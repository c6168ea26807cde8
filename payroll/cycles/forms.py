"""The form that starts a payroll cycle."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.models import District


class CycleStartForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("月"), min_value=1, max_value=12)
    district = forms.ModelChoiceField(
        label=gettext_lazy("范围"),
        queryset=District.objects.none(),
        required=False,
        empty_label=gettext_lazy("全市"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = District.objects.all()
        if user.district_id:
            districts = districts.filter(pk=user.district_id)
            self.fields["district"].required = True
            self.fields["district"].empty_label = None
        self.fields["district"].queryset = districts
