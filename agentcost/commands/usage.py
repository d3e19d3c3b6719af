"""`agentcost usage`: tokens and API-equivalent cost from Claude Code and Codex logs."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import Enum
from typing import Any

import typer

from agentcost.commands.options import AgentChoice
from agentcost.errors import UsageError
from agentcost.output import console, emit_json, esc, progress_bar
from agentcost.sanitize import sanitize
from agentcost.ui.routing import render_routing
from agentcost.usage import ReadStats, iter_rows
from agentcost.usage.report import (
    Group,
    Report,
    ToLocal,
    build_report,
    day_bounds,
    report_dict,
    zone_converter,
)
from agentcost.usage.routed import attributor, summary_dict


class ByChoice(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    session = "session"
    model = "model"
    project = "project"


_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_RELATIVE = re.compile(r"^(\d+)([dhw])$")


def zone_id(zone: tzinfo | None, name: str) -> str:
    """The zone for --json: an IANA name or offset that --tz accepts back (never "UTC, local")."""
    if zone is not None:
        return name
    from agentcost.timezones import local_zone

    local = local_zone()
    key = getattr(local, "key", None)
    if isinstance(key, str) and key:
        return key
    off = datetime.now(local).utcoffset()
    minutes = int(off.total_seconds() // 60) if off is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def resolve_zone(name: str | None) -> tuple[tzinfo | None, str]:
    """--tz value -> (zone, display name); None = the system's local time."""
    if not name or name.lower() == "local":
        now = datetime.now().astimezone()
        return None, f"{now.tzname()}, local"
    from agentcost.timezones import resolve_tz

    try:
        return resolve_tz(name), name
    except ValueError:
        raise UsageError(
            f"unknown time zone {name!r}",
            hint="use an IANA name such as Europe/Paris or America/New_York, UTC, or an offset like UTC+8",
        ) from None


def parse_when(text: str, zone: tzinfo | None, *, end: bool, now: datetime | None = None) -> datetime:
    """A --since/--until value -> aware datetime.

    Accepts YYYY-MM-DD or YYYYMMDD (a whole local day: --until includes it), an ISO date-time
    (local unless it carries an offset), or a relative 7d / 12h / 2w (before now).
    """
    t = text.strip()
    m = _DATE.match(t)
    if m:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise UsageError(f"not a date: {text!r}", hint="use YYYY-MM-DD, e.g. 2026-11-01") from None
        start, stop = day_bounds(d, zone)
        return stop if end else start
    r = _RELATIVE.match(t.lower())
    if r:
        n, unit = int(r.group(1)), r.group(2)
        try:
            delta = (
                timedelta(days=n)
                if unit == "d"
                else timedelta(hours=n)
                if unit == "h"
                else timedelta(weeks=n)
            )
        except OverflowError:
            raise UsageError(f"{text!r} is too far back", hint="use a smaller number or a date") from None
        base = now or datetime.now().astimezone()
        try:
            return base - delta
        except OverflowError:
            raise UsageError(
                f"{text!r} reaches before year 1", hint="use a smaller number or a date"
            ) from None
    try:
        dt = datetime.fromisoformat(t[:-1] + "+00:00" if t.endswith(("Z", "z")) else t)
    except ValueError:
        raise UsageError(
            f"not a date or time: {text!r}", hint="use YYYY-MM-DD, YYYY-MM-DDTHH:MM, or 7d / 12h / 2w"
        ) from None
    if dt.tzinfo is None:
        dt = dt.astimezone() if zone is None else dt.replace(tzinfo=zone)
    return dt


def _n(v: int) -> str:
    return f"{v:,}"


def _usd(d: Decimal) -> str:
    from agentcost.pricing import format_usd  # imported late: `usage --help` needs no price catalog

    return format_usd(d)


def _cost_cell(g: Group) -> str:
    if not g.priced:
        return "n/a (unpriced)"
    mark = " ~" if g.estimated else ""
    if g.unpriced_tokens:
        return f"{_usd(g.cost)}{mark}*"
    return f"{_usd(g.cost)}{mark}"


def _label(g: Group, by: str, to_local: ToLocal, compact: bool) -> str:
    """The first cell of a row, as rich markup (every logged string escaped)."""
    if by == "session":
        agent, _, session = g.key.partition(":")
        project = min(g.projects) if g.projects else "?"
        when = to_local(g.first).strftime("%Y-%m-%d %H:%M") if g.first is not None else ""
        if compact:  # the random tail of a UUID (Codex ids start with a shared timestamp)
            session = "…" + session[-12:] if len(session) > 13 else session
            if project.startswith("/"):
                project = project.rstrip("/").rsplit("/", 1)[-1] or project
        return f"{esc(session)}\n[dim]{esc(agent)} · {esc(project)} · {when}[/]"
    return esc(g.key)


