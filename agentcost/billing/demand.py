"""Demand: the timed requests a strategy must serve, from usage logs or from a described pattern.

Pure: no clock, no files, no pricing catalog. Callers pass the pricing function and the dates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from agentcost.billing.simulate import MICROS, Request
from agentcost.formats import money
from agentcost.tokens import TokenCounts
from agentcost.usage.records import UsageRecord

PATTERNS = ("steady", "weekday", "bursty")
WORK_START, WORK_HOURS = time(9, 0), 8
CALL_TOKENS = 50_000
# How a pattern's tokens split inside one call (per 50,000): a typical agentic call re-reads a large
# cached context and writes a little: 1,000 uncached input, 4,000 cache write (5 min), 44,000 cache
# read, 1,000 output.
CALL_MIX = (("input", 1_000), ("cache_write_5m", 4_000), ("cache_read", 44_000), ("output", 1_000))
DEFAULT_REQUEST_USD = Decimal("0.05")
NO_MODEL = "(model not logged)"  # the same words as `agentcost usage`


def to_micros(usd: Decimal) -> int:
    return int((usd * MICROS).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass
class Demand:
    requests: list[Request]
    start: datetime
    end: datetime
    tz: tzinfo
    basis: str  # one sentence: how the requests were made
    source: str  # "pattern" | "logs"
    history_days: int | None = None
    unpriced: dict[str, int] = field(default_factory=dict)  # model -> requests left out
    models: dict[str, int] = field(default_factory=dict)  # model -> priced requests ({} = none named)
    assumed_model: str | None = None  # a pattern without --model: the model eligibility assumes
    notes: list[str] = field(default_factory=list)  # what was adjusted, in words (history, horizon)

    @property
    def horizon_days(self) -> int:
        return round((self.end - self.start) / timedelta(days=1))

    @property
    def total_usd(self) -> int:
        return sum(r.usd for r in self.requests)

    @property
    def active_days(self) -> int:
        return len({r.at.astimezone(self.tz).date() for r in self.requests})

    @property
    def has_tokens(self) -> bool:
        return all(r.tokens is not None for r in self.requests)

    def scaled(self, factor: float) -> Demand:
        """The same work done `factor` times as often: requests repeated (2×) or thinned (0.5×)."""
        out: list[Request] = []
        for i, r in enumerate(self.requests):
            out.extend([r] * (math.floor((i + 1) * factor) - math.floor(i * factor)))
        return replace(self, requests=out)


def pattern_requests(
    pattern: str,
    start_day: date,
    horizon_days: int,
    *,
    spend_per_day: Decimal | None = None,
    tokens_per_day: int | None = None,
    request_usd: Decimal = DEFAULT_REQUEST_USD,
    active_days: int | None = None,
    heavy_days: int = 0,
    heavy_factor: Decimal = Decimal(4),
) -> int:
    """How many calls `pattern_demand` would make with these arguments (cheap: no calls are built)."""
    days = [start_day + timedelta(days=i) for i in range(horizon_days)]
    n = 0
    for w in _day_weights(pattern, days, active_days, heavy_days, heavy_factor):
        if not w:
            continue
        if spend_per_day is not None:
            total = to_micros(spend_per_day * w)
            n += -(-total // max(1, to_micros(request_usd))) if total else 0
        else:
            n += max(1, -(-int((tokens_per_day or 0) * w) // CALL_TOKENS))
    return n


def pattern_tokens(total: int) -> TokenCounts:
    """Split `total` tokens of one call by CALL_MIX (remainder to cache reads)."""
    parts = {k: total * share // CALL_TOKENS for k, share in CALL_MIX}
    parts["cache_read"] += total - sum(parts.values())
    return TokenCounts(**parts)


def _day_weights(
    pattern: str,
    days: list[date],
    active_days: int | None,
    heavy_days: int = 0,
    heavy_factor: Decimal = Decimal(4),
) -> list[Decimal]:
    """Weight per day (multiples of the daily amount): 0 idle, 1 ordinary, `heavy_factor` heavy.

    Each 30-day cycle: steady = every day (or `active_days` evenly spaced); weekday = Monday-Friday;
    bursty = days 1-7 at 4x, days 15 and 22 at 1x. `heavy_days` (steady/weekday) of each cycle's
    active days, evenly spaced among them, are at `heavy_factor` instead of 1.
    """
    out: list[Decimal] = []
    for i, d in enumerate(days):
        c = i % 30
        if pattern == "steady":
            n = 30 if active_days is None else active_days
            out.append(Decimal(1) if (c + 1) * n // 30 > c * n // 30 else Decimal(0))
        elif pattern == "weekday":
            out.append(Decimal(1) if d.weekday() < 5 else Decimal(0))
        else:
            out.append(Decimal(4) if c < 7 else Decimal(1) if c in (14, 21) else Decimal(0))
    if heavy_days and pattern != "bursty":
        for cycle in range(0, len(days), 30):
            active = [i for i in range(cycle, min(cycle + 30, len(days))) if out[i]]
            n, size = min(heavy_days, len(active)), len(active)
            for j, i in enumerate(active):
                if (j + 1) * n // size > j * n // size:
                    out[i] = heavy_factor
    return out


def pattern_demand(
    pattern: str,
    start_day: date,
    tz: tzinfo,
    *,
    horizon_days: int = 30,
    spend_per_day: Decimal | None = None,
    tokens_per_day: int | None = None,
    price_tokens: Callable[[TokenCounts], Decimal] | None = None,
    request_usd: Decimal = DEFAULT_REQUEST_USD,
    active_days: int | None = None,
    heavy_days: int = 0,
    heavy_factor: Decimal = Decimal(4),
    model: str | None = None,
) -> Demand:
    """Turn a described month into timed requests (see `agentcost recommend --help`).

    Spend mode: a day's spend is cut into calls of `request_usd` (the last one smaller);
    token mode: a day's tokens into calls of 50,000 tokens (CALL_MIX), priced with `price_tokens`.
    Calls are spread evenly over 09:00–17:00 local time, at the middle of equal slots.
    """
    if pattern not in PATTERNS:
        raise ValueError(pattern)
    if (spend_per_day is None) == (tokens_per_day is None):
        raise ValueError("give exactly one of spend_per_day, tokens_per_day")
    if tokens_per_day is not None and price_tokens is None:
        raise ValueError("tokens_per_day needs price_tokens")
    if to_micros(request_usd) <= 0:
        raise ValueError("request_usd must be at least one micro-dollar")
    days = [start_day + timedelta(days=i) for i in range(horizon_days)]
    weights = _day_weights(pattern, days, active_days, heavy_days, heavy_factor)
    reqs: list[Request] = []
    slot0 = WORK_HOURS * 3600
    for d, w in zip(days, weights, strict=True):
        if not w:
            continue
        sizes: list[tuple[int, int | None]] = []
        if spend_per_day is not None:
            total = to_micros(spend_per_day * w)
            if not total:
                continue  # no spend, no calls (a zero demand is an answer: each plan's fixed cost)
            step = to_micros(request_usd)
            n = -(-total // step)
            sizes = [(total // n + (1 if k < total % n else 0), None) for k in range(n)]
        else:
            assert tokens_per_day is not None and price_tokens is not None
            tok = int(tokens_per_day * w)
            n = max(1, -(-tok // CALL_TOKENS))
            for k in range(n):
                t = tok // n + (1 if k < tok % n else 0)
                sizes.append((to_micros(price_tokens(pattern_tokens(t))), t))
        base = datetime.combine(d, WORK_START, tzinfo=tz)
        for k, (usd, tokens) in enumerate(sizes):
            at = base + timedelta(seconds=(2 * k + 1) * slot0 / (2 * len(sizes)))
            reqs.append(Request(at, usd, tokens))
    start = datetime.combine(start_day, time(0), tzinfo=tz)
    size = (
        f"{money(request_usd)} calls"
        if spend_per_day is not None
        else f"50,000-token calls of {model or 'the model'}"
    )
    what = money(spend_per_day) if spend_per_day is not None else f"{tokens_per_day:,} tokens"
    shape = {
        "steady": "every day"
        if active_days in (None, 30)
        else f"{active_days} day{'' if active_days == 1 else 's'} in 30, evenly spaced",
        "weekday": "Monday to Friday",
        "bursty": "a heavy week (4x) then an ordinary day in each of the next two weeks",
    }[pattern]
    if heavy_days and pattern != "bursty":
        shape += f", {heavy_days} of them per 30 heavy ({heavy_factor}x)"
    basis = f"{pattern} pattern: {what} a day, {shape}, as {size} spread over 09:00-17:00"
    models = {model: len(reqs)} if model else {}
    return Demand(reqs, start, start + timedelta(days=horizon_days), tz, basis, "pattern", models=models)


def logs_demand(
    records: Iterable[UsageRecord],
    price_record: Callable[[UsageRecord], Decimal | None],
    *,
    since: datetime,
    history_days: int,
    horizon_days: int,
    tz: tzinfo,
    as_model: str | None = None,
) -> Demand:
    """Requests from usage records in [since, since + history_days).

    Unpriced records are left out (counted per model, never priced at $0). A history shorter than
    the horizon is repeated whole-day-shifted to fill it; a longer one widens the horizon.
    """
    base: list[Request] = []
    unpriced: Counter[str] = Counter()
    models: Counter[str] = Counter()
    until = since + timedelta(days=history_days)
    for rec in records:
        if not since <= rec.timestamp < until or rec.tokens.total == 0:
            continue
        usd = price_record(rec)
        if usd is None:
            unpriced[rec.model or NO_MODEL] += 1
            continue
        models[as_model or rec.model or NO_MODEL] += 1
        base.append(Request(rec.timestamp, to_micros(usd), rec.tokens.total))
    base.sort(key=lambda r: r.at)
    notes: list[str] = []
    asked = history_days
    if base:
        # Days before the first record are not history, they are days before the logs began.
        first = base[0].at.astimezone(tz).date()
        if first > since.astimezone(tz).date():
            begin = datetime.combine(first, time(0), tzinfo=tz)
            history_days = round((until - begin) / timedelta(days=1))
            since = begin
            notes.append(
                f"--days {asked}: your logs start on {first:%Y-%m-%d}, so the history is the "
                f"{history_days} days from then"
            )
    span = max(history_days, horizon_days)
    if history_days > horizon_days:
        notes.append(
            f"the horizon is the whole {history_days}-day history, longer than --horizon {horizon_days} "
            "(fees are pro-rated to it)"
        )
    reqs = list(base)
    k = 1
    while k * history_days < span:
        shift = timedelta(days=k * history_days)
        reqs.extend(
            Request(r.at + shift, r.usd, r.tokens, r.calls)
            for r in base
            if r.at + shift < since + timedelta(days=span)
        )
        k += 1
    reqs.sort(key=lambda r: r.at)
    repriced = f", re-priced as {as_model}" if as_model else " at the logged models' API prices"
    tiled = f", repeated to fill {span} days" if span > history_days else ""
    basis = f"your logs: {len(base):,} requests in the last {history_days} days{repriced}{tiled}"
    end = since + timedelta(days=span)
    return Demand(
        reqs, since, end, tz, basis, "logs", history_days, dict(unpriced), dict(models), notes=notes
    )


def shift_sorted(requests: Sequence[Request]) -> list[Request]:
    return sorted(requests, key=lambda r: r.at)
