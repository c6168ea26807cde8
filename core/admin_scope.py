"""Scope for the Django admin: the same selectors as the app, and 403 outside."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from core.selectors import choices_visible_to, scope_filter


class ScopedChoicesMixin:
    """Foreign keys to places and workers offer (and accept) only the rows of
    the user's scope, in every admin form and inline: a district officer
    cannot move a community to another district's street."""

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any):
        visible = choices_visible_to(db_field.remote_field.model, user=request.user)
        if visible is not None:
            kwargs["queryset"] = visible
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any):
        visible = choices_visible_to(db_field.remote_field.model, user=request.user)
        if visible is not None:
            kwargs["queryset"] = visible
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdminMixin(ScopedChoicesMixin):
    """Limit an admin to the rows of the user's scope.

    ``community_path`` is the lookup from the model to its Community. An object
    outside the scope answers 403, so its existence is not hidden behind a
    misleading "deleted" message and never shown.
    """

    community_path = "community"

    def get_queryset(self, request: Any) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return scope_filter(queryset, request.user, self.community_path)

    def _check_object_in_scope(self, request: Any, object_id: Any) -> None:
        if object_id is None:
            return
        model = self.model  # type: ignore[attr-defined]
        if not model.objects.filter(pk=object_id).exists():
            return
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise PermissionDenied

    def change_view(
        self,
        request: Any,
        object_id: Any,
        form_url: str = "",
        extra_context: Any = None,
    ) -> Any:
        self._check_object_in_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def history_view(
        self, request: Any, object_id: Any, extra_context: Any = None
    ) -> Any:
        self._check_object_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def delete_view(
        self, request: Any, object_id: Any, extra_context: Any = None
    ) -> Any:
        self._check_object_in_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
