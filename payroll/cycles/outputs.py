"""What a cycle produces for people outside the system: the payroll register,
the bank transfer file, totals and the employer's cost. Read-only over the
stored payslips; sums are Python sums of stored, rounded amounts."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.decimals import ZERO
from core.export_safety import ID_NUMBER, mask_for, safe_row
from core.exports import workbook_from_rows
from payroll.explain.sentences import line_name
from payroll.models import PayrollCycle, Payslip
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER


def _payslips(cycle: PayrollCycle) -> Any:
    return (
        Payslip.objects.filter(cycle=cycle)
        .select_related("worker", "community__street__district")
        .order_by("community__code", "worker__full_name", "pk")
    )


def _codes_in_order(payslips: list[Payslip], kind: str) -> list[str]:
    seen: dict[str, None] = {}
    for payslip in payslips:
        for code, line_kind, *_rest in payslip.lines:
            if line_kind == kind:
                seen.setdefault(code, None)
    return list(seen)


def register_workbook(cycle: PayrollCycle, *, viewer: Any) -> Workbook:
    """工资表: one row per payslip, one column per line code, then the totals."""
    payslips = list(_payslips(cycle))
    earnings = _codes_in_order(payslips, EARNING)
    deductions = _codes_in_order(payslips, DEDUCTION)
    employer = _codes_in_order(payslips, EMPLOYER)
    headers = [
        _("区"), _("街道"), _("社区"), _("姓名"), _("身份证号"),
        *[line_name(code) for code in earnings], _("应发合计"),
        *[line_name(code) for code in deductions], _("扣款合计"), _("实发金额"),
        *[line_name(code) for code in employer], _("单位缴费合计"),
    ]  # fmt: skip
    rows = []
    for payslip in payslips:
        amounts: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for code, _kind, amount, *_rest in payslip.lines:
            amounts[code] += Decimal(amount)
        community = payslip.community
        rows.append(
            [
                community.street.district.name,
                community.street.name,
                community.name,
                payslip.worker.full_name,
                mask_for(viewer, ID_NUMBER, payslip.worker.id_number),
                *[amounts[c] for c in earnings],
                payslip.gross,
                *[amounts[c] for c in deductions],
                payslip.deductions,
                payslip.net,
                *[amounts[c] for c in employer],
                payslip.employer_cost,
            ]
        )
    totals = cycle_totals_row(payslips, earnings, deductions, employer)
    rows.append([_("合计"), "", "", f"{len(payslips)}", "", *totals])
    return workbook_from_rows(
        _("工资表 %(period)s") % {"period": cycle.period}, headers, rows
    )


def cycle_totals_row(
    payslips: list[Payslip],
    earnings: list[str],
    deductions: list[str],
    employer: list[str],
) -> list[Decimal]:
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    gross = deducted = net = cost = ZERO
    for payslip in payslips:
        for code, _kind, amount, *_rest in payslip.lines:
            sums[code] += Decimal(amount)
        gross += payslip.gross
        deducted += payslip.deductions
        net += payslip.net
        cost += payslip.employer_cost
    return [
        *[sums[c] for c in earnings], gross,
        *[sums[c] for c in deductions], deducted, net,
        *[sums[c] for c in employer], cost,
    ]  # fmt: skip


def bank_file(cycle: PayrollCycle) -> tuple[str, int, Decimal]:
    """代发工资文件 (CSV, UTF-8 with BOM): 姓名, 开户银行, 账号, 金额, then a
    control line with the count and the total. Payslips with nothing to pay
    are left out; the control total equals the sum of the lines above it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row([_("姓名"), _("开户银行"), _("账号"), _("金额")]))
    count, total = 0, ZERO
    for payslip in _payslips(cycle):
        if payslip.net <= ZERO:
            continue
        worker = payslip.worker
        writer.writerow(
            safe_row(
                [
                    worker.full_name,
                    worker.bank_name,
                    worker.bank_account,
                    f"{payslip.net:.2f}",
                ]
            )
        )
        count += 1
        total += payslip.net
    writer.writerow(
        safe_row([_("合计"), _("%(n)s 笔") % {"n": count}, "", f"{total:.2f}"])
    )
    return "\ufeff" + buffer.getvalue(), count, total


