from __future__ import annotations

from typing import Any, TypeVar, cast

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.imports import MAX_IMPORT_BYTES
from core.models import Post, Worker

M = TypeVar("M", bound=models.Model)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A declared choice field of ``form``, typed as one (``fields`` holds Fields)."""
    return cast(forms.ChoiceField, form.fields[name])


def model_choice_field(
    form: forms.BaseForm, name: str, model: type[M]
) -> forms.ModelChoiceField[M]:
    """A declared model choice field of ``form``, typed for ``model``."""
    return cast("forms.ModelChoiceField[M]", form.fields[name])


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

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(
            name, value, label, selected, index, subindex=subindex, attrs=attrs
        )
        if value in self.parents:
            option["attrs"]["data-parent"] = self.parents[value]
        return option


# A drop-down never lists more communities than this: above it, the street
# must be chosen first (district -> street -> community).
CHOOSER_MAX_COMMUNITIES = 60


class CommunityField(forms.CharField):
    """One community among hundreds, typed by code or name instead of picked
    from a drop-down: resolved inside ``queryset`` (the user's scope), so an
    unknown or out-of-scope community is a form error."""

    default_error_messages = {
        "unknown": _("没有找到社区“%(value)s”：请填写您管理范围内社区的代码或名称。"),
        "ambiguous": _("有多个社区名为“%(value)s”：请填写社区代码。"),
    }

    def __init__(self, *args: Any, queryset: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("填写社区代码或完整名称。"))
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        text = text.strip()
        matches = list(self.queryset.filter(code=text)[:1]) or list(
            self.queryset.filter(name=text)[:2]
        )
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"value": text},
            )
        return matches[0]


class ScopeChooserForm(forms.Form):
    """District -> street -> community filters, each limited by the one above.

    The choices come from the user's scope; a community list longer than
    ``CHOOSER_MAX_COMMUNITIES`` is offered only once a street narrows it, so a
    city-wide page never carries a 620-option drop-down.
    """

    district = forms.ChoiceField(label=_("区"), required=False)
    street = forms.ChoiceField(label=_("街道"), required=False)
    community = forms.ChoiceField(label=_("社区"), required=False)

    def __init__(self, *args, districts=(), streets=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        data = self.data if self.is_bound else {}
        district, street = data.get("district") or "", data.get("street") or ""
        choice_field(self, "district").choices = everything + [
            (d.code, d.name) for d in districts
        ]
        if district and hasattr(streets, "filter"):
            streets = streets.filter(district__code=district)
        choice_field(self, "street").choices = everything + [
            (s.code, s.name) for s in streets
        ]
        if hasattr(communities, "filter"):
            if street:
                communities = communities.filter(street__code=street)
            elif district:
                communities = communities.filter(street__district__code=district)
            communities = communities.select_related(None).only("code", "name")[
                : CHOOSER_MAX_COMMUNITIES + 1
            ]
        communities = list(communities)
        if len(communities) > CHOOSER_MAX_COMMUNITIES:
            choice_field(self, "community").choices = [("", _("先选择街道"))]
            self.fields["community"].disabled = True
        else:
            choice_field(self, "community").choices = everything + [
                (c.code, c.name) for c in communities
            ]


class WorkerFilterForm(ScopeChooserForm):
    q = forms.CharField(label=_("姓名或身份证后几位"), required=False)
    post = forms.ChoiceField(label=_("岗位"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *list(Worker.Status.choices)],
    )

    field_order = ["q", "district", "street", "community", "post", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        choice_field(self, "post").choices = everything + [
            (p.code, p.label) for p in Post.objects.all()
        ]


class CommunityFilterForm(ScopeChooserForm):
    q = forms.CharField(label=_("社区名称或代码"), required=False)
    meets = forms.ChoiceField(
        label=_("中心面积"),
        required=False,
        choices=[("", _("全部")), ("yes", _("达标")), ("no", _("未达标"))],
    )
    field_order = ["q", "district", "street", "meets"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["community"]


class WorkerLoginIssueForm(forms.Form):
    """Issue logins for a community's workers, or for every worker in scope."""

    community = CommunityField(label=_("社区"), required=False)
    everyone = forms.BooleanField(
        label=_("为我管理范围内所有尚无账号的社区工作者开通"), required=False
    )

    def __init__(self, *args: Any, communities: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CommunityField, self.fields["community"]).queryset = communities

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("community") and not data.get("everyone"):
            raise forms.ValidationError(_("请选择一个社区，或勾选为所有人开通。"))
        return data


class OwnPasswordChangeForm(PasswordChangeForm):
    """The password a login chooses for itself, never the one it was given."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError(_("新密码不能与原密码相同。"))
        return password
