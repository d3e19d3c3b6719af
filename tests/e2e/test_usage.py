"""`agentcost usage` on logs the real clients just wrote: totals equal what the stub reported.

The stub reports different usage on every response (see stub_provider.py), and the runs produce
the shapes that trip readers up: a response with two content blocks (two log lines, one message id),
a subagent (its own file, plus a copy of its usage in the parent's tool result), and a resumed
Codex session (running totals continue in the same file).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.harness import E2E_TEST_TIMEOUT, World
from tests.e2e.stub_provider import StubProvider

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

KEY = "sk-e2e-usage-key-6d4a"
ENV_VAR = "E2E_USAGE_KEY"


def _usage_totals(world: World, agent: str) -> dict[str, Any]:
    run = world.agentcost("usage", "--json", "--agent", agent, "--by", "model", "--tz", "UTC")
    assert run.returncode == 0, run.explain()
    totals = run.json()["totals"]
    assert isinstance(totals, dict)
    return totals


def test_claude_usage_totals_match_the_stub(world: World, provider: StubProvider) -> None:
    setup = world.agentcost(
        "setup", "claude", "--provider", "custom", "--base-url", provider.url, "--api-key", KEY,
        "--model", "e2e-usage-main", "--fast-model", "e2e-usage-fast", "--yes",
    )  # fmt: skip
    assert setup.returncode == 0, setup.explain()
    (world.workdir / "notes.txt").write_text("some notes\n")
    provider.script_tool_use(
        "Agent",
        {"description": "Look around", "prompt": "Read notes.txt", "subagent_type": "Explore"},
        preamble="I'll ask a subagent.",
    )
    provider.script_tool_use("Read", {"file_path": str(world.workdir / "notes.txt")}, preamble="Reading.")
    run = world.claude("-p", "look around")
    assert run.returncode == 0, run.explain()
    answered = [r for r in provider.api_requests() if r.path == "/v1/messages" and r.usage]
    assert len(answered) >= 3, provider.describe()

    totals = _usage_totals(world, "claude")
    expected = {
        "input": sum(r.usage["input_tokens"] for r in answered if r.usage),
        "cache_write": sum(r.usage["cache_creation_input_tokens"] for r in answered if r.usage),
        "cache_read": sum(r.usage["cache_read_input_tokens"] for r in answered if r.usage),
        "output": sum(r.usage["output_tokens"] for r in answered if r.usage),
    }
    got = {k: totals["tokens"][k] for k in expected}
    assert (totals["requests"], got) == (len(answered), expected), provider.describe()


def test_codex_usage_totals_match_the_stub(world: World, provider: StubProvider) -> None:
    setup = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", provider.url + "/v1",
        "--api-key-env", ENV_VAR, "--model", "e2e-usage-codex", "--auth", "env", "--yes",
        extra={ENV_VAR: KEY},
    )  # fmt: skip
    assert setup.returncode == 0, setup.explain()
    first = world.codex_exec("first turn", extra={ENV_VAR: KEY})
    assert first.returncode == 0, first.explain()
    second = world.codex_exec("second turn", "resume", "--last", extra={ENV_VAR: KEY})
    assert second.returncode == 0, second.explain()
    third = world.codex_exec("a new session", extra={ENV_VAR: KEY})
    assert third.returncode == 0, third.explain()
    answered = [r for r in provider.api_requests() if r.path == "/v1/responses" and r.usage]
    assert len(answered) == 3, provider.describe()

    totals = _usage_totals(world, "codex")
    expected = {
        # OpenAI's input_tokens include the cached ones; agentcost's `input` is the uncached part
        "input": sum(r.usage["input_tokens"] - r.usage["cached_tokens"] for r in answered if r.usage),
        "cache_read": sum(r.usage["cached_tokens"] for r in answered if r.usage),
        "cache_write": 0,
        "output": sum(r.usage["output_tokens"] for r in answered if r.usage),
        "reasoning": sum(r.usage["reasoning_tokens"] for r in answered if r.usage),
    }
    got = {k: totals["tokens"][k] for k in expected}
    assert (totals["requests"], got) == (len(answered), expected)
