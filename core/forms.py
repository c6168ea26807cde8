from django import forms
from django.utils.translation import gettext_lazy as _

from core.imports import MAX_IMPORT_BYTES
from core.models import Post, Worker


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = uploaded.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError(_("只支持 .xlsx 或 .csv 文件。"))
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件过大：不能超过 5 MB。"))
        return uploaded


class ParentSelect(forms.Select):
    """Options that name their parent's value (``data-parent``), so that
    core/static/core/scope.js offers only the chosen district's streets."""

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parents = parents or {}

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        if value in self.parents:
            option["attrs"]["data-parent"] = self.parents[value]
        return option


class WorkerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或身份证后几位"), required=False)
    district = forms.ChoiceField(label=_("区"), required=False)
    street = forms.ChoiceField(label=_("街道"), required=False)
    community = forms.ChoiceField(label=_("社区"), required=False)
    post = forms.ChoiceField(label=_("岗位"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *list(Worker.Status.choices)],
    )

    def __init__(self, *args, districts=(), streets=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["district"].choices = everything + [
            (d.code, d.name) for d in districts
        ]
        streets, communities = list(streets), list(communities)
        self.fields["street"].widget = ParentSelect(
            parents={s.code: s.district.code for s in streets},
            attrs={"data-parent-field": "id_district"},
        )
        self.fields["street"].choices = everything + [(s.code, s.name) for s in streets]
        self.fields["community"].widget = ParentSelect(
            parents={c.code: c.street.code for c in communities},
            attrs={"data-parent-field": "id_street"},
        )
        self.fields["community"].choices = everything + [
            (c.code, c.name) for c in communities
        ]
        self.fields["post"].choices = everything + [
            (p.code, p.label) for p in Post.objects.all()
        ]
