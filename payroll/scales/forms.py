"""Forms of pay scales."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScaleCopyForm(forms.Form):
    code = forms.CharField(label=_("新版本号"), max_length=20)
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET)
    name = forms.CharField(label=_("名称"), max_length=100, required=False)
