"""A PayLine as a sentence in the reader's language ("why is my pay this?").

Lines store only a rule code and its numbers (``PayLine.params``); the words
are made here, at display time, through gettext, so 10,000 payslips do not
store 60,000 paragraphs and a reader sees them in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payroll.rules.lines import PayLine

LINE_NAMES = {
    "basic": gettext_lazy("基本工资"),
    "performance": gettext_lazy("绩效工资"),
    "post_allowance": gettext_lazy("岗位津贴"),
    "one_shoulder": gettext_lazy("一肩挑补贴"),
    "star_allowance": gettext_lazy("星级津贴"),
    "floor_top_up": gettext_lazy("最低工资补差"),
    "yearly_floor_top_up": gettext_lazy("年度最低薪酬补差"),
    "SI_PENSION": gettext_lazy("养老保险（个人）"),
    "SI_MEDICAL": gettext_lazy("医疗保险（个人）"),
    "SI_UNEMPLOYMENT": gettext_lazy("失业保险（个人）"),
    "HOUSING_FUND": gettext_lazy("住房公积金（个人）"),
    "SI_PENSION_EMPLOYER": gettext_lazy("养老保险（单位）"),
    "SI_MEDICAL_EMPLOYER": gettext_lazy("医疗保险（单位）"),
    "SI_UNEMPLOYMENT_EMPLOYER": gettext_lazy("失业保险（单位）"),
    "SI_WORK_INJURY_EMPLOYER": gettext_lazy("工伤保险（单位）"),
    "HOUSING_FUND_EMPLOYER": gettext_lazy("住房公积金（单位）"),
    "IIT": gettext_lazy("个人所得税"),
    "IIT_BONUS": gettext_lazy("年终奖个人所得税"),
    "bonus": gettext_lazy("全年一次性奖金"),
    "adjustment": gettext_lazy("补发/补扣"),
    "ANNUITY_MEMBER": gettext_lazy("企业年金（个人）"),
    "ANNUITY_EMPLOYER": gettext_lazy("企业年金（单位）"),
}
GRADE_NAMES = {
    "excellent": gettext_lazy("优秀"),
    "pass": gettext_lazy("合格"),
    "basic_pass": gettext_lazy("基本合格"),
    "fail": gettext_lazy("不合格"),
}


def money(value: Decimal | str) -> str:
    """6000 → "6,000.00"."""
    return f"{Decimal(value):,.2f}"


def percent(rate: Decimal | str) -> str:
    """0.7000 → "70%", 0.0410 → "4.1%"."""
    number = (Decimal(rate) * 100).normalize()
    return f"{number:f}%"


def plain(value: Decimal | str) -> str:
    """1.2000 → "1.2", 1.0000 → "1.0", 0.8500 → "0.85"."""
    text = f"{Decimal(value).normalize():f}"
    return text if "." in text else f"{text}.0"


def line_name(code: str) -> str:
    return str(LINE_NAMES.get(code, code))


def _days(params: Mapping[str, str]) -> str:
    days, total = params.get("days"), params.get("days_in_month")
    if not days or days == total:
        return ""
    return _(" × 在岗 %(days)s/%(total)s 天") % {"days": days, "total": total}


def _source(line: PayLine, with_level: bool = True) -> str:
    if with_level and line.params.get("level"):
        return _("（薪酬表 %(version)s版，第%(level)s级）") % {
            "version": line.version,
            "level": line.params["level"],
        }
    return _("（薪酬表 %(version)s版）") % {"version": line.version}


def derivation(line: PayLine, post_names: Mapping[str, str] | None = None) -> str:
    """The sentence for ``line``, e.g. "基本工资 = 标准工资 6,000.00 × 70% =
    4,200.00（薪酬表 2026版，第7级）". A line whose parameters are incomplete
    (an adjustment, an older stored line) reads "name = amount"."""
    try:
        return _sentence(line, post_names)
    except (KeyError, ArithmeticError, ValueError):
        return f"{line_name(line.code)} = {money(line.amount)}"


def _sentence(line: PayLine, post_names: Mapping[str, str] | None) -> str:
    p = line.params
    name = line_name(line.code)
    amount = money(line.amount)
    days = _days(p)
    if line.code == "basic":
        return _(
            "%(name)s = 标准工资 %(standard)s × %(ratio)s%(days)s = %(amount)s"
        ) % {
            "name": name,
            "standard": money(p["standard"]),
            "ratio": percent(p["ratio"]),
            "days": days,
            "amount": amount,
        } + _source(line)
    if line.code == "performance":
        grade = str(GRADE_NAMES.get(p["grade"], p["grade"]))
        if p.get("graded") == "1":
            basis = _("%(year)s年度考核%(grade)s") % {
                "year": p["grade_year"],
                "grade": grade,
            }
        else:
            basis = _("尚无年度考核，按合格计")
        return _(
            "%(name)s = 标准工资 %(standard)s × %(ratio)s × 考核系数 "
            "%(coefficient)s（%(basis)s）%(days)s = %(amount)s"
        ) % {
            "name": name,
            "standard": money(p["standard"]),
            "ratio": percent(p["ratio"]),
            "coefficient": plain(p["coefficient"]),
            "basis": basis,
            "days": days,
            "amount": amount,
        } + _source(line)
    if line.code == "post_allowance":
        post = (post_names or {}).get(p["post"], p["post"])
        return _("%(name)s = %(post)s岗位津贴 %(allowance)s%(days)s = %(amount)s") % {
            "name": name,
            "post": post,
            "allowance": money(p["allowance"]),
            "days": days,
            "amount": amount,
        } + _source(line, with_level=False)
    if line.code == "one_shoulder":
        return _("%(name)s = 书记、主任一肩挑 %(supplement)s%(days)s = %(amount)s") % {
            "name": name,
            "supplement": money(p["supplement"]),
            "days": days,
            "amount": amount,
        } + _source(line, with_level=False)
    if line.code == "star_allowance":
        return _(
            "%(name)s = %(stars)s星（%(rated_on)s评定）%(allowance)s%(days)s = %(amount)s"
        ) % {
            "name": name,
            "stars": p["stars"],
            "rated_on": p.get("rated_on", ""),
            "allowance": money(p["allowance"]),
            "days": days,
            "amount": amount,
        } + _source(line, with_level=False)
    if line.code == "floor_top_up":
        return _(
            "%(name)s = 最低工资 %(minimum)s%(days)s − 应发工资 %(counted)s = %(amount)s"
        ) % {
            "name": name,
            "minimum": money(p["minimum_wage"]),
            "days": days,
            "counted": money(p["counted"]),
            "amount": amount,
        } + _source(line, with_level=False)
    if line.code == "yearly_floor_top_up":
        return _(
            "%(name)s = 年度保障线 %(floor)s − 年度薪酬 %(total)s = %(amount)s"
        ) % {
            "name": name,
            "floor": money(p["floor"]),
            "total": money(p["year_total"]),
            "amount": amount,
        } + _source(line, with_level=False)
    extra = SENTENCES.get(line.code)
    if extra is not None:
        return extra(line)
    return f"{name} = {amount}"


def _contribution(line: PayLine) -> str:
    p = line.params
    return _(
        "%(name)s = 缴费基数 %(base)s × %(rate)s = %(amount)s（参数 %(version)s）"
    ) % {
        "name": line_name(line.code),
        "base": money(p["base"]),
        "rate": percent(p["rate"]),
        "amount": money(line.amount),
        "version": line.version,
    }


def _income_tax(line: PayLine) -> str:
    p = line.params
    text = _(
        "%(name)s：累计收入 %(income)s − 累计减除费用 %(standard)s（%(months)s 个月）"
        " − 累计专项扣除 %(special)s − 累计专项附加扣除 %(additional)s"
        " − 累计其他扣除 %(other)s = 累计应纳税所得额 %(taxable)s；"
        "× %(rate)s − 速算扣除数 %(quick)s = 累计应纳税额 %(tax)s；"
        "− 已预扣 %(withheld)s = 本月预扣 %(amount)s"
    ) % {
        "name": line_name(line.code),
        "income": money(p["cumulative_income"]),
        "standard": money(p["cumulative_standard_deduction"]),
        "months": p["months_employed"],
        "special": money(p["cumulative_special_deductions"]),
        "additional": money(p["cumulative_special_additional_deductions"]),
        "other": money(p["cumulative_other_deductions"]),
        "taxable": money(p["taxable_income"]),
        "rate": percent(p["rate"]),
        "quick": money(p["quick_deduction"]),
        "tax": money(p["cumulative_tax"]),
        "withheld": money(p["previously_withheld"]),
        "amount": money(line.amount),
    }
    if p.get("credit") and money(p["credit"]) != "0.00":
        text += _("（结果为负，不退税，留抵 %(credit)s）") % {
            "credit": money(p["credit"])
        }
    return text


def _bonus_tax(line: PayLine) -> str:
    p = line.params
    return _(
        "%(name)s = 奖金 %(bonus)s × %(rate)s − 速算扣除数 %(quick)s = %(amount)s"
        "（按 %(share)s 的月度税率单独计税）"
    ) % {
        "name": line_name(line.code),
        "bonus": money(p["bonus"]),
        "rate": percent(p["rate"]),
        "quick": money(p["quick_deduction"]),
        "amount": money(line.amount),
        "share": money(p["monthly_share"]),
    }


def _bonus(line: PayLine) -> str:
    merged = line.params.get("merged") == "True"
    how = _("并入综合所得计税") if merged else _("单独计税")
    return _("%(name)s %(amount)s（%(how)s）") % {
        "name": line_name(line.code),
        "amount": money(line.amount),
        "how": how,
    }


def _adjustment(line: PayLine) -> str:
    p = line.params
    return _(
        "%(period)s %(item)s：重算 %(recomputed)s − 已发 %(paid)s = %(amount)s（%(reason)s）"
    ) % {
        "period": p["period"],
        "item": line_name(p["item"]),
        "recomputed": money(p["recomputed"]),
        "paid": money(p["paid"]),
        "amount": money(line.amount),
        "reason": p.get("reason", ""),
    }


def _annuity_member(line: PayLine) -> str:
    p = line.params
    return _(
        "企业年金个人缴费 = 缴费基数 %(base)s × %(rate)s = %(amount)s；"
        "其中税前扣除 %(deductible)s（上限为基数 × %(deductible_rate)s，"
        "计税基数最高 %(cap)s，财税〔2013〕103号）"
    ) % {
        "base": money(p["base"]),
        "rate": percent(p["rate"]),
        "amount": money(line.amount),
        "deductible": money(p["deductible"]),
        "deductible_rate": percent(p["deductible_rate"]),
        "cap": money(p["deductible_base_cap"]),
    }


def _annuity_employer(line: PayLine) -> str:
    p = line.params
    return _("企业年金单位缴费 = 缴费基数 %(base)s × %(rate)s = %(amount)s") % {
        "base": money(p["base"]),
        "rate": percent(p["rate"]),
        "amount": money(line.amount),
    }


# code -> sentence of the line families beyond earnings (deductions, tax,
# employer costs, bonus, back pay, annuity).
SENTENCES: dict[str, Callable[[PayLine], str]] = {
    **dict.fromkeys(
        (
            "SI_PENSION",
            "SI_MEDICAL",
            "SI_UNEMPLOYMENT",
            "HOUSING_FUND",
            "SI_PENSION_EMPLOYER",
            "SI_MEDICAL_EMPLOYER",
            "SI_UNEMPLOYMENT_EMPLOYER",
            "SI_WORK_INJURY_EMPLOYER",
            "HOUSING_FUND_EMPLOYER",
        ),
        _contribution,
    ),
    "IIT": _income_tax,
    "IIT_BONUS": _bonus_tax,
    "bonus": _bonus,
    "adjustment": _adjustment,
    "ANNUITY_MEMBER": _annuity_member,
    "ANNUITY_EMPLOYER": _annuity_employer,
}
