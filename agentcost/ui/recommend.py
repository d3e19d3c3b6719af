"""Render a Recommendation as rich text or as the stable JSON document (docs/recommend.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape

from agentcost.billing.breakeven import describe as describe_break_even
from agentcost.billing.plans import Plan
from agentcost.billing.recommend import Recommendation, outcome_dict, usd, usd_json
from agentcost.billing.simulate import USD, Outcome
from agentcost.formats import plural
from agentcost.ui.tables import Column, fit_table

# The 0.5x / 2x runs thin or repeat requests (every other one / each twice); the dollars follow.
_WHEN = {0.5: "half your requests (every other one)", 2.0: "twice your requests (each one twice)"}


def _brief(o: Outcome | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"id": o.strategy.id, "label": o.strategy.label, "total_usd": usd_json(o.total)}


def recommendation_dict(rec: Recommendation, plans: Mapping[str, Plan] | None = None) -> dict[str, Any]:
    """The --json document; `plans` adds each simulated plan's numbers with their sources."""
    d = rec.demand
    used = sorted({pid for o in [*rec.outcomes, *rec.switch_outcomes] for pid in o.strategy.id.split("+")})
    return {
        "demand": {
            "source": d.source,
            "basis": d.basis,
            "start": d.start.isoformat(),
            "end": d.end.isoformat(),
            "horizon_days": d.horizon_days,
            "history_days": d.history_days,
            "requests": len(d.requests),
            "api_usd": usd_json(d.total_usd),
            "active_days": d.active_days,
            "unpriced_requests": dict(sorted(d.unpriced.items())),
            "notes": list(d.notes),
        },
        "max_blocked": rec.max_blocked,
        "max_blocked_percent": str(rec.max_blocked_percent) if rec.max_blocked_percent is not None else None,
        "recommendation": _brief(rec.winner),
        "runner_up": _brief(rec.runner_up),
        "reason": rec.reason,
        "tie": rec.tie or None,
        "sensitivity": {str(k): _brief(v) for k, v in rec.sensitivity.items()},
        "sensitivity_work_usd": {str(k): usd_json(v) for k, v in rec.sensitivity_work.items()},
        "strategies": [_strategy(rec, o) for o in rec.outcomes],
        "caveats": list(rec.caveats),
        "skipped": [
            {"plan": s.plan, "name": s.name, "reason": s.reason, "missing": list(s.missing)}
            for s in rec.skipped
        ],
        "plans": {pid: plans[pid].as_dict() for pid in used if plans and pid in plans},
        "eligibility": rec.eligibility.as_dict(plans or {}) if rec.eligibility else None,
        "switch": {
            "competes": rec.switch_models,
            "plans": [
                {
                    "plan": sw.plan,
                    "name": sw.name,
                    "lacks": sw.lacks,
                    "priced_as": sw.model,
                    "api_usd": usd_json(sw.demand.total_usd) if sw.demand else None,
                    "note": sw.note or None,
                }
                for sw in rec.switches
            ],
            "strategies": [_strategy(rec, o) for o in rec.switch_outcomes],
        },
        "measured": [u.as_dict() for u in rec.measured],
        "break_even": [b.as_dict() for b in rec.break_even],
    }


def _strategy(rec: Recommendation, o: Outcome) -> dict[str, Any]:
    d2 = rec.demand_of.get(o.strategy.id)
    out = outcome_dict(o, d2 or rec.demand, rec.estimates)
    out["priced_as"] = rec.switch_model.get(o.strategy.id)
    return out


def _unused(o: Outcome) -> str:
    out = []
    for lim, w in zip(o.strategy.limits, o.wasted, strict=True):
        amount = usd(w) if lim.unit == USD else f"{w:,} {'req' if lim.unit == 'requests' else 'tok'}"
        out.append(f"{amount} ({lim.window})")
    return ", ".join(out) or "-"


