"""`agentcost guard status` as data: every cap against its spend, time left in each period, loops
and errors seen today, the installed hooks per client and whether they can run."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from agentcost.guard import config, install, meter, state

SCHEMA_VERSION = 1
LOOP_KINDS = ("repeat", "failures", "burst")

CODEX_NOTE = (
    "Codex 0.171.0 runs the hooks (once trusted) and obeys exit 2 of UserPromptSubmit and "
    "PreToolUse: a prompt over a hard cap is refused and every blocked tool call is skipped; but "
    "no hook reply ends a running Codex turn, so a model that keeps calling tools keeps making "
    "(blocked) requests until you stop it."
)


def _iso(ts: float | None) -> str | None:
    if ts is None or ts == float("inf"):
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ts))


def build(
    env: Mapping[str, str] | None = None, cwd: str | None = None, now: float | None = None
) -> dict[str, Any]:
    now = time.time() if now is None else now
    cfg = config.load(env)
    root = meter.project_root(cwd or os.getcwd())
    project = cfg.budgets.get("project")
    spent = meter.measure(
        now=now,
        session=None,
        root=root,
        extra=[],
        project_period=project.period if project is not None and project.period else "month",
        week_starts=cfg.week_starts,
        burst_minutes=int(cfg.loops["burst_minutes"]),
        env=env,
        need=("day", "week", "month", "project", "burst"),
    )
    caps = []
    for scope in ("day", "week", "month", "project", "session"):
        b = cfg.budgets.get(scope)
        row: dict[str, Any] = {
            "scope": scope,
            "soft_usd": None if b is None or b.soft is None else str(b.soft),
            "hard_usd": None if b is None or b.hard is None else str(b.hard),
            "spent_usd": None,
            "period": None,
            "resets_at": None,
            "resets_in_seconds": None,
            "state": "no cap" if b is None else "ok",
        }
        if scope == "session":
            row["note"] = "checked per session by the hook (each session's own transcript)"
        else:
            period = (b.period if b is not None and b.period else "month") if scope == "project" else scope
            _start, end = meter.period_bounds(period, now, cfg.week_starts)
            row.update(
                spent_usd=str(spent.get(scope, Decimal(0)).quantize(Decimal("0.000001"))),
                period=period,
                resets_at=_iso(end),
                resets_in_seconds=int(end - now),
            )
            if scope == "project":
                row["project"] = root
            if b is not None:
                s = spent.get(scope, Decimal(0))
                if b.hard is not None and s >= b.hard:
                    row["state"] = "blocked"
                elif b.soft is not None and s >= b.soft:
                    row["state"] = "warning"
        caps.append(row)
    day_start = meter.local_midnight(now)
    today = state.events(env, day_start)
    loops = [e for e in today if e.get("kind") in LOOP_KINDS]
    blocks = [e for e in today if str(e.get("kind", "")).startswith("budget:")]
    errors = [e for e in today if e.get("kind") == "error"]
    until = state.paused_until(env, now)
    hooks = install.installed(env)
    for h in hooks:
        if h["agent"] == "codex":
            h["note"] = CODEX_NOTE
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": _iso(now),
        "config": str(cfg.path),
        "caps": caps,
        "loops": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in cfg.loops.items()},
        "burst_spent_usd": str(spent["burst"]) if "burst" in spent else None,
        "strict": cfg.strict,
        "paused": until is not None,
        "paused_until": _iso(until) if until is not None else None,
        "loops_today": [
            {"at": _iso(e["t"]), "kind": e.get("kind"), "agent": e.get("agent"), "session": e.get("session")}
            for e in loops
        ],
        "budget_blocks_today": len(blocks),
        "errors_today": len(errors),
        "error_log": state.error_log_path(env) if errors else None,
        "hooks": hooks,
    }
