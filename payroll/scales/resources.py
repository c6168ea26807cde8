"""xlsx import and export of a scale version's tables (django-import-export).

Each table has a resource keyed by (version, key). Imports go through
core.imports.import_dataset: all rows or none. A used version refuses rows.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LabelChoiceWidget
from payroll.models import SCALE_TABLES, SCALE_VERSION_USED, ScaleTable, ScaleVersion
from payroll.scales import services

TEXT = widgets.CharWidget(allow_blank=True)  # empty cell -> ""


class ScaleRowResource(SafeExportMixin, resources.ModelResource):
    version = fields.Field(
        attribute="version", column_name="版本", widget=CodeWidget(ScaleVersion)
    )
    source_note = fields.Field(attribute="source_note", column_name="依据", widget=TEXT)

    def __init__(self, *, version: ScaleVersion | None = None) -> None:
        super().__init__()
        self.scale_version = version

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return [str(self.fields[name].column_name) for name in self._meta.fields]

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        return [self.fields[name] for name in self._meta.fields]

    def get_import_fields(self) -> list[fields.Field]:
        return [self.fields[name] for name in self._meta.fields]

    def get_queryset(self) -> Any:
        queryset = self._meta.model.objects.select_related("version")
        if self.scale_version is not None:
            queryset = queryset.filter(version=self.scale_version)
        return queryset

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        if self.scale_version is not None:
            row["版本"] = self.scale_version.code
        code = str(row.get("版本") or "").strip()
        if ScaleVersion.objects.filter(code=code, used_at__isnull=False).exists():
            raise ValidationError(SCALE_VERSION_USED)

    def do_instance_save(self, instance: Any, is_create: bool) -> None:
        services.scale_row_save(row=instance)


def _widget(model: type[models.Model], name: str) -> widgets.Widget:
    """The cell widget of a model field: codes for a foreign key (a post),
    labels for choices, numbers for numbers."""
    field = model._meta.get_field(name)
    if field.is_relation:
        return CodeWidget(field.related_model)
    if isinstance(field, models.Field) and field.choices:
        return LabelChoiceWidget(field.choices)
    if isinstance(field, models.DecimalField):
        return widgets.DecimalWidget()
    return widgets.IntegerWidget()


def _resource_class(table: ScaleTable) -> type[ScaleRowResource]:
    """The import/export resource of one declared scale table."""
    attrs: dict[str, Any] = {
        name: fields.Field(
            attribute=name, column_name=header, widget=_widget(table.model, name)
        )
        for name, header in table.columns
    }
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": table.model,
            "fields": ("version", *(name for name, _h in table.columns), "source_note"),
            "import_id_fields": table.id_fields,
            "clean_model_instances": True,
            "skip_unchanged": True,
            "report_skipped": True,
            "use_transactions": True,
        },
    )
    name = f"{table.model.__name__}Resource"
    # Made by the resources' own metaclass, which collects the fields.
    metaclass: type = type(ScaleRowResource)
    return cast("type[ScaleRowResource]", metaclass(name, (ScaleRowResource,), attrs))


# table key -> (resource, sheet title)
TABLES: dict[str, tuple[type[ScaleRowResource], Any]] = {
    table.key: (_resource_class(table), table.title) for table in SCALE_TABLES
}


def scale_workbook(version: ScaleVersion) -> Any:
    """Every table of ``version`` as one sheet each (the import's layout)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from core.exports import append_row

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for resource_class, title in TABLES.values():
        resource = resource_class(version=version)
        dataset = resource.export()
        sheet = workbook.create_sheet(str(title)[:31])
        append_row(sheet, list(dataset.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in dataset:
            append_row(sheet, list(row))
    return workbook


def table_label(key: str) -> str:
    return str(TABLES[key][1])
