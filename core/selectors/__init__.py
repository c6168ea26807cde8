"""What each user may see: the one place where scope is decided.

Every view, admin page and export asks these selectors. A user's role says what
kind of work they do; the district/street/community on the user says where.
The package is split by what is being scoped; this module re-exports every
name so callers keep importing from ``core.selectors``.
"""

from .access import EMPLOYER_COST_ROLES as EMPLOYER_COST_ROLES
from .access import FULL_BANK_ROLES as FULL_BANK_ROLES
from .access import FULL_ID_ROLES as FULL_ID_ROLES
from .access import ROSTER_EDIT_ROLES as ROSTER_EDIT_ROLES
from .access import WORKER_LOGIN_ROLES as WORKER_LOGIN_ROLES
from .access import WORKER_URL_NAMES as WORKER_URL_NAMES
from .access import WORKER_URL_NAMESPACES as WORKER_URL_NAMESPACES
from .access import user_can_edit_roster as user_can_edit_roster
from .access import user_can_issue_worker_logins as user_can_issue_worker_logins
from .access import user_sees_employer_cost as user_sees_employer_cost
from .access import user_sees_full_bank as user_sees_full_bank
from .access import user_sees_full_id as user_sees_full_id
from .access import worker_may_open as worker_may_open
from .pay_records import COLLEAGUE_PAY_REFUSED as COLLEAGUE_PAY_REFUSED
from .pay_records import PAY_RECORD_ROLES as PAY_RECORD_ROLES
from .pay_records import pay_record_filter as pay_record_filter
from .pay_records import pay_record_q as pay_record_q
from .pay_records import pay_record_refusal as pay_record_refusal
from .pay_records import user_reads_pay_records as user_reads_pay_records
from .records import DOWNLOAD_LOG_ROLES as DOWNLOAD_LOG_ROLES
from .records import change_log_visible_to as change_log_visible_to
from .records import document_batch_list_visible_to as document_batch_list_visible_to
from .records import download_log_list_visible_to as download_log_list_visible_to
from .records import issued_document_list_visible_to as issued_document_list_visible_to
from .records import issued_document_search as issued_document_search
from .records import user_reads_download_log as user_reads_download_log
from .roster import SCOPED_CHOICES as SCOPED_CHOICES
from .roster import Workforce as Workforce
from .roster import centre_standard_on as centre_standard_on
from .roster import choices_visible_to as choices_visible_to
from .roster import community_list_search as community_list_search
from .roster import community_list_visible_to as community_list_visible_to
from .roster import district_list_visible_to as district_list_visible_to
from .roster import street_list_visible_to as street_list_visible_to
from .roster import worker_list_search as worker_list_search
from .roster import worker_list_visible_to as worker_list_visible_to
from .roster import worker_list_without_login as worker_list_without_login
from .roster import workforce_by_level_and_post as workforce_by_level_and_post
from .scope import CITY_WIDE_ROLES as CITY_WIDE_ROLES
from .scope import DISTRICT_RECORD_ROLES as DISTRICT_RECORD_ROLES
from .scope import MEMBER_ACCOUNT_STAFF_ROLES as MEMBER_ACCOUNT_STAFF_ROLES
from .scope import PLAN_FIGURES_ROLES as PLAN_FIGURES_ROLES
from .scope import M as M
from .scope import UserOrAnonymous as UserOrAnonymous
from .scope import cycle_scope_q as cycle_scope_q
from .scope import district_list_acted_for as district_list_acted_for
from .scope import district_record_filter as district_record_filter
from .scope import member_account_filter as member_account_filter
from .scope import scope_filter as scope_filter
from .scope import scope_q as scope_q
from .scope import sees_whole_city as sees_whole_city
from .scope import user_acts_for_district as user_acts_for_district
from .scope import user_district_id as user_district_id
from .scope import user_is_worker as user_is_worker
from .scope import user_sees_city as user_sees_city
from .scope import user_sees_plan_figures as user_sees_plan_figures
from .scope import worker_own_q as worker_own_q
