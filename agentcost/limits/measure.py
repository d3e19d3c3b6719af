"""`measured_allowances()`: every window the clients reported, measured in API-priced dollars.

    from agentcost.limits.measure import measured_allowances
    for w in measured_allowances():              # list[WindowEstimate] (agentcost.limits.estimate)
        print(w.agent, w.window_minutes, w.allowance_usd, w.low_usd, w.high_usd, w.reason)

Sources: Codex's `token_count` events (`rate_limits.primary` / `.secondary`, read with the usage logs
through the same per-file cache), and the Claude Code snapshots the status line records
(`agentcost.limits.store`). Costs: the spend index (`agentcost.spend`), counting only the requests of
*subscription sessions* — sessions that reported a window — so API-key sessions (null windows) and
third-party providers never inflate a window.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from agentcost import paths
from agentcost.limits import store
from agentcost.limits.estimate import CostCurve, Snapshot, WindowEstimate, estimate
from agentcost.usage.parse import AGENT, SESSION, TS

AGENTS = ("claude", "codex")
CODEX_NAMES = ("primary", "secondary")


def codex_snapshots(per_file: Iterable[list[Any]]) -> list[Snapshot]:
    """parse.Limit tuples -> one Snapshot per non-null window."""
    out: list[Snapshot] = []
    for lims in per_file:
        for t in lims:
            asof, session, plan, reached = t[0], t[1], t[2], t[3]
            for name, (used, minutes, resets) in zip(CODEX_NAMES, (t[4:7], t[7:10]), strict=True):
                if used is not None:
                    out.append(Snapshot("codex", name, minutes, asof, used, resets, session, plan, reached))
    return out


def claude_snapshots(lines: Iterable[dict[str, Any]]) -> list[Snapshot]:
    out: list[Snapshot] = []
    for d in lines:
        for name, w in d["w"].items():
            minutes = store.WINDOWS.get(name)
            if minutes is None or not isinstance(w, list) or len(w) != 2:
                continue
            used, resets = w
            if not isinstance(used, (int, float)) or not isinstance(resets, (int, float, type(None))):
                continue
            out.append(Snapshot("claude", name, minutes, float(d["asof"]), float(used), resets, d["s"]))
    return out


def claude_plan(env: Mapping[str, str] | None = None) -> str | None:
    """What Claude Code's own files say about the subscription: `oauthAccount.organizationType` /
    `organizationRateLimitTier` in `.claude.json` (written at login; only these two keys are read)."""
    e = os.environ if env is None else env
    candidates = []
    if e.get("CLAUDE_CONFIG_DIR", "").strip():
        candidates.append(paths.claude_config_dir(env) / ".claude.json")
    candidates.append(paths.home(env) / ".claude.json")
    for p in candidates:
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        acct = doc.get("oauthAccount") if isinstance(doc, dict) else None
        if isinstance(acct, dict):
            parts = [
                v
                for v in (acct.get("organizationType"), acct.get("organizationRateLimitTier"))
                if isinstance(v, str) and v and len(v) < 80
            ]
            if parts:
                return " / ".join(dict.fromkeys(parts))
    return None


def measured_allowances(
    agents: Iterable[str] = AGENTS,
    env: Mapping[str, str] | None = None,
    now: float | None = None,
) -> list[WindowEstimate]:
    """Per agent and window length, the measured allowance (see agentcost.limits.estimate)."""
    from agentcost.spend.query import load_rows
    from agentcost.spend.rates import Rates

    agents = tuple(a for a in AGENTS if a in set(agents))
    now = time.time() if now is None else now
    rows, limits = load_rows(agents=agents, env=env, with_limits=True)
    snaps: list[Snapshot] = []
    if "codex" in agents:
        snaps += codex_snapshots(limits)
    if "claude" in agents:
        snaps += claude_snapshots(store.read(env))
    sessions: dict[str, set[str]] = {a: set() for a in agents}
    for s in snaps:
        sessions[s.agent].add(s.session)
    rates = Rates(env)
    points: dict[str, list[tuple[float, Decimal]]] = {a: [] for a in agents}
    unpriced: dict[str, int] = dict.fromkeys(agents, 0)
    for r in rows:
        a = r[AGENT]
        if r[SESSION] in sessions.get(a, ()):
            c = rates.row_cost(r)
            if c is None:
                unpriced[a] += 1
            else:
                points[a].append((r[TS], c))
    rates.save()
    curves = {a: CostCurve(points[a]) for a in agents}
    groups: dict[tuple[str, int | None, str], list[Snapshot]] = {}
    for s in snaps:
        key = (s.agent, s.minutes, s.name if s.minutes is None else "")
        groups.setdefault(key, []).append(s)
    plans = {"claude": claude_plan(env) if "claude" in agents else None}
    out: list[WindowEstimate] = []
    for (agent, _minutes, _n), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        plan = plans.get(agent)
        if agent == "codex":
            latest = [s.plan for s in sorted(group, key=lambda x: x.asof) if s.plan]
            plan = latest[-1] if latest else None
        names = {s.name for s in group}
        est = estimate(agent, "/".join(sorted(names)), group, curves[agent], now, plan)
        if unpriced[agent]:
            est.notes.append(
                f"{unpriced[agent]} request(s) of unpriced models in these sessions are not counted: "
                "the allowance is low by their share"
            )
        out.append(est)
    return out
