"""Reads what the city stored into the plain facts ``simulation.invariants``
checks, and runs the checks. Queries grow with the months, not per payslip.

``check_city`` (``city.py``) runs the reads of each subject: ``payslips.py``
(cycles, payslips, the worker's year), ``levels.py``, ``annuity.py``,
``fund.py``; every public name is re-exported here.
"""

from .annuity import annuity_facts as annuity_facts
from .city import CheckResult as CheckResult
from .city import check_city as check_city
from .fund import fund_available_now as fund_available_now
