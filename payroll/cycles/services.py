"""Services of the monthly payroll cycle (ARCHITECTURE: "The payroll cycle").

draft → computing → computed → approved → locked, or failed / cancelled.
The one who computes a cycle cannot approve it (maker-checker). After locking
nothing in the cycle changes; corrections are adjustment lines in a later cycle.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import clock
from core.models import District, User, Worker
from core.selectors import user_acts_for_district
from payroll.annuity.fetch import active_memberships
from payroll.annuity.services.figures import annuity_cycle_check
from payroll.annuity.services.memberships import annuity_membership_sync_all
from payroll.annuity.services.postings import annuity_cycle_post
from payroll.cycles.fetch import (
    CycleSetupError,
    CycleTables,
    employed_worker_ids,
    tables_for,
)
from payroll.cycles.selectors import cycle_totals
from payroll.models.cycles import CycleChunk, PayrollCycle, Payslip

logger = logging.getLogger(__name__)

NOT_FINANCE = gettext_lazy("只有财务人员可以核算和审核工资。")
OUT_OF_SCOPE = gettext_lazy("该范围不在您的权限内。")
SAME_PERSON = gettext_lazy("计算工资的人不能审核同一周期（双人复核）。")
RETURN_NEEDS_REASON = gettext_lazy("退回工资周期须写明原因，计算人将看到该原因。")
WRONG_STATUS = gettext_lazy("该工资周期当前状态为“%(status)s”，不能%(action)s。")


Status = PayrollCycle.Status
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def _check_may(actor: User | None, perm: str, district: District | None) -> None:
    """Refuse an actor without ``perm`` or whose scope does not cover the
    cycle's district (core.selectors decides scope)."""
    if actor is None:
        return  # operators' management command and system jobs
    if not actor.has_perm(perm):
        raise PermissionDenied(NOT_FINANCE)
    if not user_acts_for_district(actor, district.pk if district else None):
        raise PermissionDenied(OUT_OF_SCOPE)


def _wrong_status(cycle: PayrollCycle, action: str) -> ValidationError:
    return ValidationError(
        WRONG_STATUS % {"status": cycle.get_status_display(), "action": action}
    )


def _cycle_worker_queryset(district: District | None) -> QuerySet[Worker]:
    workers = Worker.objects.all()
    if district is not None:
        workers = workers.filter(community__street__district=district)
    return workers


def _workers_in_other_cycles(cycle: PayrollCycle) -> set[int]:
    """Workers that another live cycle of the same month already pays."""
    taken: set[int] = set()
    others = (
        PayrollCycle.objects.filter(year=cycle.year, month=cycle.month)
        .exclude(status=Status.CANCELLED)
        .exclude(pk=cycle.pk)
    )
    for ids in CycleChunk.objects.filter(cycle__in=others).values_list(
        "worker_ids", flat=True
    ):
        taken.update(ids)
    return taken


@transaction.atomic
def payroll_cycle_start(
    *, year: int, month: int, district: District | None = None, actor: User | None
) -> PayrollCycle:
    """Create (or find) the cycle and start computing it.

    Two starts of the same month and scope give one computation: a unique
    constraint makes them one row, and its lock makes the second start see the
    first one's status and do nothing.
    """
    _check_may(actor, "payroll.run_cycle", district)
    if not 1 <= month <= 12:
        raise ValidationError(_("月份应为 1–12。"))
    scope_key = f"district:{district.pk}" if district else "city"
    try:
        with transaction.atomic():
            cycle = PayrollCycle.objects.create(
                year=year, month=month, district=district, created_by=actor
            )
    except IntegrityError:
        cycle = PayrollCycle.objects.exclude(status=Status.CANCELLED).get(
            year=year, month=month, scope_key=scope_key
        )
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status not in (Status.DRAFT, Status.FAILED):
        return cycle
    return _begin_computing(cycle, actor)


