from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    """A worker's own pages: her pay, level, ratings, annuity and tax."""

    name = "selfservice"
    verbose_name = _("本人")