def _models_cell(g: Group) -> str:
    """Models of a row, most tokens first (three at most)."""
    ms = [esc(m) for m in sorted(g.models, key=lambda m: (-g.model_tokens.get(m, 0), m))]
    return "\n".join(ms) if len(ms) <= 3 else "\n".join(ms[:3]) + f"\n+{len(ms) - 3} more"


def _short(v: int) -> str:
    """Compact token counts for narrow terminals, in the same units as every other token total
    (audit-repo's): 1234 -> 1.2 k, 12345678 -> 12.35 M, 2.4e9 -> 2.40 B (never "G", a size unit)."""
    from agentcost.audit.render import tok

    return tok(v)


def usage_table(report: Report, to_local: ToLocal, zone_name: str, compact: bool) -> Any:
    """The main table; `compact` (narrow terminal) drops the models and reasoning columns."""
    from rich import box
    from rich.table import Table

    by = report.by
    num = _short if compact else _n
    timed = by in ("day", "week", "month")
    title = f"Usage by {by}" + (f" (time zone: {esc(zone_name)})" if timed else "")
    table = Table(
        title=title,
        show_footer=True,
        footer_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=compact,
    )
    t = report.total
    # Model names and paths have no spaces: folding would cut them mid-word, so they stay on one
    # line and lose their end ("…") only when the terminal is too narrow.
    # (Not no_wrap: rich never shrinks a no_wrap column, and this is the one that must give way.)
    longest = min(max((len(g.key) for g in report.groups), default=10), 12 if compact else 24)
    table.add_column(
        by.capitalize(),
        footer="Total",
        overflow="ellipsis" if by in ("model", "project") else "fold",
        min_width=(14 if compact else 36) if by == "session" else max(longest, 10),
    )
    show_models = by != "model" and not compact
    if show_models:
        table.add_column("Models", overflow="ellipsis", footer=f"{len(t.models)} model(s)", min_width=12)
    cols: list[tuple[str, Any]] = [
        ("Reqs", lambda g: g.requests),
        ("Input", lambda g: g.tokens.input),
        ("Cache wr." if compact else "Cache write", lambda g: g.tokens.cache_write),
        ("Cache rd." if compact else "Cache read", lambda g: g.tokens.cache_read),
        ("Output", lambda g: g.tokens.output),
    ]
    if not compact:
        cols.append(("Reasoning", lambda g: g.tokens.reasoning))
    cols.append(("Total tokens" if not compact else "Total", lambda g: g.tokens.total))
    # Numbers are never cut: the label column is the one that gives way on a narrow terminal.
    for name, get in cols:
        width = max([len(name), len(num(get(t)))] + [len(num(get(g))) for g in report.groups])
        table.add_column(name, justify="right", footer=num(get(t)), no_wrap=True, min_width=width)
    cost_width = max([len(_cost_cell(t))] + [len(_cost_cell(g)) for g in report.groups])
    table.add_column(
        "Cost" if compact else "Cost (API)",
        justify="right",
        footer=_cost_cell(t),
        no_wrap=True,
        min_width=cost_width,
    )
    for g in report.groups:
        cells = [_label(g, by, to_local, compact)]
        if show_models:
            cells.append(_models_cell(g))
        cells += [num(get(g)) for _, get in cols]
        cells.append(_cost_cell(g))
        table.add_row(*cells)
    return table


