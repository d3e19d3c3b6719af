"""Turn plans into strategies, replay the demand against each, pick the cheapest acceptable one.

Pure: takes plans and a Demand, returns a Recommendation (a result object; rendering is elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from agentcost.billing.breakeven import BreakEven, break_even
from agentcost.billing.demand import Demand, to_micros
from agentcost.billing.eligibility import Eligibility, judge
from agentcost.billing.measured import MeasuredAllowance, MeasuredUse, apply_measured
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
    return money_json(Decimal(micros) / n / MICROS, derived=True)


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
    eligibility: Eligibility | None = None
    switches: list[SwitchResult] = field(default_factory=list)  # plans needing a model switch
    switch_outcomes: list[Outcome] = field(default_factory=list)  # their strategies, ranked
    switch_models: bool = False  # --switch-models: those strategies compete
    demand_of: dict[str, Demand] = field(default_factory=dict)  # strategy id -> re-priced demand
    switch_model: dict[str, str | None] = field(default_factory=dict)  # strategy id -> priced-as model
    break_even: list[BreakEven] = field(default_factory=list)
    measured: list[MeasuredUse] = field(default_factory=list)
    max_blocked_percent: Decimal | None = None
    sensitivity_work: dict[float, int] = field(default_factory=dict)  # API-priced work of each run
    tie: str = ""  # how a tie for the cheapest was broken, if there was one


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
            base_fee = to_micros(p.price.value) if p.price and p.price.value is not None else 0
            strategies.append(Strategy(p.id, p.name, METERED, base_fee, p.period_days, daily_cap=cap, tz=ptz))
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
    """Say so when the recommended plan is a bundled one that does not state which models it serves.

    Plans that state models and do not serve the demand's never win unless switching is asked for
    (eligibility.py); a bundled plan with no model list competes but may not serve your model.
    """
    if o is None:
        return []
    out: list[str] = []
    for pid in o.strategy.id.split("+"):
        p = plans.get(pid)
        if p is None or p.models or p.origin != "bundled":
            continue
        out.append(
            f"{p.name} does not state which models it serves (no source we have does); check that it "
            "serves yours before you buy."
        )
    return out


@dataclass(frozen=True)
class MaxBlocked:
    """--max-blocked: a count of requests, or a percentage recomputed for every demand it judges."""

    count: int = 0
    percent: Decimal | None = None

    def __call__(self, requests: int) -> int:
        if self.percent is None:
            return self.count
        return int(self.percent * requests / 100)


@dataclass
class SwitchResult:
    """A plan that needs a model switch, replayed on the demand re-priced at a model it serves."""

    plan: str
    name: str
    lacks: list[str]
    model: str | None  # the model the work was re-priced at; None = could not re-price
    demand: Demand | None
    note: str = ""


def _price_free(p: Plan) -> bool:
    """A subscription whose cost is its fee whatever the requests cost: request / token limits only,
    waiting when out."""
    return p.kind == "subscription" and p.overflow == BLOCK and all(lim.unit != USD for lim in p.limits)


def _tie_note(winner: Outcome, ok: list[Outcome]) -> str:
    """Ties with another plan (a subscription + packs that buys none ties with itself: not said)."""
    base = winner.strategy.id.split("+")[0]
    tied = [
        o
        for o in ok[1:]
        if o.total == winner.total and o.blocked == winner.blocked and o.strategy.id.split("+")[0] != base
    ]
    if not tied:
        return ""
    names = ", ".join(o.strategy.id for o in tied)
    return (
        f"tied at {usd(winner.total)} with {names}: ties go to fewer refused requests, then to the "
        "alphabetically first strategy id"
    )


def recommend(
    plans: Mapping[str, Plan],
    demand: Demand,
    *,
    max_blocked: int | MaxBlocked = 0,
    only: set[str] | None = None,
    sensitivity: tuple[float, ...] = SENSITIVITY,
    reprice: Callable[[str], Demand | None] | None = None,
    switch_models: bool = False,
    measured: Sequence[MeasuredAllowance] = (),
    measured_as_of: str = "",
) -> Recommendation:
    """Replay `demand` against every plan that serves its models; pick the cheapest acceptable.

    Plans that need a model switch are replayed on `reprice(model)` (the demand at the API price of
    a model they serve: their `price_as`) in a separate section; they compete only with
    `switch_models`. `measured` allowances fill unknown window sizes first (measured.apply_measured).
    """
    mb = max_blocked if isinstance(max_blocked, MaxBlocked) else MaxBlocked(max_blocked)
    uses: list[MeasuredUse] = []
    if measured:
        plans, uses = apply_measured(plans, measured, as_of=measured_as_of)
    ids = [pid for pid in plans if only is None or pid in only]
    elig = judge(plans, demand, ids)
    strategies, skipped, estimates = build_strategies(
        plans, demand.tz, has_tokens=demand.has_tokens, only=set(elig.competing)
    )
    demand_of: dict[str, Demand] = {}
    switch_model: dict[str, str | None] = {}
    switches: list[SwitchResult] = []
    switch_strats: list[tuple[Strategy, Demand]] = []
    cache: dict[str, Demand | None] = {}
    for pid, lacks in elig.switch.items():
        p = plans[pid]
        model = p.price_as
        d2: Demand | None = None
        note = ""
        if reprice is None or model is None or not demand.has_tokens:
            note = (
                "no model to re-price with (the plan names none: add price_as)"
                if model is None
                else "this demand cannot be re-priced at another model (a --spend-per-day pattern "
                "has no tokens; use --tokens-per-day N --model M, or logs)"
            )
        else:
            if model not in cache:
                cache[model] = reprice(model)
            d2 = cache[model]
            if d2 is None:
                note = f"{model} has no API price (`agentcost prices`)"
        priced_as = model if d2 is not None else None
        if d2 is None and _price_free(p):
            # Request limits and waiting when out: what it costs does not depend on model prices.
            d2, note = demand, "same requests: its cost does not depend on model prices"
        switches.append(SwitchResult(pid, p.name, lacks, priced_as, d2, note))
        sw, sk, est = build_strategies(plans, demand.tz, has_tokens=True, only={pid})
        skipped.extend(Skipped(k.plan, k.name, k.reason + "; needs a model switch", k.missing) for k in sk)
        estimates |= est
        if d2 is not None:
            for st in sw:
                st2 = replace(st, label=f"{st.label} [on {priced_as or ', '.join(p.models)}]")
                demand_of[st2.id] = d2
                switch_model[st2.id] = priced_as
                switch_strats.append((st2, d2))
    main = run_all(strategies, demand)
    side = [simulate(st, d.requests, d.start, d.end) for st, d in switch_strats]
    allowed = mb(len(demand.requests))
    ranked = rank(main + side if switch_models else main, allowed)
    switch_ranked = rank(side, allowed)
    ok = [o for o in ranked if o.blocked <= allowed]
    winner = ok[0] if ok else None
    # The runner-up is another plan: "Lite + packs" that never buys a pack is Lite again.
    base = winner.strategy.id.split("+")[0] if winner else ""
    runner = next((o for o in ok[1:] if o.strategy.id.split("+")[0] != base), None)
    tie = _tie_note(winner, ok) if winner else ""
    if winner is not None:
        reason = explain(winner, runner, ranked, demand)
    elif ranked:
        best = ranked[0]
        reason = (
            f"No strategy stays within {plural(allowed, 'blocked request')}; the least blocked is "
            f"{best.strategy.label} ({describe(best, demand)}). "
            "Raise --max-blocked or add a plan with --plans."
        )
    else:
        reason = (
            "No plan serving your models has the numbers needed to simulate it; supply them with "
            "--plans (see skipped plans and their break-even)."
        )
    sens: dict[float, Outcome | None] = {}
    sens_work: dict[float, int] = {}
    for f in sensitivity:
        scaled = demand.scaled(f)
        outs = run_all(strategies, scaled)
        if switch_models:
            for st, d in switch_strats:
                d_s = d.scaled(f)
                outs.append(simulate(st, d_s.requests, d_s.start, d_s.end))
        cap = mb(len(scaled.requests))
        good = [o for o in rank(outs, cap) if o.blocked <= cap]
        sens[f] = good[0] if good else None
        sens_work[f] = scaled.total_usd
    caveats = model_caveats(winner, plans, demand)
    if winner is not None and winner.strategy.id in demand_of:
        moved = switch_model.get(winner.strategy.id)
        pid = winner.strategy.id.split("+")[0]
        caveats.append(
            f"{winner.strategy.label} needs your work moved to {moved or ', '.join(plans[pid].models)} "
            "(--switch-models); "
            + (
                "its cost is your tokens at that model's API price."
                if moved
                else "its cost counts your requests, whatever the model."
            )
        )
    breaks: list[BreakEven] = []
    target = next((o for o in ok if o.strategy.id not in estimates), winner)
    if target is not None:
        for gone in skipped:
            pid = gone.plan
            if "+" in pid or pid not in plans or gone.reason.split(";")[0] != "numbers unknown":
                continue
            plan = plans[pid]
            on, basis = demand, ""
            held = next((x for x in switches if x.plan == pid), None)
            if held is not None:
                # Re-priced at a model the plan serves; else (a spend pattern, an unpriced model) on
                # your work's current prices, said so: request limits do not depend on prices anyway.
                on = held.demand or demand
                basis = f"your work re-priced at {held.model}" if held.demand else (
                    "at your current models' prices: not re-priced"
                )  # fmt: skip
            ptz = resolve_tz(plan.reset_tz) if plan.reset_tz else demand.tz
            breaks.append(break_even(plan, dict(plans), on, target, mb, ptz, basis))
    return Recommendation(
        demand, ranked, allowed, winner, runner, reason, sens, skipped, estimates, caveats,
        eligibility=elig, switches=switches, switch_outcomes=switch_ranked, switch_models=switch_models,
        demand_of=demand_of, switch_model=switch_model, break_even=breaks, measured=uses,
        max_blocked_percent=mb.percent, sensitivity_work=sens_work, tie=tie,
    )  # fmt: skip


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
