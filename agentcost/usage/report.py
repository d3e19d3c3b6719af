"""Aggregate usage rows into a report: tokens by kind and API-equivalent cost per group (pure logic).

Costs go through `agentcost.pricing.cost`, which picks long-context tiers from a *request's* prompt
size and peak-hour multipliers from its time. Calling it for every request would be slow, so each row
is put in a class — (group, model, tier, peak or not) — and `cost` is called once per class with the
summed tokens, the price narrowed to that class's tier and a timestamp from the class. Cost is linear
within a class, so this equals pricing every request on its own.

Unpriced models are never $0: their tokens are reported apart, and every total says how many tokens
it could not price.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

from agentcost.errors import AgentcostError
from agentcost.formats import money_json
from agentcost.tokens import TokenCounts
from agentcost.usage.parse import AGENT, MODEL, PROJECT, SESSION, TS, Row

GROUPINGS = ("day", "week", "month", "session", "model", "project")
UNKNOWN_MODEL = "(model not logged)"
UNKNOWN_PROJECT = "(project not logged)"
_BUCKET = 900  # seconds; every time-zone offset change falls on a quarter hour

ToLocal = Callable[[float], datetime]


def zone_converter(zone: tzinfo | None) -> ToLocal:
    """POSIX seconds -> aware local datetime; zone None = the system's local time (DST-aware)."""
    if zone is None:
        return lambda ts: datetime.fromtimestamp(ts).astimezone()
    return lambda ts: datetime.fromtimestamp(ts, zone)


@dataclass
class Group:
    """One row of the report."""

    key: str
    requests: int = 0
    counts: list[int] = field(default_factory=lambda: [0] * 6)  # input, cw5m, cw1h, cache_read, out, reas
    agents: set[str] = field(default_factory=set)
    models: set[str] = field(default_factory=set)
    model_tokens: dict[str, int] = field(default_factory=dict)  # model -> total tokens in this group
    projects: set[str] = field(default_factory=set)
    first: float | None = None
    last: float | None = None
    cost: Decimal = Decimal(0)
    unpriced_tokens: int = 0
    unpriced_models: set[str] = field(default_factory=set)
    estimated: bool = False

    @property
    def tokens(self) -> TokenCounts:
        return TokenCounts(*self.counts)

    @property
    def priced(self) -> bool:
        """Some of this group's usage has a price."""
        return self.unpriced_tokens < self.tokens.total or self.tokens.total == 0


@dataclass
class UnpricedModel:
    model: str
    label: str
    requests: int = 0
    counts: list[int] = field(default_factory=lambda: [0] * 6)

    @property
    def tokens(self) -> TokenCounts:
        return TokenCounts(*self.counts)


@dataclass
class PriceUsed:
    model: str
    catalog_key: str
    source: str
    as_of: str
    cost: Decimal = Decimal(0)


@dataclass
class Report:
    by: str
    groups: list[Group]
    total: Group
    unpriced: list[UnpricedModel]
    prices: list[PriceUsed]
    notes: list[str]


