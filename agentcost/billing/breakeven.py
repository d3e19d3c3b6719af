"""Break-even for a plan still missing numbers: the allowance it would need to beat the best known strategy.

Pure. For each unknown limit of a subscription, with the plan's known limits kept and its other
unknown limits left unlimited, we search the smallest allowance for which the plan costs less than
the best fully-known strategy (and refuses no more than --max-blocked): a necessary condition — with
its other windows finite, it needs at least that. Next to it stands the demand's busiest window of
that kind (a sufficient size: a window that big covers all of it). Every figure comes from the
demand and the plan's known numbers; nothing is invented.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from agentcost.billing.demand import Demand, to_micros
from agentcost.billing.plans import Plan
from agentcost.billing.simulate import (
    BLOCK,
    METERED,
    MICROS,
    PACKS,
    REQUESTS,
    USD,
    Limit,
    Outcome,
    Pack,
    Request,
    Strategy,
    simulate,
)
from agentcost.formats import money, money_json

CENT = MICROS // 100


def _measure(r: Request, unit: str) -> int:
    return r.usd if unit == USD else r.calls if unit == REQUESTS else (r.tokens or 0)


def window_totals(
    window: str, unit: str, demand: Demand, tz: tzinfo | None, period_days: int = 30
) -> list[int]:
    """The work (micro-dollars, calls or tokens) in each window of this kind, as the plan opens them
    when it serves every request: "<N>h" opens at the first request after the previous one ended;
    daily / weekly (Monday) in `tz`; monthly every `period_days` from the start of the horizon.
    """
    reqs = demand.requests
    if window.endswith("h") and window[:-1].isdigit():
        span = timedelta(hours=int(window[:-1]))
        out: list[int] = []
        end: datetime | None = None
        for r in reqs:
            if end is None or r.at >= end:
                end = r.at + span
                out.append(0)
            out[-1] += _measure(r, unit)
        return out
    per: defaultdict[object, int] = defaultdict(int)
    for r in reqs:
        key: object
        if window == "monthly":
            key = (r.at - demand.start) // timedelta(days=period_days)
        else:
            d: date = r.at.astimezone(tz).date() if tz else r.at.date()
            key = d if window == "daily" else d - timedelta(days=d.weekday())
        per[key] += _measure(r, unit)
    return list(per.values())


def busiest(window: str, unit: str, demand: Demand, tz: tzinfo | None, period_days: int = 30) -> int:
    """The most work in one window of this kind (window_totals), 0 without requests."""
    return max(window_totals(window, unit, demand, tz, period_days), default=0)


@dataclass(frozen=True)
class Need:
    """What one unknown limit would have to hold. `amount` None: no size is enough."""

    index: int
    window: str
    unit: str
    amount: int | None  # micro-dollars (usd) or calls / tokens
    busiest: int
    calls_per_unit: Decimal | None = None  # requests: API calls per counted prompt, when known
    prompts: Decimal | None = None  # requests: the prompts the plan counts, when only that is known

    def as_dict(self) -> dict[str, Any]:
        def q(v: int | None) -> str | int | None:
            if v is None:
                return None
            return _cents(v) if self.unit == USD else v

        return {
            "limit": self.index,
            "window": self.window,
            "unit": self.unit,
            "needed": q(self.amount),
            "busiest": q(self.busiest),
        }


@dataclass(frozen=True)
class BreakEven:
    plan: str
    name: str
    target: str  # id of the best fully-known strategy
    target_label: str
    target_total: int
    needs: tuple[Need, ...] = ()
    note: str = ""  # when no search was possible (price unknown, fee alone too high, ...)
    max_pack_price_ratio: Decimal | None = None  # packs: price / credit must stay below this
    basis: str = ""  # whose prices: "" = your demand as it is; else e.g. "your work re-priced at glm-5.1"

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "name": self.name,
            "beat": {
                "id": self.target,
                "label": self.target_label,
                "total_usd": _cents(self.target_total),
            },
            "needs": [n.as_dict() for n in self.needs],
            "max_price_per_credit_dollar": (
                str(self.max_pack_price_ratio) if self.max_pack_price_ratio is not None else None
            ),
            "note": self.note or None,
            "basis": self.basis or None,
        }


def _limit(unit: str, amount: Decimal, cpu: Decimal) -> int:
    if unit == USD:
        return to_micros(amount)
    if unit == REQUESTS:
        return int(amount * cpu)
    return int(amount)


def break_even(
    plan: Plan,
    plans: dict[str, Plan],
    demand: Demand,
    target: Outcome,
    max_blocked: Callable[[int], int],
    tz: tzinfo | None,
    basis: str = "",
    *,
    fast: bool = True,
) -> BreakEven:
    """The allowance `plan` would need (per unknown limit) to cost less than `target` on `demand`."""
    s = target.strategy
    be = BreakEven(plan.id, plan.name, s.id, s.label, target.total, basis=basis)
    allowed = max_blocked(len(demand.requests))
    if plan.kind == "packs":
        if demand.total_usd == 0:
            return _with(be, note="your demand needs no pack credit")
        # Packs must at least buy the demand's credit: price x (work / credit) < target.
        ratio = (Decimal(target.total) / Decimal(demand.total_usd)).quantize(Decimal("0.0001"))
        return _with(
            be,
            ratio=ratio,
            note=(
                f"only if a pack costs less than {ratio.normalize():f} x the API-priced credit it grants "
                f"(your {_usd(demand.total_usd)} of work for under {_usd(target.total)})"
            ),
        )
    if plan.price is None or plan.price.value is None:
        return _with(be, note="price unknown: no break-even without it")
    fee = to_micros(plan.price.value)
    if plan.kind == "metered":
        return _with(be, note="")
    secs = int((demand.end - demand.start).total_seconds())
    per = plan.period_days * 86400
    fees = (2 * fee * secs + per) // (2 * per)
    if fees >= target.total:
        return _with(
            be,
            note=(
                f"its fee alone ({_usd(fees)} over {demand.horizon_days} days) is not below "
                f"{_usd(target.total)}"
            ),
        )
    overflow = METERED if plan.overflow == METERED else BLOCK
    pack = None
    if plan.overflow == PACKS and plan.packs and plan.packs in plans and not plans[plan.packs].missing():
        pk = plans[plan.packs]
        assert pk.price and pk.price.value is not None and pk.pack_credit and pk.pack_credit.value is not None
        overflow, pack = (
            PACKS,
            Pack(to_micros(pk.price.value), to_micros(pk.pack_credit.value), pk.valid_days),
        )
    cap = to_micros(plan.daily_cap.value) if plan.daily_cap and plan.daily_cap.value is not None else None
    known = [
        Limit(lim.window, lim.unit, _limit(lim.unit, lim.amount.value, lim.calls_per_unit.value))
        for lim in plan.limits
        if lim.amount.value is not None and lim.calls_per_unit.value is not None
    ]
    needs: list[Need] = []
    for i, lim in enumerate(plan.limits):
        if lim.amount.known and lim.calls_per_unit.known:
            continue
        top = busiest(lim.window, lim.unit, demand, tz, plan.period_days)

        def acceptable(capacity: int, lim_window: str = lim.window, lim_unit: str = lim.unit) -> bool:
            strat = Strategy(
                plan.id, plan.name, overflow, fee, plan.period_days,
                (*known, Limit(lim_window, lim_unit, capacity)), pack, cap, tz,
            )  # fmt: skip
            o = simulate(strat, demand.requests, demand.start, demand.end)
            return o.blocked <= allowed and o.total < target.total

        step = CENT if lim.unit == USD else 1
        hi = -(-top // step)  # in steps (cents or calls): a window this big covers every request
        amount: int | None = -1  # -1: not found without replaying
        if fast and not known and cap is None and overflow in (METERED, BLOCK):
            totals = window_totals(lim.window, lim.unit, demand, tz, plan.period_days)
            amount = _closed_form(totals, lim.unit, overflow, fees, demand.total_usd, target.total, allowed)
        if amount == -1:
            amount = None
            if acceptable(hi * step):
                if acceptable(0):
                    hi = 0
                lo = 0  # not acceptable; hi is: bisect to the smallest acceptable size
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if acceptable(mid * step):
                        hi = mid
                    else:
                        lo = mid
                amount = hi * step
        cpu = lim.calls_per_unit.value if lim.unit == REQUESTS and lim.calls_per_unit.known else None
        prompts = lim.amount.value if lim.unit == REQUESTS and cpu is None else None
        needs.append(Need(i, lim.window, lim.unit, amount, top, cpu, prompts))
    return _with(be, needs=tuple(needs))


def _closed_form(
    totals: list[int], unit: str, overflow: str, fees: int, work: int, target: int, allowed: int
) -> int | None:
    """The search of `break_even` without replaying, for one limit alone (no other limit, no cap).

    With every request served the windows open the same way whatever their size (a refused request
    opens none, and with metered overflow none is refused; with `block`, a window holding its whole
    total refuses nothing). Metered: the plan costs fees + work - sum(min(X, total)) and must stay
    under `target`. Block, --max-blocked 0: X must hold the biggest window. (Block with refusals
    allowed is left to the replay: which requests a full window refuses depends on their order.)
    """
    step = CENT if unit == USD else 1
    if overflow == BLOCK:
        if allowed or fees >= target:
            return None if fees >= target else -1  # -1: ask the replay
        return -(-max(totals, default=0) // step) * step
    if unit != USD:
        return -1  # a request limit refuses whole requests even when metered: ask the replay
    need = fees + work - target  # covered work must exceed this
    if need < 0:
        return 0
    lo, hi = 0, -(-max(totals, default=0) // step)
    if sum(min(hi * step, t) for t in totals) <= need:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if sum(min(mid * step, t) for t in totals) > need:
            hi = mid
        else:
            lo = mid
    return hi * step


def _with(
    be: BreakEven, *, needs: tuple[Need, ...] = (), note: str = "", ratio: Decimal | None = None
) -> BreakEven:
    return BreakEven(
        be.plan, be.name, be.target, be.target_label, be.target_total, needs, note, ratio, be.basis
    )  # fmt: skip


def _cents(micros: int) -> str:
    """JSON money by the one rule: exact, at least two decimals ("1.90", "0.004")."""
    return money_json(Decimal(micros) / MICROS)


def _usd(micros: int) -> str:
    return money(Decimal(micros) / MICROS)


def window_words(window: str) -> str:
    if window.endswith("h") and window[:-1].isdigit():
        return f"{window[:-1]}-hour window"
    return {"daily": "day", "weekly": "week", "monthly": "month"}.get(window, window)


def describe(be: BreakEven, fmt: Callable[[int], str]) -> str:
    text = _describe(be, fmt)
    return f"{text[:-1]} ({be.basis})." if be.basis else text


def _describe(be: BreakEven, fmt: Callable[[int], str]) -> str:
    """ "Claude Max (5x) beats Metered API ($559.64) only if its 5-hour window covers >= $X ..."""
    head = f"{be.name} beats {be.target_label} ({fmt(be.target_total)})"
    if be.note and not be.needs:
        if be.max_pack_price_ratio is not None:
            return f"{head} {be.note}."
        return f"{be.name} cannot beat {be.target_label} ({fmt(be.target_total)}): {be.note}."
    conds, busy = [], []
    for n in be.needs:
        what = window_words(n.window)

        def amt(v: int, unit: str = n.unit) -> str:
            if unit == USD:
                return fmt(v)
            word = "API calls" if unit == REQUESTS else "tokens"
            return f"{v:,} {word}"

        if n.amount is None:
            conds.append(f"no {what} size is enough")
        else:
            extra = ""
            if n.unit == REQUESTS and n.calls_per_unit and n.calls_per_unit != 1:
                prompts = -(-n.amount // n.calls_per_unit)
                extra = f" (= {prompts:,} prompts at {n.calls_per_unit} calls each)"
            elif n.unit == REQUESTS and n.prompts:
                per = (Decimal(n.amount) / n.prompts).quantize(Decimal("0.01"))
                extra = f" (= {per} calls per prompt at {n.prompts:,} prompts)"
            conds.append(f"its {what} covers >= {amt(n.amount)}{extra}")
        busy.append(f"busiest {what} {amt(n.busiest)}")
    if any(n.amount is None for n in be.needs):
        return (
            f"{be.name} cannot beat {be.target_label} ({fmt(be.target_total)}) at any size of its "
            f"unknown windows ({'; '.join(busy)})."
        )
    return f"{head} only if {' and '.join(conds)}; your {', '.join(busy)}."