def render(
    report: Report,
    stats: ReadStats,
    to_local: ToLocal,
    zone_name: str,
    cached: bool,
    looked: list[str] | None = None,
) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()
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
        con.print(usage_table(report, to_local, zone_name, compact=con.width < 150))
    t = report.total
    if report.unpriced:
        ut = Table(title="Unpriced models (not included in any cost)", box=box.SIMPLE_HEAD)
        ut.add_column("Model")
        ut.add_column("Requests", justify="right")
        ut.add_column("Tokens", justify="right")
        ut.add_column("Cost", overflow="fold")
        for u in report.unpriced:
            ut.add_row(Text(sanitize(u.model)), _n(u.requests), _n(u.tokens.total), Text(sanitize(u.label)))
        con.print(ut)
        con.print(
            f"* {_n(t.unpriced_tokens)} of {_n(t.tokens.total)} tokens could not be priced; "
            "costs marked * cover the priced models only."
        )
    if t.estimated:
        con.print("~ estimated: some rates were missing from the price source (see --json notes).")
    con.print(
        "[dim]Input = uncached input; Claude cache write = max(flat, 5m + 1h); output includes reasoning.\n"
        "Cost = tokens × each model's API list price (agentcost prices), not what a plan charges.[/]"
    )
    parts = [
        f"{stats.files} file(s), {stats.bytes_total / 1e6:.1f} MB"
        + (f" ({stats.cached_files} from cache)" if cached else " (cache off)"),
        f"{stats.duplicates} duplicate line(s) counted once",
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


def usage_cmd(
    agent: AgentChoice = typer.Option(AgentChoice.all, "--agent", "-a", help="Which agent's logs to read."),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="DATE",
        help="From this date/time on: 2026-11-01, 20261101, 2026-11-01T09:00, or 7d / 12h / 2w.",
    ),
    until: str | None = typer.Option(
        None,
        "--until",
        metavar="DATE",
        help="Up to this date (a date includes the whole day) or time (exclusive).",
    ),
    by: ByChoice = typer.Option(
        ByChoice.day, "--by", "-b", help="One row per day, week, month, session, model or project."
    ),
    tz: str | None = typer.Option(
        None,
        "--tz",
        metavar="ZONE",
        help="Time zone for days and dates (IANA name such as Europe/Paris, UTC, or UTC+8). Default: local.",
    ),
    json_out: bool = typer.Option(
        False, "--json", help="Machine-readable output (stable, versioned schema; see the README)."
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Read every log from scratch (ignore the cache)."
    ),
) -> None:
    """Tokens used by Claude Code and Codex, and what they would cost at API list prices.

    Reads the agents' local logs: Claude Code's projects/**/*.jsonl under $CLAUDE_CONFIG_DIR (a
    comma-separated list is accepted) or ~/.claude and ~/.config/claude; Codex's sessions/ and
    archived_sessions/ under $CODEX_HOME (default ~/.codex). Each provider response is counted once:
    Claude Code's repeated lines per content block and resumed-session copies, subagent usage
    copied into the parent, and Codex's double events are all de-duplicated.

    Cost is API-equivalent (tokens × each model's list price from `agentcost prices`), not what a
    subscription charges. Models without a price are shown as unpriced with their tokens, never $0.

    Examples:

      agentcost usage                         # per day, both agents

      agentcost usage --by model --since 7d   # last 7 days, one row per model

      agentcost usage -a codex --by session --since 2026-11-01 --until 2026-11-30

      agentcost usage --by month --tz UTC --json

    Repeated runs are fast: per-file results are cached (by path, size and modification time) in
    agentcost's cache directory; only bytes appended since the last run are read.
    """
    zone, zone_name = resolve_zone(tz)
    to_local = zone_converter(zone)
    since_dt = parse_when(since, zone, end=False) if since else None
    until_dt = parse_when(until, zone, end=True) if until else None
    if since_dt and until_dt and since_dt >= until_dt:
        raise UsageError("--since is not before --until", hint="swap the two dates")
    agents = agent.agents
    stats = ReadStats()
    routed = attributor(since=since_dt, until=until_dt) if "codex" in agents else None
    with progress_bar("Reading logs") as bar:
        rows = iter_rows(agents, since_dt, until_dt, stats=stats, use_cache=not no_cache, progress=bar)
        report = build_report(routed.rows(rows) if routed else rows, by.value, to_local)
    routing = routed.finish() if routed else None
    if json_out:
        emit_json(
            {
                "query": {
                    "agents": list(agents),
                    "by": by.value,
                    "since": since_dt.isoformat() if since_dt else None,
                    "until": until_dt.isoformat() if until_dt else None,
                    "tz": zone_id(zone, zone_name),
                    "tz_local": zone is None,
                },
                **report_dict(report, to_local),
                "routing": summary_dict(routing) if routing else None,
                "stats": stats.as_dict(),
            }
        )
        return
    from agentcost.usage.scan import log_roots

    looked = [str(r) for a in agents for r in log_roots(a)]
    render(report, stats, to_local, zone_name, cached=not no_cache, looked=looked)
    if routing and (routing.requests or routing.dry_run or routing.unmatched):
        render_routing(routing)


def register(app: typer.Typer) -> None:
    app.command("usage")(usage_cmd)
