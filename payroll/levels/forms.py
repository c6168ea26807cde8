"""Forms of placement (DOMAIN A2) and post changes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from payroll.scales.forms import DATE_WIDGET


class PlacementForm(forms.Form):
    on = forms.DateField(label=_("定级日期"), widget=DATE_WIDGET)
    override_level = forms.IntegerField(
        label=_("人工确定等级（留空则按规则）"), required=False, min_value=1
    )
    override_reason = forms.CharField(
        label=_("人工确定的书面理由"), required=False, widget=forms.Textarea
    )


class PostChangeForm(forms.Form):
    post = forms.ModelChoiceField(label=_("新岗位"), queryset=None)
    on = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, **kwargs):
        from core.models import Post

        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.all()
