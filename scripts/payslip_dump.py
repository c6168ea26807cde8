"""Dump every payslip of a database as sorted text, to compare two runs.

    DATABASE_URL=sqlite:////tmp/a.sqlite3 .venv/bin/python scripts/payslip_dump.py > a.txt

One line per payslip, ordered by worker's ID number, year and month: gross,
deductions, net, employer cost, income tax, the year-to-date figures and every
line (code, kind, amount, rule, version, parameters). Two runs of
``simulate_city`` with the same arguments, before and after a change to how a
cycle reads its inputs, must give identical dumps (``diff``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from payroll.models import Payslip

    rows = Payslip.objects.values_list(
        "worker__id_number",
        "year",
        "month",
        "gross",
        "deductions",
        "net",
        "employer_cost",
        "income_tax",
        "tax_ytd",
        "lines",
    ).order_by("worker__id_number", "year", "month")
    out = sys.stdout
    for id_number, year, month, *money, ytd, lines in rows.iterator():
        figures = " ".join(str(m) for m in money)
        out.write(f"{id_number} {year}-{month:02d} {figures}\n")
        out.write("  ytd " + json.dumps(ytd, sort_keys=True, ensure_ascii=False) + "\n")
        for line in lines:
            out.write(
                "  " + json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n"
            )


if __name__ == "__main__":
    main()
