"""Invariants of the simulator, checked on random demand and random strategies (hypothesis)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.billing.simulate import (
    BLOCK,
    METERED,
    PACKS,
    Limit,
    Outcome,
    Pack,
    Request,
    Strategy,
    simulate,
)
from tests.billing.conftest import T0, UTC, m

HORIZON = 40
END = T0 + timedelta(days=HORIZON)
SETTINGS = settings(max_examples=60, deadline=None)

requests_st = st.lists(
    st.tuples(
        st.integers(0, HORIZON * 24 * 60 - 1),  # minute in the horizon
        st.integers(0, m(3)),  # micro-dollars
        st.integers(1, 200_000),  # tokens
    ),
    max_size=60,
).map(lambda xs: sorted((Request(T0 + timedelta(minutes=t), u, k) for t, u, k in xs), key=lambda r: r.at))

limit_st = st.one_of(
    st.builds(
        Limit,
        st.sampled_from(["daily", "weekly", "monthly", "5h", "2h"]),
        st.just("usd"),
        st.integers(1, m(5)),
    ),
    st.builds(Limit, st.sampled_from(["daily", "5h"]), st.just("requests"), st.integers(1, 20)),
    st.builds(Limit, st.sampled_from(["daily", "5h"]), st.just("tokens"), st.integers(1, 500_000)),
)
pack_st = st.builds(Pack, st.integers(m(1), m(30)), st.integers(m(1), m(30)), st.integers(1, 30))


@st.composite
def strategy_st(draw: st.DrawFn, overflow: str | None = None) -> Strategy:
    ov = overflow or draw(st.sampled_from([BLOCK, METERED, PACKS]))
    limits = tuple(draw(st.lists(limit_st, max_size=3)))
    fee = draw(st.integers(0, m(50))) if limits else 0
    pack = draw(pack_st) if ov == PACKS else None
    cap = draw(st.one_of(st.none(), st.integers(1, m(5)))) if ov == METERED else None
    return Strategy("s", "s", ov, fee, 30, limits, pack, cap, UTC)


def run(s: Strategy, reqs: list[Request]) -> Outcome:
    return simulate(s, reqs, T0, END, trace=True)


@SETTINGS
@given(strategy_st(), requests_st)
def test_money_and_work_are_conserved(s: Strategy, reqs: list[Request]) -> None:
    o = run(s, reqs)
    assert o.events is not None
    # cost = subscription fees + packs bought + metered
    assert o.total == o.fees + o.packs_cost + o.metered
    assert o.fees == (s.fee * HORIZON * 2 + 30) // 60  # pro-rated, half-up
    assert o.packs_cost == o.packs_bought * (s.pack.price if s.pack else 0)
    assert o.metered == sum(e.amount for e in o.events if e.source == "metered")
    # every dollar of work is paid exactly once: allowance + packs + metered + refused
    assert o.covered + o.from_packs + o.metered + o.blocked_usd == sum(r.usd for r in reqs)
    assert o.served + o.blocked == len(reqs)
    credit = o.packs_bought * (s.pack.credit if s.pack else 0)
    assert credit == o.from_packs + o.pack_expired + o.pack_left


@SETTINGS
@given(strategy_st(), requests_st)
def test_no_allowance_used_beyond_its_window(s: Strategy, reqs: list[Request]) -> None:
    o = run(s, reqs)
    assert o.events is not None
    used: dict[tuple[int, datetime | None], int] = defaultdict(int)
    for e in o.events:
        if e.source != "limit":
            continue
        assert e.window_start is not None and e.window_end is not None
        assert e.window_start <= e.at < e.window_end  # drawn inside its window, never after the reset
        lim = s.limits[e.index]
        if lim.window == "daily":
            assert e.window_start == datetime.combine(e.at.date(), datetime.min.time(), tzinfo=UTC)
        used[(e.index, e.window_start)] += e.amount
    for (i, _), amount in used.items():
        assert amount <= s.limits[i].capacity


@SETTINGS
@given(strategy_st(PACKS), requests_st)
def test_packs_drain_soonest_expiring_first_and_never_after_expiry(s: Strategy, reqs: list[Request]) -> None:
    o = run(s, reqs)
    assert o.events is not None and s.pack is not None
    left: dict[int, int] = {}
    expiry: dict[int, datetime] = {}
    # One purchase may hold several packs (the shortfall is bought at once): an event's index is the
    # number of its purchase's first pack, so a purchase holds (next purchase's number - its own) packs.
    firsts = [*sorted({e.index for e in o.events if e.source == "pack"}), o.packs_bought + 1]
    size = {a: (b - a) * s.pack.credit for a, b in pairwise(firsts)}
    for e in o.events:
        if e.source != "pack":
            continue
        assert e.window_end is not None
        left.setdefault(e.index, size[e.index])
        expiry[e.index] = e.window_end
        assert e.at < e.window_end  # never drawn after expiry
        for j in left:  # every pack expiring sooner and still valid must already be empty
            if j < e.index and expiry[j] > e.at:
                assert left[j] == 0
        left[e.index] -= e.amount
        assert left[e.index] >= 0


@SETTINGS
@given(strategy_st(), requests_st, st.integers(2, 4))
def test_more_demand_never_costs_less_when_nothing_is_refused(
    s: Strategy, reqs: list[Request], k: int
) -> None:
    base = run(s, reqs)
    bigger = [Request(r.at, r.usd * k, (r.tokens or 0) * k) for r in reqs]
    more = run(s, bigger)
    if base.blocked == 0 and more.blocked == 0:
        assert more.total >= base.total
    # With refusals, paid + refused work still grows on calendar windows. (Not on rolling ones: a
    # request refused whole no longer opens the window, so the next one may open it and fit.)
    if all(not lim.window.endswith("h") for lim in s.limits):
        assert more.total + more.blocked_usd >= base.total + base.blocked_usd


@SETTINGS
@given(st.integers(1, m(5)), st.sampled_from([METERED, PACKS]), pack_st, requests_st, requests_st)
def test_extra_requests_never_cost_less_on_a_daily_dollar_allowance(
    cap: int, ov: str, pack: Pack, reqs: list[Request], extra: list[Request]
) -> None:
    s = Strategy(
        "d", "d", ov, m(20), 30, (Limit("daily", "usd", cap),), pack if ov == PACKS else None, None, UTC
    )
    union = sorted(reqs + extra, key=lambda r: r.at)
    assert run(s, union).total >= run(s, reqs).total


@SETTINGS
@given(strategy_st(), requests_st)
def test_nothing_is_refused_when_the_overflow_bills(s: Strategy, reqs: list[Request]) -> None:
    o = run(s, reqs)
    if s.overflow == PACKS or (s.overflow == METERED and s.daily_cap is None):
        assert o.blocked == 0 and o.blocked_usd == 0 and o.blocked_hours == 0


NY = ZoneInfo("America/New_York")
DST_START = datetime(2026, 3, 1, tzinfo=NY)  # the clocks change on 2026-03-08 and 2026-11-01

dst_requests_st = st.lists(
    st.tuples(st.integers(0, HORIZON * 24 * 60 - 1), st.integers(0, m(2))),
    max_size=60,
).map(lambda xs: sorted((Request(DST_START + timedelta(minutes=t), u) for t, u in xs), key=lambda r: r.at))


@SETTINGS
@given(st.integers(1, m(3)), st.sampled_from([BLOCK, METERED]), dst_requests_st)
def test_daily_windows_follow_local_midnight_across_dst(cap: int, ov: str, reqs: list[Request]) -> None:
    s = Strategy("ny", "ny", ov, m(20), 30, (Limit("daily", "usd", cap),), tz=NY)
    o = simulate(s, reqs, DST_START, DST_START + timedelta(days=HORIZON), trace=True)
    assert o.events is not None
    used: dict[datetime, int] = defaultdict(int)
    for e in o.events:
        if e.source == "limit":
            local = e.at.astimezone(NY)
            assert e.window_start == datetime.combine(local.date(), datetime.min.time(), tzinfo=NY)
            assert e.window_start <= e.at < e.window_end  # type: ignore[operator]
            used[e.window_start] += e.amount
    assert all(v <= cap for v in used.values())
    # Unused allowance counts every local day of the horizon (40), idle days included.
    assert o.wasted == [HORIZON * cap - sum(used.values())]
