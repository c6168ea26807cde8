"""Compute and store one chunk of a cycle in one transaction (the task's work)."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from core import clock
from core.decimals import sum_amounts
from payroll.annuity.services.figures import annuity_chunk_figures
from payroll.cycles.compute import payslips_compute
from payroll.cycles.fetch import (
    chunk_inputs,
    tables_for_computing,
)
from payroll.models.cycles import CycleChunk, PayrollCycle, Payslip
from payroll.rules.tax import IIT, IIT_BONUS

Status = PayrollCycle.Status

INCOME_TAX_CODES = frozenset({IIT, IIT_BONUS})


def cycle_chunk_compute(*, cycle_id: int, index: int) -> bool:
    """Compute and store one chunk in one transaction; False if nothing to do.

    The chunk row is locked first, so a redelivered task waits and then finds
    the chunk done; a worker killed mid-chunk rolls the whole chunk back.
    """
    with transaction.atomic():
        chunk = CycleChunk.objects.select_for_update().get(
            cycle_id=cycle_id, index=index
        )
        if chunk.is_done:
            return False
        cycle = PayrollCycle.objects.get(pk=cycle_id)
        if cycle.status != Status.COMPUTING:
            return False
        tables = tables_for_computing(cycle)
        already = set(
            Payslip.objects.filter(
                worker_id__in=chunk.worker_ids, year=cycle.year, month=cycle.month
            ).values_list("worker_id", flat=True)
        )
        ids = [pk for pk in chunk.worker_ids if pk not in already]
        inputs = chunk_inputs(
            cycle,
            ids,
            chunk.community_ids,
            tables,
            annuity_members=chunk.annuity_members,
        )
        results = payslips_compute(inputs, tables)
        payslips_insert(cycle, results)
        chunk.is_done = True
        chunk.done_at = clock.now()
        chunk.annuity = annuity_chunk_figures(results)
        chunk.save(update_fields=["is_done", "done_at", "annuity"])
        PayrollCycle.objects.filter(pk=cycle_id).update(
            chunks_done=F("chunks_done") + 1
        )
    return True


PAYSLIP_COLUMNS = (
    "cycle_id", "worker_id", "community_id", "year", "month", "gross",
    "deductions", "net", "employer_cost", "income_tax", "tax_ytd", "lines",
)  # fmt: skip


def payslips_insert(cycle: PayrollCycle, results: list[Any]) -> None:
    """Insert a chunk's payslips with one executemany.

    The ORM's bulk_create spends most of a city's cycle building model
    objects; these rows are plain values already, and the chunk's transaction
    and the unique constraint (worker, year, month) keep them whole and single.
    """
    if not results:
        return
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    placeholders = ", ".join(
        f"%s{json_cast}" if column in ("tax_ytd", "lines") else "%s"
        for column in PAYSLIP_COLUMNS
    )
    sql = (
        f"INSERT INTO {Payslip._meta.db_table} ({', '.join(PAYSLIP_COLUMNS)}) "
        f"VALUES ({placeholders})"
    )
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    # Most lines are shared objects (the rules' results are memoised per case),
    # so each is encoded once per chunk and the payslip's array is assembled.
    encoded: dict[int, tuple[Any, str]] = {}

    def encode_lines(lines: Any) -> str:
        parts = []
        for line in lines:
            hit = encoded.get(id(line))
            if hit is None or hit[0] is not line:
                hit = encoded[id(line)] = (line, dumps(line.to_row()))
            parts.append(hit[1])
        return "[" + ",".join(parts) + "]"

    rows = [
        (
            cycle.pk,
            worker_id,
            community_id,
            cycle.year,
            cycle.month,
            result.gross,
            result.deductions,
            result.net,
            result.employer_cost,
            income_tax(result.lines),
            dumps(result.ytd.to_dict()),
            encode_lines(result.lines),
        )
        for worker_id, community_id, result in results
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def income_tax(lines: Any) -> Any:
    return sum_amounts(line.amount for line in lines if line.code in INCOME_TAX_CODES)
