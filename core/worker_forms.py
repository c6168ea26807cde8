"""Forms for adding, editing and ending a worker's employment in the app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import clock
from core.forms import CHOOSER_MAX_COMMUNITIES, CommunityField, model_choice_field
from core.models import CertificateKind, Community, Position, Post, Worker
from core.services import LeaveReason


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PostChoiceField(forms.ModelChoiceField):  # not subscriptable at run time
    def label_from_instance(self, obj: Post) -> str:
        return obj.label


class WorkerForm(forms.ModelForm):
    positions = forms.MultipleChoiceField(
        label=_("职务"),
        choices=Position.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    certificate = forms.ChoiceField(
        label=_("最高社工证书"),
        choices=[("", _("无")), *CertificateKind.choices],
        required=False,
    )
    certificate_on = forms.DateField(
        label=_("取得证书日期"), required=False, widget=DateInput()
    )
    level_reason = forms.CharField(
        label=_("等级与定级规则不同的理由"),
        required=False,
        max_length=200,
        help_text=_("填写的等级与规则计算的不同时必填，随等级记录保存。"),
    )

    class Meta:
        model = Worker
        fields = (
            "full_name",
            "id_number",
            "community",
            "post",
            "level",
            "started_on",
            "education",
            "joined_on",
            "bank_name",
            "bank_account",
            "phone",
        )
        widgets = {"started_on": DateInput(), "joined_on": DateInput()}
        field_classes = {"post": PostChoiceField}
        help_texts = {
            "level": _("新增时可留空：按定级规则提出等级，预览后再保存。"),
            "started_on": _("参加社区工作的日期，用于计算工作年限。"),
        }

    def __init__(
        self, *args: Any, communities: Any, show_bank_account: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "community", Community).queryset = communities
        if communities[: CHOOSER_MAX_COMMUNITIES + 1].count() > CHOOSER_MAX_COMMUNITIES:
            # A district's or the city's communities: typed by code or name,
            # not one drop-down of hundreds (the city's was 30 KB a form).
            label = self.fields["community"].label
            self.fields["community"] = CommunityField(label=label, queryset=communities)
            if self.instance.community_id:
                self.initial["community"] = self.instance.community.code
        self.fields["level"].required = False
        if self.instance.pk:
            self.fields["positions"].initial = list(
                self.instance.positions.filter(ended_on__isnull=True).values_list(
                    "position", flat=True
                )
            )
            self.fields.pop("certificate")
            self.fields.pop("certificate_on")
            if not show_bank_account:
                # Roles that may not read accounts may not overwrite them blind.
                self.fields.pop("bank_account")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("certificate") and not data.get("certificate_on"):
            self.add_error("certificate_on", _("请填写取得证书的日期。"))
        return data

    def _post_clean(self) -> None:
        # A blank level on a new worker is provisional (the post's lowest)
        # until the placement rule proposes one.
        if self.instance.pk is None and not self.cleaned_data.get("level"):
            post = self.cleaned_data.get("post")
            if post is not None:
                self.cleaned_data["level"] = post.lowest_level
        super()._post_clean()  # type: ignore[misc]  # Django's, not in the stubs


class WorkerLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离职日期"), widget=DateInput())
    reason = forms.ChoiceField(label=_("离职原因"), choices=LeaveReason.CHOICES)
    note = forms.CharField(label=_("说明"), required=False, max_length=150)

    def __init__(self, *args: Any, worker: Worker, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker = worker

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on > clock.today():
            raise forms.ValidationError(_("离职日期不能晚于今天。"))
        if left_on < self.worker.joined_on:
            raise forms.ValidationError(_("离职日期早于入职日期。"))
        return left_on
