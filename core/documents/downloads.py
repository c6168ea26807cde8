"""The one way a view hands a file to a user: the response and its log row.

Every PDF, spreadsheet, CSV or bank file goes through ``file_response``; a
test checks that no other module sets a Content-Disposition.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core import clock
from core.documents.models import DownloadLog

FORMATS = {
    ".pdf": DownloadLog.Format.PDF,
    ".xlsx": DownloadLog.Format.XLSX,
    ".csv": DownloadLog.Format.CSV,
    ".zip": DownloadLog.Format.ZIP,
}


def attachment(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition that keeps a Chinese file name in every browser."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(filename)}"


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind a trusted proxy, the first forwarded one."""
    if settings.DOCUMENTS_TRUST_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def user_scope_label(user: Any) -> str:
    for field in ("community", "street", "district"):
        place = getattr(user, field, None)
        if place is not None:
            return str(place)
    return _("全市")


def file_response(
    request: HttpRequest,
    *,
    content: bytes | Any,
    filename: str,
    content_type: str,
    what: str,
    scope: str = "",
    file_format: str = "",
    document: Any = None,
    batch: Any = None,
    inline: bool = False,
    size: int | None = None,
) -> HttpResponse:
    """Return ``content`` (bytes, or an open file to stream, ``size`` bytes
    long) as a download and record who took it. ``scope`` names the part of
    the city the file covers (the user's own scope when not given)."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
        size = len(content)
    else:
        size = size or getattr(content, "size", 0) or 0
        # Streamed: a FileResponse is no HttpResponse, but every caller only
        # returns it from a view. (Typing it HttpResponseBase would reach
        # every download view; left for later.)
        response = FileResponse(content, content_type=content_type)  # type: ignore[assignment]
    response["Content-Disposition"] = attachment(filename, inline=inline)
    suffix = PurePath(filename).suffix.lower()
    user = request.user if request.user.is_authenticated else None
    DownloadLog.objects.create(
        user=user,
        at=clock.now(),
        format=file_format or FORMATS.get(suffix, DownloadLog.Format.OTHER),
        what=str(what)[:200],
        filename=filename[:200],
        scope=(scope or (user_scope_label(user) if user else ""))[:200],
        path=request.get_full_path()[:300],
        client_address=client_address(request),
        size=size,
        document=document,
        batch=batch,
    )
    return response


if TYPE_CHECKING:
    from import_export.admin import ExportMixin as _ExportBase
else:
    _ExportBase = object


class LoggedExportMixin(_ExportBase):
    """For django-import-export admin classes (put it before their mixin):
    an admin export goes through ``file_response`` and is logged too."""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        data = self.get_export_data(
            file_format,
            request,
            queryset,
            encoding=self.to_encoding,
            export_form=export_form,
        )
        content = (
            data.encode(self.to_encoding or "utf-8") if isinstance(data, str) else data
        )
        return file_response(
            request,
            content=content,
            filename=self.get_export_filename(request, queryset, file_format),
            content_type=file_format.get_content_type(),
            what=str(self.model._meta.verbose_name_plural),
        )
