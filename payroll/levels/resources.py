"""Level history imported from an earlier system (reason "import"), all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.export_safety import SafeExportMixin
from core.imports import CodeWidget, LocalDateWidget
from core.late_changes import LateChanges
from core.models import Post, Worker
from core.selectors import worker_list_visible_to
from payroll.levels import services
from payroll.models import (
    LevelChange,
)
from payroll.scales.resources import TEXT


class LevelChangeResource(SafeExportMixin, resources.ModelResource):
    """Level history from an earlier system: one row per worker and date."""

    worker = fields.Field(attribute="worker", column_name="身份证号")
    full_name = fields.Field(
        attribute="worker__full_name", column_name="姓名", readonly=True
    )
    effective_on = fields.Field(
        attribute="effective_on", column_name="生效日期", widget=LocalDateWidget()
    )
    new_level = fields.Field(
        attribute="new_level", column_name="等级", widget=widgets.IntegerWidget()
    )
    post = fields.Field(
        attribute="post", column_name="岗位代码", widget=CodeWidget(Post)
    )
    note = fields.Field(attribute="note", column_name="说明", widget=TEXT)

    required_columns = ("身份证号", "生效日期", "等级")

    class Meta:
        model = LevelChange
        fields = ("worker", "full_name", "effective_on", "new_level", "post", "note")
        export_order = fields
        import_id_fields = ("worker", "effective_on")
        clean_model_instances = False  # the service validates, with the post
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, *, user: Any = None) -> None:
        from ratings.resources import WorkerByIdWidget

        super().__init__()
        self.user = user
        visible = (
            worker_list_visible_to(user=user) if user is not None else Worker.objects
        )
        self.fields["worker"].widget = WorkerByIdWidget(visible)
        self.late_changes = LateChanges()  # rows reaching locked months (A11)

    def get_queryset(self) -> Any:
        return LevelChange.objects.filter(
            reason=LevelChange.Reason.IMPORT
        ).select_related("worker", "post")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for column in self.required_columns:
            if str(row.get(column) or "").strip() == "":
                raise ValidationError({column: _("“%(c)s”为必填项。") % {"c": column}})

    def do_instance_save(self, instance: Any, is_create: bool) -> None:
        services.level_change_import(actor=self.user, change=instance)

    def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        self.late_changes.add(
            row=kwargs.get("row_number"),
            worker_id=instance.worker_id,
            since=instance.effective_on,
        )
