"""The roster import in bulk: every lookup fetched once, rows checked in
Python, the plan saved with ``bulk_create`` / ``bulk_update``.

``roster_check`` (``check.py``) reads a dataset and gives the preview's report
and, when no row has a problem, a plan (plain JSON) of what to write.
``roster_apply`` (``apply.py``) writes a plan in one transaction after a cheap
recheck of its keys. The number of queries does not grow with the rows but
by chunks of ``CHUNK`` keys.
"""

from .apply import roster_apply as roster_apply
from .apply import roster_late_facts as roster_late_facts
from .check import CHUNK as CHUNK
from .check import DATE_FIELDS as DATE_FIELDS
from .check import PLAN_FIELDS as PLAN_FIELDS
from .check import PLAN_VERSION as PLAN_VERSION
from .check import PROGRESS_EVERY as PROGRESS_EVERY
from .check import StaleImport as StaleImport
from .check import chunks as chunks
from .check import roster_check as roster_check
