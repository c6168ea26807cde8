"""Forms of ratings: one grade, one star rating, a community's grades for a year."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.forms import model_choice_field
from core.models import Community, Worker
from ratings.models import Grade

# A record form's drop-down never lists more people than this: above it, the
# community is chosen first (core.forms.ScopeChooserForm), so a district's
# or the city's form does not carry thousands of options.
CHOOSER_MAX_WORKERS = 60


def offer_only(field: forms.Field, offered: Any) -> None:
    """Render only ``offered`` as the drop-down's options; ``offered`` is None
    for all of them. The field still validates against its whole queryset
    (the user's scope), so a narrowed list refuses nobody in scope."""
    if offered is None:
        return
    assert isinstance(field, forms.ModelChoiceField)
    field.widget.choices = [
        ("", field.empty_label or ""),
        *((item.pk, str(item)) for item in offered),
    ]


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

    def __init__(
        self, *args: Any, workers: Any, offered_workers: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker", Worker).queryset = workers
        offer_only(self.fields["worker"], offered_workers)
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

    def __init__(
        self,
        *args: Any,
        workers: Any,
        communities: Any,
        offered_workers: Any = None,
        offered_communities: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "worker", Worker).queryset = workers
        model_choice_field(self, "community", Community).queryset = communities
        offer_only(self.fields["worker"], offered_workers)
        offer_only(self.fields["community"], offered_communities)

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

    def __init__(
        self,
        *args: Any,
        communities: Any,
        offered_communities: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "community", Community).queryset = communities
        offer_only(self.fields["community"], offered_communities)
        self.fields["year"].initial = clock.today().year - 1


def narrowed(
    queryset: Any, *, limit: int, community: str, keep: list[str], path: str
) -> Any:
    """What a record form's drop-down offers from ``queryset``: None (all of
    it) when it holds at most ``limit`` rows; else the rows of the chosen
    ``community`` (a code, reached through ``path``) and those in ``keep``
    (pks already chosen: the initial or the posted one)."""
    if queryset[: limit + 1].count() <= limit:
        return None
    keep_pks = [int(pk) for pk in keep if str(pk).isdigit()]
    chosen = queryset.filter(pk__in=keep_pks)
    if community:
        chosen = chosen | queryset.filter(**{path: community})
    return chosen.distinct()[:limit]
