"""Payslips, the yearly statement of pay and tax, the cycle's register and
bank list as issued documents (numbered, signed, verifiable: core.documents).

A community's payslips go in one PDF: WeasyPrint then subsets the CJK font
once for them all and the signature is made once, which is what makes bulk
printing fast; a worker's single payslip is the same template with one slip.

One module per document: ``payslips.py``, ``tax_year.py``, ``cycle.py`` (the
register and the bank list); every public name is re-exported here.
"""

from .cycle import bank_list_issue as bank_list_issue
from .cycle import register_issue as register_issue
from .payslips import ADJUSTMENT as ADJUSTMENT
from .payslips import SOCIAL_CODES as SOCIAL_CODES
from .payslips import TAX_CODES as TAX_CODES
from .payslips import YTD_LABELS as YTD_LABELS
from .payslips import SlipRow as SlipRow
from .payslips import payslip_bundle_issue as payslip_bundle_issue
from .payslips import payslip_facts as payslip_facts
from .payslips import payslip_issue as payslip_issue
from .payslips import payslip_view as payslip_view
from .tax_year import tax_year_issue as tax_year_issue
from .tax_year import tax_year_view as tax_year_view
