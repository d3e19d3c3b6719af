"""Demand construction: patterns are exact and deterministic; logs are priced, tiled and filtered."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from decimal import Decimal
from typing import Any

from agentcost.billing.demand import logs_demand, pattern_demand, pattern_requests, pattern_tokens
from agentcost.tokens import TokenCounts
from agentcost.usage.records import UsageRecord
from tests.billing.conftest import T0, UTC, at, m

JUNE_1 = date(2026, 6, 1)  # a Monday


def days_with_requests(d: object) -> list[int]:
    return sorted({(r.at.date() - JUNE_1).days for r in d.requests})  # type: ignore[attr-defined]


def test_steady_spreads_equal_calls_over_working_hours() -> None:
    d = pattern_demand("steady", JUNE_1, UTC, spend_per_day=Decimal("0.90"))
    assert len(d.requests) == 30 * 18 and d.total_usd == m(27)
    first_day = [r for r in d.requests if r.at.date() == JUNE_1]
    # 18 calls of $0.05 in 18 equal slots of 8 h: the first at 09:13:20, the last at 16:46:40.
    assert all(r.usd == m("0.05") for r in first_day)
    assert first_day[0].at == at(0, 9 + 1 / 18 * 4)
    assert first_day[-1].at == at(0, 17 - 1 / 18 * 4)
    assert d.basis == "steady pattern: $0.90 a day, every day, as $0.05 calls spread over 09:00-17:00"


def test_last_call_of_a_day_is_smaller() -> None:
    d = pattern_demand("steady", JUNE_1, UTC, spend_per_day=Decimal("0.12"), horizon_days=1)
    # $0.12 in $0.05 calls: 3 calls, $0.12 split as evenly as micro-dollars allow.
    assert [r.usd for r in d.requests] == [40_000, 40_000, 40_000]


def test_weekday_and_active_days() -> None:
    d = pattern_demand("weekday", JUNE_1, UTC, spend_per_day=Decimal(1))
    assert days_with_requests(d) == [i for i in range(30) if i % 7 < 5]  # 22 weekdays from a Monday
    d = pattern_demand("steady", JUNE_1, UTC, spend_per_day=Decimal(1), active_days=10)
    assert days_with_requests(d) == [2, 5, 8, 11, 14, 17, 20, 23, 26, 29]


def test_bursty_keeps_the_monthly_total() -> None:
    d = pattern_demand("bursty", JUNE_1, UTC, spend_per_day=Decimal("0.90"))
    assert days_with_requests(d) == [0, 1, 2, 3, 4, 5, 6, 14, 21]
    assert d.total_usd == m(27)  # 7 x 4 x 0.90 + 2 x 0.90


def test_token_pattern_uses_the_stated_call_mix() -> None:
    assert pattern_tokens(50_000) == TokenCounts(
        input=1_000, cache_write_5m=4_000, cache_read=44_000, output=1_000
    )
    seen: list[TokenCounts] = []

    def price(t: TokenCounts) -> Decimal:
        seen.append(t)
        return Decimal(t.total) / 1_000_000  # $1 per million tokens

    d = pattern_demand("steady", JUNE_1, UTC, tokens_per_day=120_000, price_tokens=price, horizon_days=1)
    # 120,000 tokens: 3 calls of 40,000; each $0.04 at $1/M.
    assert [(r.tokens, r.usd) for r in d.requests] == [(40_000, m("0.04"))] * 3


def test_patterns_are_deterministic() -> None:
    a = pattern_demand("bursty", JUNE_1, UTC, spend_per_day=Decimal("2.5"), horizon_days=60)
    b = pattern_demand("bursty", JUNE_1, UTC, spend_per_day=Decimal("2.5"), horizon_days=60)
    assert a.requests == b.requests and a.total_usd == m(150)  # the 30-day cycle repeats


def rec(hour: float, model: str | None, tokens: int = 1000) -> UsageRecord:
    return UsageRecord(at(0, hour), "claude", "s", None, model, None, TokenCounts(input=tokens))


def test_logs_demand_prices_tiles_and_reports_unpriced() -> None:
    records = [rec(10, "priced"), rec(11, "mystery"), rec(12, None), rec(13, "priced", 0), rec(-1, "priced")]

    def price(r: UsageRecord) -> Decimal | None:
        return Decimal("0.01") if r.model == "priced" else None

    d = logs_demand(records, price, since=T0, history_days=7, horizon_days=30, tz=UTC)
    # One priced record in the 7-day history (the zero-token one and the one before `since` are
    # dropped), repeated at days 0, 7, 14, 21, 28.
    assert [r.at for r in d.requests] == [at(k, 10) for k in (0, 7, 14, 21, 28)]
    assert d.unpriced == {"mystery": 1, "(model not logged)": 1}
    assert d.horizon_days == 30 and d.history_days == 7
    # A history longer than the horizon widens it instead of dropping days.
    d = logs_demand(records, price, since=T0, history_days=45, horizon_days=30, tz=UTC)
    assert d.horizon_days == 45 and len(d.requests) == 1
    assert d.end == T0 + timedelta(days=45)


def test_scaled_repeats_or_thins_requests() -> None:
    d = pattern_demand("steady", JUNE_1, UTC, spend_per_day=Decimal("0.90"), horizon_days=1)
    assert len(d.scaled(2.0).requests) == 36 and d.scaled(2.0).total_usd == m("1.80")
    assert len(d.scaled(0.5).requests) == 9 and d.scaled(0.5).total_usd == m("0.45")


def test_heavy_days_are_spread_among_active_days() -> None:
    d = pattern_demand(
        "weekday", JUNE_1, UTC, spend_per_day=Decimal(1), heavy_days=2, heavy_factor=Decimal(3)
    )
    per_day: dict[int, int] = {}
    for r in d.requests:
        per_day[(r.at.date() - JUNE_1).days] = per_day.get((r.at.date() - JUNE_1).days, 0) + r.usd
    # 22 weekdays; the 11th and 22nd of them (days 14 and 29) hold 3 days' work.
    assert {k for k, v in per_day.items() if v == m(3)} == {14, 29}
    assert d.total_usd == m(20 + 2 * 3)


def test_pattern_requests_matches_pattern_demand() -> None:
    for pattern, extra in (
        ("steady", {"active_days": 7, "heavy_days": 2, "heavy_factor": Decimal("3.5")}),
        ("weekday", {"heavy_days": 3}),
        ("bursty", {}),
    ):
        kw: dict[str, Any] = {"spend_per_day": Decimal("2.37"), "request_usd": Decimal("0.07"), **extra}
        d = pattern_demand(pattern, date(2026, 6, 1), timezone.utc, horizon_days=45, **kw)
        assert pattern_requests(pattern, date(2026, 6, 1), 45, **kw) == len(d.requests)
