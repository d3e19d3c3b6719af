"""Conformance: the real Codex CLI 0.171.0 -> `agentcost shim` -> a Chat-Completions-only stub.

Each test is one scripted session, set up as a user would: `agentcost setup codex --via-shim`
(saves the shim's settings, points Codex at 127.0.0.1), `agentcost shim` started with no flags (a
subprocess reading those settings), then `codex exec`. The stub refuses `/v1/responses` (404) and,
like strict providers, tool schemas with `type: null` and `developer` messages; every answer it
gives is recorded, so the tests check that no request drew an unexpected 4xx and that
`agentcost usage` reports exactly the usage the stub sent.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from tests.e2e.harness import E2E_TEST_TIMEOUT, Run, World, doctor_codes
from tests.e2e.stub_chat import ChatTurn, schema_problems
from tests.e2e.stub_provider import StubProvider

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

KEY = "sk-e2e-shim-upstream-8d1e"
ENV_VAR = "E2E_SHIM_KEY"
MODEL = "e2e-chat-model"
MCP_SERVER = Path(__file__).resolve().parent / "mcp_dirty_server.py"
# Tool calls run for real: no sandbox (bubblewrap may be missing in CI containers), temp dirs only.
BYPASS = "--dangerously-bypass-approvals-and-sandbox"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Shim:
    """`python -m agentcost shim` as a subprocess in the world's environment."""

    def __init__(self, world: World) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentcost", "shim"],
            env=world.env({ENV_VAR: KEY}),
            cwd=world.workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.banner = self.proc.stdout.readline() if self.proc.stdout else ""
        self._err: list[str] = []
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._err.append(line)

    @property
    def log(self) -> str:
        return "".join(self._err)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._reader.join(5)


@pytest.fixture
def chat_stub(provider: StubProvider) -> StubProvider:
    return provider.chat_only(strict_schemas=True)


@pytest.fixture
def shim(world: World, chat_stub: StubProvider) -> Iterator[Shim]:
    """Set-up with --via-shim, then the shim started from the saved settings."""
    port = _free_port()
    setup = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", chat_stub.url + "/v1",
        "--api-key-env", ENV_VAR, "--model", MODEL, "--via-shim", "--shim-port", str(port), "--yes",
        extra={ENV_VAR: KEY},
    )  # fmt: skip
    assert setup.returncode == 0, setup.explain()
    s = Shim(world)
    assert f"listening on http://127.0.0.1:{port}/v1" in s.banner, (s.banner, s.proc.poll())
    assert KEY not in s.banner and "sk-…8d1e" in s.banner
    yield s
    s.stop()
    assert KEY not in s.log


def _codex(world: World, prompt: str, *args: str) -> Run:
    return world.codex_exec(prompt, BYPASS, *args)


def _chat_requests(stub: StubProvider) -> list[Any]:
    reqs = stub.api_requests()
    assert all(r.path == "/v1/chat/completions" for r in reqs), stub.describe()
    return reqs


def _assert_no_unexpected_4xx(stub: StubProvider, expected: frozenset[int] = frozenset()) -> None:
    bad = [r.summary() for r in stub.api_requests() if 400 <= r.status < 500 and r.status not in expected]
    assert not bad, f"unexpected 4xx from the stub:\n{stub.describe()}"


def _set_retries(world: World, requests: int, streams: int) -> None:
    path = world.codex_home / "config.toml"
    doc = tomlkit.parse(path.read_text())
    table = doc["model_providers"][str(doc["model_provider"])]
    table["request_max_retries"] = requests
    table["stream_max_retries"] = streams
    path.write_text(tomlkit.dumps(doc))


def _rollout_text(world: World) -> str:
    return "".join(p.read_text() for p in sorted((world.codex_home / "sessions").rglob("*.jsonl")))


