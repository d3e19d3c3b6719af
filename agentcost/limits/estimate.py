"""Measure a subscription window's size in API-priced dollars from used-% snapshots (pure logic).

Input: snapshots of one agent's window (`Snapshot`: when, used %, resets_at) and the cumulative
API-priced cost of that agent's subscription requests (`CostCurve`). A snapshot's `asof` is the time
such that its used % counts the requests logged strictly before it.

One *window* is the run of snapshots sharing a `resets_at` (within a tolerance: clients derive it
from a relative header). Inside it, a fall of the used % by more than `SPLIT_DROP` points without a
new resets_at splits it (the vendor reset or re-scaled it); a smaller fall is an out-of-order reading
(two sessions) and that reading is skipped.

Whole-percent readings (every value an integer) are measured between *steps*: when the reading goes
from a to b > a between snapshots i-1 and i, the true value crossed a threshold b (+ a constant that
depends on how the client rounds, the same for every step) somewhere between them, i.e. at a spent
amount in [C(i-1), C(i)]. From the first step (k1) to the last (k2) of a window, exactly
b(k2) - b(k1) percent were used for C between C(k2-1) - C(k1) and C(k2) - C(k1-1): that interval is
the window's low-high range, its middle the estimate; rounding does not widen it beyond one request
at each end. Fractional readings are used as they are, between the first and the last snapshot.
Windows pool by summing: allowance = 100 x sum(cost) / sum(percent points).

A limit hit (a reading u >= 100 %) bounds the size from above: what was spent in that window before
the hit (from resets_at - window length to the hit) is at least u % of it (u - 1 for whole-percent
readings, whatever the client's rounding).

Assumptions, stated in the report: every request that counts against the window is in these logs
(another machine or claude.ai chat on the same account makes the estimate too small), and the vendor
weighs requests in proportion to API prices (if not, the allowance depends on the model mix).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

SPLIT_DROP = 2.0  # percentage points
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One reading of one window. `name`: primary / secondary (Codex), five_hour / seven_day (Claude)."""

    agent: str
    name: str
    minutes: int | None
    asof: float
    used: float
    resets_at: float | None
    session: str
    plan: str | None = None
    reached: str | None = None


class CostCurve:
    """Cumulative API-priced cost of requests over time: `at(t)` = cost of requests with ts < t."""

    def __init__(self, points: Iterable[tuple[float, Decimal]]) -> None:
        pts = sorted(points, key=lambda p: p[0])
        self.ts = [p[0] for p in pts]
        self.cum = [Decimal(0)]
        total = Decimal(0)
        for _, c in pts:
            total += c
            self.cum.append(total)

    def at(self, t: float) -> Decimal:
        return self.cum[bisect.bisect_left(self.ts, t)]

    def between(self, t0: float, t1: float) -> Decimal:
        return self.at(t1) - self.at(t0)


@dataclass(frozen=True, slots=True)
class Sample:
    """One window's measurement: `points` percent used for between cost_low and cost_high dollars."""

    resets_at: float | None
    points: float
    cost_low: Decimal
    cost_high: Decimal
    snapshots: int
    start: float
    end: float

    @property
    def cost_mid(self) -> Decimal:
        return (self.cost_low + self.cost_high) / 2


@dataclass(frozen=True, slots=True)
class LimitHit:
    at: float
    used: float
    resets_at: float | None
    spent_usd: Decimal | None  # spent in that window before the hit (None: window start unknown)
    bound_usd: Decimal | None  # so the window holds at most this (the reading may be rounded up)


@dataclass(frozen=True, slots=True)
class Current:
    used: float
    resets_at: float | None
    asof: float
    reset: bool  # resets_at has passed since this reading: the window is empty again
    projected: float | None  # used % at reset if the average pace since the window began holds
    runs_out_at: float | None  # when 100 % is reached at that pace, if before the reset


@dataclass
class WindowEstimate:
    """The measured allowance of one agent's window (what `limits --json` reports per window)."""

    agent: str
    plan: str | None
    window_minutes: int | None
    name: str
    allowance_usd: Decimal | None = None
    low_usd: Decimal | None = None
    high_usd: Decimal | None = None
    windows_used: int = 0
    windows_seen: int = 0
    snapshots: int = 0
    whole_percent: bool = True
    reason: str | None = None
    samples: list[Sample] = field(default_factory=list)
    limit_hits: list[LimitHit] = field(default_factory=list)
    current: Current | None = None
    notes: list[str] = field(default_factory=list)


def _tolerance(minutes: int | None) -> float:
    return min(3600.0, 0.1 * 60 * (minutes or 300))


def windows_of(snaps: Sequence[Snapshot]) -> list[list[Snapshot]]:
    """Group readings (sorted by time) into windows: same resets_at, no large fall; see the module doc."""
    out: list[list[Snapshot]] = []
    cur: list[Snapshot] = []
    tol = _tolerance(snaps[0].minutes) if snaps else 0.0
    for s in sorted(snaps, key=lambda x: x.asof):
        if cur:
            prev = cur[-1]
            same_reset = (
                s.resets_at is None or cur[0].resets_at is None or abs(s.resets_at - cur[0].resets_at) <= tol
            )
            if same_reset and s.used >= prev.used - SPLIT_DROP:
                if s.used < prev.used:
                    continue  # out of order (two sessions): skip this reading
                cur.append(s)
                continue
            out.append(cur)
        cur = [s]
    if cur:
        out.append(cur)
    return out


