"""Forms of placement (DOMAIN A2) and post changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import model_choice_field
from payroll.scales.forms import DATE_WIDGET

if TYPE_CHECKING:
    from core.models import Post


class PlacementForm(forms.Form):
    on = forms.DateField(label=_("定级日期"), widget=DATE_WIDGET)
    override_level = forms.IntegerField(
        label=_("人工确定等级（留空则按规则）"), required=False, min_value=1
    )
    override_reason = forms.CharField(
        label=_("人工确定的书面理由"), required=False, widget=forms.Textarea
    )


class PostChangeForm(forms.Form):
    post: forms.ModelChoiceField[Post] = forms.ModelChoiceField(
        label=_("新岗位"), queryset=None
    )
    on = forms.DateField(label=_("生效日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from core.models import Post

        super().__init__(*args, **kwargs)
        model_choice_field(self, "post", Post).queryset = Post.objects.all()
