"""The price model and the cost arithmetic (pure: no I/O).

Rates are Decimal dollars per million tokens. `cost()` works in exact Decimal arithmetic and does
NOT round: every field of a `CostBreakdown` is `tokens × rate / 1,000,000` exactly, and `total` is the
sum of the unrounded parts. Round only for display (`agentcost.formats.money`; the money rule is
in docs/architecture.md).

Honest fallbacks (each sets `estimated=True` and adds a note, never silently):
- cache_read tokens but no cache_read rate          -> the input rate (cache reads never cost more)
- cache_write_5m tokens but no 5-minute write rate  -> the input rate
- cache_write_1h tokens but no 1-hour write rate    -> the 5-minute write rate, else the input rate
- a long-context tier that omits a field            -> the base rate for that field
- a peak-hour schedule whose hours are unknown      -> not applied (a note says a multiplier may apply)
A price without an input or an output rate cannot be used at all (`UnpricedError`): an unknown model
is never $0.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from agentcost.errors import AgentcostError
from agentcost.tokens import TokenCounts

MILLION = Decimal(1_000_000)
KINDS = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")
_CTX = decimal.Context(prec=40)


class UnpricedError(AgentcostError):
    """Raised when something tries to compute a cost without a usable price."""


@dataclass(frozen=True)
class Tier:
    """Higher rates for a whole request whose prompt (input + cache writes + reads) exceeds `above`.

    A field left None means "the base rate" (and marks the cost estimated if tokens of that kind exist).
    """

    above: int
    input: Decimal | None = None
    output: Decimal | None = None
    cache_write_5m: Decimal | None = None
    cache_write_1h: Decimal | None = None
    cache_read: Decimal | None = None

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"above_input_tokens": self.above}
        for k in KINDS:
            v = getattr(self, k)
            if v is not None:
                d[k] = str(v)
        return d


_WINDOW_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_OFFSET_RE = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def parse_window(text: str) -> tuple[time, time]:
    """'09:00-12:00' -> (09:00, 12:00). '24:00' is allowed as an end. Raises ValueError."""
    m = _WINDOW_RE.match(text)
    if not m:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"not a time range: {text!r}")
    end = time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2)
    return time(h1, m1), end


def parse_utc_offset(text: str) -> timezone:
    """'+08:00' -> timezone(timedelta(hours=8)). Raises ValueError."""
    m = _OFFSET_RE.match(text.strip())
    if not m:
        raise ValueError(f"expected a UTC offset like +08:00, got {text!r}")
    sign = -1 if m.group(1) == "-" else 1
    delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3)))
    if delta >= timedelta(hours=24):
        raise ValueError(f"UTC offset out of range: {text!r}")
    return timezone(sign * delta)


@dataclass(frozen=True)
class Peak:
    """A time-of-day multiplier on every rate. `windows` None = hours unknown: never applied."""

    multiplier: Decimal
    windows: tuple[str, ...] | None = None  # "HH:MM-HH:MM" in local time at `utc_offset`
    utc_offset: str | None = None  # "+08:00"; a fixed offset (no DST; no tz database needed)
    label: str = ""  # e.g. "Beijing time (UTC+8)"
    effective_from: date | None = None
    source: str = ""

    @property
    def known(self) -> bool:
        return bool(self.windows) and self.utc_offset is not None

    def applies(self, when: datetime) -> bool | None:
        """True/False in/outside the peak windows; None when the hours are unknown."""
        if not self.known:
            return None
        assert self.windows is not None and self.utc_offset is not None
        if when.tzinfo is None:  # documented: naive timestamps are taken as UTC
            when = when.replace(tzinfo=timezone.utc)
        local = when.astimezone(parse_utc_offset(self.utc_offset))
        if self.effective_from is not None and local.date() < self.effective_from:
            return False
        t = local.time()
        for w in self.windows:
            start, end = parse_window(w)
            if end == time(23, 59, 59, 999999):  # "…-24:00": to the end of the day
                inside = t >= start
            elif start <= end:
                inside = start <= t < end
            else:  # wraps midnight, e.g. "22:00-02:00"
                inside = t >= start or t < end
            if inside:
                return True
        return False

    def describe(self) -> str:
        if not self.known:
            return f"×{self.multiplier} in peak hours (hours unknown)"
        return f"×{self.multiplier} {', '.join(self.windows or ())} {self.label or self.utc_offset}"

    def as_dict(self) -> dict[str, object]:
        return {
            "multiplier": str(self.multiplier),
            "windows": list(self.windows) if self.windows else None,
            "utc_offset": self.utc_offset,
            "label": self.label,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "source": self.source,
        }


@dataclass(frozen=True)
class Price:
    """Rates in dollars per million tokens for one catalog entry (None = the source gives none)."""

    model: str
    input: Decimal | None
    output: Decimal | None
    cache_write_5m: Decimal | None = None
    cache_write_1h: Decimal | None = None
    cache_read: Decimal | None = None
    context_window: int | None = None
    source: str = ""
    as_of: str = ""
    tiers: tuple[Tier, ...] = ()
    peak: Peak | None = None
    free: bool = False
    provider: str | None = None
    origin: str = "bundled"  # bundled | cache:<source> | override
    query: str | None = None  # the name that was asked for
    resolution: str = "exact"  # how `query` reached `model`
    note: str | None = None

    def usable(self) -> bool:
        return self.input is not None and self.output is not None

    def rates(self) -> dict[str, Decimal | None]:
        return {k: getattr(self, k) for k in KINDS}

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"model": self.model}
        for k in KINDS:
            v = getattr(self, k)
            d[k] = str(v) if v is not None else None
        d.update(
            {
                "context_window": self.context_window,
                "tiers": [t.as_dict() for t in self.tiers],
                "peak": self.peak.as_dict() if self.peak else None,
                "free": self.free,
                "provider": self.provider,
                "source": self.source,
                "as_of": self.as_of,
                "origin": self.origin,
                "note": self.note,
            }
        )
        if self.query is not None:
            d["query"] = self.query
            d["resolution"] = self.resolution
        return d


@dataclass(frozen=True)
class CostBreakdown:
    """Dollars per token kind (exact Decimal, unrounded). `total` is the sum of the parts."""

    input: Decimal = Decimal(0)
    cache_write_5m: Decimal = Decimal(0)
    cache_write_1h: Decimal = Decimal(0)
    cache_read: Decimal = Decimal(0)
    output: Decimal = Decimal(0)
    model: str = ""
    estimated: bool = False
    notes: tuple[str, ...] = ()
    tier_above: int | None = None  # the long-context threshold applied, if any
    peak_multiplier: Decimal | None = None  # applied multiplier, if any
    requests: int = 1

    @property
    def total(self) -> Decimal:
        return self.input + self.cache_write_5m + self.cache_write_1h + self.cache_read + self.output

    def __add__(self, other: CostBreakdown) -> CostBreakdown:
        notes = self.notes + tuple(n for n in other.notes if n not in self.notes)
        return CostBreakdown(
            input=self.input + other.input,
            cache_write_5m=self.cache_write_5m + other.cache_write_5m,
            cache_write_1h=self.cache_write_1h + other.cache_write_1h,
            cache_read=self.cache_read + other.cache_read,
            output=self.output + other.output,
            model=self.model if self.model == other.model else "",
            estimated=self.estimated or other.estimated,
            notes=notes,
            tier_above=self.tier_above if self.tier_above == other.tier_above else None,
            peak_multiplier=self.peak_multiplier if self.peak_multiplier == other.peak_multiplier else None,
            requests=self.requests + other.requests,
        )

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {k: str(getattr(self, k)) for k in KINDS}
        d["total"] = str(self.total)
        d["model"] = self.model
        d["estimated"] = self.estimated
        d["notes"] = list(self.notes)
        return d


def _select_tier(price: Price, prompt_tokens: int) -> Tier | None:
    chosen: Tier | None = None
    for t in price.tiers:
        if prompt_tokens > t.above and (chosen is None or t.above > chosen.above):
            chosen = t
    return chosen


def cost(tokens: TokenCounts, price: Price | None, *, when: datetime | None = None) -> CostBreakdown:
    """Dollars for one request's (or one aggregate's) normalised tokens at `price`.

    Long-context tiers are chosen from this call's prompt size (input + cache writes + cache reads),
    so call it per request. `when` (aware; naive = UTC) enables a peak-hour multiplier whose hours are
    known; without `when` the base (off-peak) rates are used and a note says so.
    Raises UnpricedError for None or a price lacking an input or output rate: never $0.
    """
    if price is None or not isinstance(price, Price):
        raise UnpricedError("cannot compute a cost without a price (the model is unpriced)")
    if price.input is None or price.output is None:
        raise UnpricedError(f"{price.model}: the price has no input or no output rate; it cannot be used")
    if price.input == 0 and price.output == 0 and not price.free:
        raise UnpricedError(f"{price.model}: $0 input and $0 output without `free`; treated as unpriced")
    notes: list[str] = []
    estimated = False
    tier = _select_tier(price, tokens.prompt_total)
    base = price.rates()
    rates: dict[str, Decimal] = {}
    counts = {k: getattr(tokens, k) for k in KINDS}
    for kind in KINDS:
        rate = base[kind]
        if tier is not None:
            tier_rate = getattr(tier, kind)
            if tier_rate is not None:
                rate = tier_rate
            elif counts[kind] and rate is not None:
                estimated = True
                notes.append(f"no long-context (tier) rate for {kind}; base rate used")
        if rate is None:
            fallback: Decimal
            if kind == "cache_write_1h" and base["cache_write_5m"] is not None:
                fallback, what = base["cache_write_5m"], "5-minute cache-write"
                if tier is not None and tier.cache_write_5m is not None:
                    fallback = tier.cache_write_5m
            else:
                assert price.input is not None
                fallback, what = price.input, "input"
                if tier is not None and tier.input is not None:
                    fallback = tier.input
            if counts[kind]:
                estimated = True
                notes.append(f"no {kind} rate in the source; priced at the {what} rate")
            rate = fallback
        rates[kind] = rate

    multiplier: Decimal | None = None
    if price.peak is not None:
        if when is None:
            notes.append(f"base (off-peak) rates; {price.peak.describe()} not considered (no time given)")
        else:
            applies = price.peak.applies(when)
            if applies is None:
                estimated = True
                notes.append(f"a peak-hour multiplier may apply ({price.peak.describe()}); not applied")
            elif applies:
                multiplier = price.peak.multiplier

    with decimal.localcontext(_CTX):
        parts = {k: Decimal(counts[k]) * rates[k] / MILLION for k in KINDS}
        if multiplier is not None:
            parts = {k: v * multiplier for k, v in parts.items()}
    return CostBreakdown(
        input=parts["input"],
        cache_write_5m=parts["cache_write_5m"],
        cache_write_1h=parts["cache_write_1h"],
        cache_read=parts["cache_read"],
        output=parts["output"],
        model=price.model,
        estimated=estimated,
        notes=tuple(notes),
        tier_above=tier.above if tier else None,
        peak_multiplier=multiplier,
    )


__all__ = [
    "KINDS",
    "CostBreakdown",
    "Peak",
    "Price",
    "Tier",
    "UnpricedError",
    "cost",
]
