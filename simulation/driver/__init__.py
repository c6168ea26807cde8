"""The city driver: a demo city lived month by month through the services the
pages use, on the application's clock (``core.clock``).

Every month, in the order of its days: the yearly jobs on the 1st (January:
indexation, progression, annuity returns, the fund years; July: contribution
bases), the fund's projects between the 3rd and the 18th, the roster and
rating events on the 20th (joiners, leavers, secretaries replaced, changes
of post, certificates, grades, star ratings, tax declarations, bonuses), and
the payroll cycle on the 25th: computed by one finance user, approved and
locked by another. The same seed gives the same city and the same events.

``CityDriver`` (``city.py``) is made of the shared base (``base.py``), the
fund's steps (``fund.py``) and the roster events (``events.py``).
"""

from .base import ACTIVE_FIELDS as ACTIVE_FIELDS
from .base import BONUS_SHARE as BONUS_SHARE
from .base import CERTIFICATE_RATE as CERTIFICATE_RATE
from .base import CYCLE_DAY as CYCLE_DAY
from .base import DECLARATION_SHARE as DECLARATION_SHARE
from .base import EVENT_DAY as EVENT_DAY
from .base import FUND_DAYS as FUND_DAYS
from .base import FUNDED_COMMUNITIES as FUNDED_COMMUNITIES
from .base import GRADE_WEIGHTS as GRADE_WEIGHTS
from .base import JOIN_RATE as JOIN_RATE
from .base import LATE_GRADE_SHARE as LATE_GRADE_SHARE
from .base import LEAVE_RATE as LEAVE_RATE
from .base import POST_CHANGE_RATE as POST_CHANGE_RATE
from .base import STAR_RATE as STAR_RATE
from .base import Cast as Cast
from .base import DriverBase as DriverBase
from .base import MonthReport as MonthReport
from .city import CityDriver as CityDriver
from .city import cast_from_demo as cast_from_demo
from .events import RosterEvents as RosterEvents
from .fund import FundSteps as FundSteps
