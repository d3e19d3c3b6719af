"""The guard's rules, pure: budget levels, the repeated-call and failure counters, the messages.

No I/O here; `agentcost.guard.hook` feeds in what it measured and read from the session's state.
"""

from __future__ import annotations

import json
import zlib
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

# Keys dropped before comparing tool inputs: free text a model rewords between identical calls.
VOLATILE_KEYS = frozenset({"description", "explanation", "justification", "reason"})


def _norm(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _norm(x) for k, x in sorted(v.items()) if k not in VOLATILE_KEYS}
    if isinstance(v, list):
        return [_norm(x) for x in v]
    if isinstance(v, str):
        return " ".join(v.split())
    return v


def call_key(tool: str, tool_input: Any) -> str:
    """`name:crc32:length` of the tool name and its normalised input: keys sorted, whitespace runs
    collapsed, descriptive free-text keys (`description`, …) left out."""
    text = json.dumps(_norm(tool_input), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{tool}:{zlib.crc32(text.encode()):08x}:{len(text)}"


def call_summary(tool: str, tool_input: Any, width: int = 60) -> str:
    """`Bash: ls -la /tmp` — for the block message."""
    detail = ""
    if isinstance(tool_input, dict):
        for k in ("command", "file_path", "pattern", "path", "url", "query", "cmd"):
            v = tool_input.get(k)
            if isinstance(v, (str, list)):
                detail = " ".join(v) if isinstance(v, list) else v
                break
        if not detail:
            detail = json.dumps(tool_input, ensure_ascii=False, sort_keys=True)
    detail = " ".join(detail.split())
    if len(detail) > width:
        detail = detail[: width - 1] + "…"
    return f"{tool}: {detail}" if detail else tool


def repeats(calls: list[str], key: str, window: int) -> int:
    """How often `key` occurs among the last `window` calls (the call being made included)."""
    recent = calls[-window:] if window else calls
    return sum(1 for c in recent if c == key)


def money(d: Decimal) -> str:
    q = Decimal("0.01") if abs(d) >= Decimal("0.01") or d == 0 else Decimal("0.0001")
    return f"${d.quantize(q, rounding=ROUND_HALF_EVEN):,}"


SCOPE_WORDS = {
    "session": "this session",
    "day": "today",
    "week": "this week",
    "month": "this month",
    "project": "in this project",
}


def over(
    spent: dict[str, Decimal], budgets: dict[str, Any], level: str
) -> list[tuple[str, Decimal, Decimal]]:
    """(scope, spent, cap) of every budget whose `level` ("hard" / "soft") is reached."""
    out = []
    for scope, b in budgets.items():
        cap = getattr(b, level)
        if cap is None or scope not in spent:
            continue
        if spent[scope] >= cap:
            out.append((scope, spent[scope], cap))
    return out


def budget_message(scope: str, spent: Decimal, cap: Decimal, period: str | None) -> str:
    where = SCOPE_WORDS[scope] + (f" ({period})" if scope == "project" and period else "")
    bigger = max(cap * 2, cap + 10).quantize(Decimal(1))
    return (
        f"agentcost guard: {scope} budget reached: {money(spent)} spent {where} at API prices, "
        f"hard cap {money(cap)}. The agent was stopped. To continue: raise the cap "
        f"(`agentcost guard set {scope} {bigger}`), or pause the guard "
        "(`agentcost guard pause --for 1h`); `agentcost guard status` shows every cap."
    )


def soft_message(hits: list[tuple[str, Decimal, Decimal]]) -> str:
    parts = [f"{s} {money(sp)} of soft {money(cap)}" for s, sp, cap in hits]
    return "agentcost guard: over the soft budget: " + "; ".join(parts) + " (`agentcost guard status`)."


def repeat_message(summary: str, count: int, window: int) -> str:
    return (
        f"agentcost guard: runaway loop: the same tool call ({summary}) {count} times in the last "
        f"{window} tool calls of this session. The agent was stopped. To continue: send a new "
        "message (the loop counters start again), or raise `[loops] repeat` in guard.toml, or "
        "`agentcost guard pause --for 30m`."
    )


def failure_message(count: int) -> str:
    return (
        f"agentcost guard: {count} tool calls in a row failed. The agent was stopped. To continue: "
        "send a new message (the counter starts again), or raise `[loops] failures` in guard.toml, "
        "or `agentcost guard pause --for 30m`."
    )


def burst_message(spent: Decimal, limit: Decimal, minutes: int) -> str:
    return (
        f"agentcost guard: spending burst: {money(spent)} in the last {minutes} minutes (all agents, "
        f"API prices), more than the {money(limit)} allowed by `[loops] burst_usd`. The agent was "
        "stopped. To continue: wait, raise `[loops] burst_usd` in guard.toml, or "
        "`agentcost guard pause --for 30m`."
    )
