"""Model fields that read the application's clock (core.clock)."""

from __future__ import annotations

from typing import Any

from django.db import models

from core import clock


class ClockDateTimeField(models.DateTimeField):
    """``auto_now`` / ``auto_now_add`` stamped with ``clock.now()``.

    Corrections compare these stamps with the time a cycle was locked (also
    ``clock.now()``), so both must come from the same clock when the city
    simulation runs past the real today. Deconstructs as a plain
    DateTimeField: the column is the same, so no migration follows.
    """

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
