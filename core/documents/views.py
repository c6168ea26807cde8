"""Pages of the documents: the public verification page, the desk's document
list and bulk download, batch progress, and the download log."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports, extensions
from core.documents import batches
from core.documents.downloads import file_response
from core.documents.forms import (
    DocumentFilterForm,
    DownloadLogFilterForm,
    VerifyUploadForm,
)
from core.documents.models import DocumentBatch, DocumentKind, IssuedDocument
from core.documents.services import document_content
from core.selectors import (
    community_list_visible_to,
    district_list_visible_to,
    document_batch_list_visible_to,
    download_log_list_visible_to,
    issued_document_list_visible_to,
    issued_document_search,
    street_list_visible_to,
    user_reads_download_log,
)

# The desk zips at most this many stored documents on the spot; a larger
# selection is a background batch.
DESK_ZIP_LIMIT = 1000
PAGE_SIZE = 50


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what was issued under ``code``, and whether an uploaded file is it."""
    document = (
        IssuedDocument.objects.select_related("replaced_by")
        .filter(code=code.upper())
        .first()
    )
    result = None
    form = VerifyUploadForm()
    if document is not None and request.method == "POST":
        form = VerifyUploadForm(request.POST, request.FILES)
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["file"].chunks():
                digest.update(chunk)
            uploaded = digest.hexdigest()
            result = {"matches": uploaded == document.sha256, "sha256": uploaded}
    replaced_by = getattr(document, "replaced_by", None) if document else None
    return render(
        request,
        "core/documents/verify.html",
        {
            "document": document,
            "kind_label": DocumentKind(document.kind).label if document else "",
            "replaced_by": replaced_by,
            "form": form,
            "result": result,
            "code": code,
        },
        status=200 if document else 404,
    )


def _document_filter(request: HttpRequest):
    user = request.user
    form = DocumentFilterForm(
        request.GET or None,
        districts=district_list_visible_to(user=user),
        streets=street_list_visible_to(user=user),
        communities=community_list_visible_to(user=user),
    )
    documents = issued_document_list_visible_to(user=user)
    if form.is_valid():
        data = form.cleaned_data
        documents = issued_document_search(
            documents,
            text=data["q"].strip(),
            kind=data["kind"],
            period=data["period"] or "",
            district=data["district"],
            street=data["street"],
            community=data["community"],
            worker=data["worker"].strip(),
        )
    return form, documents


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    form, documents = _document_filter(request)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/documents/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "zip_limit": DESK_ZIP_LIMIT,
            "batches": document_batch_list_visible_to(user=request.user)[:10],
        },
    )