def render(rec: Recommendation, con: Console, plans: Mapping[str, Plan] | None = None) -> None:
    def say(text: str = "") -> None:
        # Prose is wrapped by rich on a terminal and left on one line in a pipe or file (grep-able).
        con.print(text, soft_wrap=not con.is_terminal, highlight=False)

    d = rec.demand
    say(
        f"Demand: {escape(d.basis)}.\n"
        f"  {plural(len(d.requests), 'request')}, {usd(d.total_usd)} at API prices, "
        f"{plural(d.active_days, 'active day')}; "
        f"horizon {d.start:%Y-%m-%d} to {d.end:%Y-%m-%d} ({d.horizon_days} days, midnight = {d.start:%Z})."
    )
    if d.unpriced:
        n = sum(d.unpriced.values())
        models = escape(", ".join(f"{m} ({c:,})" for m, c in sorted(d.unpriced.items())))
        say(
            f"  [yellow]Left out:[/] {plural(n, 'request')} on unpriced models: {models}. "
            "They are not counted as $0; add prices with `agentcost prices --help`."
        )
    for note in d.notes:
        say(f"  Note: {escape(note)}.")
    _eligibility(rec, say)
    say()
    head = "[bold]Recommendation:[/]" if rec.winner else "[bold yellow]No recommendation:[/]"
    say(f"{head} {escape(rec.reason)}")
    if rec.tie:
        say(f"  Tie: {escape(rec.tie)}.")
    for c in rec.caveats:
        say(f"[yellow]Caveat:[/] {escape(c)}")
    if rec.winner and rec.sensitivity:
        parts = []
        for f, o in rec.sensitivity.items():
            who = f"{o.strategy.label} ({usd(o.total)})" if o else "nothing within --max-blocked"
            work = rec.sensitivity_work.get(f)
            when = _WHEN.get(f, f"{f}x your requests")
            if work is not None:
                when = f"{when[:-1]}: {usd(work)} of work)" if when.endswith(")") else f"{when} ({usd(work)})"
            parts.append(f"at {when}: {who}")
        say("Sensitivity: " + escape("; ".join(parts)) + ".")
    say()
    columns = [
        Column("strategy", kind="key"),
        Column("total", kind="number", justify="right"),
        Column("per active day", kind="number", justify="right", drop=3),
        Column("fees", kind="number", justify="right", drop=2),
        Column("packs", kind="number", justify="right", drop=4),
        Column("metered", kind="number", justify="right", drop=1),
        Column("blocked", kind="text", justify="right", min_width=10),
        Column("allowance unused", kind="text", justify="right", min_width=12, drop=5),
        Column("pack credit expired / left", kind="text", justify="right", min_width=12, drop=6),
    ]
    rows: list[list[object]] = []
    over = 0
    for o in rec.outcomes:
        mark = "*" if o.strategy.id in rec.estimates else ""
        label, sid = escape(o.strategy.label), escape(o.strategy.id)
        name = f"{label}{mark}\n[dim]{sid}[/]"
        if o is rec.winner:
            name = f"[bold green]{label}{mark}[/]\n[dim]{sid}[/]"
        elif o.blocked > rec.max_blocked:
            over += 1
            name = f"{label}{mark}\n[dim]{sid}[/] [yellow]✗ blocked[/]"
        blocked = (
            "-" if not o.blocked else f"{o.blocked:,} req, {usd(o.blocked_usd)}, {o.blocked_hours:,.1f} h"
        )
        packs = f"{o.packs_bought} = {usd(o.packs_cost)}" if o.packs_bought else "-"
        pk = f"{usd(o.pack_expired)} / {usd(o.pack_left)}" if o.strategy.pack else "-"
        rows.append(
            [
                name,
                usd(o.total),
                usd(o.total / d.active_days) if d.active_days else "-",
                usd(o.fees) if o.fees else "-",
                packs,
                usd(o.metered) if o.metered else "-",
                blocked,
                _unused(o),
                pk,
            ]
        )
    table, shown = fit_table(
        columns, rows, con.width, title=f"Strategies over {d.horizon_days} days (cheapest acceptable first)"
    )
    if rec.outcomes:
        con.print(table)
        hidden = [c.header for c in columns if c not in shown]
        if hidden:
            names = escape(", ".join(hidden))
            say(f"Not shown at this width: {names} (a wider terminal or --json shows them).")
    if over:
        n = rec.max_blocked
        refuses = (
            "refuses requests (--max-blocked 0 accepts none)"
            if n == 0
            else f"refuses more than {n:,} request{'' if n == 1 else 's'} (--max-blocked)"
        )
        say(
            f"✗ blocked: {refuses}, so not acceptable however cheap; "
            "listed after the acceptable strategies, fewest refused first."
        )
    if rec.estimates:
        say("* rests on numbers the vendor gives only as estimates.")
    used = sorted({pid for o in rec.outcomes for pid in o.strategy.id.split("+")})
    if plans and used:
        say("\n[bold]Sources[/] (per number: `--json`, key plans):")
        for pid in used:
            if pid in plans:
                p = plans[pid]
                say(f"  {escape(pid)} ({p.origin}): {escape('; '.join(p.number_sources()))}")
    _switch(rec, say)
    for u in rec.measured:
        m = u.measured
        what = f"{m.agent} plan {m.plan_type}, {m.window_minutes}-minute window: ${m.allowance_usd:,.2f}"
        verdict = f"used for {u.plan}" if u.used else f"not used: {u.reason}"
        say(escape(f"Measured: {what} ({m.label}); {verdict}."))
    if rec.skipped:
        say("\n[bold]Skipped[/] (supply the numbers with --plans FILE; see docs/recommend.md):")
        for s in rec.skipped:
            need = f": needs {', '.join(s.missing)}" if s.missing else ""
            say(escape(f"  {s.plan} ({s.name}) - {s.reason}{need}"))
    if rec.break_even:
        say("\n[bold]Break-even[/] (what each skipped plan would need, from your demand):")
        for b in rec.break_even:
            say(escape(f"  {b.plan}: {describe_break_even(b, usd)}"))
    elif rec.skipped and rec.winner is None:
        say(
            "\n[bold]Break-even:[/] no fully-known strategy to compare the skipped plans with "
            "(add one, e.g. --plan api)."
        )
    say(
        "\n[dim]How: every request is replayed in time order against each strategy; money is API-priced "
        "dollars (text rounds to the cent; --json is exact); fees are pro-rated to the horizon; "
        "see `agentcost recommend --help`.[/]"
    )


