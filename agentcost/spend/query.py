"""The spend index's query API (documented in `agentcost.spend`)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from agentcost.usage.parse import AGENT, MODEL, PROJECT, SESSION, TS, Row

AGENTS = ("claude", "codex")

__all__ = ["Request", "Spend", "load_rows", "requests", "total"]


@dataclass(frozen=True, slots=True)
class Request:
    """One logged provider response: time (POSIX s), agent, session, project, model, API-priced cost."""

    ts: float
    agent: str
    session: str
    project: str | None
    model: str | None
    cost: Decimal | None  # None: the model has no price
    tokens: int


@dataclass(frozen=True, slots=True)
class Spend:
    cost: Decimal  # priced requests only
    requests: int
    unpriced_requests: int
    unpriced_tokens: int
    estimated: bool  # some rate was a documented fallback (see agentcost.pricing.model)


def load_rows(
    since: float | None = None,
    until: float | None = None,
    agents: Iterable[str] = AGENTS,
    env: Mapping[str, str] | None = None,
    *,
    hot: bool = False,
    extra_files: Iterable[tuple[str, str]] = (),
    with_limits: bool = False,
) -> tuple[list[Row], list[list[Any]]]:
    """De-duplicated rows in [since, until) (file order), and the per-file Codex rate-limit snapshots."""
    from agentcost.usage.scan import merge
    from agentcost.usage.stats import ReadStats

    agents = tuple(agents)
    stats = ReadStats()
    from agentcost.spend import recent as recent_mod

    limits: list[list[Any]] = []
    if since is not None and since >= time.time() - recent_mod.HORIZON + 60:
        rec = recent_mod.Recent(env)
        rec.refresh(agents, extra=extra_files, walk_every=recent_mod.WALK_EVERY if hot else 0.0)
        rec.save()
        per_file = rec.per_file(agents, since)
        if with_limits:
            limits = rec.limits(agents)
    else:
        from agentcost.usage.scan import collect

        out: list[list[Any]] | None = [] if with_limits else None
        per_file = collect(agents, env, stats, limits_out=out)
        limits = out or []
    return list(merge(per_file, stats, since, until)), limits


def _select(rows: Iterable[Row], session: str | None, project: str | None) -> Iterable[Row]:
    for r in rows:
        if session is not None and r[SESSION] != session:
            continue
        if project is not None and r[PROJECT] != project:
            continue
        yield r


def requests(
    since: float | None = None,
    until: float | None = None,
    agents: Iterable[str] = AGENTS,
    env: Mapping[str, str] | None = None,
    *,
    session: str | None = None,
    project: str | None = None,
    hot: bool = False,
) -> list[Request]:
    """Every request in [since, until), optionally of one session / project, sorted by time."""
    from agentcost.spend.rates import Rates

    rows, _ = load_rows(since, until, agents, env, hot=hot)
    rates = Rates(env)
    out = [
        Request(r[TS], r[AGENT], r[SESSION], r[PROJECT], r[MODEL], rates.row_cost(r), sum(r[7:12]))
        for r in _select(rows, session, project)
    ]
    rates.save()
    out.sort(key=lambda q: q.ts)
    return out


def total(
    since: float | None = None,
    until: float | None = None,
    agents: Iterable[str] = AGENTS,
    env: Mapping[str, str] | None = None,
    *,
    session: str | None = None,
    project: str | None = None,
    hot: bool = False,
) -> Spend:
    """API-priced spend in [since, until) of the agents, optionally one session / project."""
    from agentcost.spend.rates import Rates

    rows, _ = load_rows(since, until, agents, env, hot=hot)
    rates = Rates(env)
    cost = Decimal(0)
    n = unpriced = unpriced_tokens = 0
    for r in _select(rows, session, project):
        n += 1
        c = rates.row_cost(r)
        if c is None:
            unpriced += 1
            unpriced_tokens += sum(r[7:12])
        else:
            cost += c
    rates.save()
    return Spend(cost, n, unpriced, unpriced_tokens, rates.estimated)