def _begin_computing(cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    # Memberships follow the secretary positions as they are today (A8).
    annuity_membership_sync_all()
    try:
        tables = tables_for(cycle)
    except CycleSetupError as exc:
        raise ValidationError(str(exc)) from exc
    _tables_mark_used(tables)
    candidates = employed_worker_ids(
        _cycle_worker_queryset(cycle.district), cycle.year, cycle.month
    )
    taken = _workers_in_other_cycles(cycle) | set(
        Payslip.objects.filter(year=cycle.year, month=cycle.month)
        .exclude(cycle=cycle)
        .values_list("worker_id", flat=True)
    )
    chosen = [(pk, community) for pk, community in candidates if pk not in taken]
    excluded = len(candidates) - len(chosen)
    cycle.payslips.all().delete()
    cycle.chunks.all().delete()
    members: set[int] = set()
    if tables.annuity is not None:
        members = set(
            active_memberships(
                tables.annuity.version.plan_id, date(cycle.year, cycle.month, 1)
            ).values_list("worker_id", flat=True)
        )
    queued_at = clock.now()
    chunks = [
        CycleChunk(
            cycle=cycle,
            index=index,
            queued_at=queued_at,
            worker_ids=[pk for pk, _c in piece],
            community_ids=sorted({c for _pk, c in piece}),
            annuity_members=[pk for pk, _c in piece if pk in members],
        )
        for index, piece in enumerate(_pieces(chosen))
    ]
    CycleChunk.objects.bulk_create(chunks)
    cycle.scale_version = tables.scale_version
    cycle.contribution_rates = tables.rates
    cycle.status = Status.COMPUTING
    cycle.computed_by = actor
    cycle.chunks_total = len(chunks)
    cycle.chunks_done = 0
    cycle.error = ""
    cycle.totals = {}
    cycle.excluded_note = (
        _("%(n)s 名人员已在本月其他工资周期中，未纳入本周期。") % {"n": excluded}
        if excluded
        else ""
    )
    cycle.save()
    _enqueue_pending(cycle)
    return cycle


def _tables_mark_used(tables: CycleTables) -> None:
    """Freeze every dated table the cycle reads (scale version, rates, tax
    tables, annuity terms): the one place their ``used_at`` is set. Two
    cycles starting at once keep the first time."""
    now = clock.now()
    for row in tables.dated_rows():
        if row.used_at is not None:
            continue
        rows = type(row).objects.filter(pk=row.pk)
        if rows.filter(used_at__isnull=True).update(used_at=now):
            row.used_at = now
        else:
            row.used_at = rows.values_list("used_at", flat=True).get()


def _pieces(workers: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Cut (worker, community) pairs, ordered by community, into chunks of
    about PAYROLL_CHUNK_SIZE that never split a community."""
    chunk_size = settings.PAYROLL_CHUNK_SIZE
    pieces: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for pair in workers:
        if len(current) >= chunk_size and pair[1] != current[-1][1]:
            pieces.append(current)
            current = []
        current.append(pair)
    if current:
        pieces.append(current)
    return pieces


def _enqueue_pending(cycle: PayrollCycle) -> None:
    from payroll.tasks import cycle_chunk_compute_task, cycle_finish_task

    pending = cycle.chunks.filter(is_done=False)
    pending.update(queued_at=clock.now(), started_at=None)
    indexes = list(pending.order_by("index").values_list("index", flat=True))
    cycle_id = cycle.pk
    queue = settings.PAYROLL_TASK_QUEUE

    def enqueue() -> None:
        if not indexes:
            cycle_finish_task.apply_async((cycle_id,), queue=queue)
        for index in indexes:
            cycle_chunk_compute_task.apply_async((cycle_id, index), queue=queue)

    transaction.on_commit(enqueue)


def cycle_chunk_started(*, cycle_id: int, index: int) -> None:
    """Note that a worker took the chunk (committed before it computes)."""
    CycleChunk.objects.filter(cycle_id=cycle_id, index=index, is_done=False).update(
        started_at=clock.now()
    )


def cycle_chunks_heal() -> int:
    """Send again the chunks of computing cycles that stopped moving.

    A chunk is stale when it is not stored and either began more than
    ``PAYROLL_CHUNK_STALE_SECONDS`` ago (its worker died mid-chunk), or its
    cycle has not moved for that long (no chunk sent, begun or stored: the
    queued tasks were lost). A long queue of a busy cycle is left alone. A
    chunk being computed holds its row lock (cycle_chunk_compute), so it is
    skipped; a killed worker's lock is gone with its connection. Sending twice
    is safe: the computation finds a stored chunk done. Returns how many were
    sent.
    """
    from payroll.tasks import cycle_chunk_compute_task

    now = clock.now()
    limit = now - timedelta(seconds=settings.PAYROLL_CHUNK_STALE_SECONDS)
    queue = settings.PAYROLL_TASK_QUEUE
    sent: list[tuple[int, int]] = []
    idle_cycles = [
        row["cycle_id"]
        for row in CycleChunk.objects.filter(cycle__status=Status.COMPUTING)
        .values("cycle_id")
        .annotate(
            moved=Greatest(
                Max(Coalesce("queued_at", Value(EPOCH))),
                Max(Coalesce("started_at", Value(EPOCH))),
                Max(Coalesce("done_at", Value(EPOCH))),
            )
        )
        if row["moved"] < limit
    ]
    with transaction.atomic():
        stale = (
            CycleChunk.objects.select_for_update(skip_locked=True)
            .filter(is_done=False, cycle__status=Status.COMPUTING)
            .filter(Q(started_at__lt=limit) | Q(cycle_id__in=idle_cycles))
            .order_by("cycle_id", "index")
        )
        for chunk in stale:
            chunk.retries += 1
            chunk.retried_at = now
            chunk.queued_at = now
            chunk.started_at = None
            chunk.save(
                update_fields=["retries", "retried_at", "queued_at", "started_at"]
            )
            sent.append((chunk.cycle_id, chunk.index))

        def enqueue() -> None:
            for cycle_id, index in sent:
                cycle_chunk_compute_task.apply_async((cycle_id, index), queue=queue)

        transaction.on_commit(enqueue)
    if sent:
        logger.warning("Re-sent %s stalled payroll chunks: %s", len(sent), sent)
    return len(sent)


def cycle_finish(*, cycle_id: int) -> PayrollCycle:
    """Move a cycle whose chunks are all stored to computed, with its totals."""
    with transaction.atomic():
        cycle = PayrollCycle.objects.select_for_update().get(pk=cycle_id)
        if cycle.status != Status.COMPUTING:
            return cycle
        if cycle.chunks.filter(is_done=False).exists():
            return cycle
        violations = annuity_cycle_check(cycle)
        if violations:
            # 《企业年金办法》 caps: the cycle fails and nothing can be posted.
            cycle.status = Status.FAILED
            cycle.error = _("企业年金缴费超过上限：") + "".join(
                v.message for v in violations
            )
            cycle.save()
            return cycle
        cycle.totals = cycle_totals(cycle)
        cycle.chunks_done = cycle.chunks_total
        cycle.status = Status.COMPUTED
        cycle.computed_at = clock.now()
        cycle.save()
        return cycle


def payroll_cycle_fail(*, cycle_id: int, error: str) -> None:
    PayrollCycle.objects.filter(pk=cycle_id, status=Status.COMPUTING).update(
        status=Status.FAILED, error=error[:4000]
    )


@transaction.atomic
def payroll_cycle_resume(*, cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    """Re-enqueue the chunks not yet stored (after a worker was lost)."""
    _check_may(actor, "payroll.run_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == Status.FAILED:
        cycle.status = Status.COMPUTING
        cycle.error = ""
        cycle.save()
    if cycle.status != Status.COMPUTING:
        raise _wrong_status(cycle, _("继续计算"))
    _enqueue_pending(cycle)
    return cycle


@transaction.atomic
def payroll_cycle_recompute(*, cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    """Throw away the payslips of a computed (not yet approved) cycle and compute
    again with today's data."""
    _check_may(actor, "payroll.run_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status not in (Status.COMPUTED, Status.FAILED, Status.RETURNED):
        raise _wrong_status(cycle, _("重新计算"))
    return _begin_computing(cycle, actor)


@transaction.atomic
def payroll_cycle_cancel(*, cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    _check_may(actor, "payroll.run_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status in (Status.APPROVED, Status.LOCKED, Status.CANCELLED):
        raise _wrong_status(cycle, _("作废"))
    cycle.payslips.all().delete()
    cycle.chunks.all().delete()
    cycle.status = Status.CANCELLED
    cycle.save()
    return cycle


@transaction.atomic
def payroll_cycle_return(
    *, cycle: PayrollCycle, actor: User | None, reason: str
) -> PayrollCycle:
    """The checker sends a computed cycle back with a written reason instead
    of approving it; the maker sees the reason and recomputes (or cancels).
    Maker-checker holds: the one who computed it cannot return it either."""
    _check_may(actor, "payroll.approve_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Status.COMPUTED:
        raise _wrong_status(cycle, _("退回"))
    if actor is not None and cycle.computed_by_id == actor.pk:
        raise PermissionDenied(SAME_PERSON)
    if not reason.strip():
        raise ValidationError(RETURN_NEEDS_REASON)
    cycle.status = Status.RETURNED
    cycle.returned_by = actor
    cycle.returned_at = clock.now()
    cycle.return_reason = reason.strip()[:2000]
    cycle.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
    return cycle


@transaction.atomic
def payroll_cycle_approve(*, cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    _check_may(actor, "payroll.approve_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Status.COMPUTED:
        raise _wrong_status(cycle, _("审核"))
    if actor is not None and cycle.computed_by_id == actor.pk:
        raise PermissionDenied(SAME_PERSON)
    cycle.status = Status.APPROVED
    cycle.approved_by = actor
    cycle.approved_at = clock.now()
    cycle.save()
    return cycle


@transaction.atomic
def payroll_cycle_lock(*, cycle: PayrollCycle, actor: User | None) -> PayrollCycle:
    """Lock an approved cycle: it is paid, and nothing in it changes again."""
    _check_may(actor, "payroll.lock_cycle", cycle.district)
    cycle = PayrollCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Status.APPROVED:
        raise _wrong_status(cycle, _("锁定"))
    # The annuity's postings are made in the locking transaction.
    annuity_cycle_post(cycle)
    cycle.status = Status.LOCKED
    cycle.locked_by = actor
    cycle.locked_at = clock.now()
    cycle.save()
    return cycle
