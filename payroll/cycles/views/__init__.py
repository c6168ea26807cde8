"""Pages of the monthly payroll cycle: list and start, progress, review,
approve and lock, downloads, payslips. Split into the cycle's pages, its
downloads and finance's data pages; every view is re-exported here for
``urls.py``.
"""

from .data import payroll_data_import as payroll_data_import
from .data import payroll_data_template as payroll_data_template
from .data import tax_summary as tax_summary
from .downloads import NOT_PRINTABLE as NOT_PRINTABLE
from .downloads import cycle_bank_file as cycle_bank_file
from .downloads import cycle_bank_list_pdf as cycle_bank_list_pdf
from .downloads import cycle_costs as cycle_costs
from .downloads import cycle_register as cycle_register
from .downloads import cycle_register_pdf as cycle_register_pdf
from .downloads import cycle_totals as cycle_totals
from .downloads import payslip_pdf as payslip_pdf
from .downloads import tax_year_pdf as tax_year_pdf
from .pages import ACTIONS as ACTIONS
from .pages import PRINTABLE as PRINTABLE
from .pages import cycle_action as cycle_action
from .pages import cycle_detail as cycle_detail
from .pages import cycle_list as cycle_list
from .pages import cycle_progress as cycle_progress
from .pages import payslip_detail as payslip_detail
