"""Render a Recommendation as rich text or as the stable JSON document (docs/recommend.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentcost.audit.render import plural
from agentcost.billing.plans import Plan
from agentcost.billing.recommend import Recommendation, cents, outcome_dict, usd
from agentcost.billing.simulate import USD, Outcome

_WHEN = {0.5: "half your usage", 2.0: "twice your usage"}


def _brief(o: Outcome | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"id": o.strategy.id, "label": o.strategy.label, "total_usd": cents(o.total)}


def recommendation_dict(rec: Recommendation, plans: Mapping[str, Plan] | None = None) -> dict[str, Any]:
    """The --json document; `plans` adds each simulated plan's numbers with their sources."""
    d = rec.demand
    used = sorted({pid for o in rec.outcomes for pid in o.strategy.id.split("+")})
    return {
        "demand": {
            "source": d.source,
            "basis": d.basis,
            "start": d.start.isoformat(),
            "end": d.end.isoformat(),
            "horizon_days": d.horizon_days,
            "history_days": d.history_days,
            "requests": len(d.requests),
            "api_usd": cents(d.total_usd),
            "active_days": d.active_days,
            "unpriced_requests": dict(sorted(d.unpriced.items())),
        },
        "max_blocked": rec.max_blocked,
        "recommendation": _brief(rec.winner),
        "runner_up": _brief(rec.runner_up),
        "reason": rec.reason,
        "sensitivity": {str(k): _brief(v) for k, v in rec.sensitivity.items()},
        "strategies": [outcome_dict(o, d, rec.estimates) for o in rec.outcomes],
        "caveats": list(rec.caveats),
        "skipped": [
            {"plan": s.plan, "name": s.name, "reason": s.reason, "missing": list(s.missing)}
            for s in rec.skipped
        ],
        "plans": {pid: plans[pid].as_dict() for pid in used if plans and pid in plans},
    }


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
    say()
    head = "[bold]Recommendation:[/]" if rec.winner else "[bold yellow]No recommendation:[/]"
    say(f"{head} {escape(rec.reason)}")
    for c in rec.caveats:
        say(f"[yellow]Caveat:[/] {escape(c)}")
    if rec.winner and rec.sensitivity:
        parts = []
        for f, o in rec.sensitivity.items():
            who = f"{o.strategy.label} ({usd(o.total)})" if o else "nothing within --max-blocked"
            parts.append(f"at {_WHEN.get(f, f'{f}x your usage')}: {who}")
        say("Sensitivity: " + escape("; ".join(parts)) + ".")
    say()
    table = Table(title=f"Strategies over {d.horizon_days} days (cheapest acceptable first)")
    for col, just in (
        ("strategy", "left"),
        ("total", "right"),
        ("per active day", "right"),
        ("fees", "right"),
        ("packs", "right"),
        ("metered", "right"),
        ("blocked", "right"),
        ("allowance unused", "right"),
        ("pack credit expired / left", "right"),
    ):
        table.add_column(col, justify=just, overflow="fold", min_width=min(len(col), 12))  # type: ignore[arg-type]
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
        table.add_row(
            name,
            usd(o.total),
            usd(o.total / d.active_days) if d.active_days else "-",
            usd(o.fees) if o.fees else "-",
            packs,
            usd(o.metered) if o.metered else "-",
            blocked,
            _unused(o),
            pk,
        )
    if rec.outcomes:
        con.print(table)
    if over:
        n = rec.max_blocked
        limit = "any request" if n == 0 else f"{n:,} request{'' if n == 1 else 's'}"
        say(
            f"✗ blocked: refuses more than {limit} (--max-blocked), so not acceptable however cheap; "
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
    if rec.skipped:
        say("\n[bold]Skipped[/] (supply the numbers with --plans FILE; see docs/recommend.md):")
        for s in rec.skipped:
            need = f": needs {', '.join(s.missing)}" if s.missing else ""
            say(escape(f"  {s.plan} ({s.name}) - {s.reason}{need}"))
    say(
        "\n[dim]How: every request is replayed in time order against each strategy; money is API-priced "
        "dollars; fees are pro-rated to the horizon; see `agentcost recommend --help`.[/]"
    )
