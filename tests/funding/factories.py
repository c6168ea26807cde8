"""Factories of the fund."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from core.models import Role
from core.money import decimal_of
from funding.models import Category, ExpenseClass, FundYear, Project, ProjectState
from tests.factories import CommunityFactory, UserFactory


class FundYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundYear

    community = factory.SubFactory(CommunityFactory)
    year = 2026
    allocation = Decimal("200000.00")
    city_share = Decimal("100000.00")
    district_share = Decimal("60000.00")
    street_share = Decimal("40000.00")
    carried_in = Decimal("0.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    fund_year = factory.SubFactory(FundYearFactory)
    category = factory.LazyFunction(lambda: Category.objects.get(code="public"))
    title = factory.Sequence(lambda n: f"楼道照明改造{n}")
    purpose = "更换老旧小区楼道灯具，方便居民夜间出行"
    beneficiaries = "老旧小区居民"
    expected_beneficiaries = 300
    estimated_cost = Decimal("30000.00")
    state = ProjectState.PROPOSED
    proposed_by = factory.LazyAttribute(
        lambda o: UserFactory(role=Role.SECRETARY, community=o.fund_year.community)
    )
    proposed_on = date(2026, 3, 1)
    needs_district = factory.LazyAttribute(
        lambda o: o.estimated_cost > Decimal("50000")
    )


def approved_project(**kwargs) -> Project:
    """A project already approved (or further on), holding its reservation."""
    kwargs.setdefault("state", ProjectState.APPROVED)
    project = ProjectFactory(**kwargs)
    project.reserved = decimal_of(project.estimated_cost)
    project.save(update_fields=["reserved"])
    return project


def services_bought() -> ExpenseClass:
    """An allowed economic classification (shipped by the reference data)."""
    return ExpenseClass.objects.get(code="services_bought")
