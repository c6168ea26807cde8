"""Sentences for the payslip lines beyond earnings: social insurance, housing
fund, income tax, bonus, back pay and annuity (see payroll.derivations)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payroll import derivations
from payroll.derivations import money, percent
from payroll.rules.lines import PayLine

derivations.LINE_NAMES.update(
    {
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
)


def _contribution(line: PayLine) -> str:
    p = line.params
    return _(
        "%(name)s = 缴费基数 %(base)s × %(rate)s = %(amount)s（参数 %(version)s）"
    ) % {
        "name": derivations.line_name(line.code),
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
        "name": derivations.line_name(line.code),
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
        "name": derivations.line_name(line.code),
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
        "name": derivations.line_name(line.code),
        "amount": money(line.amount),
        "how": how,
    }


def _adjustment(line: PayLine) -> str:
    p = line.params
    return _(
        "%(period)s %(item)s：重算 %(recomputed)s − 已发 %(paid)s = %(amount)s（%(reason)s）"
    ) % {
        "period": p["period"],
        "item": derivations.line_name(p["item"]),
        "recomputed": money(p["recomputed"]),
        "paid": money(p["paid"]),
        "amount": money(line.amount),
        "reason": p.get("reason", ""),
    }


for code in (
    "SI_PENSION",
    "SI_MEDICAL",
    "SI_UNEMPLOYMENT",
    "HOUSING_FUND",
    "SI_PENSION_EMPLOYER",
    "SI_MEDICAL_EMPLOYER",
    "SI_UNEMPLOYMENT_EMPLOYER",
    "SI_WORK_INJURY_EMPLOYER",
    "HOUSING_FUND_EMPLOYER",
):
    derivations.SENTENCES[code] = _contribution
derivations.SENTENCES["IIT"] = _income_tax
derivations.SENTENCES["IIT_BONUS"] = _bonus_tax
derivations.SENTENCES["bonus"] = _bonus
derivations.SENTENCES["adjustment"] = _adjustment


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


derivations.SENTENCES["ANNUITY_MEMBER"] = _annuity_member
derivations.SENTENCES["ANNUITY_EMPLOYER"] = _annuity_employer
