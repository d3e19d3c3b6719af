"""Hand-computed examples, one per plan kind. Every expected number is worked out in the comment."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agentcost.billing.recommend import upgrade_cost
from agentcost.billing.simulate import (
    BLOCK,
    METERED,
    PACKS,
    Limit,
    Pack,
    Request,
    Strategy,
    simulate,
)
from tests.billing.conftest import UTC, at, m

DAILY_1 = Limit("daily", "usd", m(1))
PACK_20 = Pack(m(20), m(20), 90)


def reqs(*items: tuple[int, float, str]) -> list[Request]:
    return [Request(at(d, h), m(u)) for d, h, u in items]


DAY1 = reqs((0, 9, "0.6"), (0, 10, "0.3"), (0, 15, "0.2"), (0, 16, "0.05"), (1, 9, "0.5"))


def test_daily_allowance_blocks_until_midnight() -> None:
    s = Strategy("sub", "sub", BLOCK, fee=m(20), limits=(DAILY_1,), tz=UTC)
    o = simulate(s, DAY1, at(0), at(30))
    # 0.6 + 0.3 fit; 0.2 does not (0.9 + 0.2 > 1): refused, and the day's allowance is exhausted,
    # so 0.05 at 16:00 is refused too. Day 2: 0.5 fits.
    assert (o.served, o.blocked, o.blocked_usd) == (3, 2, m("0.25"))
    assert o.blocked_hours == pytest.approx(9.0)  # 15:00 -> midnight; 16:00 lies inside that wait
    assert o.total == o.fees == m(20)
    assert o.wasted == [m(30) - m("1.4")]  # 30 daily dollars, 1.40 used
    assert (o.overflow_days, o.blocked_days) == (1, 1)


def test_daily_allowance_then_packs() -> None:
    s = Strategy("sub+pack", "sub+pack", PACKS, fee=m(20), limits=(DAILY_1,), pack=PACK_20, tz=UTC)
    o = simulate(s, DAY1, at(0), at(30))
    # 0.2 at 15:00: 0.10 from the allowance, 0.10 from a newly bought pack; 0.05 from the pack.
    assert o.blocked == 0
    assert (o.covered, o.from_packs) == (m("1.5"), m("0.15"))
    assert (o.packs_bought, o.packs_cost, o.total) == (1, m(20), m(40))
    assert o.pack_left == m("19.85") and o.pack_expired == 0  # valid to day 90, after the horizon


def test_subscription_with_metered_overflow() -> None:
    s = Strategy("sub", "sub", METERED, fee=m(20), limits=(DAILY_1,), tz=UTC)
    o = simulate(s, reqs((0, 9, "1.5"), (0, 10, "0.25")), at(0), at(30))
    # 1.00 from the allowance, 0.50 + 0.25 at API rates.
    assert (o.covered, o.metered, o.total) == (m(1), m("0.75"), m("20.75"))


def test_rolling_5h_and_weekly_request_caps() -> None:
    lims = (Limit("5h", "requests", 2), Limit("weekly", "requests", 3))
    s = Strategy("rq", "rq", BLOCK, fee=m(50), limits=lims, tz=UTC)
    rs = reqs((0, 9, "1"), (0, 10, "1"), (0, 11, "1"), (0, 15, "1"), (0, 16, "1"), (7, 1, "1"))
    o = simulate(s, rs, at(0), at(14))
    # Window [09:00, 14:00): 2 served, 11:00 refused (wait 3 h). Window [15:00, 20:00): 15:00 is the
    # 3rd of the week; 16:00 fits the 5h window but not the week: wait to next Monday 00:00 (152 h).
    # Next Monday 01:00: new week, served.
    assert (o.served, o.blocked) == (4, 2)
    assert o.blocked_hours == pytest.approx(3 + 152)
    assert o.fees == m(50) * 14 // 30  # pro-rated: $23.33
    # Unused: 5h windows opened: [9,14), [15,20), day 7 [1,6) -> 3 x 2 - 4 served = 2;
    # weekly: 2 calendar weeks x 3 - 4 = 2.
    assert o.wasted == [2, 2]


def test_prompt_ratio_counts_calls() -> None:
    # MiniMax-style: 1 prompt ~ 15 calls; 1 prompt per 5h = 15 calls.
    s = Strategy("mm", "mm", BLOCK, fee=m(20), limits=(Limit("5h", "requests", 15),), tz=UTC)
    rs = [Request(at(0, 9 + i / 60), m("0.01")) for i in range(16)]
    o = simulate(s, rs, at(0), at(30))
    assert (o.served, o.blocked) == (15, 1)


def test_token_limit_counts_tokens() -> None:
    s = Strategy("tk", "tk", BLOCK, fee=m(10), limits=(Limit("daily", "tokens", 100_000),), tz=UTC)
    rs = [
        Request(at(0, 9), m("0.1"), 60_000),
        Request(at(0, 10), m("0.1"), 50_000),
        Request(at(1, 9), m("0.1"), 1),
    ]
    o = simulate(s, rs, at(0), at(30))
    assert (o.served, o.blocked) == (2, 1)


def test_monthly_window_follows_the_billing_day() -> None:
    s = Strategy("mo", "mo", BLOCK, fee=m(50), limits=(Limit("monthly", "requests", 1),), tz=UTC)
    rs = reqs((0, 9, "1"), (29, 9, "1"), (30, 9, "1"))
    o = simulate(s, rs, at(0), at(60))
    assert (o.served, o.blocked) == (2, 1)  # day 29 is still the first period; day 30 opens the second
    assert o.fees == m(100)


def test_packs_alone_expiry_and_soonest_first() -> None:
    s = Strategy("pk", "pk", PACKS, pack=Pack(m(20), m(25), 90), tz=UTC)
    rs = reqs((0, 9, "10"), (95, 9, "1"))
    o = simulate(s, rs, at(0), at(120), trace=True)
    # Pack 1 (day 0): 25 - 10 = 15 left, expires day 90 unused. Day 95: pack 2, 24 left at the end.
    assert (o.packs_bought, o.packs_cost) == (2, m(40))
    assert (o.pack_expired, o.pack_left) == (m(15), m(24))
    rs = reqs((0, 9, "20"), (10, 9, "10"))
    o = simulate(s, rs, at(0), at(90), trace=True)
    # Day 10: balance 5 < 10 -> buy pack 2; drain pack 1 (expires first) 5, then pack 2 5.
    assert o.events is not None
    draws = [(e.index, e.amount) for e in o.events if e.source == "pack"]
    assert draws == [(1, m(20)), (1, m(5)), (2, m(5))]
    assert (o.pack_left, o.pack_expired) == (m(20), 0)  # pack 2 runs to day 100, past the horizon
    o = simulate(s, rs, at(0), at(120))
    assert (o.pack_left, o.pack_expired) == (0, m(20))  # ... and expires inside a 120-day horizon


def test_metered_with_hard_daily_cap() -> None:
    s = Strategy("cap", "cap", METERED, daily_cap=m(1), tz=UTC)
    o = simulate(s, DAY1, at(0), at(30))
    # Day 1: 0.6 + 0.3 = 0.9; 0.2 would pass $1: refused, cap reached for the day (0.05 refused too).
    assert (o.metered, o.blocked, o.blocked_usd) == (m("1.4"), 2, m("0.25"))
    assert o.blocked_hours == pytest.approx(9.0)


def test_metered_uncapped() -> None:
    o = simulate(Strategy("api", "api", METERED), DAY1, at(0), at(30))
    assert (o.total, o.blocked, o.served) == (m("1.65"), 0, 5)


def test_midnight_follows_the_strategy_time_zone() -> None:
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    # 03:00 UTC on day 1 is 23:00 on day 0 in New York: the same local day as 20:00 UTC day 0.
    rs = [Request(at(0, 20), m("0.8")), Request(at(1, 3), m("0.5"))]
    s = Strategy("sub", "sub", BLOCK, fee=m(20), limits=(DAILY_1,), tz=ny)
    assert simulate(s, rs, at(0), at(30)).blocked == 1
    s = Strategy("sub", "sub", BLOCK, fee=m(20), limits=(DAILY_1,), tz=UTC)
    assert simulate(s, rs, at(0), at(30)).blocked == 0


@pytest.mark.parametrize(
    ("old", "new", "left", "period", "want"),
    [
        ("10", "20", 14, 30, "4.67"),  # the seed's example: Starter -> Lite, 14 of 30 days left
        ("10", "20", 30, 30, "10.00"),
        ("10", "20", 0, 30, "0.00"),
        ("0", "0.25", 1, 2, "0.13"),  # 0.125 rounds half-up (banker's rounding would give 0.12)
    ],
)
def test_upgrade_cost(old: str, new: str, left: int, period: int, want: str) -> None:
    assert upgrade_cost(Decimal(old), Decimal(new), left, period) == Decimal(want)


def test_upgrade_cost_refuses_downgrades_and_bad_days() -> None:
    with pytest.raises(ValueError, match="downgrade"):
        upgrade_cost(Decimal(20), Decimal(10), 5)
    with pytest.raises(ValueError, match="between"):
        upgrade_cost(Decimal(10), Decimal(20), 31)


def test_a_refused_request_does_not_open_a_rolling_window() -> None:
    lims = (Limit("5h", "requests", 2), Limit("weekly", "requests", 3))
    s = Strategy("rq", "rq", BLOCK, fee=m(50), limits=lims, tz=UTC)
    rs = reqs((0, 9, "1"), (0, 10, "1"), (0, 11, "1"), (0, 15, "1"), (1, 9, "1"), (2, 9, "1"))
    o = simulate(s, rs, at(0), at(14))
    # Served: Mon 09:00, 10:00, 15:00 (the week's 3). Refused: 11:00 (5h full, 3 h wait), Tue and Wed
    # 09:00 (week full: wait to next Monday 00:00, 135 h from Tuesday 09:00, Wednesday inside it).
    assert (o.served, o.blocked) == (3, 3)
    assert o.blocked_hours == pytest.approx(3 + 135)
    # Only the two 5h windows that served something count: 2 x 2 - 3 = 1 unused; weekly 2 x 3 - 3 = 3.
    assert o.wasted == [1, 3]
