"""Spreadsheets people can read: number formats, a frozen header, totals."""

from decimal import Decimal

from core.exports import MONEY_FORMAT, workbook_from_rows


def test_money_is_a_number_with_separators_and_the_header_is_frozen():
    workbook = workbook_from_rows(
        "工资表",
        ["姓名", "人数", "应发"],
        [["甲", 1, Decimal("17824.00")], ["乙", 2, Decimal("3000.50")]],
        totals=True,
    )
    sheet = workbook.active

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C1"
    assert sheet["C2"].value == Decimal("17824.00")
    assert sheet["C2"].number_format == MONEY_FORMAT
    assert [c.value for c in sheet[4]] == ["合计", None, Decimal("20824.50")]
    assert sheet["A4"].font.bold


def test_an_existing_totals_row_is_not_added_twice():
    rows = [["甲", Decimal("1.00")], ["合计", Decimal("1.00")]]

    sheet = workbook_from_rows("t", ["姓名", "金额"], rows, totals=True).active

    assert sheet.max_row == 3
    assert sheet["A3"].font.bold