def test_plain_reply(world: World, chat_stub: StubProvider, shim: Shim) -> None:
    chat_stub.reply_text = "Hello through the shim."
    run = _codex(world, "say hi")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}\nstub:\n{chat_stub.describe()}"
    assert "Hello through the shim." in run.stdout
    (req,) = _chat_requests(chat_stub)
    assert req.status == 200 and req.model == MODEL
    assert req.header_equals("authorization", f"Bearer {KEY}")  # the shim's key, from its environment
    assert req.body["stream"] is True and req.body["messages"][0]["role"] == "system"
    _assert_no_unexpected_4xx(chat_stub)
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_SHIM_OK" in doctor_codes(doc), doc.explain()
    online = world.agentcost("doctor", "codex", "--online", "--json")  # the whole chain, non-streamed
    assert {"CODEX_SHIM_OK", "CODEX_ONLINE_OK"} <= doctor_codes(online), online.explain()
    assert online.returncode == 0, online.explain()


def test_tool_call_and_its_result_with_reasoning(world: World, chat_stub: StubProvider, shim: Shim) -> None:
    chat_stub.script_chat(
        ChatTurn(reasoning="I will run echo.", tool_calls=[("exec_command", {"cmd": "echo e2e-tool-ok"})]),
        ChatTurn(reasoning="It printed.", text="The tool said e2e-tool-ok."),
    )
    run = _codex(world, "run the tool")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}"
    assert "The tool said e2e-tool-ok." in run.stdout
    _, second = _chat_requests(chat_stub)
    call = second.body["messages"][-2]
    assert call["tool_calls"][0]["function"]["name"] == "exec_command"
    assert call["reasoning_content"] == "I will run echo."  # reasoning went back with its call
    result = second.body["messages"][-1]
    assert result["role"] == "tool" and result["tool_call_id"] == call["tool_calls"][0]["id"]
    assert "e2e-tool-ok" in result["content"]
    rollout = _rollout_text(world)
    assert "I will run echo." in rollout and "It printed." in rollout  # Codex kept the reasoning items
    _assert_no_unexpected_4xx(chat_stub)


def test_parallel_tool_calls(world: World, chat_stub: StubProvider, shim: Shim) -> None:
    chat_stub.script_chat(
        ChatTurn(
            text="Running both.",
            tool_calls=[("exec_command", {"cmd": "echo par-one"}), ("exec_command", {"cmd": "echo par-two"})],
        ),
        ChatTurn(text="Both ran."),
    )
    run = _codex(world, "run two tools")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}"
    _, second = _chat_requests(chat_stub)
    msgs = second.body["messages"]
    assistant = msgs[-3]
    assert assistant["content"] == "Running both." and len(assistant["tool_calls"]) == 2
    outputs = {m["tool_call_id"]: m["content"] for m in msgs[-2:] if m["role"] == "tool"}
    ids = [c["id"] for c in assistant["tool_calls"]]
    assert set(outputs) == set(ids)
    assert "par-one" in outputs[ids[0]] and "par-two" in outputs[ids[1]]
    _assert_no_unexpected_4xx(chat_stub)


def test_tool_schema_the_provider_rejects_unless_repaired(
    world: World, chat_stub: StubProvider, shim: Shim
) -> None:
    """An MCP tool whose schema has `type: null` (Codex forwards it as is): the stub answers 400 to such
    a schema, so the session only works because the shim repairs it."""
    path = world.codex_home / "config.toml"
    doc = tomlkit.parse(path.read_text())
    doc["mcp_servers"] = {"dirty": {"command": sys.executable, "args": [str(MCP_SERVER)]}}
    path.write_text(tomlkit.dumps(doc))
    chat_stub.script_chat(
        ChatTurn(tool_calls=[("mcp__dirty__lookup", {"word": "shim"})]), ChatTurn(text="Looked it up.")
    )
    run = _codex(world, "look up shim")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}\nstub:\n{chat_stub.describe()}"
    first, second = _chat_requests(chat_stub)
    tool = next(t for t in first.body["tools"] if t["function"]["name"] == "mcp__dirty__lookup")
    assert schema_problems(tool["function"]["parameters"]) == []
    # what the MCP server declares is what the stub refuses: the repair is what made the session work
    from tests.e2e.mcp_dirty_server import TOOL

    assert schema_problems(TOOL["inputSchema"])
    assert "definition of shim" in second.body["messages"][-1]["content"]
    _assert_no_unexpected_4xx(chat_stub)