def _whole(win: Sequence[Snapshot]) -> bool:
    return all(float(s.used).is_integer() for s in win)


def sample(win: Sequence[Snapshot], curve: CostCurve) -> tuple[Sample | None, str]:
    """Measure one window; (None, why) when it cannot be measured."""
    if len(win) < 2:
        return None, "one reading"
    if _whole(win):
        steps = [i for i in range(1, len(win)) if win[i].used > win[i - 1].used]
        if not steps:
            return None, "used % did not change"
        k1, k2 = steps[0], steps[-1]
        if k1 == k2:
            return None, "used % rose only once (whole-percent readings need two steps)"
        points = win[k2].used - win[k1].used
        low = curve.at(win[k2 - 1].asof) - curve.at(win[k1].asof)
        high = curve.at(win[k2].asof) - curve.at(win[k1 - 1].asof)
        return (
            Sample(
                win[0].resets_at, points, max(low, Decimal(0)), high, len(win), win[k1].asof, win[k2].asof
            ),
            "",
        )
    first, last = win[0], win[-1]
    points = last.used - first.used
    if points <= 0:
        return None, "used % did not rise"
    c = curve.between(first.asof, last.asof)
    return Sample(first.resets_at, points, c, c, len(win), first.asof, last.asof), ""


def _current(last: Snapshot, now: float) -> Current:
    reset = last.resets_at is not None and last.resets_at <= now
    projected = runs_out = None
    if last.resets_at is not None and last.minutes and not reset:
        length = last.minutes * 60.0
        start = last.resets_at - length
        elapsed = last.asof - start
        if elapsed > 0.02 * length and last.used > 0:
            projected = last.used * length / elapsed
            t100 = start + elapsed * 100.0 / last.used
            runs_out = t100 if t100 < last.resets_at else None
    return Current(last.used, last.resets_at, last.asof, reset, projected, runs_out)


def estimate(
    agent: str,
    name: str,
    snaps: Sequence[Snapshot],
    curve: CostCurve,
    now: float,
    plan: str | None = None,
) -> WindowEstimate:
    """The measured allowance of one window kind (`snaps`: all its readings, any order)."""
    minutes = snaps[0].minutes if snaps else None
    est = WindowEstimate(agent, plan, minutes, name, snapshots=len(snaps))
    if not snaps:
        est.reason = "no readings of this window"
        return est
    wins = windows_of(snaps)
    est.windows_seen = len(wins)
    est.whole_percent = all(_whole(w) for w in wins)
    why: dict[str, int] = {}
    for w in wins:
        s, reason = sample(w, curve)
        if s is None:
            why[reason] = why.get(reason, 0) + 1
        elif s.cost_high <= 0:
            why["nothing priced between the readings"] = why.get("nothing priced between the readings", 0) + 1
        else:
            est.samples.append(s)
        hit = next((x for x in w if x.used >= 100), None)
        if hit is not None:
            spent = bound = None
            if hit.resets_at is not None and minutes:
                spent = curve.between(hit.resets_at - minutes * 60.0, hit.asof)
                # a whole-percent reading of u means more than u - 1 (however the client rounds)
                floor_pct = hit.used - 1 if _whole(w) else hit.used
                bound = spent * HUNDRED / Decimal(repr(floor_pct)) if floor_pct > 0 else None
            est.limit_hits.append(LimitHit(hit.asof, hit.used, hit.resets_at, spent, bound))
    est.current = _current(max(snaps, key=lambda x: x.asof), now)
    if est.samples:
        pts = Decimal(repr(sum(s.points for s in est.samples)))
        est.windows_used = len(est.samples)
        est.allowance_usd = HUNDRED * sum((s.cost_mid for s in est.samples), Decimal(0)) / pts
        est.low_usd = HUNDRED * sum((s.cost_low for s in est.samples), Decimal(0)) / pts
        est.high_usd = HUNDRED * sum((s.cost_high for s in est.samples), Decimal(0)) / pts
    else:
        detail = "; ".join(f"{n} window(s): {r}" for r, n in sorted(why.items(), key=lambda kv: -kv[1]))
        est.reason = f"fewer than two usable readings in any window ({detail})"
    bounds = [h.bound_usd for h in est.limit_hits if h.bound_usd is not None and h.bound_usd > 0]
    if bounds:
        bound = min(bounds)
        if est.high_usd is not None and bound < est.high_usd:
            est.notes.append("a limit hit caps the range: the window was full after less than its high end")
            est.high_usd = bound
            if est.low_usd is not None and est.low_usd > bound:
                est.notes.append(
                    "the limit hit came before the measured size was spent: some usage of this account "
                    "is probably not in these logs (another machine, or the web app)"
                )
                est.low_usd = bound
            if est.allowance_usd is not None and est.allowance_usd > bound:
                est.allowance_usd = bound
    return est
