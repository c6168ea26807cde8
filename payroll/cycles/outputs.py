"""What a cycle produces for people outside the system: the payroll register,
the bank transfer file, totals and the employer's cost. Read-only over the
stored payslips; sums are Python sums of stored, rounded amounts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.decimals import ZERO
from core.export_safety import ID_NUMBER, mask_for
from core.exports import append_row, workbook_from_rows
from payroll.explain.sentences import line_name
from payroll.models import BankFileLayout, PayrollCycle, Payslip
from payroll.rules.lines import DEDUCTION, EARNING, EMPLOYER


def cycle_payslips(cycle: PayrollCycle) -> Any:
    """The cycle's payslips in register order (narrow with scope_filter)."""
    return _payslips(cycle)


def _payslips(cycle: PayrollCycle) -> Any:
    return (
        Payslip.objects.filter(cycle=cycle)
        .select_related("worker", "community__street__district")
        .order_by("community__code", "worker__full_name", "pk")
    )


def _codes_in_order(payslips: list[Payslip], kind: str) -> list[str]:
    seen: dict[str, None] = {}
    for payslip in payslips:
        for line in payslip.pay_lines():
            if line.kind == kind:
                seen.setdefault(line.code, None)
    return list(seen)


def register_workbook(
    cycle: PayrollCycle, *, viewer: Any, payslips: Any = None
) -> Workbook:
    """工资表: one row per payslip, one column per line code, then the totals.
    ``payslips`` narrows it to the reader's part (a district of a city cycle);
    ID numbers are masked for a ``viewer`` who may not read them."""
    payslips = list(_payslips(cycle) if payslips is None else payslips)
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
        for line in payslip.pay_lines():
            amounts[line.code] += line.amount
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
        for line in payslip.pay_lines():
            sums[line.code] += line.amount
        gross += payslip.gross
        deducted += payslip.deductions
        net += payslip.net
        cost += payslip.employer_cost
    return [
        *[sums[c] for c in earnings], gross,
        *[sums[c] for c in deductions], deducted, net,
        *[sums[c] for c in employer], cost,
    ]  # fmt: skip


def bank_layout_for(cycle: PayrollCycle) -> BankFileLayout:
    """The transfer file layout in force for the cycle's month."""
    day = date(cycle.year, cycle.month, 1)
    layout = (
        BankFileLayout.objects.filter(effective_on__lte=day)
        .order_by("-effective_on")
        .first()
    ) or BankFileLayout.objects.order_by("effective_on").first()
    if layout is None:
        raise BankLayoutMissingError(_("尚未设置银行代发文件格式，请在管理后台添加。"))
    return layout


class BankLayoutMissingError(LookupError):
    """No salary transfer file layout has been set up."""


def bank_file(cycle: PayrollCycle) -> tuple[bytes, int, Decimal]:
    """代发工资文件 (xlsx) in the layout in force: one row per payslip with
    something to pay, account and ID numbers as text (Excel would turn a
    19-digit account into 6.22E+18), and a control row with the count and
    the total, which equals the sum of the rows."""
    from io import BytesIO

    from openpyxl.styles import Font

    layout = bank_layout_for(cycle)
    codes = layout.column_codes()
    labels = dict(BankFileLayout.Column.choices)
    with override("zh-hans"):  # a bank reads Chinese headers
        headers = [str(labels[c]) for c in codes]
        remark = (layout.remark or "") % {"period": cycle.period}
        control_label = _("合计")
    rows, count, total = [], 0, ZERO
    for payslip in _payslips(cycle):
        if payslip.net <= ZERO:
            continue
        worker = payslip.worker
        values = {
            "account": worker.bank_account,
            "name": worker.full_name,
            "amount": payslip.net,
            "id_number": worker.id_number,
            "bank_name": worker.bank_name,
            "remark": remark,
        }
        rows.append([values[c] for c in codes])
        count += 1
        total += payslip.net
    control: list[Any] = [None for _code in codes]
    control[codes.index("name")] = f"{control_label}：{count} 笔"
    control[codes.index("amount")] = total
    workbook = Workbook()
    # A new (not write-only) workbook always opens with one plain worksheet.
    sheet = cast(Worksheet, workbook.active)
    sheet.title = f"代发{cycle.period}"
    ordered = (
        [control, headers, *rows]
        if layout.control_row == BankFileLayout.ControlRow.TOP
        else [headers, *rows, control]
    )
    for row in ordered:
        append_row(sheet, row)
    text_columns = {codes.index(c) + 1 for c in ("account", "id_number") if c in codes}
    amount_column = codes.index("amount") + 1
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.column in text_columns:
                cell.number_format = "@"
                cell.value = "" if cell.value is None else str(cell.value)
            elif cell.column == amount_column and isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    header_row = 2 if layout.control_row == BankFileLayout.ControlRow.TOP else 1
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for index, code in enumerate(codes, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = {
            "account": 24, "id_number": 22, "name": 12, "amount": 14,
        }.get(code, 18)  # fmt: skip
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count, total


def employer_cost_workbook(cycle: PayrollCycle, payslips: Any = None) -> Workbook:
    """单位用工成本: gross pay plus the employer's contributions, by district,
    street and community, and by item (of ``payslips``, default all)."""
    payslips = list(_payslips(cycle) if payslips is None else payslips)
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
        for line in payslip.pay_lines():
            if line.kind == EMPLOYER:
                group[line.code] += line.amount
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


def latest_payslips_of_year(payslips: Any, year: int) -> Any:
    """Each worker's last payslip of ``year`` among ``payslips``, as a query:
    its year-to-date figures are the worker's year at this employer. Ordered
    for the summary; the stored lines are not read.

    The latest month is the worker's, wherever she worked that month: the
    look-up carries no scope (the reader's joins in a correlated subquery
    made a district's page take seconds), and a worker who moved shows in
    the scope of her latest payslip, whose year-to-date is her whole year.
    "No later payslip this year" lets PostgreSQL answer with one anti-join
    over the (worker, year, month) index instead of a subquery per row."""
    later = Payslip.objects.filter(
        worker_id=OuterRef("worker_id"), year=year, month__gt=OuterRef("month")
    )
    return (
        payslips.filter(year=year)
        .exclude(Exists(later))
        .select_related("worker", "community")
        .defer("lines")
        .order_by("community__code", "worker__full_name", "pk")
    )


def yearly_tax_rows(payslips: Any) -> list[dict[str, Any]]:
    """The summary's figures of each (latest) payslip, from its year-to-date."""
    rows = []
    for payslip in payslips:
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


def yearly_tax_summary(payslips: Any, year: int) -> list[dict[str, Any]]:
    """Each worker's year at this employer: income, deductions, taxable income
    and tax withheld, from the latest payslip of the year (its year-to-date)."""
    return yearly_tax_rows(latest_payslips_of_year(payslips, year).iterator(2000))


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