def _week_label(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _group_key_fn(by: str, to_local: ToLocal) -> Callable[[Row], str]:
    if by in ("day", "week", "month"):
        memo: dict[int, str] = {}

        def by_time(r: Row) -> str:
            b = int(r[TS] // _BUCKET)
            k = memo.get(b)
            if k is None:
                d = to_local(b * _BUCKET).date()
                k = d.isoformat() if by == "day" else _week_label(d) if by == "week" else d.isoformat()[:7]
                memo[b] = k
            return k

        return by_time
    if by == "session":
        return lambda r: f"{r[AGENT]}:{r[SESSION]}"
    if by == "model":
        return lambda r: r[MODEL] or UNKNOWN_MODEL
    if by == "project":
        return lambda r: r[PROJECT] or UNKNOWN_PROJECT
    raise ValueError(f"unknown grouping {by!r}")


def week_start(label: str) -> date:
    """'2026-W48' -> the Monday of that ISO week."""
    y, w = label.split("-W")
    return date.fromisocalendar(int(y), int(w), 1)


def build_report(
    rows: Iterable[Row],
    by: str = "day",
    to_local: ToLocal | None = None,
    price_for: Callable[[str], Any] | None = None,
    unpriced_label: Callable[[str], str] | None = None,
) -> Report:
    """Group rows and price them. `price_for` / `unpriced_label` default to agentcost.pricing's."""
    if price_for is None or unpriced_label is None:
        from agentcost import pricing

        price_for = price_for or pricing.price_for
        unpriced_label = unpriced_label or pricing.unpriced_label
    to_local = to_local or zone_converter(None)
    keyfn = _group_key_fn(by, to_local)
    prices: dict[str | None, Any] = {}
    peak_memo: dict[tuple[str | None, int], bool | None] = {}
    groups: dict[str, Group] = {}
    classes: dict[tuple[str, str, str | None, str | None, int | None, bool | None], list[Any]] = {}
    utc = timezone.utc

    # One pass over the rows, touching only a per-class accumulator:
    # (group, agent, model, project, tier, peak) -> [requests, 6 counts, first ts, last ts]
    tiered: dict[str | None, tuple[Any, bool, bool]] = {}
    for r in rows:
        ts = r[TS]
        gk = keyfn(r)
        model = r[MODEL]
        info = tiered.get(model)
        if info is None:
            p = price_for(model) if model else None
            prices[model] = p
            info = tiered[model] = (p, bool(p is not None and p.tiers), p is not None and p.peak is not None)
        tier: int | None = None
        peak: bool | None = None
        if info[1]:
            prompt = r[7] + r[8] + r[9] + r[10]
            for t in info[0].tiers:
                if prompt > t.above and (tier is None or t.above > tier):
                    tier = t.above
        if info[2]:
            pk = (model, int(ts // _BUCKET))
            peak = peak_memo.get(pk)
            if pk not in peak_memo:
                peak = peak_memo[pk] = info[0].peak.applies(datetime.fromtimestamp(pk[1] * _BUCKET, utc))
        ck = (gk, r[AGENT], model, r[PROJECT], tier, peak)
        cl = classes.get(ck)
        if cl is None:
            cl = classes[ck] = [0, 0, 0, 0, 0, 0, 0, ts, ts]
        cl[0] += 1
        cl[1] += r[7]
        cl[2] += r[8]
        cl[3] += r[9]
        cl[4] += r[10]
        cl[5] += r[11]
        cl[6] += r[12]
        if ts < cl[7]:
            cl[7] = ts
        elif ts > cl[8]:
            cl[8] = ts

    for (gk, agent, model, project, _tier, _peak), cl in classes.items():
        g = groups.get(gk)
        if g is None:
            g = groups[gk] = Group(gk)
        g.requests += cl[0]
        for i in range(6):
            g.counts[i] += cl[1 + i]
        if g.first is None or cl[7] < g.first:
            g.first = cl[7]
        if g.last is None or cl[8] > g.last:
            g.last = cl[8]
        g.agents.add(agent)
        name = model or UNKNOWN_MODEL
        g.models.add(name)
        g.model_tokens[name] = g.model_tokens.get(name, 0) + sum(cl[1:6])
        if project:
            g.projects.add(project)

    from agentcost import pricing

    notes: list[str] = []
    unpriced: dict[str, UnpricedModel] = {}
    used: dict[str, PriceUsed] = {}
    for (gk, _agent, model, _project, tier, _peak), cl in classes.items():
        g = groups[gk]
        tokens = TokenCounts(*cl[1:7])
        price = prices[model]
        name = model or UNKNOWN_MODEL
        breakdown = None
        if price is not None:
            narrowed = price
            if price.tiers:
                chosen = [t for t in price.tiers if t.above == tier]
                narrowed = dataclasses.replace(
                    price, tiers=(dataclasses.replace(chosen[0], above=-1),) if chosen else ()
                )
            try:
                breakdown = pricing.cost(tokens, narrowed, when=datetime.fromtimestamp(cl[7], utc))
            except AgentcostError:
                breakdown = None
        if breakdown is None:
            g.unpriced_tokens += tokens.total
            g.unpriced_models.add(name)
            u = unpriced.get(name)
            if u is None:
                u = unpriced[name] = UnpricedModel(name, unpriced_label(model or ""))
            u.requests += cl[0]
            for i in range(6):
                u.counts[i] += cl[1 + i]
            continue
        g.cost += breakdown.total
        g.estimated = g.estimated or breakdown.estimated
        for n in breakdown.notes:
            note = f"{name}: {n}"
            if note not in notes:
                notes.append(note)
        pu = used.get(name)
        if pu is None:
            pu = used[name] = PriceUsed(name, price.model, price.source, price.as_of)
        pu.cost += breakdown.total

    ordered = sorted(
        groups.values(), key=lambda g: g.key if by in ("day", "week", "month") else -g.tokens.total
    )
    if by in ("session", "model", "project"):
        ordered.sort(key=lambda g: (-(g.cost), -g.tokens.total, g.key))
    total = Group("total")
    for g in ordered:
        total.requests += g.requests
        for i in range(6):
            total.counts[i] += g.counts[i]
        total.agents |= g.agents
        total.models |= g.models
        total.projects |= g.projects
        total.cost += g.cost
        total.unpriced_tokens += g.unpriced_tokens
        total.unpriced_models |= g.unpriced_models
        total.estimated = total.estimated or g.estimated
        if g.first is not None and (total.first is None or g.first < total.first):
            total.first = g.first
        if g.last is not None and (total.last is None or g.last > total.last):
            total.last = g.last
    return Report(
        by=by,
        groups=ordered,
        total=total,
        unpriced=sorted(unpriced.values(), key=lambda u: -u.tokens.total),
        prices=sorted(used.values(), key=lambda p: -p.cost),
        notes=notes,
    )


def tokens_dict(t: TokenCounts) -> dict[str, int]:
    return {
        "input": t.input,
        "cache_write_5m": t.cache_write_5m,
        "cache_write_1h": t.cache_write_1h,
        "cache_write": t.cache_write,
        "cache_read": t.cache_read,
        "output": t.output,
        "reasoning": t.reasoning,
        "total": t.total,
    }


def _iso(ts: float | None, to_local: ToLocal) -> str | None:
    return None if ts is None else to_local(ts).isoformat(timespec="seconds")


def group_dict(g: Group, by: str, to_local: ToLocal) -> dict[str, Any]:
    d: dict[str, Any] = {"key": g.key}
    if by == "week":
        d["start"] = week_start(g.key).isoformat()
    if by == "session":
        agent, _, session = g.key.partition(":")
        d.update({"agent": agent, "session": session, "project": min(g.projects) if g.projects else None})
    d.update(
        {
            "agents": sorted(g.agents),
            "models": sorted(g.models),
            "first": _iso(g.first, to_local),
            "last": _iso(g.last, to_local),
            "requests": g.requests,
            "tokens": tokens_dict(g.tokens),
            "cost_usd": money_json(g.cost) if g.priced else None,
            "cost_complete": g.unpriced_tokens == 0,
            "cost_estimated": g.estimated,
            "unpriced_tokens": g.unpriced_tokens,
            "unpriced_models": sorted(g.unpriced_models),
        }
    )
    return d


def report_dict(report: Report, to_local: ToLocal) -> dict[str, Any]:
    """The stable `--json` body (see docs/usage.md); the caller adds schema_version, query and stats."""
    t = report.total
    return {
        "rows": [group_dict(g, report.by, to_local) for g in report.groups],
        "totals": {
            "requests": t.requests,
            "tokens": tokens_dict(t.tokens),
            "cost_usd": money_json(t.cost) if t.priced else None,
            "cost_complete": t.unpriced_tokens == 0,
            "cost_estimated": t.estimated,
            "priced_tokens": t.tokens.total - t.unpriced_tokens,
            "unpriced_tokens": t.unpriced_tokens,
            "first": _iso(t.first, to_local),
            "last": _iso(t.last, to_local),
        },
        "unpriced": [
            {"model": u.model, "requests": u.requests, "tokens": tokens_dict(u.tokens), "label": u.label}
            for u in report.unpriced
        ],
        "prices": [
            {
                "model": p.model,
                "catalog_key": p.catalog_key,
                "source": p.source,
                "as_of": p.as_of,
                "cost_usd": money_json(p.cost),
            }
            for p in report.prices
        ],
        "notes": list(report.notes),
    }


def day_bounds(d: date, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day as aware datetimes."""
    start = datetime(d.year, d.month, d.day)
    end = start + timedelta(days=1)
    if zone is None:
        return start.astimezone(), end.astimezone()
    return start.replace(tzinfo=zone), end.replace(tzinfo=zone)
