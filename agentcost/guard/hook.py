"""`python -m agentcost guard hook <Event> [--agent claude|codex]`: the hook the clients run.

Dispatched by `agentcost/__main__.py` before typer/click/rich load. Reads the client's JSON on stdin
and answers the way the pinned clients understand (observed with Claude Code 2.1.197,
tests/e2e/test_guard.py):

- `UserPromptSubmit`: a hard budget reached -> exit 2, reason on stderr (the prompt is refused
  before any request is made). A new prompt also restarts the loop counters and clears a stop.
- `PreToolUse`: the call is counted; a loop rule or a hard budget -> exit 2, reason on stderr (the
  tool is not run; the model is told why) and the session is marked stopped.
- `PostToolBatch`: a stopped session -> `{"continue": false, "stopReason": …}` on stdout, which
  ends the agent's turn. (Exit 2 of PreToolUse alone does not: the model just gets an error and asks
  again — measured: 12 requests in 12 turns with every call blocked; and `continue: false` from
  PreToolUse is not honoured by 2.1.197.)
- `PostToolUse` / `PostToolUseFailure`: the consecutive-failure counter.
- `SessionStart` / `Stop` / `StopFailure` / `SessionEnd`: recorded only.
- Soft budget levels: a `systemMessage` (shown to the user), once per session and period.

Fail open: any internal error exits 0 (traceback in `<cache dir>/guard/errors.log`, an event that
`guard status` reports) — unless `strict = true`, then exit 2 with a short reason.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_STDIN = 4 << 20
MAX_CALLS_KEPT = 200


class Answer:
    __slots__ = ("code", "stderr", "stdout")

    def __init__(self, code: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def _measure(
    cfg: Any, agent: str, data: Mapping[str, Any], root: str | None, now: float, env: Mapping[str, str] | None
) -> dict[str, Decimal]:
    from agentcost.guard import meter

    need = tuple(s for s in cfg.budgets if s != "project" or root)
    if cfg.loops["burst_usd"]:
        need += ("burst",)
    if not need:
        return {}
    project = cfg.budgets.get("project")
    return meter.measure(
        now=now,
        session=_str(data.get("session_id")),
        root=root,
        extra=meter.session_files(agent, _str(data.get("transcript_path"))),
        project_period=project.period if project is not None and project.period else "month",
        week_starts=cfg.week_starts,
        burst_minutes=int(cfg.loops["burst_minutes"]),
        env=env,
        need=need,
    )


def _budget_checks(
    cfg: Any, spent: dict[str, Decimal], st: dict[str, Any] | None, now: float
) -> tuple[str | None, str | None, list[str]]:
    """(block message, kind, soft warnings not given yet in this session)."""
    from agentcost.guard import meter, rules

    hard = rules.over(spent, cfg.budgets, "hard")
    if hard:
        scope, sp, cap = hard[0]
        b = cfg.budgets[scope]
        return rules.budget_message(scope, sp, cap, b.period), f"budget:{scope}", []
    burst = cfg.loops["burst_usd"]
    if burst and spent.get("burst", Decimal(0)) > burst:
        return rules.burst_message(spent["burst"], burst, int(cfg.loops["burst_minutes"])), "burst", []
    warns = []
    soft = rules.over(spent, cfg.budgets, "soft")
    if soft and st is not None:
        warned = st.setdefault("warned", [])
        fresh = []
        for scope, sp, cap in soft:
            b = cfg.budgets[scope]
            period = b.period if scope == "project" else scope
            start = (
                meter.period_bounds(period, now, cfg.week_starts)[0]
                if period in ("day", "week", "month")
                else 0
            )
            tag = f"{scope}:{start:.0f}"
            if tag not in warned:
                warned.append(tag)
                fresh.append((scope, sp, cap))
        if fresh:
            warns.append(rules.soft_message(fresh))
    return None, None, warns


def handle(
    agent: str, event: str, data: Mapping[str, Any], env: Mapping[str, str] | None, now: float
) -> Answer:
    from agentcost.guard import config, meter, rules, state

    session = _str(data.get("session_id")) or "unknown"
    cwd = _str(data.get("cwd"))
    ev = {"t": now, "agent": agent, "session": session}

    if event in ("Stop", "SessionEnd", "SubagentStop"):
        return Answer()
    if event == "StopFailure":
        state.record_event({**ev, "kind": "api-error", "detail": str(data.get("error") or "")[:200]}, env)
        return Answer()

    cfg = config.load(env)
    paused = state.paused_until(env, now) is not None

    if event == "SessionStart":
        with state.session_state(agent, session, env) as st:
            st.setdefault("started", now)
            st["project"] = meter.project_root(cwd)
        return Answer()
    if event in ("PostToolUse", "PostToolUseFailure"):
        failed = event == "PostToolUseFailure" and not data.get("is_interrupt")
        if agent == "codex" and event == "PostToolUse":
            failed = _codex_failed(data)
        with state.session_state(agent, session, env) as st:
            st["fail"] = int(st.get("fail", 0)) + 1 if failed else 0
        return Answer()
    if event == "PostToolBatch":
        st0 = state.read_session(agent, session, env)
        stop = st0.get("stop")
        if isinstance(stop, dict) and not paused:
            return Answer(0, json.dumps({"continue": False, "stopReason": str(stop.get("message", ""))}))
        return Answer()

    if event == "UserPromptSubmit":
        with state.session_state(agent, session, env) as st:
            st["calls"] = []
            st["fail"] = 0
            st.pop("stop", None)
            root = st.get("project") or meter.project_root(cwd)
            st["project"] = root
        spent = _measure(cfg, agent, data, root, now, env)
        with state.session_state(agent, session, env) as st:
            pblock, pkind, pwarns = _budget_checks(cfg, spent, st, now)
        if pblock and not paused:
            state.record_event({**ev, "kind": pkind, "event": event, "detail": pblock}, env)
            return Answer(2, "", pblock + "\n")
        if pwarns:
            state.record_event({**ev, "kind": "soft", "detail": pwarns[0]}, env)
            return Answer(0, json.dumps({"systemMessage": pwarns[0]}))
        return Answer()

    if event != "PreToolUse":
        return Answer()

    tool = _str(data.get("tool_name")) or "?"
    tool_input = data.get("tool_input")
    key = rules.call_key(tool, tool_input)
    loops = cfg.loops
    block: str | None = None
    kind: str | None = None
    with state.session_state(agent, session, env) as st:
        calls = [c for c in st.get("calls", []) if isinstance(c, str)] + [key]
        st["calls"] = calls[-MAX_CALLS_KEPT:]
        root = st.get("project") or meter.project_root(cwd)
        st["project"] = root
        n = rules.repeats(calls, key, int(loops["repeat_window"])) if loops["repeat"] else 0
        if loops["repeat"] and n >= loops["repeat"]:
            block, kind = (
                rules.repeat_message(rules.call_summary(tool, tool_input), n, int(loops["repeat_window"])),
                "repeat",
            )
        elif loops["failures"] and int(st.get("fail", 0)) >= loops["failures"]:
            block, kind = rules.failure_message(int(st["fail"])), "failures"
    warns: list[str] = []
    if block is None:
        spent = _measure(cfg, agent, data, root, now, env)
        with state.session_state(agent, session, env) as st:
            block, kind, warns = _budget_checks(cfg, spent, st, now)
    if block and not paused:
        with state.session_state(agent, session, env) as st:
            prev = st.get("stop")
            again = isinstance(prev, dict) and prev.get("kind") == kind
            st["stop"] = {"kind": kind, "message": block, "at": now}
        # one event per stop: further calls blocked for the same reason (Codex goes on asking) are
        # recorded apart, so "loops stopped today" counts loops, not blocked calls
        state.record_event({**ev, "kind": "again" if again else kind, "event": event, "detail": block}, env)
        return Answer(2, "", block + "\n")
    if block:
        state.record_event({**ev, "kind": "paused", "detail": block}, env)
    if warns:
        state.record_event({**ev, "kind": "soft", "detail": warns[0]}, env)
        return Answer(0, json.dumps({"systemMessage": warns[0]}))
    return Answer()


def _codex_failed(data: Mapping[str, Any]) -> bool:
    """Codex's PostToolUse carries the tool's response; a non-zero exit code is a failure."""
    resp = data.get("tool_response")
    if isinstance(resp, dict):
        for k in ("exit_code", "exitCode"):
            v = resp.get(k)
            if isinstance(v, int):
                return v != 0
        if resp.get("success") is False or resp.get("is_error") is True:
            return True
    return False


def _strict_from_text(env: Mapping[str, str] | None) -> bool:
    """Strict mode when the settings themselves could not be read: a plain look at the text."""
    try:
        from agentcost.guard import config

        with open(config.config_path(env), encoding="utf-8") as f:
            return any(line.split("#")[0].replace(" ", "").strip() == "strict=true" for line in f)
    except Exception:
        return False


def parse_argv(argv: list[str]) -> tuple[str, str]:
    """(agent, event) from `[--agent X] <Event>`."""
    agent, event = "claude", ""
    it = iter(argv)
    for a in it:
        if a == "--agent":
            agent = next(it, "claude")
        elif a.startswith("--agent="):
            agent = a.split("=", 1)[1]
        elif not event:
            event = a
    return agent, event


def main(
    argv: list[str],
    stdin: Any = None,
    stdout: Any = None,
    stderr: Any = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run one hook call; the exit code the client acts on."""
    stdin = sys.stdin.buffer if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    agent, event = parse_argv(argv)
    try:
        raw = stdin.read(MAX_STDIN)
        data = json.loads(raw) if raw.strip() else {}
        if not isinstance(data, dict):
            data = {}
        event = _str(data.get("hook_event_name")) or event
        ans = handle(agent, event, data, env, time.time())
    except Exception:
        from agentcost.guard import state

        state.log_error(env, f"{agent} {event}")
        if _strict_from_text(env):
            stderr.write(
                "agentcost guard (strict mode): internal error, the call is blocked; see "
                f"{state.error_log_path(env)} or set strict = false\n"
            )
            return 2
        return 0
    if ans.stdout:
        stdout.write(ans.stdout + "\n")
    if ans.stderr:
        stderr.write(ans.stderr)
    return ans.code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:], env=os.environ))
