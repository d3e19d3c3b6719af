"""Defects found by the verification of `recommend` (issue 16): each test failed before its fix."""

from __future__ import annotations

import time
from datetime import timedelta

from agentcost.billing.plans import parse_plans
from agentcost.billing.recommend import build_strategies
from agentcost.billing.simulate import METERED, PACKS, Pack, Request, Strategy, simulate
from tests.billing.conftest import UTC, at, m


def test_packs_for_a_huge_spend_are_bought_at_once() -> None:
    # One $2,000,000 request against $1 packs: 2,000,000 packs, bought in one purchase (a loop that
    # bought one pack per turn took seconds here and minutes / gigabytes on a bigger spend).
    s = Strategy("pk", "pk", PACKS, pack=Pack(m(1), m(1), 90), tz=UTC)
    rs = [Request(at(0, 9), m(2_000_000)), Request(at(0, 10), m("0.5"))]
    t = time.perf_counter()
    o = simulate(s, rs, at(0), at(30), trace=True)
    assert time.perf_counter() - t < 0.5
    assert (o.packs_bought, o.packs_cost) == (2_000_001, m(2_000_001))
    assert (o.from_packs, o.pack_left) == (m("2000000.5"), m("0.5"))
    assert o.events is not None
    assert [(e.index, e.amount) for e in o.events if e.source == "pack"] == [
        (1, m(2_000_000)),
        (2_000_001, m("0.5")),
    ]


def test_bulk_packs_keep_the_soonest_expiring_first_rule() -> None:
    # 3 packs of $10 bought on day 0 for $25 of work ($5 left), 2 more on day 80 for $12.
    s = Strategy("pk", "pk", PACKS, pack=Pack(m(10), m(10), 90), tz=UTC)
    rs = [Request(at(0, 9), m(25)), Request(at(80, 9), m(12)), Request(at(95, 9), m(1))]
    o = simulate(s, rs, at(0), at(120))
    # day 80: $5 left (expires day 90) + one pack $10 = $15 >= $12: 1 pack; $3 left of the day-80 pack
    # day 95: the day-0 lot expired empty; $3 of the day-80 pack pays $1.
    assert (o.packs_bought, o.pack_expired, o.pack_left) == (4, 0, m(2))


def test_metered_plan_price_is_a_base_fee() -> None:
    plans = parse_plans('[plans.key]\nkind = "metered"\nprice = 5\nsource = "x"\n', "f.toml")
    (s,), skipped, _ = build_strategies(plans, UTC)
    assert not skipped and s.overflow == METERED and s.fee == m(5)
    o = simulate(s, [Request(at(0, 9), m(2))], at(0), at(30))
    assert (o.fees, o.metered, o.total) == (m(5), m(2), m(7))
    unknown = parse_plans('[plans.key]\nkind = "metered"\nprice = "unknown"\n', "f.toml")
    assert unknown["key"].missing() == ["price"]


def test_requests_spread_over_days_still_fast() -> None:
    s = Strategy("pk", "pk", PACKS, pack=Pack(m(1), m("0.01"), 90), tz=UTC)
    rs = [Request(at(0) + timedelta(minutes=i), m(50)) for i in range(2000)]
    t = time.perf_counter()
    o = simulate(s, rs, at(0), at(30))
    assert time.perf_counter() - t < 2
    assert o.packs_bought == 2000 * 5000
