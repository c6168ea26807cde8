"""Core's navigation entries beyond the fixed ones in base.html."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.extensions import NavItem
from core.selectors import user_reads_download_log


def nav_items(user):
    items = [NavItem(label=_("文书"), url=reverse("core:document-list"), order=80)]
    if user_reads_download_log(user):
        items.append(
            NavItem(label=_("下载记录"), url=reverse("core:download-log"), order=81)
        )
    return items