def test_upstream_429_then_recovery(world: World, chat_stub: StubProvider, shim: Shim) -> None:
    chat_stub.script_chat(
        ChatTurn(status=429, error_message="slow down, e2e", retry_after="1"),
        ChatTurn(text="After the wait."),
    )
    run = _codex(world, "say hi")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}"
    assert "After the wait." in run.stdout
    assert [r.status for r in _chat_requests(chat_stub)] == [429, 200]
    # persistent: Codex gives up and shows the provider's words (not a bare "429 Too Many Requests")
    chat_stub.reset()
    chat_stub.chat_only()
    _set_retries(world, 0, 1)
    chat_stub.script_chat(*[ChatTurn(status=429, error_message="slow down, e2e")] * 4)
    run = _codex(world, "say hi again")
    assert run.returncode != 0
    assert "slow down, e2e" in run.output and "answered 429" in run.output, run.explain()
    _assert_no_unexpected_4xx(chat_stub, frozenset({429}))


def test_upstream_500_then_recovery_and_persistent_500(
    world: World, chat_stub: StubProvider, shim: Shim
) -> None:
    chat_stub.script_chat(
        ChatTurn(status=500, error_message="e2e upstream hiccup"), ChatTurn(text="Recovered.")
    )
    run = _codex(world, "say hi")
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}"
    assert "Recovered." in run.stdout
    assert [r.status for r in _chat_requests(chat_stub)] == [500, 200]
    chat_stub.reset()
    chat_stub.chat_only()
    _set_retries(world, 0, 1)
    chat_stub.script_chat(*[ChatTurn(status=500, error_message="e2e upstream is down")] * 4)
    run = _codex(world, "say hi again")
    assert run.returncode != 0
    assert "e2e upstream is down" in run.output, run.explain()
    assert re.search(r"answered 500", run.output), run.explain()
    _assert_no_unexpected_4xx(chat_stub)


def test_usage_from_shim_sessions_is_exact(world: World, chat_stub: StubProvider, shim: Shim) -> None:
    chat_stub.script_chat(
        ChatTurn(reasoning="Tool first.", tool_calls=[("exec_command", {"cmd": "echo usage"})]),
        ChatTurn(text="Done."),
    )
    assert _codex(world, "first session").returncode == 0
    assert _codex(world, "second session").returncode == 0
    answered = [r for r in _chat_requests(chat_stub) if r.usage]
    assert len(answered) == 3, chat_stub.describe()
    run = world.agentcost("usage", "--json", "--agent", "codex", "--by", "model", "--tz", "UTC")
    assert run.returncode == 0, run.explain()
    totals = run.json()["totals"]
    expected = {
        "input": sum(r.usage["input_tokens"] - r.usage["cached_tokens"] for r in answered),
        "cache_read": sum(r.usage["cached_tokens"] for r in answered),
        "cache_write": 0,
        "output": sum(r.usage["output_tokens"] for r in answered),
        "reasoning": sum(r.usage["reasoning_tokens"] for r in answered),
    }
    got = {k: totals["tokens"][k] for k in expected}
    assert (totals["requests"], got) == (len(answered), expected)
    rows = run.json().get("rows") or run.json().get("groups") or []
    assert MODEL in json.dumps(rows)
    _assert_no_unexpected_4xx(chat_stub)


def test_codex_without_the_shim_gets_404_from_a_chat_only_provider(
    world: World, chat_stub: StubProvider
) -> None:
    """The problem the shim solves, shown with the same stub: Codex straight at it fails with 404."""
    setup = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", chat_stub.url + "/v1",
        "--api-key-env", ENV_VAR, "--model", MODEL, "--yes", extra={ENV_VAR: KEY},
    )  # fmt: skip
    assert setup.returncode == 0, setup.explain()
    _set_retries(world, 0, 0)
    run = world.codex_exec("say hi", extra={ENV_VAR: KEY})
    assert run.returncode != 0 and "404 Not Found" in run.output, run.explain()
    assert {(r.path, r.status) for r in chat_stub.api_requests()} == {("/v1/responses", 404)}
