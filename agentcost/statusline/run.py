"""The status line itself: Claude Code's JSON on stdin -> one line on stdout. Never fails.

Claude Code runs the statusLine command after every assistant message (and every `refreshInterval`
seconds) with JSON on stdin (`session_id`, `transcript_path`, `model`, `cost.total_cost_usd`, and
for Claude.ai subscribers `rate_limits.five_hour` / `.seven_day`). This prints the model, the
session's API-priced cost (from the transcript, or Claude's own estimate, marked, when the
transcript gives nothing priced), today's API-priced cost of both agents, each window's used % with
the time to its reset and a pace mark, and records the windows (`agentcost.limits.store`).

Any error prints a short line and exits 0 (the status bar must never break); the traceback goes
to `<cache dir>/statusline-error.log`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_STDIN = 1 << 20


def _local_midnight(now: float) -> float:
    lt = time.localtime(now)
    return time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday, 0, 0, 0, 0, 0, -1))


def _session_files(transcript: str) -> list[tuple[str, str]]:
    """The transcript and its subagents' files (<dir>/<session>/subagents/*.jsonl)."""
    out = [("claude", transcript)]
    sub = os.path.join(transcript[: -len(".jsonl")], "subagents") if transcript.endswith(".jsonl") else ""
    if sub:
        try:
            names = os.listdir(sub)
        except OSError:
            names = []
        out += [("claude", os.path.join(sub, n)) for n in sorted(names) if n.endswith(".jsonl")]
    return out


def compute(
    data: Mapping[str, Any], env: Mapping[str, str] | None = None, now: float | None = None
) -> dict[str, Any]:
    """What the line shows, as plain data (see `agentcost.ui.statusline.render`)."""
    from agentcost.limits import store
    from agentcost.spend import recent
    from agentcost.spend.rates import Rates
    from agentcost.usage.parse import SESSION, TS
    from agentcost.usage.scan import E_ROWS, merge
    from agentcost.usage.stats import ReadStats

    now = time.time() if now is None else now
    out: dict[str, Any] = {}
    model = data.get("model")
    if isinstance(model, dict):
        out["model"] = model.get("display_name") or model.get("id")
    elif isinstance(model, str):
        out["model"] = model
    session = data.get("session_id") if isinstance(data.get("session_id"), str) else None
    transcript = data.get("transcript_path") if isinstance(data.get("transcript_path"), str) else None
    extra = _session_files(transcript) if transcript else []

    midnight = _local_midnight(now)
    rec = recent.Recent(env)
    rec.refresh(extra=extra, walk_every=recent.WALK_EVERY, since=midnight, now=now)
    rec.save()
    rates = Rates(env)
    stats = ReadStats()
    today = Decimal(0)
    for r in merge(rec.per_file(since=midnight), stats, midnight, None):
        c = rates.row_cost(r)
        if c is not None:
            today += c
    out["today"] = today

    # This session: its own files, whatever their age.
    sess_rows = []
    keys = [f"{a}\0{p}" for a, p in extra]
    per_file = [rec.files[k][E_ROWS] for k in keys if k in rec.files]
    asof = None
    for r in merge(per_file, stats):
        if session is None or r[SESSION] == session:
            sess_rows.append(r)
    priced = Decimal(0)
    any_priced = False
    for r in sess_rows:
        c = rates.row_cost(r)
        if c is not None:
            priced += c
            any_priced = True
        if asof is None or r[TS] > asof:
            asof = r[TS]
    rates.save()
    claude_cost = None
    cost = data.get("cost")
    if isinstance(cost, dict) and isinstance(cost.get("total_cost_usd"), (int, float)):
        claude_cost = Decimal(repr(float(cost["total_cost_usd"])))
    if any_priced:
        out["session"] = priced
    elif claude_cost is not None:
        out["session"] = claude_cost
        out["session_fallback"] = True

    windows = store.windows_from_stdin(data.get("rate_limits"))
    if windows and session:
        store.append(session, windows, asof if asof is not None else now, env, now=now)
    out["windows"] = [
        _window(name, store.WINDOWS[name], w[0], w[1], now) for name, w in windows.items() if w[0] is not None
    ]
    allow = _allowances(env)
    for w in out["windows"]:
        w["allowance"] = allow.get(str(w["minutes"]))
    return out


def _window(name: str, minutes: int, used: float, resets: float | None, now: float) -> dict[str, Any]:
    """Used %, time to reset and the pace: at the average rate since the window began, does it
    run out before it resets?"""
    w: dict[str, Any] = {
        "name": name,
        "minutes": minutes,
        "used": used,
        "reset_in": None,
        "runs_out_in": None,
    }
    if resets is None:
        return w
    w["reset_in"] = max(0.0, resets - now)
    length = minutes * 60.0
    elapsed = now - (resets - length)
    if used > 0 and 0.02 * length < elapsed < length:
        t100 = elapsed * 100.0 / used  # since the window began
        if t100 < length:
            w["runs_out_in"] = max(0.0, t100 - elapsed)
    return w


def _allowances(env: Mapping[str, str] | None) -> dict[str, str]:
    """Claude's measured allowances as last computed by `agentcost limits` (window minutes -> $)."""
    from agentcost.limits.latest import read_latest

    return read_latest(env).get("claude", {})


def _log_error(env: Mapping[str, str] | None) -> None:
    try:
        import traceback

        from agentcost import paths

        d = paths.cache_dir(env)
        d.mkdir(parents=True, exist_ok=True)
        with open(d / "statusline-error.log", "w", encoding="utf-8") as f:
            f.write(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + "\n")
            f.write(traceback.format_exc())
    except Exception:
        pass


def main(stdin: Any = None, stdout: Any = None, env: Mapping[str, str] | None = None) -> int:
    """Read stdin, print one line; always exit 0."""
    stdin = sys.stdin.buffer if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    e = os.environ if env is None else env
    try:
        if getattr(stdin, "isatty", lambda: False)():
            stdout.write("agentcost statusline: reads Claude Code's status JSON on stdin (see --help)\n")
            return 0
        raw = stdin.read(MAX_STDIN)
        try:
            data = json.loads(raw) if raw.strip() else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            stdout.write("agentcost: no status input\n")
            return 0
        from agentcost.ui.statusline import render

        info = compute(data, env)
        stdout.write(render(info, width=_width(e), color=_color(e)) + "\n")
    except Exception:
        _log_error(env)
        with contextlib.suppress(Exception):
            stdout.write("agentcost: status unavailable\n")
    return 0


def _color(env: Mapping[str, str]) -> bool:
    return "NO_COLOR" not in env or env.get("NO_COLOR") == ""


def _width(env: Mapping[str, str]) -> int:
    """The room for the line: $AGENTCOST_STATUSLINE_WIDTH, $COLUMNS, else 120."""
    for var in ("AGENTCOST_STATUSLINE_WIDTH", "COLUMNS"):
        v = env.get(var, "")
        if v.isdigit() and int(v) > 0:
            return int(v)
    return 120
