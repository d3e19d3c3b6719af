"""Render `agentcost limits` for people (rich)."""

from __future__ import annotations

import time

from rich import box
from rich.console import Console
from rich.markup import escape

from agentcost.formats import money
from agentcost.limits.estimate import WindowEstimate
from agentcost.limits.report import label
from agentcost.ui.statusline import duration
from agentcost.ui.tables import Column, fit_table


def _allowance(w: WindowEstimate) -> str:
    if w.allowance_usd is None:
        return "—"
    return f"~{money(w.allowance_usd)}"


def _range(w: WindowEstimate) -> str:
    if w.low_usd is None or w.high_usd is None:
        return "—"
    return f"{money(w.low_usd)}–{money(w.high_usd)}"


def _now(w: WindowEstimate, now: float) -> tuple[str, str, str]:
    c = w.current
    if c is None:
        return "—", "—", "—"
    if c.reset:
        return "0% (reset)", "—", "—"
    used = f"{c.used:g}%"
    resets = duration(c.resets_at - now) if c.resets_at is not None else "?"
    if c.used >= 100:
        pace = "[red]limit reached[/]"
    elif c.runs_out_at is not None:
        pace = f"[red]runs out in {duration(max(0.0, c.runs_out_at - now))}[/]"
    elif c.projected is not None:
        pace = f"~{c.projected:.0f}% at reset"
    else:
        pace = "—"
    return used, resets, pace


def render(con: Console, windows: list[WindowEstimate], now: float | None = None) -> None:
    now = time.time() if now is None else now
    if not windows:
        con.print(
            "No subscription windows found: Codex logs with rate limits (ChatGPT sign-in) or Claude Code "
            "status-line readings (`agentcost statusline install`) are needed."
        )
        return
    # Identity, the allowance and where the window stands now never drop; evidence columns go first.
    cols = [
        Column("Agent", kind="key"),
        Column("Window", kind="key"),
        Column("Plan", kind="text", min_width=7, drop=2),
        Column("Allowance", kind="number", justify="right"),
        Column("Range", kind="number", justify="right", drop=4),
        Column("Windows", kind="number", justify="right", drop=5),
        Column("Readings", kind="number", justify="right", drop=6),
        Column("Limit hits", kind="number", justify="right", drop=7),
        Column("Used now", kind="number", justify="right"),
        Column("Resets in", kind="number", justify="right", drop=3),
        Column("Pace", kind="text", min_width=12, drop=1),
    ]
    rows = []
    for w in windows:
        used, resets, pace = _now(w, now)
        rows.append(
            [
                w.agent,
                label(w.window_minutes),
                escape(w.plan or "unknown"),
                _allowance(w),
                _range(w),
                f"{w.windows_used}/{w.windows_seen}",
                f"{w.snapshots:,}",
                str(len(w.limit_hits)),
                used,
                resets,
                pace,
            ]
        )
    table, shown = fit_table(
        cols, rows, con.width, title="Subscription windows in API-priced dollars", box=box.SIMPLE_HEAD
    )
    con.print(table)
    hidden = [c.header for c in cols if c not in shown]
    if hidden:
        con.print(
            f"[dim]Not shown at this width: {', '.join(hidden)} (a wider terminal or --json shows them).[/]"
        )
    for w in windows:
        head = f"{w.agent} {label(w.window_minutes)}"
        if w.reason:
            con.print(f"[dim]{escape(head)}: no estimate — {escape(w.reason)}[/]")
        for h in w.limit_hits[:5]:
            spent = money(h.spent_usd) if h.spent_usd is not None else "unknown"
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(h.at))
            con.print(f"[dim]{escape(head)}: limit hit {when}, {spent} spent in that window before it[/]")
        if len(w.limit_hits) > 5:
            con.print(f"[dim]{escape(head)}: … {len(w.limit_hits) - 5} more limit hit(s) (see --json)[/]")
        for n in w.notes:
            con.print(f"[dim]{escape(head)}: {escape(n)}[/]")
    con.print(
        "[dim]Allowance = API list price of the requests that filled 100 % of a window, measured between "
        "the clients' used-% readings (whole-percent rounding → the range). It assumes all usage of the "
        "account is in these logs.[/]"
    )