def employer_cost_workbook(cycle: PayrollCycle) -> Workbook:
    """单位用工成本: gross pay plus the employer's contributions, by district,
    street and community, and by item."""
    payslips = list(_payslips(cycle))
    employer = _codes_in_order(payslips, EMPLOYER)
    groups: dict[tuple[str, str, str], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(lambda: ZERO)
    )
    for payslip in payslips:
        community = payslip.community
        key = (community.street.district.name, community.street.name, community.name)
        group = groups[key]
        group["gross"] += payslip.gross
        group["employer"] += payslip.employer_cost
        for code, kind, amount, *_rest in payslip.lines:
            if kind == EMPLOYER:
                group[code] += Decimal(amount)
        group["count"] += 1
    headers = [
        _("区"), _("街道"), _("社区"), _("人数"), _("应发工资"),
        *[line_name(c) for c in employer], _("单位缴费合计"), _("用工成本合计"),
    ]  # fmt: skip
    rows = []
    grand: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for key in sorted(groups):
        group = groups[key]
        row = [
            *key, int(group["count"]), group["gross"],
            *[group[c] for c in employer], group["employer"], group["gross"] + group["employer"],
        ]  # fmt: skip
        rows.append(row)
        for name in ("count", "gross", "employer", *employer):
            grand[name] += group[name]
    rows.append(
        [
            _("合计"),
            "",
            "",
            int(grand["count"]),
            grand["gross"],
            *[grand[c] for c in employer],
            grand["employer"],
            grand["gross"] + grand["employer"],
        ]
    )
    return workbook_from_rows(
        _("用工成本 %(period)s") % {"period": cycle.period}, headers, rows
    )


def yearly_tax_summary(payslips: Any, year: int) -> list[dict[str, Any]]:
    """Each worker's year at this employer: income, deductions, taxable income
    and tax withheld, from the latest payslip of the year (its year-to-date)."""
    latest: dict[int, Payslip] = {}
    for payslip in (
        payslips.filter(year=year)
        .select_related("worker", "community")
        .order_by("month")
    ):
        latest[payslip.worker_id] = payslip
    rows = []
    for payslip in sorted(
        latest.values(), key=lambda p: (p.community.code, p.worker.full_name)
    ):
        ytd = payslip.tax_ytd
        rows.append(
            {
                "payslip": payslip,
                "worker": payslip.worker,
                "community": payslip.community,
                "months_paid": int(ytd.get("months_paid", 0)),
                "income": Decimal(ytd.get("income", "0")),
                "special_deductions": Decimal(ytd.get("special_deductions", "0")),
                "special_additional_deductions": Decimal(
                    ytd.get("special_additional_deductions", "0")
                ),
                "other_deductions": Decimal(ytd.get("other_deductions", "0")),
                "tax_withheld": Decimal(ytd.get("tax_withheld", "0")),
            }
        )
    return rows


def yearly_tax_workbook(
    rows: list[dict[str, Any]], year: int, *, viewer: Any
) -> Workbook:
    headers = [
        _("社区"), _("姓名"), _("身份证号"), _("发放月数"), _("累计收入"),
        _("累计专项扣除"), _("累计专项附加扣除"), _("累计其他扣除"), _("累计已预扣税额"),
    ]  # fmt: skip
    body = [
        [
            row["community"].name,
            row["worker"].full_name,
            mask_for(viewer, ID_NUMBER, row["worker"].id_number),
            row["months_paid"],
            row["income"],
            row["special_deductions"],
            row["special_additional_deductions"],
            row["other_deductions"],
            row["tax_withheld"],
        ]
        for row in rows
    ]
    return workbook_from_rows(_("%(year)s年个税汇总") % {"year": year}, headers, body)


def totals_workbook(
    cycle: PayrollCycle, groups: list[dict[str, Any]], level: str
) -> Workbook:
    """Totals of a cycle by district, street or community."""
    title = {"district": _("按区"), "street": _("按街道"), "community": _("按社区")}[
        level
    ]
    headers = [
        _("代码"),
        _("名称"),
        _("人数"),
        _("应发合计"),
        _("扣款合计"),
        _("实发金额"),
        _("单位缴费合计"),
    ]
    rows = [
        [
            g["code"],
            g["name"],
            g["payslips"],
            g["gross"],
            g["deductions"],
            g["net"],
            g["employer_cost"],
        ]
        for g in groups
    ]
    rows.append(
        [
            _("合计"),
            "",
            sum(g["payslips"] for g in groups),
            sum((g["gross"] for g in groups), ZERO),
            sum((g["deductions"] for g in groups), ZERO),
            sum((g["net"] for g in groups), ZERO),
            sum((g["employer_cost"] for g in groups), ZERO),
        ]
    )
    return workbook_from_rows(f"{cycle.period} {title}", headers, rows)
