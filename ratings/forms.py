"""Forms of ratings: one grade, one star rating, a community's grades for a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.forms import model_choice_field
from core.models import Community, Worker
from ratings.models import Grade


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class GradeForm(forms.Form):
    worker: forms.ModelChoiceField[Worker] = forms.ModelChoiceField(
        label=_("人员"), queryset=None
    )
    year = forms.IntegerField(label=_("考核年度"), min_value=1990, max_value=2100)
    grade = forms.ChoiceField(label=_("考核结果"), choices=Grade.choices)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, workers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker", Worker).queryset = workers
        self.fields["year"].initial = clock.today().year - 1


class StarForm(forms.Form):
    worker: forms.ModelChoiceField[Worker] = forms.ModelChoiceField(
        label=_("人员"), queryset=None, required=False
    )
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=_("或社区"), queryset=None, required=False
    )
    stars = forms.IntegerField(label=_("星级"), min_value=1, max_value=5)
    rated_on = forms.DateField(label=_("评定日期"), widget=DateInput())
    score = forms.DecimalField(
        label=_("得分"), required=False, max_digits=7, decimal_places=2
    )
    assessor = forms.CharField(label=_("评定单位"), required=False, max_length=100)
    evidence = forms.CharField(
        label=_("依据材料"), required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, workers: Any, communities: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker", Worker).queryset = workers
        model_choice_field(self, "community", Community).queryset = communities

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("worker")) == bool(data.get("community")):
            raise forms.ValidationError(_("请选择一名人员或一个社区（只选一个）。"))
        return data


class GradeGridChoice(forms.Form):
    community: forms.ModelChoiceField[Community] = forms.ModelChoiceField(
        label=_("社区"), queryset=None
    )
    year = forms.IntegerField(label=_("考核年度"), min_value=1990, max_value=2100)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "community", Community).queryset = communities
        self.fields["year"].initial = clock.today().year - 1
