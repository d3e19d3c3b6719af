"""What has been spent, per budget scope, on the hook's hot path — from the spend index.

All figures are API-priced dollars of the logged requests (`agentcost.spend`: the same rows and
prices as `agentcost usage`). One pass over the recent store's rows since the earliest period start
that lies inside its horizon fills every bucket; nothing is counted twice because the rows are
de-duplicated by `usage.scan.merge` and each bucket is a time range over them (concurrent sessions
write their own logs; the guard keeps no running totals of its own that could drift).

A month (or a project's month) that began before the recent store's horizon is split at a local
midnight ~6 days ago: the part before is read once from the full per-file cache
(`agentcost.spend.requests`, ~0.15 s warm) and kept in `<cache dir>/guard/base.json` for that
day, the part after comes from the recent store.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from agentcost import paths

# Budget periods --------------------------------------------------------------------------------


def local_midnight(now: float, days_back: int = 0) -> float:
    lt = time.localtime(now)
    return time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday - days_back, 0, 0, 0, 0, 0, -1))


def period_bounds(period: str, now: float, week_starts: str = "monday") -> tuple[float, float]:
    """[start, end) of the local day / week / month containing `now`."""
    lt = time.localtime(now)
    if period == "day":
        return local_midnight(now), time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday + 1, 0, 0, 0, 0, 0, -1))
    if period == "week":
        back = lt.tm_wday if week_starts == "monday" else (lt.tm_wday + 1) % 7
        start = time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday - back, 0, 0, 0, 0, 0, -1))
        end = time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday - back + 7, 0, 0, 0, 0, 0, -1))
        return start, end
    if period == "month":
        start = time.mktime((lt.tm_year, lt.tm_mon, 1, 0, 0, 0, 0, 0, -1))
        end = time.mktime((lt.tm_year, lt.tm_mon + 1, 1, 0, 0, 0, 0, 0, -1))
        return start, end
    raise ValueError(period)


def project_root(cwd: str | None) -> str | None:
    """The git work tree containing `cwd` (a `.git` dir or file), else `cwd` itself."""
    if not cwd:
        return None
    d = os.path.abspath(cwd)
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return os.path.abspath(cwd)
        d = parent


def in_project(project: str | None, root: str) -> bool:
    return project is not None and (project == root or project.startswith(root.rstrip("/") + "/"))


# Spend -----------------------------------------------------------------------------------------


def _base_path(env: Mapping[str, str] | None) -> str:
    return os.path.join(str(paths.cache_dir(env)), "guard", "base.json")


def _base(since: float, until: float, root: str | None, env: Mapping[str, str] | None) -> Decimal:
    """Spend in [since, until) (of one project if `root`), from the full cache; memoised on disk."""
    key = f"{since:.0f}:{until:.0f}:{root or ''}"
    path = _base_path(env)
    loaded: Any = None
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except (OSError, ValueError):
        loaded = None
    memo: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    if isinstance(memo.get(key), str):
        return Decimal(memo[key])
    from agentcost.spend import requests

    total = Decimal(0)
    for r in requests(since, until, env=env):
        if r.cost is not None and (root is None or in_project(r.project, root)):
            total += r.cost
    memo = {k: v for k, v in memo.items() if k.split(":")[1] == f"{until:.0f}"}  # older days go
    memo[key] = str(total)
    from agentcost.spend.recent import write_atomic

    write_atomic(path, json.dumps(memo).encode())
    return total


def measure(
    *,
    now: float,
    session: str | None,
    root: str | None,
    extra: list[tuple[str, str]],
    project_period: str,
    week_starts: str,
    burst_minutes: int,
    env: Mapping[str, str] | None = None,
    need: tuple[str, ...] = ("session", "day", "week", "month", "project", "burst"),
) -> dict[str, Decimal]:
    """Spend per scope: session, day, week, month, project (its period), burst (last M minutes)."""
    from agentcost.spend import recent
    from agentcost.spend.rates import Rates
    from agentcost.usage.parse import PROJECT, SESSION, TS
    from agentcost.usage.scan import E_ROWS, merge
    from agentcost.usage.stats import ReadStats

    starts: dict[str, float] = {}
    for scope in ("day", "week", "month"):
        if scope in need:
            starts[scope] = period_bounds(scope, now, week_starts)[0]
    if "project" in need and root:
        starts["project"] = period_bounds(project_period, now, week_starts)[0]
    if "burst" in need and burst_minutes:
        starts["burst"] = now - burst_minutes * 60.0
    cut = local_midnight(now, 6)  # inside the recent store's 8-day horizon
    lo = min([max(s, cut) for s in starts.values()], default=cut)
    rec = recent.Recent(env)
    rec.refresh(extra=extra, walk_every=recent.WALK_EVERY, since=lo, now=now)
    rec.save()
    rates = Rates(env)
    stats = ReadStats()
    out = {k: Decimal(0) for k in starts}
    for r in merge(rec.per_file(since=lo), stats, lo, None):
        c = rates.row_cost(r)
        if c is None:
            continue
        ts = r[TS]
        for scope, s in starts.items():
            if ts >= s and (scope != "project" or in_project(r[PROJECT], root or "")):
                out[scope] += c
    if "session" in need and session:
        keys = [f"{a}\0{p}" for a, p in extra]
        per_file = [rec.files[k][E_ROWS] for k in keys if k in rec.files]
        if not per_file:  # no transcript given (Codex): the session's rows in the recent store
            per_file = rec.per_file()
        total = Decimal(0)
        for r in merge(per_file, stats):
            if r[SESSION] == session:
                c = rates.row_cost(r)
                if c is not None:
                    total += c
        out["session"] = total
    rates.save()
    for scope in ("month", "project"):
        begin = starts.get(scope)
        if begin is not None and begin < cut:
            out[scope] += _base(begin, cut, root if scope == "project" else None, env)
    return out


def session_files(agent: str, transcript: str | None) -> list[tuple[str, str]]:
    """The session's own log and (Claude) its subagents' logs."""
    if not transcript:
        return []
    out = [(agent, transcript)]
    if agent == "claude" and transcript.endswith(".jsonl"):
        sub = os.path.join(transcript[: -len(".jsonl")], "subagents")
        try:
            names = os.listdir(sub)
        except OSError:
            names = []
        out += [("claude", os.path.join(sub, n)) for n in sorted(names) if n.endswith(".jsonl")]
    return out
