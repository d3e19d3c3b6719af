"""What has been spent, per budget scope, on the hook's hot path — from the spend index.

All figures are API-priced dollars of the logged requests (`agentcost.spend`: the same rows and
prices as `agentcost usage`). One pass over the recent store's rows since the earliest period start
that lies inside its horizon fills every bucket; nothing is counted twice because the rows are
de-duplicated by `usage.scan.merge` and each bucket is a time range over them (concurrent sessions
write their own logs; the guard keeps no running totals of its own that could drift).

Today's requests come from the recent store on every call; each closed day of a week or month is
priced once (per working directory, for project budgets) and kept in `<cache dir>/guard/days.json`
— so a call prices today's requests only, whatever the history.
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

DAYS_FILE = "days.json"
# The guard's own recent store: today (<= 25 h) and the burst window (<= 24 h) fit in two days, and a
# two-day store loads ~4x faster than the spend index's 8-day one (`spend-recent.marshal`).
STORE = "guard-recent.marshal"
STORE_HORIZON = 2 * 86400
KEEP_DAYS = 40


def _days_path(env: Mapping[str, str] | None) -> str:
    return os.path.join(str(paths.cache_dir(env)), "guard", DAYS_FILE)


def _load_days(env: Mapping[str, str] | None, fp: list[Any]) -> dict[str, dict[str, str]]:
    try:
        with open(_days_path(env), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("fp") != fp or not isinstance(doc.get("days"), dict):
        return {}  # prices changed (or another format): everything is priced again
    days: dict[str, dict[str, str]] = doc["days"]
    return days


def closed_days(
    starts: list[float], today0: float, env: Mapping[str, str] | None, fp: list[Any]
) -> dict[float, dict[str, Decimal]]:
    """API-priced spend per working directory of each closed local day in [min(starts), today0).

    Memoised in `<cache dir>/guard/days.json` (valid while the price inputs are unchanged): a past
    day's requests do not change, so each day is priced once; the missing ones are read in one
    query of the spend index (`agentcost.spend.load_rows`, exactly the rows `usage` counts)."""
    first = min(starts, default=today0)
    days: list[float] = []
    back = 1
    while True:
        d = local_midnight(today0 + 3600, back)  # +1 h: DST days are 23-25 h long
        if d < first - 3600:
            break
        days.append(d)
        back += 1
    if not days:
        return {}
    memo = _load_days(env, fp)
    missing = [d for d in days if f"{d:.0f}" not in memo]
    if missing:
        from agentcost.spend.query import load_rows
        from agentcost.spend.rates import Rates
        from agentcost.usage.parse import PROJECT, TS

        lo, hi = min(missing), max(missing)
        hi_end = local_midnight(hi + 86400 + 3600)
        fresh: dict[str, dict[str, Decimal]] = {f"{d:.0f}": {} for d in missing}
        rows, _ = load_rows(lo, hi_end, env=env)
        rates = Rates(env)
        ordered = sorted(days, reverse=True)
        for r in rows:
            c = rates.row_cost(r)
            if c is None:
                continue
            day = next((x for x in ordered if r[TS] >= x), None)
            bucket = fresh.get(f"{day:.0f}") if day is not None else None
            if bucket is None:
                continue  # a day already memoised
            cwd = r[PROJECT] or ""
            bucket[cwd] = bucket.get(cwd, Decimal(0)) + c
        rates.save()
        keep = today0 - KEEP_DAYS * 86400
        memo = {k: v for k, v in memo.items() if float(k) >= keep}
        for k, v in fresh.items():
            memo[k] = {cwd: str(c) for cwd, c in v.items()}
        from agentcost.spend.recent import write_atomic

        doc = {"fp": fp, "days": memo}
        write_atomic(_days_path(env), json.dumps(doc, separators=(",", ":")).encode())
    return {d: {cwd: Decimal(c) for cwd, c in memo[f"{d:.0f}"].items()} for d in days}


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
    """Spend per scope: session, day, week, month, project (its period), burst (last M minutes).

    Today's requests (and the burst window) come from the recent store, refreshed incrementally;
    closed days from `closed_days` (priced once per day). The sum over the days of a period and
    today equals the spend index's total over the period (tested)."""
    from agentcost.spend import recent
    from agentcost.spend.rates import Rates, fingerprint
    from agentcost.usage.parse import PROJECT, SESSION, TS
    from agentcost.usage.scan import E_ROWS, merge
    from agentcost.usage.stats import ReadStats

    today0 = local_midnight(now)
    starts: dict[str, float] = {}
    for scope in ("day", "week", "month"):
        if scope in need:
            starts[scope] = period_bounds(scope, now, week_starts)[0]
    if "project" in need and root:
        starts["project"] = period_bounds(project_period, now, week_starts)[0]
    if "burst" in need and burst_minutes:
        starts["burst"] = now - burst_minutes * 60.0
    lo = min([today0, *(s for s in starts.values() if s > today0)])
    rec = recent.Recent(env, filename=STORE, horizon=STORE_HORIZON)
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
        if not per_file:  # no transcript given: the session's rows in the recent store
            per_file = rec.per_file()
        total = Decimal(0)
        for r in merge(per_file, stats):
            if r[SESSION] == session:
                c = rates.row_cost(r)
                if c is not None:
                    total += c
        out["session"] = total
    rates.save()
    older = [s for k, s in starts.items() if k != "burst" and s < today0]
    if older:
        days = closed_days(older, today0, env, fingerprint(env))
        for scope, s in starts.items():
            if scope == "burst" or s >= today0:
                continue
            for d, per_cwd in days.items():
                if d >= s - 1:
                    if scope == "project":
                        out[scope] += sum(
                            (c for cwd, c in per_cwd.items() if in_project(cwd, root or "")), Decimal(0)
                        )
                    else:
                        out[scope] += sum(per_cwd.values(), Decimal(0))
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