@login_required
def document_list_download(request: HttpRequest) -> HttpResponse:
    """The filtered documents in one zip, as stored (each file byte for byte)."""
    _form, documents = _document_filter(request)
    chosen = list(documents[: DESK_ZIP_LIMIT + 1])
    if len(chosen) > DESK_ZIP_LIMIT:
        messages.error(
            request,
            _("所选文书超过 %(limit)s 份，请缩小范围或使用批量生成。")
            % {"limit": DESK_ZIP_LIMIT},
        )
        return redirect(f"{reverse('core:document-list')}?{request.GET.urlencode()}")
    if not chosen:
        messages.error(request, _("没有符合条件的文书。"))
        return redirect("core:document-list")
    # Closed by the response once streamed (FileResponse closes its file).
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    batches.documents_zip_write(spool, chosen)
    size = spool.tell()
    spool.seek(0)
    communities = sorted({str(d.community) for d in chosen if d.community_id})
    scope = "、".join(communities[:5]) + ("…" if len(communities) > 5 else "")
    return file_response(
        request,
        content=spool,
        size=size,
        filename=_("文书-%(count)s份.zip") % {"count": len(chosen)},
        content_type="application/zip",
        what=_("文书打包下载（%(count)s 份）") % {"count": len(chosen)},
        scope=scope,
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    visible = issued_document_list_visible_to(user=request.user)
    return document_response(request, get_object_or_404(visible, pk=pk))


def document_response(request: HttpRequest, document: IssuedDocument) -> HttpResponse:
    """The stored file of a just-issued or found document (apps' views call it)."""
    return file_response(
        request,
        content=document_content(document),
        filename=document.filename,
        content_type="application/pdf",
        what=f"{document.get_kind_display()} {document.number}",
        scope=str(document.community or document.district or _("全市")),
        document=document,
    )


@login_required
@require_POST
def batch_start(request: HttpRequest) -> HttpResponse:
    params = {
        key: value
        for key, value in request.POST.items()
        if key not in ("csrfmiddlewaretoken", "kind")
    }
    try:
        batch = batches.document_batch_start(
            kind=request.POST.get("kind", ""), params=params, requested_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(request.META.get("HTTP_REFERER") or "core:document-list")
    return redirect("core:batch-detail", pk=batch.pk)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(document_batch_list_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "core/documents/batch_detail.html",
        {"batch": batch, "parts": batch.parts.all()},
    )


@login_required
@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(document_batch_list_visible_to(user=request.user), pk=pk)
    batches.document_batch_resume(batch=batch)
    return redirect("core:batch-detail", pk=batch.pk)


@login_required
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        document_batch_list_visible_to(user=request.user),
        pk=pk,
        status=DocumentBatch.Status.DONE,
    )
    return file_response(
        request,
        content=batch.result.open("rb"),
        filename=f"{batch.title}.zip",
        content_type="application/zip",
        what=batch.title,
        scope=", ".join(batch.parts.values_list("label", flat=True)[:5]),
        batch=batch,
    )


def _log_filter(request: HttpRequest):
    if not user_reads_download_log(request.user):
        raise PermissionDenied(_("只有审计人员和系统管理员可以查看下载记录。"))
    form = DownloadLogFilterForm(request.GET or None)
    logs = download_log_list_visible_to(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            logs = logs.filter(user__username__icontains=data["user"].strip())
        if data["format"]:
            logs = logs.filter(format=data["format"])
        zone = timezone.get_current_timezone()
        if data["start"]:
            logs = logs.filter(at__gte=datetime.combine(data["start"], time.min, zone))
        if data["end"]:
            logs = logs.filter(at__lte=datetime.combine(data["end"], time.max, zone))
        if data["what"]:
            what = data["what"].strip()
            logs = logs.filter(what__icontains=what) | logs.filter(
                filename__icontains=what
            )
    return form, logs


@login_required
def download_log_list(request: HttpRequest) -> HttpResponse:
    form, logs = _log_filter(request)
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/documents/download_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def download_log_export(request: HttpRequest) -> HttpResponse:
    _form, logs = _log_filter(request)
    headers = [
        _("时间"),
        _("用户"),
        _("格式"),
        _("内容"),
        _("文件名"),
        _("范围"),
        _("客户端地址"),
        _("大小（字节）"),
        _("文书编号"),
    ]
    rows = [
        [
            timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"),
            log.user.username if log.user else "",
            log.get_format_display(),
            log.what,
            log.filename,
            log.scope,
            log.client_address or "",
            log.size,
            log.document.number if log.document else "",
        ]
        for log in logs[:50000]
    ]
    workbook = exports.workbook_from_rows(_("下载记录"), headers, rows)
    return exports.xlsx_download(
        request, workbook, _("下载记录.xlsx"), what=_("下载记录导出")
    )


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The auditor's desk: documents in scope, the apps' panels (cycles, fund
    projects, the payslip sample) and the user's batches."""
    form, documents = _document_filter(request)
    return render(
        request,
        "core/documents/desk.html",
        {
            "form": form,
            "documents": documents[:20],
            "document_count": documents.count(),
            "cards": extensions.home_cards(request.user),
            "panels": extensions.desk_panels(request),
            "batches": document_batch_list_visible_to(user=request.user)[:10],
            "reads_log": user_reads_download_log(request.user),
        },
    )
