"""Turn plans into strategies, replay the demand against each, pick the cheapest acceptable one.

Pure: takes plans and a Demand, returns a Recommendation (a result object; rendering is elsewhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from agentcost.billing.demand import Demand, to_micros
from agentcost.billing.plans import Plan
from agentcost.billing.simulate import (
    BLOCK,
    METERED,
    MICROS,
    PACKS,
    REQUESTS,
    TOKENS,
    USD,
    Limit,
    Outcome,
    Pack,
    Strategy,
    simulate,
)
from agentcost.formats import money, money_json, plural
from agentcost.timezones import resolve_tz

SENSITIVITY = (0.5, 2.0)


def usd(micros: int | float) -> str:
    """Micro-dollars for people, by the one money rule (`agentcost.formats.money`)."""
    return money(Decimal(micros) / MICROS)


def usd_json(micros: int) -> str:
    """Micro-dollars for JSON: exact (`agentcost.formats.money_json`), e.g. "0.000600"."""
    return money_json(Decimal(micros) / MICROS)


def usd_json_per(micros: int, n: int) -> str:
    """An average (`micros` / `n`) for JSON, at the simulator's resolution of a micro-dollar."""
    return money_json((Decimal(micros) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP) / MICROS)


@dataclass(frozen=True)
class Skipped:
    plan: str
    name: str
    reason: str
    missing: tuple[str, ...] = ()


@dataclass
class Recommendation:
    demand: Demand
    outcomes: list[Outcome]  # sorted: cheapest acceptable first, then the rest by cost
    max_blocked: int
    winner: Outcome | None
    runner_up: Outcome | None
    reason: str
    sensitivity: dict[float, Outcome | None] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    estimates: set[str] = field(default_factory=set)  # strategy ids that rest on estimated numbers
    caveats: list[str] = field(default_factory=list)  # e.g. the winner does not serve your models


def _limit(spec_window: str, unit: str, amount: Decimal, calls_per_unit: Decimal) -> Limit:
    if unit == USD:
        cap = to_micros(amount)
    elif unit == REQUESTS:
        cap = int(amount * calls_per_unit)  # counted prompts x API calls per prompt, whole calls
    else:
        cap = int(amount)
    return Limit(spec_window, unit, cap)


def build_strategies(
    plans: Mapping[str, Plan],
    tz: tzinfo,
    *,
    has_tokens: bool = True,
    only: set[str] | None = None,
) -> tuple[list[Strategy], list[Skipped], set[str]]:
    """One strategy per usable plan, plus subscription + packs where the subscription names packs."""
    strategies: list[Strategy] = []
    skipped: list[Skipped] = []
    estimates: set[str] = set()
    for p in plans.values():
        if only is not None and p.id not in only:
            continue
        missing = p.missing()
        if missing:
            skipped.append(Skipped(p.id, p.name, "numbers unknown", tuple(missing)))
            continue
        if not has_tokens and any(lim.unit == TOKENS for lim in p.limits):
            skipped.append(
                Skipped(p.id, p.name, "token limits need token counts (use logs or --tokens-per-day)")
            )
            continue
        try:
            ptz = resolve_tz(p.reset_tz) if p.reset_tz else tz
        except ValueError as e:
            skipped.append(Skipped(p.id, p.name, str(e)))
            continue
        cap = to_micros(p.daily_cap.value) if p.daily_cap and p.daily_cap.value is not None else None
        if p.kind == "metered":
            strategies.append(Strategy(p.id, p.name, METERED, daily_cap=cap, tz=ptz))
        elif p.kind == "packs":
            assert p.price and p.price.value is not None and p.pack_credit and p.pack_credit.value is not None
            pack = Pack(to_micros(p.price.value), to_micros(p.pack_credit.value), p.valid_days)
            strategies.append(Strategy(p.id, p.name, PACKS, pack=pack, tz=ptz))
        else:
            assert p.price and p.price.value is not None
            limits = tuple(
                _limit(lim.window, lim.unit, lim.amount.value, lim.calls_per_unit.value)  # type: ignore[arg-type]
                for lim in p.limits
            )
            fee = to_micros(p.price.value)
            alone = METERED if p.overflow == METERED else BLOCK
            label = p.name if alone == METERED else f"{p.name} (wait when out)"
            strategies.append(
                Strategy(p.id, label, alone, fee, p.period_days, limits, daily_cap=cap, tz=ptz),
            )
            if p.overflow == PACKS and p.packs:
                pk = plans[p.packs]
                if pk.missing():
                    skipped.append(
                        Skipped(
                            f"{p.id}+{pk.id}",
                            f"{p.name} + {pk.name}",
                            "pack numbers unknown",
                            tuple(pk.missing()),
                        )
                    )
                else:
                    assert pk.price and pk.price.value is not None and pk.pack_credit
                    assert pk.pack_credit.value is not None
                    pack = Pack(to_micros(pk.price.value), to_micros(pk.pack_credit.value), pk.valid_days)
                    sid = f"{p.id}+{pk.id}"
                    strategies.append(
                        Strategy(sid, f"{p.name} + packs", PACKS, fee, p.period_days, limits, pack, tz=ptz)
                    )
                    if pk.has_estimates:
                        estimates.add(sid)
        if p.has_estimates:
            estimates.update(s.id for s in strategies if s.id == p.id or s.id.startswith(p.id + "+"))
    return strategies, skipped, estimates


