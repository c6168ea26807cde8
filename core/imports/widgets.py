"""The widgets that read and write the cells of import and export files:
amounts, local dates, rows by code, choices by their Chinese labels.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from djmoney.money import Money
from import_export import widgets

from core.money import CNY, decimal_of


class MoneyAmountWidget(widgets.DecimalWidget):
    """A typed amount (a CNY ``MoneyField``) as a plain number in a sheet:
    reads a Decimal and sets it as CNY; writes the Decimal, never "¥"."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Money | None:
        amount = super().clean(value, row, **kwargs)
        return None if amount is None else Money(amount, CNY)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, Money):
            value = decimal_of(value)
        return super().render(value, obj, **kwargs)


class LocalDateWidget(widgets.Widget):
    """A date from 2024-03-01, 2024/3/1, 2024.3.1 or an Excel date cell."""

    FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007
            except ValueError:
                continue
        raise ValueError(
            _("日期“%(value)s”格式错误，应为 YYYY-MM-DD。") % {"value": text}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if value else ""


class CodeWidget(widgets.ForeignKeyWidget):
    """A foreign key by code, limited to a queryset, with a clear message."""

    def __init__(self, model: Any, queryset: Any = None, label: str = "") -> None:
        super().__init__(model, field="code")
        self._queryset = queryset
        self.label = label
        self._by_code: dict[str, Any] | None = None

    def prefetch(self) -> None:
        """Read every allowed code once, so that rows are checked without a
        query each (the bulk roster import)."""
        self._by_code = {
            str(obj.code): obj for obj in self.get_queryset(None, None).all()
        }

    def cached(self) -> list[Any]:
        return list((self._by_code or {}).values())

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return (
            self._queryset if self._queryset is not None else self.model.objects.all()
        )

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return None
        code = str(value).strip()
        if self._by_code is not None:
            if code in self._by_code:
                return self._by_code[code]
            raise ValueError(
                _("代码“%(code)s”不存在或不在您的范围内。") % {"code": code}
            )
        try:
            return self.get_queryset(value, row).get(code=code)
        except self.model.DoesNotExist:
            raise ValueError(
                _("代码“%(code)s”不存在或不在您的范围内。") % {"code": code}
            ) from None


FILE_LANGUAGE = "zh-hans"  # import/export files use Chinese headers and labels


def choice_maps(choices: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Map a file's text (Chinese label, English label or code) to a choice value,
    and each value to its Chinese label, whatever the user's language is."""
    with translation.override(FILE_LANGUAGE):
        file_labels = {value: str(label) for value, label in choices}
    with translation.override("en"):
        by_text = {str(label): value for value, label in choices}
    by_text.update({label: value for value, label in file_labels.items()})
    by_text.update({value: value for value in file_labels})
    return by_text, file_labels


class LabelChoiceWidget(widgets.Widget):
    """A choice written as its Chinese label (or its code); exported as the label."""

    def __init__(self, choices: Any) -> None:
        self.by_label, self.by_value = choice_maps(choices)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return ""
        text = str(value).strip()
        if text in self.by_label:
            return self.by_label[text]
        raise ValueError(
            _("“%(value)s”不是有效选项，可选：%(options)s")
            % {"value": text, "options": "、".join(self.by_value.values())}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return self.by_value.get(value, value or "")
