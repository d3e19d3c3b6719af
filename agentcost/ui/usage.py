"""`agentcost usage` for people: the usage table, unpriced models and what was read."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.text import Text

from agentcost.formats import money, plural, size, tokens
from agentcost.sanitize import sanitize
from agentcost.ui.console import esc
from agentcost.ui.tables import Column, fit_table
from agentcost.usage import ReadStats
from agentcost.usage.report import Group, Report, ToLocal

# Below this width numbers are shortened (12.3M) and the models column goes first.
COMPACT_BELOW = 150


def _cost_cell(g: Group) -> str:
    if not g.priced:
        return "n/a (unpriced)"
    mark = " ~" if g.estimated else ""
    if g.unpriced_tokens:
        return f"{money(g.cost)}{mark}*"
    return f"{money(g.cost)}{mark}"


def _label(g: Group, by: str, to_local: ToLocal, compact: bool) -> Text:
    """The first cell of a row (logged strings are data, never markup)."""
    if by == "session":
        agent, _, session = g.key.partition(":")
        project = min(g.projects) if g.projects else "?"
        when = to_local(g.first).strftime("%Y-%m-%d %H:%M") if g.first is not None else ""
        if compact:  # the random tail of a UUID (Codex ids start with a shared timestamp)
            session = "…" + session[-12:] if len(session) > 13 else session
            if project.startswith("/"):
                project = project.rstrip("/").rsplit("/", 1)[-1] or project
        label = Text(sanitize(session))
        label.append(f"\n{sanitize(agent)} · {sanitize(project)} · {when}", style="dim")
        return label
    return Text(sanitize(g.key))


def _models_cell(g: Group) -> Text:
    """Models of a row, most tokens first (three at most)."""
    ms = sorted(g.models, key=lambda m: (-g.model_tokens.get(m, 0), m))
    ms = [sanitize(m) for m in ms]
    return Text("\n".join(ms) if len(ms) <= 3 else "\n".join(ms[:3]) + f"\n+{len(ms) - 3} more")


def usage_table(report: Report, to_local: ToLocal, zone_name: str, width: int) -> Any:
    """The main table at most `width` columns wide: labels and totals whole, narrow columns go first."""
    compact = width < COMPACT_BELOW
    by = report.by

    def num(v: int) -> str:
        return tokens(v, compact=compact)

    timed = by in ("day", "week", "month")
    title = f"Usage by {by}" + (f" (time zone: {esc(zone_name)})" if timed else "")
    t = report.total
    counts: list[tuple[str, int, Any]] = [
        ("Reqs", 4, lambda g: g.requests),
        ("Input", 0, lambda g: g.tokens.input),
        ("Cache write", 3, lambda g: g.tokens.cache_write),
        ("Cache read", 2, lambda g: g.tokens.cache_read),
        ("Output", 0, lambda g: g.tokens.output),
        ("Reasoning", 5, lambda g: g.tokens.reasoning),
        ("Total tokens", 0, lambda g: g.tokens.total),
    ]
    columns = [Column(by.capitalize(), kind="key", footer="Total")]
    show_models = by != "model"
    if show_models:
        columns.append(
            Column("Models", kind="text", min_width=12, drop=6, footer=f"{len(t.models)} model(s)")
        )
    columns += [
        Column(name, kind="number", justify="right", drop=drop, footer=num(get(t)))
        for name, drop, get in counts
    ]
    columns.append(Column("Cost (API)", kind="number", justify="right", footer=_cost_cell(t)))
    rows: list[list[object]] = []
    for g in report.groups:
        cells: list[object] = [_label(g, by, to_local, compact)]
        if show_models:
            cells.append(_models_cell(g))
        cells += [num(get(g)) for _, _, get in counts]
        cells.append(_cost_cell(g))
        rows.append(cells)
    table, _ = fit_table(
        columns,
        rows,
        width,
        title=title,
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_footer=True,
        footer_style="bold",
    )
    return table


def render(
    report: Report,
    stats: ReadStats,
    to_local: ToLocal,
    zone_name: str,
    cached: bool,
    con: Console,
    looked: list[str] | None = None,
) -> None:
    if not report.groups and not stats.files and looked:
        con.print("No log files found. Looked in:", markup=False)
        for d in looked:
            con.print(f"  {d}", markup=False)
        con.print(
            "[dim]Claude Code's logs: CLAUDE_CONFIG_DIR (default ~/.claude and ~/.config/claude); "
            "Codex's: CODEX_HOME (default ~/.codex). Set them if your agents keep logs elsewhere.[/]"
        )
    elif not report.groups:
        con.print("No usage found in the logs for this selection.")
    else:
        con.print(usage_table(report, to_local, zone_name, con.width))
    t = report.total
    if report.unpriced:
        cols = [
            Column("Model", kind="key"),
            Column("Requests", kind="number", justify="right"),
            Column("Tokens", kind="number", justify="right"),
            Column("Cost", kind="text", min_width=20),
        ]
        rows: list[list[object]] = [
            [Text(sanitize(u.model)), tokens(u.requests), tokens(u.tokens.total), Text(sanitize(u.label))]
            for u in report.unpriced
        ]
        ut, _ = fit_table(
            cols, rows, con.width, title="Unpriced models (not included in any cost)", box=box.SIMPLE_HEAD
        )
        con.print(ut)
        con.print(
            f"* {tokens(t.unpriced_tokens)} of {tokens(t.tokens.total)} tokens could not be priced; "
            "costs marked * cover the priced models only."
        )
    if t.estimated:
        con.print("~ estimated: some rates were missing from the price source (see --json notes).")
    con.print(
        "[dim]Input = uncached input; Claude cache write = max(flat, 5m + 1h); output includes reasoning.\n"
        "Cost = tokens × each model's API list price (agentcost prices), not what a plan charges; "
        "text rounds to the cent (--json: exact).[/]"
    )
    parts = [
        f"{stats.files} file(s), {size(stats.bytes_total)}"
        + (f" ({stats.cached_files} from cache)" if cached else " (cache off)"),
        f"{plural(stats.duplicates, 'duplicate line')} counted once",
        f"{stats.malformed_lines} malformed line(s) skipped",
    ]
    if stats.unreadable_files:
        parts.append(f"{stats.unreadable_files} unreadable file(s)")
    if stats.special_files:
        parts.append(f"{stats.special_files} FIFO/device file(s) skipped")
    if stats.usage_lost:
        parts.append(f"{stats.usage_lost} Codex event(s) with usage not logged (unknown, not zero)")
    con.print("[dim]Read " + " · ".join(parts) + "[/]")
    for p in stats.unreadable_paths[:5]:
        con.print(f"[dim]  unreadable: {esc(p)}[/]")
    for p in stats.special_paths[:5]:
        con.print(f"[dim]  not a regular file, skipped: {esc(p)}[/]")
