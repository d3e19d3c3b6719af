"""Replay timed requests against one billing strategy. Pure and deterministic: no I/O, no clock.

Money is integer micro-dollars (1 USD = 1,000,000), so sums are exact and money is conserved.

Rules (they are the documented behaviour of `agentcost recommend`):
- A request is covered by the subscription only while every limit of the strategy has room.
  Dollar limits ("usd") may cover part of a request when the overflow can pay the rest; request and
  token limits count a request whole. Once a limit refuses a request, its window is exhausted until
  it resets (vendors stop you at the limit, they do not skip to smaller requests).
- Windows: "daily" resets at midnight in the strategy's time zone; "weekly" at Monday 00:00 there;
  "monthly" every `period_days` from the start of the horizon (the subscription's billing day);
  "<N>h" (e.g. "5h") is rolling: it starts at the first request after the previous one ended.
- Overflow: "block" (the request is refused; we count it, its dollars and the wait until the
  refusing window resets), "metered" (billed at API rates, optionally refused beyond a daily cap),
  "packs" (prepaid packs: when the balance cannot pay, the packs covering the shortfall are bought
  at once; packs expire after
  `valid_days`; the pack expiring soonest is drained first).
- Subscription fees are pro-rated: price x horizon days / period days (one fee for 30 of 30 days).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

MICROS = 1_000_000
USD, REQUESTS, TOKENS = "usd", "requests", "tokens"
BLOCK, METERED, PACKS = "block", "metered", "packs"
_ROLLING = re.compile(r"^(\d+)h$")


@dataclass(frozen=True, slots=True)
class Request:
    """One API call: when, what it costs at API prices (micro-dollars), tokens, and API calls (1)."""

    at: datetime
    usd: int
    tokens: int | None = None
    calls: int = 1


@dataclass(frozen=True, slots=True)
class Limit:
    """An allowance: `capacity` in micro-dollars (usd), API calls (requests) or tokens, per window."""

    window: str  # "daily" | "weekly" | "monthly" | "<N>h"
    unit: str  # "usd" | "requests" | "tokens"
    capacity: int

    def __post_init__(self) -> None:
        if self.window not in ("daily", "weekly", "monthly") and not _ROLLING.match(self.window):
            raise ValueError(f"unknown window {self.window!r}")
        if self.unit not in (USD, REQUESTS, TOKENS):
            raise ValueError(f"unknown unit {self.unit!r}")


@dataclass(frozen=True, slots=True)
class Pack:
    price: int  # micro-dollars paid
    credit: int  # micro-dollars of API-priced credit granted
    valid_days: int = 90

    def __post_init__(self) -> None:
        if self.credit <= 0 or self.valid_days <= 0:
            raise ValueError("a pack needs a positive credit and validity")


@dataclass(frozen=True, slots=True)
class Strategy:
    """What the user would hold: a subscription (fee + limits) and/or packs and/or metered billing."""

    id: str
    label: str
    overflow: str  # what pays once the limits refuse: "block" | "metered" | "packs"
    fee: int = 0  # micro-dollars per period
    period_days: int = 30
    limits: tuple[Limit, ...] = ()
    pack: Pack | None = None
    daily_cap: int | None = None  # metered spend per day beyond which calls are refused
    tz: tzinfo | None = None  # for midnight / Monday; None = the timestamps' own zone

    def __post_init__(self) -> None:
        if self.overflow not in (BLOCK, METERED, PACKS):
            raise ValueError(f"unknown overflow {self.overflow!r}")
        if self.overflow == PACKS and self.pack is None:
            raise ValueError("overflow 'packs' needs a pack")


@dataclass(frozen=True, slots=True)
class Event:
    """One draw of money or allowance (kept only with trace=True, for tests and debugging)."""

    at: datetime
    source: str  # "limit" | "pack" | "metered"
    amount: int  # micro-dollars (pack, metered, usd limit) or calls/tokens
    index: int = -1  # limit index or pack number
    window_start: datetime | None = None
    window_end: datetime | None = None


@dataclass(slots=True)
class Outcome:
    strategy: Strategy
    fees: int = 0
    packs_bought: int = 0
    packs_cost: int = 0
    metered: int = 0
    covered: int = 0  # micro-dollars of work paid by the subscription's allowance
    from_packs: int = 0  # micro-dollars of work paid from pack credit
    served: int = 0
    blocked: int = 0
    blocked_usd: int = 0
    blocked_hours: float = 0.0
    wasted: list[int] = field(default_factory=list)  # per limit, in its unit
    pack_expired: int = 0
    pack_left: int = 0
    overflow_days: int = 0  # local days on which the allowance did not cover everything
    blocked_days: int = 0
    events: list[Event] | None = None

    @property
    def total(self) -> int:
        return self.fees + self.packs_cost + self.metered


@dataclass(slots=True)
class _Lot:
    expiry: datetime
    left: int
    number: int  # number of the first pack of the purchase (a purchase may hold several packs)


def _midnight(d: date, tz: tzinfo | None) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz)


class _Window:
    """State of one limit: the current window, its use, whether it was exhausted."""

    def __init__(self, limit: Limit, start: datetime, tz: tzinfo | None, period_days: int) -> None:
        self.limit = limit
        self.unit, self.capacity = limit.unit, limit.capacity
        self.horizon_start = start
        self.tz = tz
        self.period = timedelta(days=period_days)
        m = _ROLLING.match(limit.window)
        self.rolling = timedelta(hours=int(m.group(1))) if m else None
        self.key: object = None
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.used = 0
        self.exhausted = False
        self.used_total = 0
        self.windows_opened = 0

    def _bounds(self, t: datetime) -> tuple[object, datetime, datetime]:
        if self.limit.window == "daily":
            d = t.astimezone(self.tz).date() if self.tz else t.date()
            return d, _midnight(d, self.tz or t.tzinfo), _midnight(d + timedelta(days=1), self.tz or t.tzinfo)
        if self.limit.window == "weekly":
            d = t.astimezone(self.tz).date() if self.tz else t.date()
            monday = d - timedelta(days=d.weekday())
            z = self.tz or t.tzinfo
            return monday, _midnight(monday, z), _midnight(monday + timedelta(days=7), z)
        k = (t - self.horizon_start) // self.period
        s = self.horizon_start + k * self.period
        return k, s, s + self.period

    def roll(self, t: datetime) -> bool:
        """Move to the window holding `t`; True when a rolling window opened at `t`."""
        if self.rolling is not None:
            if self.end is None or t >= self.end:
                self.start, self.end = t, t + self.rolling
                self.used, self.exhausted = 0, False
                self.windows_opened += 1
                return True
            return False
        if self.end is not None and self.start is not None and self.start <= t < self.end:
            return False  # still inside the current calendar window (the common case: no date maths)
        key, s, e = self._bounds(t)
        if key != self.key:
            self.key, self.start, self.end = key, s, e
            self.used, self.exhausted = 0, False
        return False

    def unopen(self) -> None:
        """A rolling window starts with the first request the plan serves, not with a refused one."""
        self.start = self.end = None
        self.used, self.exhausted = 0, False
        self.windows_opened -= 1

    def need(self, r: Request) -> int:
        u = self.limit.unit
        if u == USD:
            return r.usd
        if u == REQUESTS:
            return r.calls
        return r.tokens or 0

    def calendar_windows(self, start: datetime, end: datetime) -> int:
        """How many calendar windows overlap [start, end) (for unused allowance)."""
        n, t = 0, start
        while t < end:
            _, _, e = self._bounds(t)
            n += 1
            t = e
        return n


def simulate(
    strategy: Strategy,
    requests: Sequence[Request],
    start: datetime,
    end: datetime,
    *,
    trace: bool = False,
) -> Outcome:
    """Replay `requests` (sorted by time, within [start, end)) against `strategy` over that horizon."""
    s = strategy
    out = Outcome(strategy=s, events=[] if trace else None)
    tz = s.tz
    # Pro-rated fee, rounded half-up to the micro-dollar, in integers (exact).
    secs, per = int((end - start).total_seconds()), s.period_days * 86400
    out.fees = (2 * s.fee * secs + per) // (2 * per) if s.fee else 0
    wins = [_Window(lim, start, tz, s.period_days) for lim in s.limits]
    packs: list[_Lot] = []  # bought in time order with one validity = soonest expiry first
    metered_day: object = None
    metered_today = 0
    cap_hit = False
    overflow_days: set[date] = set()
    blocked_days: set[date] = set()
    blocked_spans: list[tuple[datetime, datetime]] = []
    ev = out.events

    no_limits = not wins
    for r in requests:
        at, need_usd = r.at, r.usd
        local_day: date | None = None  # computed only when a day must be recorded
        # 1. Expire packs whose validity has ended.
        while packs and packs[0].expiry <= at:
            out.pack_expired += packs.pop(0).left
        # 2. How much may the allowance cover?
        opened = [w for w in wins if w.roll(at)] if wins else None
        covered = 0 if no_limits else need_usd
        refusing: list[_Window] = []
        whole_overflow = no_limits
        for w in wins:
            unit = w.unit
            room = 0 if w.exhausted else w.capacity - w.used
            if unit == USD:
                if room < need_usd:
                    refusing.append(w)
                    if room < covered:
                        covered = room if room > 0 else 0
            elif (r.calls if unit == REQUESTS else (r.tokens or 0)) > room:
                # A refusing request or token limit sends the whole request to the overflow.
                refusing.append(w)
                whole_overflow = True
        if whole_overflow:
            covered = 0
        # The subscription serves (part of) the request: its counters move.
        sub_serves = not whole_overflow and (covered > 0 or not refusing)
        rest = need_usd - covered
        served = True
        wait_until: datetime | None = None
        if rest > 0 or refusing:
            if s.overflow == BLOCK:
                served = False
                ends = [w.end for w in refusing if w.end is not None]
                wait_until = max(ends) if ends else None
            elif s.overflow == METERED and rest > 0 and s.daily_cap is not None:
                local_day = at.astimezone(tz).date() if tz else at.date()
                if metered_day != local_day:
                    metered_day, metered_today, cap_hit = local_day, 0, False
                if cap_hit or metered_today + rest > s.daily_cap:
                    cap_hit = True
                    served = False
                    wait_until = _midnight(local_day + timedelta(days=1), tz or at.tzinfo)
            for w in refusing:
                w.exhausted = True
            if wins:
                if local_day is None:
                    local_day = at.astimezone(tz).date() if tz else at.date()
                overflow_days.add(local_day)
        if opened and not (served and sub_serves):
            for w in opened:
                w.unopen()
        if not served:
            out.blocked += 1
            out.blocked_usd += need_usd
            blocked_days.add(
                local_day if local_day is not None else (at.astimezone(tz).date() if tz else at.date())
            )
            if wait_until is not None and wait_until > at:
                blocked_spans.append((at, wait_until))
            continue
        # 3. Serve: allowance first, then the overflow.
        out.served += 1
        if sub_serves:
            for i, w in enumerate(wins):
                amt = covered if w.unit == USD else w.need(r)
                if amt:
                    w.used += amt
                    w.used_total += amt
                    if ev is not None:
                        ev.append(Event(r.at, "limit", amt, i, w.start, w.end))
        out.covered += covered
        if rest <= 0:
            continue
        if s.overflow == METERED:
            out.metered += rest
            metered_today += rest if s.daily_cap is not None else 0
            if ev is not None:
                ev.append(Event(r.at, "metered", rest))
        else:  # PACKS
            assert s.pack is not None
            balance = sum(p.left for p in packs)
            if balance < rest:
                # Buy the whole shortfall at once: k packs bought together share one expiry (one lot).
                k = -(-(rest - balance) // s.pack.credit)
                first = out.packs_bought + 1
                out.packs_bought += k
                out.packs_cost += k * s.pack.price
                packs.append(_Lot(r.at + timedelta(days=s.pack.valid_days), k * s.pack.credit, first))
            left = rest
            for p in packs:
                take = min(left, p.left)
                if take:
                    p.left -= take
                    left -= take
                    if ev is not None:
                        ev.append(Event(r.at, "pack", take, p.number, window_end=p.expiry))
                if not left:
                    break
            packs[:] = [p for p in packs if p.left]
            out.from_packs += rest

    for p in packs:
        if p.expiry <= end:
            out.pack_expired += p.left
        else:
            out.pack_left += p.left
    for w in wins:
        n = w.windows_opened if w.rolling is not None else w.calendar_windows(start, end)
        out.wasted.append(max(n * w.limit.capacity - w.used_total, 0))
    out.overflow_days = len(overflow_days)
    out.blocked_days = len(blocked_days)
    out.blocked_hours = _union_hours(blocked_spans)
    return out


def _union_hours(spans: list[tuple[datetime, datetime]]) -> float:
    total = timedelta(0)
    cur_s: datetime | None = None
    cur_e: datetime | None = None
    for a, b in sorted(spans):
        if cur_e is None or a > cur_e:
            if cur_s is not None and cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = a, b
        elif b > cur_e:
            cur_e = b
    if cur_s is not None and cur_e is not None:
        total += cur_e - cur_s
    return total / timedelta(hours=1)
