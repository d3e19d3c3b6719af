"""The `limits --json` document (schema_version 1, documented in docs/limits.md): plain data built
from `WindowEstimate`s; money by the one rule (estimates to the micro-dollar: docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from agentcost.formats import money_json
from agentcost.limits.estimate import WindowEstimate

WINDOW_NAMES = {300: "5h", 10080: "weekly"}


def usd(d: Decimal | None) -> str | None:
    """An estimate for JSON, by the one money rule (`agentcost.formats.money_json`, derived)."""
    return None if d is None else money_json(d, derived=True)


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


def label(minutes: int | None) -> str:
    if minutes is None:
        return "?"
    if minutes in WINDOW_NAMES:
        return WINDOW_NAMES[minutes]
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def window_dict(w: WindowEstimate, now: float) -> dict[str, Any]:
    cur = w.current
    current = None
    if cur is not None:
        current = {
            "used_percent": 0.0 if cur.reset else cur.used,
            "last_reading_percent": cur.used,
            "as_of": iso(cur.asof),
            "resets_at": iso(cur.resets_at),
            "resets_in_seconds": None if cur.resets_at is None else max(0, round(cur.resets_at - now)),
            "reset_since_reading": cur.reset,
            "projected_percent_at_reset": None if cur.projected is None else round(cur.projected, 1),
            "runs_out_at": iso(cur.runs_out_at),
        }
    return {
        "agent": w.agent,
        "plan": w.plan,
        "window_minutes": w.window_minutes,
        "window": w.name,
        "allowance_usd": usd(w.allowance_usd),
        "low_usd": usd(w.low_usd),
        "high_usd": usd(w.high_usd),
        "windows_used": w.windows_used,
        "windows_seen": w.windows_seen,
        "snapshots": w.snapshots,
        "whole_percent": w.whole_percent,
        "reason": w.reason,
        "limit_hits": [
            {
                "at": iso(h.at),
                "used_percent": h.used,
                "resets_at": iso(h.resets_at),
                "spent_usd": usd(h.spent_usd),
                "bound_usd": usd(h.bound_usd),
            }
            for h in w.limit_hits
        ],
        "current": current,
        "notes": list(w.notes),
    }


def limits_dict(windows: list[WindowEstimate], now: float) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "generated_at": iso(now),
        "windows": [window_dict(w, now) for w in windows],
    }


def latest_values(windows: list[WindowEstimate]) -> dict[str, dict[str, str]]:
    """agent -> {window minutes: allowance} for the status line (`agentcost.limits.latest`)."""
    out: dict[str, dict[str, str]] = {}
    for w in windows:
        if w.allowance_usd is not None and w.window_minutes is not None:
            out.setdefault(w.agent, {})[str(w.window_minutes)] = str(
                w.allowance_usd.quantize(Decimal("0.01"))
            )
    return out
