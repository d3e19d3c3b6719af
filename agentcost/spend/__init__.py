"""The spend index: every request the agents logged, with its API-priced cost — one engine for
`usage`, `limits`, the status line and the guard.

    from agentcost.spend import requests, total
    from datetime import datetime, timezone
    t0 = datetime(2026, 12, 5, tzinfo=timezone.utc).timestamp()
    for r in requests(since=t0, agents=("codex",)):        # list[Request], sorted by time
        print(r.ts, r.agent, r.session, r.project, r.model, r.cost)   # cost: Decimal | None (unpriced)
    s = total(since=t0, session="0f3c…")                   # Spend(cost, requests, unpriced_requests, …)
    s = total(since=t0, until=t0 + 86400, project="/home/me/app", agents=("claude",))

Times are POSIX seconds (UTC); a request is in [since, until). `project` is the working directory the
log records (Claude Code: `cwd` of the line; Codex: the session's cwd), `session` the client's id.
Costs are exact Decimal dollars at each model's API list price (`agentcost prices`), priced per
request by `agentcost.pricing.cost` (see `spend.rates`); unpriced models are counted apart, never $0.

Where the rows come from (both read through `agentcost.usage.scan.read_file`: appended bytes only):
- `since` within the last 8 days (`recent.HORIZON`): the recent store (`spend.recent`), small and
  fast — the hot path (status line, guard hooks). `hot=True` also rate-limits the walk of the log
  folders to one per minute (the files already known and `extra_files` are always re-checked);
- otherwise the full per-file cache of `agentcost usage` (every file, ~0.15 s warm for 200 MB).
Either way the rows are exactly those `agentcost usage` counts for the same range.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentcost.spend.query import Request, Spend, load_rows, requests, total

__all__ = ["Request", "Spend", "load_rows", "requests", "total"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the status line imports agentcost.spend.recent / .rates only.
    if name in __all__:
        from agentcost.spend import query

        return getattr(query, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
