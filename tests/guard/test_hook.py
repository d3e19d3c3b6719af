"""The hook: loop rules, budgets from the spend index, stop of the turn, fail-open, concurrency."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost import spend
from agentcost.guard import hook, meter, state

SID = "sess-1"


def _cfg(text: str) -> None:
    p = Path(os.environ["AGENTCOST_CONFIG_DIR"]) / "guard.toml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def _transcript(n: int, t0: float | None = None, sid: str = SID, cwd: str = "/p/app") -> Path:
    """A Claude Code transcript with n priced responses, one a minute from t0."""
    t0 = time.time() - 3600 if t0 is None else t0
    p = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "-p-app" / f"{sid}.jsonl"
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        ts = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t0 + 60 * i))
        lines.append(
            json.dumps(
                {
                    "type": "assistant",
                    "sessionId": sid,
                    "cwd": cwd,
                    "timestamp": ts,
                    "requestId": f"{sid}-r{i}",
                    "message": {
                        "id": f"{sid}-m{i}",
                        "model": "claude-sonnet-4-5-20250929",
                        "usage": {"input_tokens": 100_000, "output_tokens": 10_000},
                    },
                }
            )
        )
    p.write_text("\n".join(lines) + "\n")
    return p


def run(event: str, agent: str = "claude", **fields: Any) -> tuple[int, str, str]:
    data = {"session_id": SID, "cwd": "/p/app", "hook_event_name": event, **fields}
    out, err = io.StringIO(), io.StringIO()
    args = [event] if agent == "claude" else ["--agent", agent, event]
    code = hook.main(args, io.BytesIO(json.dumps(data).encode()), out, err)
    return code, out.getvalue(), err.getvalue()


def pre(cmd: str = "ls", desc: str = "list", **fields: Any) -> tuple[int, str, str]:
    return run("PreToolUse", tool_name="Bash", tool_input={"command": cmd, "description": desc}, **fields)


def test_same_call_is_stopped_at_the_repeat_count_and_the_turn_ends() -> None:
    _cfg("[loops]\nrepeat = 3\nrepeat_window = 5\n")
    assert pre("grep -r foo  .", "a")[0] == 0
    assert pre("grep -r foo .", "reworded")[0] == 0  # whitespace and description do not matter
    assert pre("grep -r bar .")[0] == 0  # another call
    assert run("PostToolBatch")[1] == ""  # nothing to stop yet
    code, _, err = pre("grep -r foo .", "x")
    assert code == 2
    assert "same tool call (Bash: grep -r foo .) 3 times in the last 5" in err and "guard pause" in err
    code, out, _ = run("PostToolBatch", tool_calls=[])
    assert code == 0 and json.loads(out) == {"continue": False, "stopReason": err.strip()}
    # a new prompt from the user: counters start again
    assert run("UserPromptSubmit", prompt="go on")[0] == 0
    assert run("PostToolBatch")[1] == ""
    assert pre("grep -r foo .")[0] == 0
    kinds = [e["kind"] for e in state.events()]
    assert kinds == ["repeat"]


def test_calls_outside_the_window_do_not_count() -> None:
    _cfg("[loops]\nrepeat = 2\nrepeat_window = 3\n")
    assert pre("a")[0] == 0
    assert pre("b")[0] == 0 and pre("c")[0] == 0
    assert pre("a")[0] == 0  # the first "a" left the window
    assert pre("a")[0] == 2


def test_consecutive_failures_stop_and_a_success_resets() -> None:
    _cfg("[loops]\nfailures = 2\nrepeat = 0\n")
    for _ in range(2):
        assert pre("make")[0] == 0
        run("PostToolUseFailure", tool_name="Bash", error="Exit code 2", is_interrupt=False)
    code, _, err = pre("make test")
    assert code == 2 and "2 tool calls in a row failed" in err
    run("UserPromptSubmit", prompt="fix it")
    run("PostToolUseFailure", tool_name="Bash", error="x", is_interrupt=False)
    run("PostToolUse", tool_name="Bash", tool_response={})
    run("PostToolUseFailure", tool_name="Bash", error="x", is_interrupt=False)
    assert pre("make")[0] == 0  # only one failure since the success
    run("PostToolUseFailure", tool_name="Bash", error="interrupted", is_interrupt=True)
    assert pre("make")[0] == 0  # an interrupt by the user is not a failure


def test_day_budget_blocks_prompt_and_tool_call_soft_warns_once() -> None:
    tr = _transcript(3)
    cost = spend.total(since=time.time() - 7200).cost
    assert cost > 0
    per = cost / 3
    _cfg(f"[budgets.day]\nsoft = {per}\nhard = {cost * 2}\n[loops]\nrepeat = 0\n")
    code, out, _ = pre("ls", transcript_path=str(tr))
    assert code == 0 and "over the soft budget" in json.loads(out)["systemMessage"]
    assert pre("ls", transcript_path=str(tr))[1] == ""  # warned once per session and day
    _cfg(f"[budgets.day]\nhard = {cost}\n")
    code, _, err = pre("ls", transcript_path=str(tr))
    assert code == 2 and "day budget reached" in err and "agentcost guard set day" in err
    code, _, err = run("UserPromptSubmit", prompt="more", transcript_path=str(tr))
    assert code == 2 and "day budget reached" in err
    # paused: nothing blocks
    state.set_pause(time.time() + 60)
    assert pre("ls", transcript_path=str(tr))[0] == 0
    assert run("UserPromptSubmit", prompt="more", transcript_path=str(tr))[0] == 0
    state.clear_pause()
    assert pre("ls", transcript_path=str(tr))[0] == 2


def test_session_and_project_budgets() -> None:
    tr = _transcript(2)
    cost = spend.total(since=time.time() - 7200).cost
    _cfg(f"[budgets.session]\nhard = {cost}\n[loops]\nrepeat = 0\n")
    assert pre("ls", transcript_path=str(tr))[0] == 2
    assert pre("ls", transcript_path=str(tr), session_id="other")[0] == 0
    _cfg(f'[budgets.project]\nhard = {cost}\nperiod = "day"\n[loops]\nrepeat = 0\n')
    assert pre("ls", transcript_path=str(tr))[0] == 2
    assert pre("ls", cwd="/elsewhere", session_id="s2")[0] == 0


def test_month_spend_before_the_recent_horizon_comes_from_the_full_index() -> None:
    _transcript(2, t0=time.time() - 3600)
    cost = spend.total(since=time.time() - 7200).cost
    later = time.time() + 15 * 86400  # the rows are now more than 8 days old
    start = meter.period_bounds("month", later)[0]
    got = meter.measure(
        now=later,
        session=None,
        root=None,
        extra=[],
        project_period="month",
        week_starts="monday",
        burst_minutes=0,
        need=("day", "month"),
    )
    assert got["day"] == 0
    assert got["month"] == (cost if start <= time.time() - 3600 else 0)


def test_burst_rule() -> None:
    tr = _transcript(3, t0=time.time() - 120)
    cost = spend.total(since=time.time() - 7200).cost
    _cfg(f"[loops]\nrepeat = 0\nburst_usd = {cost / 2}\nburst_minutes = 10\n")
    code, _, err = pre("ls", transcript_path=str(tr))
    assert code == 2 and "spending burst" in err


def test_fail_open_and_strict() -> None:
    _cfg("[budgets.day]\nhard = ???\n")
    code, out, err = pre("ls")
    assert (code, out, err) == (0, "", "")
    log = Path(state.error_log_path()).read_text()
    assert "ConfigError" in log
    assert [e["kind"] for e in state.events()] == ["error"]
    _cfg("strict = true\n[budgets.day]\nhard = ???\n")
    code, _, err = pre("ls")
    assert code == 2 and "strict mode" in err


def test_garbage_stdin_exits_0() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert hook.main(["PreToolUse"], io.BytesIO(b"not json"), out, err) == 0


def test_codex_agent_keeps_its_own_session_state() -> None:
    _cfg("[loops]\nrepeat = 2\n")
    assert run("PreToolUse", agent="codex", tool_name="Bash", tool_input={"command": "ls"})[0] == 0
    assert pre("ls")[0] == 0  # same session id, other client: separate state
    assert run("PreToolUse", agent="codex", tool_name="Bash", tool_input={"command": "ls"})[0] == 2


def test_concurrent_hooks_of_one_session_lose_no_update(tmp_path: Path) -> None:
    """4 processes x 25 PreToolUse calls of one session: all 100 calls are in the state."""
    _cfg("[loops]\nrepeat = 0\n")
    script = (
        "import io, json, sys\n"
        "from agentcost.guard import hook\n"
        "for i in range(25):\n"
        "    d = {'session_id': 'par', 'cwd': '/p', 'tool_name': 'Bash', "
        "'tool_input': {'command': sys.argv[1] + str(i)}}\n"
        "    hook.main(['PreToolUse'], io.BytesIO(json.dumps(d).encode()), io.StringIO(), io.StringIO())\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, f"w{k}-"], env=dict(os.environ)) for k in range(4)
    ]
    assert all(p.wait(120) == 0 for p in procs)
    st = state.read_session("claude", "par")
    assert len(st["calls"]) == 100


def test_fast_path_does_not_load_typer(tmp_path: Path) -> None:
    _cfg("[loops]\nrepeat = 2\n")
    code = (
        "import sys, runpy, io\n"
        "sys.argv = ['agentcost', 'guard', 'hook', 'PreToolUse']\n"
        'sys.stdin = io.TextIOWrapper(io.BytesIO(b\'{"session_id": "f", "tool_name": "Bash"}\'))\n'
        "try:\n    runpy.run_module('agentcost', run_name='__main__')\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "bad = [m for m in ('typer', 'click', 'rich', 'tomlkit', 'dataclasses') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    p = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_money_in_messages_is_cents() -> None:
    from agentcost.guard.rules import budget_message

    m = budget_message("day", Decimal("20.123456"), Decimal(20), None)
    assert "$20.12 spent today" in m and "hard cap $20.00" in m and "guard set day 40" in m


@pytest.mark.parametrize("event", ["Stop", "SessionEnd", "StopFailure", "SessionStart", "Notification"])
def test_recording_events_never_block(event: str) -> None:
    _cfg("[budgets.day]\nhard = 0\n")
    assert run(event)[0] == 0


def test_period_sums_equal_the_spend_index_over_many_days() -> None:
    """Closed days (memoised) + today give exactly spend.total() over each period, per project too."""
    now = time.time()
    for k, (days_ago, cwd) in enumerate(
        [
            (0.01, "/p/app"),
            (1.2, "/p/app/sub"),
            (3.5, "/q"),
            (6.3, "/p/app"),
            (9.1, "/q"),
            (13.7, "/p/app"),
            (24.0, "/p/application"),
        ]
    ):
        p = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / f"x{k}" / f"s{k}.jsonl"
        _transcript_at(p, f"s{k}", now - days_ago * 86400, cwd)
    for _ in range(2):  # the second time from the memo
        got = meter.measure(
            now=now,
            session=None,
            root="/p/app",
            extra=[],
            project_period="month",
            week_starts="monday",
            burst_minutes=0,
            need=("day", "week", "month", "project"),
        )
        for scope in ("day", "week", "month"):
            start = meter.period_bounds(scope, now)[0]
            assert got[scope] == spend.total(since=start).cost, scope
        start = meter.period_bounds("month", now)[0]
        want = sum(
            (
                r.cost or Decimal(0)
                for r in spend.requests(since=start)
                if meter.in_project(r.project, "/p/app")
            ),
            Decimal(0),
        )
        assert got["project"] == want
    assert (Path(os.environ["AGENTCOST_CACHE_DIR"]) / "guard" / "days.json").exists()


def _transcript_at(p: Path, sid: str, t: float, cwd: str) -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "type": "assistant",
        "sessionId": sid,
        "cwd": cwd,
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t)),
        "requestId": f"{sid}-r",
        "message": {
            "id": f"{sid}-m",
            "model": "claude-sonnet-4-5-20250929",
            "usage": {"input_tokens": 1000 + len(sid), "output_tokens": 100},
        },
    }
    p.write_text(json.dumps(line) + "\n")
    os.utime(p, (t, t))


def test_a_loop_is_one_event_however_many_calls_it_blocks() -> None:
    _cfg("[loops]\nrepeat = 2\n")
    for _ in range(5):
        pre("same")
    assert [e["kind"] for e in state.events()] == ["repeat", "again", "again", "again"]


def test_console_script_path_runs_the_hook(cli: Any) -> None:
    _cfg("[loops]\nrepeat = 1\n")
    data = {"session_id": "cs", "tool_name": "Bash", "tool_input": {"command": "ls"}}
    res = cli("guard", "hook", "--agent", "codex", "PreToolUse", input=json.dumps(data))
    assert res.exit_code == 2 and "runaway loop" in res.output
    assert state.read_session("codex", "cs")["calls"]


def test_concurrent_sessions_see_one_day_total(tmp_path: Path) -> None:
    """Two sessions' hooks at once, each refreshing the shared index: each sees the whole day, once."""
    a = _transcript(3, sid="sa")
    b = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "-p-b" / "sb.jsonl"
    _transcript_at(b, "sb", time.time() - 600, "/p/b")
    want = spend.total(since=meter.local_midnight(time.time())).cost
    _cfg(f"[budgets.day]\nhard = {want}\n[loops]\nrepeat = 0\n")
    script = (
        "import io, json, sys\n"
        "from agentcost.guard import hook\n"
        "codes = []\n"
        "for i in range(10):\n"
        "    d = {'session_id': sys.argv[1], 'transcript_path': sys.argv[2], 'cwd': '/p',"
        " 'tool_name': 'Bash', 'tool_input': {'command': str(i)}}\n"
        "    codes.append(hook.main(['PreToolUse'], io.BytesIO(json.dumps(d).encode()), io.StringIO(),"
        " io.StringIO()))\n"
        "sys.exit(0 if set(codes) == {2} else 1)\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, sid, str(p)], env=dict(os.environ))
        for sid, p in (("sa", a), ("sb", b))
    ]
    assert [p.wait(120) for p in procs] == [0, 0]  # both at the cap: the day total reached it
    _cfg(f"[budgets.day]\nhard = {want + Decimal('0.000001')}\n[loops]\nrepeat = 0\n")
    assert pre("ls", transcript_path=str(a), session_id="sa")[0] == 0  # not counted twice