def run_all(strategies: list[Strategy], demand: Demand) -> list[Outcome]:
    return [simulate(s, demand.requests, demand.start, demand.end) for s in strategies]


def rank(outcomes: list[Outcome], max_blocked: int) -> list[Outcome]:
    """Acceptable (blocked <= max_blocked) by cost, then the rest by blocked requests and cost."""

    def key(o: Outcome) -> tuple[int, int, int, str]:
        ok = o.blocked <= max_blocked
        return (0, o.total, o.blocked, o.strategy.id) if ok else (1, o.blocked, o.total, o.strategy.id)

    return sorted(outcomes, key=key)


def describe(o: Outcome, demand: Demand) -> str:
    """What happened under this strategy, in one clause built from the numbers."""
    s = o.strategy
    parts: list[str] = []
    if s.limits:
        if o.overflow_days == 0:
            usd_waste = sum(w for w, lim in zip(o.wasted, s.limits, strict=True) if lim.unit == USD)
            unused = f" ({usd(usd_waste)} of allowance unused)" if usd_waste else ""
            parts.append(f"the allowance covers every request{unused}")
        else:
            parts.append(f"you exceed the allowance on {plural(o.overflow_days, 'day')}")
    if s.overflow == PACKS and o.packs_bought:
        assert s.pack is not None
        cover = ("covers it" if o.packs_bought == 1 else "cover it") if s.limits else "bought as needed"
        what = "one" if o.packs_bought == 1 else f"{o.packs_bought:,}"
        parts.append(f"{what} {usd(s.pack.price)} pack{'s' if o.packs_bought > 1 else ''} {cover}")
        if o.pack_expired:
            parts.append(f"{usd(o.pack_expired)} of pack credit expires unused")
        if o.pack_left:
            parts.append(f"{usd(o.pack_left)} of pack credit is still valid at the end")
    if s.overflow == METERED and o.metered:
        parts.append(f"{usd(o.metered)} billed at API rates" + (" past the allowance" if s.limits else ""))
    if o.blocked:
        parts.append(
            f"{plural(o.blocked, 'request')} ({usd(o.blocked_usd)} of work) refused; "
            f"{o.blocked_hours:,.1f} h waiting for resets"
        )
    return "; ".join(parts) if parts else "nothing to pay for"


def explain(winner: Outcome, runner: Outcome | None, outcomes: list[Outcome], demand: Demand) -> str:
    days = demand.horizon_days
    text = f"{winner.strategy.label}: {usd(winner.total)} for {days} days; {describe(winner, demand)}"
    metered = [o for o in outcomes if o.strategy.overflow == METERED and not o.strategy.limits]
    uncapped = [o for o in metered if o.strategy.daily_cap is None]
    if uncapped and winner.strategy is not uncapped[0].strategy:
        text += f"; metered API would cost {usd(uncapped[0].total)}"
    if runner is not None:
        text += f". Runner-up: {runner.strategy.label} at {usd(runner.total)}"
    return text + "."


def model_caveats(o: Outcome | None, plans: Mapping[str, Plan], demand: Demand) -> list[str]:
    """Say so when the recommended plan lists the models it serves and the demand's are not among them.

    The simulation prices tokens, not models: a plan sold for Qwen models can "win" Sonnet-class
    demand on price alone. This is a caveat, not a filter (the user may be willing to switch models).
    """
    if o is None:
        return []
    out: list[str] = []
    for pid in o.strategy.id.split("+"):
        p = plans.get(pid)
        if p is None or not p.models:
            continue
        listed = ", ".join(p.models)
        if not demand.models:
            out.append(
                f"{p.name} serves only {listed} models; this demand names no model "
                "(add --model to a pattern), so check it serves the one you use."
            )
            continue
        other = {m: n for m, n in demand.models.items() if not p.serves(m)}
        if other:
            n = sum(other.values())
            total = sum(demand.models.values())
            names = ", ".join(sorted(other, key=lambda m: (-other[m], m))[:3]) + (
                ", …" if len(other) > 3 else ""
            )
            out.append(
                f"{p.name} serves only {listed} models; {plural(n, 'request')} of {total:,} are on "
                f"other models ({names}). The comparison prices your tokens as they are: switching "
                "models changes both what the work costs and what it needs."
            )
    return out


