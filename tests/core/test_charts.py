"""Server-side charts: geometry from plain values, SVG on the pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.charts import column_chart, pair_chart, stack_chart
from core.models import Role
from tests.factories import PostFactory, UserFactory, WorkerFactory


def test_columns_scale_to_the_largest_and_mark_the_latest_month():
    chart = column_chart(
        "实发", [("2026-01", Decimal("100")), ("2026-02", Decimal("200"))]
    )

    first, last = chart.columns
    assert last.height == 90
    assert first.height == 45
    assert last.highlight
    assert not first.highlight
    assert chart.change == Decimal("100.0")


def test_an_empty_month_draws_no_bar_and_no_change():
    chart = column_chart("人数", [("2026-01", 0), ("2026-02", 5)], money=False)

    assert chart.columns[0].height == 0
    assert chart.change is None


def test_pairs_share_one_scale():
    chart = pair_chart(
        "成本",
        [("梁溪区", Decimal("50"), Decimal("100"))],
        first_label="原表",
        second_label="新表",
    )

    bar = chart.bars[0]
    assert bar.second_width == 2 * bar.first_width


def test_stacks_split_a_row_by_series():
    chart = stack_chart("在岗", [("1 级", [2, 2])], series=["甲", "乙"])

    first, second = chart.rows[0].segments
    assert first.width == second.width
    assert second.x == first.x + first.width


@pytest.mark.django_db
def test_worker_list_draws_the_workforce_by_level_and_post(client):
    WorkerFactory(post=PostFactory(code="staff"), level=3)
    client.force_login(UserFactory(role=Role.CITY_STAFF))

    page = client.get(reverse("core:worker-list")).content.decode()

    assert 'id="workforce"' in page
    assert "<svg" in page
    assert "3 级" in page
