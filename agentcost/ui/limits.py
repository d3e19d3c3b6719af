"""Render `agentcost limits` for people (rich)."""

from __future__ import annotations

import time

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agentcost.limits.estimate import WindowEstimate
from agentcost.limits.report import label
from agentcost.ui.statusline import duration, money


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
    if c.runs_out_at is not None:
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
    table = Table(title="Subscription windows in API-priced dollars", box=box.SIMPLE_HEAD, pad_edge=False)
    for col, justify in (
        ("Agent", "left"),
        ("Window", "left"),
        ("Plan", "left"),
        ("Allowance", "right"),
        ("Range", "right"),
        ("Windows", "right"),
        ("Readings", "right"),
        ("Limit hits", "right"),
        ("Used now", "right"),
        ("Resets in", "right"),
        ("Pace", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for w in windows:
        used, resets, pace = _now(w, now)
        table.add_row(
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
        )
    con.print(table)
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
