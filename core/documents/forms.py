from django import forms
from django.utils.translation import gettext_lazy as _

from core.documents.models import DocumentKind, DownloadLog
from core.forms import choice_field

MAX_VERIFY_BYTES = 50 * 1024 * 1024


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("编号、验证码或标题"), required=False)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    period = forms.RegexField(
        label=_("年月（如 2026-03）"),
        regex=r"^\d{4}(-\d{1,2})?$",
        required=False,
    )
    district = forms.ChoiceField(label=_("区"), required=False)
    street = forms.ChoiceField(label=_("街道"), required=False)
    community = forms.ChoiceField(label=_("社区"), required=False)
    worker = forms.CharField(label=_("社区工作者"), required=False)

    def __init__(self, *args, districts=(), streets=(), communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        choice_field(self, "kind").choices = everything + list(DocumentKind.choices)
        choice_field(self, "district").choices = everything + [
            (d.code, d.name) for d in districts
        ]
        choice_field(self, "street").choices = everything + [
            (s.code, s.name) for s in streets
        ]
        choice_field(self, "community").choices = everything + [
            (c.code, c.name) for c in communities
        ]


class DownloadLogFilterForm(forms.Form):
    user = forms.CharField(label=_("用户"), required=False)
    format = forms.ChoiceField(
        label=_("格式"),
        required=False,
        choices=[("", _("全部")), *DownloadLog.Format.choices],
    )
    start = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    what = forms.CharField(label=_("内容或文件名"), required=False)


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("待核验的 PDF 文件"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("文件过大：不能超过 50 MB。"))
        return uploaded
