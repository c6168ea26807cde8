"""The demo city the simulation starts from, built as of its first day."""

from __future__ import annotations

from datetime import date

from core import clock
from core.demo import DemoCity, build_demo_city, demo_seed_apps


def build_city(
    *, communities: int, workers_per_community: int, seed: int, start: date
) -> DemoCity:
    """seed_demo's city on ``start``: organisation, workers placed on the
    scale, last years' grades, the annuity plan. The fund and its projects
    are left to the driver, which runs them from the first month."""
    with clock.frozen(start):
        demo = build_demo_city(
            communities=communities,
            workers_per_community=workers_per_community,
            seed=seed,
            today=start,
        )
        demo_seed_apps(
            demo=demo, seed=seed, today=start, skip={"funding", "simulation"}
        )
    return demo
