"""`agentcost guard` in the real pinned clients, against a stub that never stops calling tools.

Claude Code 2.1.197 (`claude -p`): the installed hooks stop a runaway at the repeat count, and a
day cap stops a session on the first request that reaches it. Found with these runs: exit 2 of
PreToolUse alone does not end the turn (the model is told, asks again: 12 requests in 12 turns), and
`continue: false` from PreToolUse is ignored; `continue: false` from PostToolBatch ends it.

Codex 0.171.0 (`codex exec`): hooks.json hooks run once trusted — `guard install` trusts them
through the real `codex app-server` — and exit 2 of PreToolUse / UserPromptSubmit blocks; but no
hook reply ends a running turn, so the stub's runaway has to end by itself (`limit`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.e2e.harness import E2E_TEST_TIMEOUT, World
from tests.e2e.stub_provider import StubProvider, tool_result_text

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

MODEL = "claude-sonnet-4-5"  # priced: the dollar test needs real prices


def _claude_world(world: World, provider: StubProvider, guard_toml: str) -> None:
    world.write_claude_settings(
        {
            "env": {
                "ANTHROPIC_BASE_URL": provider.url,
                "ANTHROPIC_AUTH_TOKEN": "sk-e2e-guard-token-1234",
                "ANTHROPIC_MODEL": MODEL,
                "ANTHROPIC_DEFAULT_HAIKU_MODEL": MODEL,
            }
        }
    )
    cfg = world.home / ".config" / "agentcost" / "guard.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(guard_toml)
    res = world.agentcost("guard", "install", "--client", "claude")
    assert res.returncode == 0, res.explain()
    settings = world.claude_settings()
    assert settings["env"]["ANTHROPIC_BASE_URL"] == provider.url  # the install kept the rest


def _messages(provider: StubProvider) -> list[Any]:
    return [r for r in provider.api_requests() if r.path == "/v1/messages" and r.tool_names()]


def _events(world: World) -> list[dict[str, Any]]:
    p = world.home / ".cache" / "agentcost" / "guard" / "events.jsonl"
    return [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []


def test_claude_runaway_is_stopped_at_the_repeat_count(world: World, provider: StubProvider) -> None:
    _claude_world(world, provider, "[loops]\nrepeat = 3\nrepeat_window = 5\n")
    provider.tool_use_forever("Bash", {"command": "ls /nonexistent-e2e", "description": "look"})
    run = world.claude("-p", "do it", "--max-turns", "25", "--allowedTools", "Bash")
    reqs = _messages(provider)
    # calls 1 and 2 run, call 3 is blocked and the turn ends: three requests, no fourth
    assert len(reqs) == 3, f"{run.explain()}\n{provider.describe()}"
    results = [tool_result_text(b) for b in reqs[-1].tool_results()]  # the conversation so far
    assert len(results) == 2 and all("ls: cannot access" in t for t in results), results
    kinds = [e["kind"] for e in _events(world)]
    assert kinds == ["repeat"], _events(world)
    status = world.agentcost("guard", "status", "--json").json()
    assert len(status["loops_today"]) == 1 and status["errors_today"] == 0
    claude = next(h for h in status["hooks"] if h["agent"] == "claude")
    assert claude["live"] and "PostToolBatch" in claude["events"]


def test_claude_day_cap_stops_on_the_request_that_reaches_it(world: World, provider: StubProvider) -> None:
    # ~$0.30 per request at Sonnet 4.5's $3/M input: a $1 cap is reached by the 4th request
    provider.anthropic_usage = {
        "input_tokens": 100_000,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "output_tokens": 1_000,
    }
    cap = Decimal("1.00")
    _claude_world(world, provider, f"[budgets.day]\nhard = {cap}\n[loops]\nrepeat = 0\n")
    provider.tool_use_forever("Bash", {"command": "true", "description": "noop"})
    run = world.claude("-p", "do it", "--max-turns", "25", "--allowedTools", "Bash")
    n = len(_messages(provider))
    status = world.agentcost("guard", "status", "--json").json()
    day = next(c for c in status["caps"] if c["scope"] == "day")
    spent = Decimal(day["spent_usd"])
    assert day["state"] == "blocked" and spent >= cap, f"{run.explain()}\n{provider.describe()}"
    # requests cost nearly the same. Usually the request that reaches the cap is the last one; when
    # Claude Code has not yet flushed that response to its transcript as the hook runs (seen once
    # under load) the stop comes one request later: at most one request made beyond the cap.
    assert spent * (n - 2) / n < cap, (n, spent)
    assert 3 <= n <= 5
    assert [e["kind"] for e in _events(world)] == ["budget:day"]
    # a new prompt is refused before any request
    provider.reset()
    run = world.claude("-p", "more please")
    assert _messages(provider) == [] and not provider.api_requests(), provider.describe()
    assert "day budget reached" in run.output, run.explain()


def _codex_world(world: World, provider: StubProvider, guard_toml: str) -> None:
    world.write_codex_config(
        'model_provider = "stub"\nmodel = "gpt-5"\n\n[model_providers.stub]\nname = "stub"\n'
        f'base_url = "{provider.url}/v1"\nenv_key = "STUB_KEY"\nwire_api = "responses"\n'
    )
    cfg = world.home / ".config" / "agentcost" / "guard.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(guard_toml)
    res = world.agentcost(
        "guard",
        "install",
        "--client",
        "codex",
        "--json",
        extra={"AGENTCOST_CODEX_BIN": str(world.clients.codex)},
    )
    assert res.returncode == 0, res.explain()
    assert res.json()["results"][0]["trust"] == "trusted", res.explain()
    assert "[hooks.state." in (world.codex_home / "config.toml").read_text()


def _function_outputs(provider: StubProvider) -> list[str]:
    out: list[str] = []
    last = [r for r in provider.api_requests() if r.path == "/v1/responses"]
    if not last or not isinstance(last[-1].body, dict):
        return out
    for item in last[-1].body.get("input") or []:
        if isinstance(item, dict) and item.get("type") == "function_call_output":
            o = item.get("output")
            out.append(o if isinstance(o, str) else json.dumps(o))
    return out


def test_codex_runs_the_trusted_hooks_and_blocks_repeats_but_cannot_end_the_turn(
    world: World, provider: StubProvider
) -> None:
    _codex_world(world, provider, "[loops]\nrepeat = 3\nrepeat_window = 5\n")
    provider.tool_use_forever("exec_command", {"cmd": "ls /nonexistent-e2e"}, limit=6)
    run = world.codex_exec("do it", extra={"STUB_KEY": "sk-e2e-stub-5678"})
    assert run.returncode == 0, run.explain()
    outputs = _function_outputs(provider)
    assert len(outputs) == 6, outputs
    assert sum("agentcost guard: runaway loop" in o for o in outputs) == 4, outputs  # calls 3..6
    # the turn went on: every call the stub sent was answered (no hook could end it)
    assert len([r for r in provider.api_requests() if r.path == "/v1/responses"]) == 7
    kinds = [e["kind"] for e in _events(world)]
    assert kinds.count("repeat") == 1 and kinds.count("again") == 3, kinds  # one loop, 4 blocked calls


def test_codex_prompt_over_the_cap_is_refused_before_any_request(
    world: World, provider: StubProvider
) -> None:
    _codex_world(world, provider, "[budgets.day]\nhard = 0\n")
    run = world.codex_exec("do it", extra={"STUB_KEY": "sk-e2e-stub-5678"})
    assert not [r for r in provider.api_requests() if r.path == "/v1/responses"], provider.describe()
    # `codex exec` prints that the hook blocked, not its reason; the guard's event log has it
    assert "UserPromptSubmit Blocked" in run.output, run.explain()
    assert [e["kind"] for e in _events(world)] == ["budget:day"]
    assert "day budget reached" in _events(world)[0]["detail"]
