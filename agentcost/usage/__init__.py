"""Usage from the agents' local logs. Public API: `iter_usage(...)` -> Iterator[UsageRecord].

from agentcost.usage import iter_usage, ReadStats
stats = ReadStats()
for rec in iter_usage(agents=("claude",), since=datetime(2026, 11, 1, tzinfo=timezone.utc), stats=stats):
    ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from agentcost.usage.scan import AGENTS, Progress, collect, merge
from agentcost.usage.stats import ReadStats

if TYPE_CHECKING:
    from agentcost.usage.parse import Row
    from agentcost.usage.records import UsageRecord


def __getattr__(name: str) -> Any:
    # UsageRecord loads on first use: the status line imports agentcost.usage.* and must stay fast.
    if name == "UsageRecord":
        from agentcost.usage.records import UsageRecord

        return UsageRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["AGENTS", "ReadStats", "UsageRecord", "iter_rows", "iter_usage"]


def _epoch(d: datetime | None) -> float | None:
    if d is None:
        return None
    if d.tzinfo is None:  # naive datetimes are taken as UTC
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def iter_rows(
    agents: Iterable[str] = AGENTS,
    since: datetime | None = None,
    until: datetime | None = None,
    env: Mapping[str, str] | None = None,
    stats: ReadStats | None = None,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> Iterator[Row]:
    """Like `iter_usage` but yields compact rows (see agentcost.usage.parse) — the fast path for reports."""
    stats = stats if stats is not None else ReadStats()
    per_file = collect(agents, env, stats, use_cache=use_cache, progress=progress)
    yield from merge(per_file, stats, _epoch(since), _epoch(until))


def iter_usage(
    agents: Iterable[str] = AGENTS,
    since: datetime | None = None,
    until: datetime | None = None,
    env: Mapping[str, str] | None = None,
    stats: ReadStats | None = None,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> Iterator[UsageRecord]:
    """Every provider response in the agents' logs, counted once, with normalised token counts.

    agents: any of "claude", "codex". since / until: aware datetimes (naive = UTC); a record is kept
    when since <= timestamp < until. env: environment mapping for the log locations (default os.environ).
    stats: filled in while reading (malformed lines, unreadable files, lost usage, ...).
    Records come in file order (not globally sorted by time).
    """
    from agentcost.tokens import TokenCounts
    from agentcost.usage.records import UsageRecord

    utc = timezone.utc
    fromts = datetime.fromtimestamp
    for r in iter_rows(agents, since, until, env, stats, use_cache=use_cache, progress=progress):
        yield UsageRecord(
            timestamp=fromts(r[0], utc),
            agent=r[1],
            session=r[2],
            project=r[3],
            model=r[4],
            provider=r[5],
            tokens=TokenCounts(r[7], r[8], r[9], r[10], r[11], r[12]),
        )