def render_upgrade(
    names: str,
    amount: Decimal,
    old: Decimal,
    new: Decimal,
    days_left: int,
    period_days: int,
    rule_source: str,
    caveat: str | None,
    con: Console,
) -> None:
    """`agentcost upgrade-cost`: the amount (the vendor's own rounding, half-up to cents) and its formula."""
    text = (
        f"Upgrade cost{escape(names)}: ${amount}\n"
        f"  = (${new} - ${old}) x {days_left} / {period_days} days, rounded half-up to cents; "
        f"the period's end date stays the same (rule: {escape(rule_source)})."
    )
    if caveat:
        text += f"\n[yellow]Caveat:[/] {escape(caveat)}."
    con.print(text, highlight=False)


def _eligibility(rec: Recommendation, say: Callable[[str], None]) -> None:
    e = rec.eligibility
    if e is None:
        return
    if e.assumed:
        say(f"  Assumed: {escape(e.assumed)}.")
    if e.models and (e.switch or e.unstated):
        names = ", ".join(
            f"{m} ({n:,})" for m, n in sorted(e.models.items(), key=lambda x: (-x[1], x[0]))[:4]
        )
        say(
            f"  Models: {escape(names)}{', …' if len(e.models) > 4 else ''}; only plans serving them compete"
            + (f" ({len(e.switch)} need a model switch: see below)" if e.switch else "")
            + (
                f"; {', '.join(e.unstated[:4])}{', …' if len(e.unstated) > 4 else ''} state no models "
                "and are taken to serve any"
                if e.unstated
                else ""
            )
            + "."
        )
    if e.unlogged:
        say(f"  {e.unlogged:,} requests name no model; they do not decide which plans compete.")


def _switch(rec: Recommendation, say: Callable[[str], None]) -> None:
    if not rec.switches:
        return
    verb = "competing (--switch-models)" if rec.switch_models else "not competing; --switch-models lets them"
    say(f"\n[bold]If you switch models[/] ({verb}):")
    outcomes = {o.strategy.id.split("+")[0]: [] for o in rec.switch_outcomes}  # type: dict[str, list[Outcome]]
    for o in rec.switch_outcomes:
        outcomes[o.strategy.id.split("+")[0]].append(o)
    for sw in rec.switches:
        lacks = ", ".join(sw.lacks[:3]) + (", …" if len(sw.lacks) > 3 else "")
        head = f"  {sw.plan} ({sw.name}): does not serve {lacks}"
        if sw.demand is None:
            say(escape(f"{head}; not priced: {sw.note}."))
            continue
        runs = outcomes.get(sw.plan, [])
        if not runs:
            say(escape(f"{head}; numbers unknown (see Skipped)."))
            continue
        parts = []
        for o in runs:
            ok = o.blocked <= rec.max_blocked
            parts.append(
                f"{o.strategy.label} {usd(o.total)}" + ("" if ok else f" ✗ blocked {o.blocked:,} req")
            )
        work = (
            f"your work on {sw.model} costs {usd(sw.demand.total_usd)} at API prices" if sw.model else sw.note
        )
        say(escape(f"{head}; {work}: " + "; ".join(parts) + "."))
