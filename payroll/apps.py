from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("薪酬")

    def ready(self) -> None:
        # Registers sentences for payslip lines and the stored-payslip source
        # of "why is my pay this?".
        from payroll import derivations_payslip, explain_payslips  # noqa: F401
