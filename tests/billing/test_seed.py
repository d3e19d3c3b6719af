"""The seed's rules of thumb must come out of the numbers (plans: tests/fixtures/billing/seed-plans.toml).

$20/month subscription = $1.00 of API-priced credit per day; $20 pack = $20 of credit for 90 days;
metered API at list price.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from agentcost.billing.demand import Demand, pattern_demand
from agentcost.billing.plans import Plan
from agentcost.billing.recommend import recommend
from agentcost.billing.simulate import Request
from tests.billing.conftest import T0, UTC, at, m


def by_id(rec: object) -> dict[str, object]:
    return {o.strategy.id: o for o in rec.outcomes}  # type: ignore[attr-defined]


def test_steady_daily_user_gets_the_subscription(seed_plans: dict[str, Plan]) -> None:
    d = pattern_demand("steady", date(2026, 6, 1), UTC, spend_per_day=Decimal("0.90"))
    rec = recommend(seed_plans, d)
    # $0.90 x 30 = $27.00 metered; the $1/day allowance covers every day for $20 ($3.00 unused).
    assert rec.winner is not None and rec.winner.strategy.id == "sub"
    assert rec.winner.total == m(20) and rec.winner.blocked == 0
    out = by_id(rec)
    assert out["api"].total == m(27)  # type: ignore[attr-defined]
    assert out["pack"].total == m(40)  # type: ignore[attr-defined]  # $27 of work needs 2 packs
    assert rec.runner_up is not None and rec.runner_up.strategy.id == "api"
    assert "$20.00 for 30 days" in rec.reason and "metered API would cost $27.00" in rec.reason
    assert "$3.00 of allowance unused" in rec.reason


def test_bursty_user_gets_pay_as_you_go(seed_plans: dict[str, Plan]) -> None:
    # One heavy week at 4 x $0.90, then quiet: the same $27 a month.
    d = pattern_demand("bursty", date(2026, 6, 1), UTC, spend_per_day=Decimal("0.90"))
    assert d.total_usd == m(27)
    rec = recommend(seed_plans, d)
    assert rec.winner is not None and rec.winner.strategy.id in ("api", "pack")
    out = by_id(rec)
    # The subscription alone refuses work on the 7 heavy days ($3.60 - $1.00 each = $18.20).
    assert out["sub"].blocked_usd == m("18.20")  # type: ignore[attr-defined]
    # Subscription + packs: $20 + one $20 pack = $40 > $27 metered.
    assert out["sub+pack"].total == m(40)  # type: ignore[attr-defined]
    assert rec.winner.total == m(27)


def test_steady_base_with_heavy_days_gets_subscription_plus_packs(seed_plans: dict[str, Plan]) -> None:
    # $1.00 every day, plus $4.00 more on 3 days: $42 of work. Allowance covers $30, one pack the $12.
    reqs = []
    for day in range(30):
        n = 100 if day in (5, 12, 19) else 20
        reqs += [Request(at(day, 9 + i * 0.05), m("0.05")) for i in range(n)]
    d = Demand(reqs, T0, T0 + timedelta(days=30), UTC, "test", "pattern")
    rec = recommend(seed_plans, d)
    assert rec.winner is not None and rec.winner.strategy.id == "sub+pack"
    assert rec.winner.total == m(40) and rec.winner.packs_bought == 1
    out = by_id(rec)
    assert out["api"].total == m(42)  # type: ignore[attr-defined]
    assert out["pack"].total == m(60)  # type: ignore[attr-defined]
    assert out["sub"].blocked == 3 * 80  # type: ignore[attr-defined]
    assert "you exceed the allowance on 3 days; one $20.00 pack covers it" in rec.reason
    assert "$8.00 of pack credit is still valid at the end" in rec.reason


def test_sensitivity_names_the_winner_at_half_and_double(seed_plans: dict[str, Plan]) -> None:
    d = pattern_demand("steady", date(2026, 6, 1), UTC, spend_per_day=Decimal("0.90"))
    rec = recommend(seed_plans, d)
    half, double = rec.sensitivity[0.5], rec.sensitivity[2.0]
    assert half is not None and half.strategy.id == "api" and half.total == m("13.50")
    # 2x: $54 metered; sub + packs = $20 + 2 packs ($24 overflow) = $60; api wins.
    assert double is not None and double.strategy.id == "api" and double.total == m(54)


def test_max_blocked_admits_a_blocking_plan(seed_plans: dict[str, Plan]) -> None:
    d = pattern_demand("bursty", date(2026, 6, 1), UTC, spend_per_day=Decimal("0.90"))
    rec = recommend(seed_plans, d, max_blocked=10_000)
    assert rec.winner is not None and rec.winner.strategy.id == "sub"  # $20, refusing 364 requests
    # --plan sub compares the subscription alone and with its packs:
    rec = recommend(seed_plans, d, only={"sub"})
    assert rec.winner is not None and rec.winner.strategy.id == "sub+pack"
    # A subscription without packs refuses work on the heavy days: nothing qualifies.
    no_packs = {"sub": replace(seed_plans["sub"], overflow="block", packs=None)}
    rec = recommend(no_packs, d)
    assert rec.winner is None and "No strategy stays within 0 blocked requests" in rec.reason
