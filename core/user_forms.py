"""Forms of the administrators' user pages: a scope that always nests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choice_field, model_choice_field
from core.models import Community, District, Street, User


class ScopeSelect(forms.Select):
    """A select whose options name their parent (``data-parent``), so the
    page's script (core/static/core/scope.js) offers only the streets of the
    chosen district and the communities of the chosen street."""

    def __init__(self, *args: Any, parent_field: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent_field = parent_field

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
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-parent"] = getattr(instance, self.parent_field)
        return option


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "username",
            "first_name",
            "email",
            "role",
            "district",
            "street",
            "community",
            "is_active",
        )
        labels = {"first_name": _("姓名"), "is_active": _("启用")}
        help_texts = {
            "username": _("登录名：字母、数字和 @/./+/-/_。"),
            "is_active": _("停用的用户不能登录，记录保留。"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        district = model_choice_field(self, "district", District)
        district.queryset = District.objects.order_by("code")
        # The widget first: setting the queryset hands the widget its choices.
        street = model_choice_field(self, "street", Street)
        street.widget = ScopeSelect(
            parent_field="district_id",
            attrs={"data-scope": "street", "data-parent-field": "id_district"},
        )
        street.queryset = Street.objects.select_related("district").order_by(
            "district__code", "code"
        )
        community = model_choice_field(self, "community", Community)
        community.widget = ScopeSelect(
            parent_field="street_id",
            attrs={"data-scope": "community", "data-parent-field": "id_street"},
        )
        community.queryset = Community.objects.select_related("street").order_by(
            "street__code", "code"
        )
        district.widget.attrs["data-scope"] = "district"

    def clean(self) -> dict[str, Any]:
        """Fill the levels above the chosen one, so that district, street and
        community always agree; a contradiction is refused by User.clean."""
        super().clean()
        data = self.cleaned_data
        community, street = data.get("community"), data.get("street")
        if community is not None and street is None:
            data["street"] = street = community.street
        if street is not None and data.get("district") is None:
            data["district"] = street.district
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或登录名"), required=False)
    role = forms.ChoiceField(label=_("角色"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from core.models import Role

        choice_field(self, "role").choices = [("", _("全部")), *Role.choices]
