"""Reference rows of the fund: policy, categories, forbidden uses, transitions.

Plain data plus ``reference_data_ensure``, which the data migration calls with
historical models and tests/demo call with the real ones. It only creates
rows that are missing, so staff edits in the admin are kept.

The rows are in ``policy.py``, ``transitions.py`` and ``expense_classes.py``,
the functions that write them in ``ensure.py``; every name is re-exported here.
"""

from .ensure import reference_data_ensure as reference_data_ensure
from .ensure import reference_data_ensure_current as reference_data_ensure_current
from .ensure import reference_load as reference_load
from .expense_classes import EXPENSE_CLASSES as EXPENSE_CLASSES
from .expense_classes import EXPENSE_CLASSES_FROM as EXPENSE_CLASSES_FROM
from .expense_classes import LEGACY_EXPENSE_CLASS as LEGACY_EXPENSE_CLASS
from .expense_classes import expense_classes_ensure as expense_classes_ensure
from .policy import CATEGORIES as CATEGORIES
from .policy import FORBIDDEN_USES as FORBIDDEN_USES
from .policy import POLICY as POLICY
from .transitions import RETIRED_TRANSITIONS as RETIRED_TRANSITIONS
from .transitions import TRANSITION_FLAGS as TRANSITION_FLAGS
from .transitions import TRANSITIONS as TRANSITIONS
