"""`agentcost usage`: tokens and API-equivalent cost from Claude Code and Codex logs."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from enum import Enum

import typer

from agentcost.commands.options import AgentChoice, log_readers
from agentcost.errors import UsageError
from agentcost.ui.console import console, emit_json, progress_bar
from agentcost.ui.routing import render_routing
from agentcost.usage import ReadStats, iter_rows
from agentcost.usage.report import (
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


def usage_cmd(
    agent: AgentChoice = typer.Option(
        AgentChoice("all"), "--agent", "-a", help="Which agent's logs to read."
    ),
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
    agents = log_readers(agent)
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
    from agentcost.ui.usage import render
    from agentcost.usage.scan import log_roots

    looked = [str(r) for a in agents for r in log_roots(a)]
    render(report, stats, to_local, zone_name, cached=not no_cache, con=console(), looked=looked)
    if routing and (routing.requests or routing.dry_run or routing.unmatched):
        render_routing(routing)


def register(app: typer.Typer) -> None:
    app.command("usage")(usage_cmd)