def recommend(
    plans: Mapping[str, Plan],
    demand: Demand,
    *,
    max_blocked: int = 0,
    only: set[str] | None = None,
    sensitivity: tuple[float, ...] = SENSITIVITY,
) -> Recommendation:
    strategies, skipped, estimates = build_strategies(
        plans, demand.tz, has_tokens=demand.has_tokens, only=only
    )
    ranked = rank(run_all(strategies, demand), max_blocked)
    ok = [o for o in ranked if o.blocked <= max_blocked]
    winner = ok[0] if ok else None
    # The runner-up is another plan: "Lite + packs" that never buys a pack is Lite again.
    base = winner.strategy.id.split("+")[0] if winner else ""
    runner = next((o for o in ok[1:] if o.strategy.id.split("+")[0] != base), None)
    if winner is not None:
        reason = explain(winner, runner, ranked, demand)
    elif ranked:
        best = ranked[0]
        reason = (
            f"No strategy stays within {plural(max_blocked, 'blocked request')}; the least blocked is "
            f"{best.strategy.label} ({describe(best, demand)}). "
            "Raise --max-blocked or add a plan with --plans."
        )
    else:
        reason = (
            "No plan has the numbers needed to simulate it; supply them with --plans (see skipped plans)."
        )
    sens: dict[float, Outcome | None] = {}
    for f in sensitivity:
        scaled = [
            o for o in rank(run_all(strategies, demand.scaled(f)), max_blocked) if o.blocked <= max_blocked
        ]
        sens[f] = scaled[0] if scaled else None
    caveats = model_caveats(winner, plans, demand)
    return Recommendation(
        demand, ranked, max_blocked, winner, runner, reason, sens, skipped, estimates, caveats
    )


def upgrade_cost(
    old_price: Decimal, new_price: Decimal, remaining_days: int, period_days: int = 30
) -> Decimal:
    """Pro-rated upgrade: (new - old) x remaining / period, rounded half-up to cents.

    Atlas Cloud Coding Plan documentation (May 2026): Starter $10 -> Lite $20 with 14 of 30 days
    left = $4.67.
    """
    if new_price < old_price:
        raise ValueError("downgrades are not possible mid-period")
    if not 0 <= remaining_days <= period_days:
        raise ValueError(f"remaining days must be between 0 and {period_days}")
    raw = (new_price - old_price) * Decimal(remaining_days) / Decimal(period_days)
    return raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def outcome_dict(o: Outcome, demand: Demand, estimates: set[str]) -> dict[str, Any]:
    """The stable JSON shape of one strategy's figures (documented in docs/recommend.md)."""
    s = o.strategy
    active = demand.active_days
    return {
        "id": s.id,
        "label": s.label,
        "overflow": s.overflow,
        "estimate": s.id in estimates,
        "total_usd": usd_json(o.total),
        "per_active_day_usd": usd_json_per(o.total, active) if active else None,
        "fees_usd": usd_json(o.fees),
        "packs_bought": o.packs_bought,
        "packs_usd": usd_json(o.packs_cost),
        "metered_usd": usd_json(o.metered),
        "work_usd": {
            "allowance": usd_json(o.covered),
            "packs": usd_json(o.from_packs),
            "metered": usd_json(o.metered),
            "blocked": usd_json(o.blocked_usd),
        },
        "requests": {"served": o.served, "blocked": o.blocked},
        "blocked_hours": round(o.blocked_hours, 2),
        "blocked_days": o.blocked_days,
        "days_over_allowance": o.overflow_days,
        "allowance_unused": [
            {
                "window": lim.window,
                "unit": lim.unit,
                "amount": usd_json(w) if lim.unit == USD else w,
            }
            for lim, w in zip(s.limits, o.wasted, strict=True)
        ],
        "pack_credit_expired_usd": usd_json(o.pack_expired),
        "pack_credit_left_usd": usd_json(o.pack_left),
        "daily_cap_usd": usd_json(s.daily_cap) if s.daily_cap is not None else None,
    }
