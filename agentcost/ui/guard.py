"""Rendering for `agentcost guard` (rich)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.markup import escape
from rich.table import Table

from agentcost.fileio import WriteResult
from agentcost.ui.console import console, emit_json


def _money(v: str | None) -> str:
    if v is None:
        return "—"
    d = Decimal(v)
    return f"${d.quantize(Decimal('0.01')):,}"


def _left(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    m = max(0, seconds) // 60
    if m >= 48 * 60:
        return f"{m // 1440}d{(m % 1440) // 60}h"
    if m >= 60:
        return f"{m // 60}h{m % 60:02d}m"
    return f"{m}m"


def say(text: str) -> None:
    console().print(escape(text))


def render_write(w: WriteResult, what: str) -> None:
    con = console()
    if w.dry_run:
        con.print(
            f"Would write {escape(str(w.path))}: {escape(what)}" if w.changed else "Already configured."
        )
        if w.diff:
            con.print(escape(w.diff), end="")
        return
    if not w.changed:
        con.print(f"Already configured: {escape(what)} ({escape(str(w.path))})")
        return
    con.print(f"{escape(what)} → {escape(str(w.path))}")
    if w.backup:
        con.print(f"[dim]backup: {escape(str(w.backup))}[/]")


def render_outcomes(outs: list[Any], json_out: bool) -> None:
    if json_out:
        emit_json(
            {
                "results": [
                    {
                        "client": o.agent,
                        "path": str(o.path),
                        "action": o.action,
                        "changed": bool(o.write and o.write.changed),
                        "dry_run": bool(o.write and o.write.dry_run),
                        "backup": str(o.write.backup) if o.write and o.write.backup else None,
                        "trust": o.trust,
                        "other_files": [str(w.path) for w in o.extra_writes if w.changed],
                    }
                    for o in outs
                ]
            }
        )
        return
    con = console()
    names = {"claude": "Claude Code", "codex": "Codex"}
    for o in outs:
        dry = bool(o.write and o.write.dry_run)
        verb = {
            "installed": "Installed the guard's hooks in",
            "updated": "Updated the guard's hooks in",
            "already": "Already installed in",
            "removed": "Removed the guard's hooks from",
            "absent": "No guard hooks in",
        }[o.action]
        if dry:
            verb = {
                "installed": "Would install the guard's hooks in",
                "updated": "Would update the guard's hooks in",
                "removed": "Would remove the guard's hooks from",
            }.get(o.action, verb)
        con.print(f"{names.get(o.agent, o.agent)}: {verb} {escape(str(o.path))}")
        if o.write and dry and o.write.diff:
            con.print(escape(o.write.diff), end="")
        if o.write and o.write.backup:
            con.print(f"[dim]backup: {escape(str(o.write.backup))}[/]")
        for w in o.extra_writes:
            if w.changed:
                con.print(f"[dim]also {'would write' if w.dry_run else 'wrote'} {escape(str(w.path))}[/]")
        if o.trust:
            style = "green" if o.trust == "trusted" else "yellow"
            con.print(f"  trust: [{style}]{escape(o.trust)}[/]")


def render_status(data: dict[str, Any]) -> None:
    con = console()
    t = Table(title="agentcost guard: budgets (API-priced dollars)", title_justify="left")
    for col, just in (
        ("Scope", "left"),
        ("Spent", "right"),
        ("Soft", "right"),
        ("Hard", "right"),
        ("State", "left"),
        ("Resets in", "right"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    colors = {"blocked": "red", "warning": "yellow", "ok": "green", "no cap": "dim"}
    for c in data["caps"]:
        scope = c["scope"] + (f" ({c['period']})" if c["scope"] == "project" else "")
        spent = _money(c["spent_usd"]) if c["spent_usd"] is not None else "per session"
        t.add_row(
            escape(scope),
            spent,
            _money(c["soft_usd"]),
            _money(c["hard_usd"]),
            f"[{colors.get(c['state'], '')}]{c['state']}[/]",
            _left(c["resets_in_seconds"]),
        )
    con.print(t)
    proj = next((c.get("project") for c in data["caps"] if c["scope"] == "project"), None)
    if proj:
        con.print(f"[dim]project: {escape(str(proj))}[/]")
    lp = data["loops"]
    rules = [
        f"same call {lp['repeat']}× in {lp['repeat_window']} calls" if lp["repeat"] else "repeat: off",
        f"{lp['failures']} failures in a row" if lp["failures"] else "failures: off",
        f"> ${lp['burst_usd']} in {lp['burst_minutes']} min" if Decimal(lp["burst_usd"]) else "burst: off",
    ]
    con.print("Loop stops: " + escape("; ".join(rules)))
    con.print(
        f"Today: {len(data['loops_today'])} loop(s) stopped, {data['budget_blocks_today']} budget block(s)"
        + (
            f", [red]{data['errors_today']} internal error(s)[/] (see {escape(str(data['error_log']))})"
            if data["errors_today"]
            else ""
        )
    )
    if data["paused"]:
        until = data["paused_until"] or "`agentcost guard resume`"
        con.print(f"[yellow]Paused until {escape(until)}: nothing is blocked.[/]")
    if data["strict"]:
        con.print("Strict mode: an internal error blocks instead of letting the agent go on.")
    con.print()
    for h in data["hooks"]:
        name = {"claude": "Claude Code", "codex": "Codex"}[h["agent"]]
        if not h["events"]:
            con.print(f"{name}: not installed ({escape(h['path'])})  → `agentcost guard install`")
        elif h["live"]:
            con.print(f"{name}: [green]live[/] — {len(h['events'])} hooks in {escape(h['path'])}")
        else:
            con.print(f"{name}: [red]installed but cannot run[/] — {escape(h.get('problem') or '')}")
        if h["agent"] == "codex" and h["events"]:
            con.print(f"[dim]{escape(h['note'])}[/]")
