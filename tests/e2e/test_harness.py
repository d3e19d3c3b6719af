"""The e2e machinery itself: clients install and run, the stub speaks both wire formats, the guard bites.

When a setup test fails, these say whether the harness or agentcost is at fault: the turns here use
configurations written by hand, exactly as the facts files describe, not by `agentcost setup`.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from agentcost.secrets import mask
from tests.e2e import harness
from tests.e2e.harness import E2E_TEST_TIMEOUT, Clients, World
from tests.e2e.proxy_guard import ProxyGuard
from tests.e2e.stub_provider import ANTHROPIC_USAGE, OPENAI_USAGE, StubProvider, iter_sse

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

KEY = "sk-harness-test-key-0001"


def _post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    # The stub is loopback: bypass any proxy variables of the developer's shell.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=10) as resp:
            return int(resp.status), bytes(resp.read())
    except urllib.error.HTTPError as e:
        return int(e.code), bytes(e.read())


def test_clients_are_the_pinned_versions(clients: Clients) -> None:
    assert clients.claude_version.startswith("2.1.197"), clients.claude_version
    assert clients.codex_version == "codex-cli 0.171.0", clients.codex_version


def test_stub_anthropic_stream_and_recording(provider: StubProvider) -> None:
    status, payload = _post(
        provider.url + "/v1/messages?beta=true",
        {"model": "m-main", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
        {"Authorization": f"Bearer {KEY}"},
    )
    assert status == 200
    events = [e for e, _ in iter_sse(payload)]
    assert events == [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ]
    delta = dict(iter_sse(payload))["message_delta"]
    assert delta["usage"] == ANTHROPIC_USAGE
    (req,) = provider.snapshot()
    assert req.usage == ANTHROPIC_USAGE
    assert (req.method, req.path, req.query, req.model) == (
        "POST",
        "/v1/messages",
        {"beta": ["true"]},
        "m-main",
    )
    assert req.header("authorization") == f"Bearer {mask(KEY)}"  # recorded masked ...
    assert KEY not in json.dumps(req.headers)
    assert req.header_equals("authorization", f"Bearer {KEY}")  # ... but still checkable exactly
    assert not req.header_equals("authorization", "Bearer sk-harness-test-key-0002")


def test_stub_scripted_tool_use_then_text(provider: StubProvider) -> None:
    provider.script_tool_use("Read", {"file_path": "/x"})
    body = {"model": "m", "stream": True, "tools": [{"name": "Read"}], "messages": []}
    first = dict(iter_sse(_post(provider.url + "/v1/messages", body)[1]))
    assert first["content_block_start"]["content_block"]["name"] == "Read"
    assert first["message_delta"]["delta"]["stop_reason"] == "tool_use"
    second = dict(iter_sse(_post(provider.url + "/v1/messages", body)[1]))
    assert second["content_block_start"]["content_block"]["type"] == "text"
    # the second response reports every usage field + 1
    assert second["message_delta"]["usage"] == {k: v + 1 for k, v in ANTHROPIC_USAGE.items()}


def test_stub_openai_stream(provider: StubProvider) -> None:
    status, payload = _post(provider.url + "/v1/responses", {"model": "m-codex", "stream": True, "input": []})
    assert status == 200
    events = dict(iter_sse(payload))
    assert list(events) == [
        "response.created",
        "response.output_item.added",
        "response.output_text.delta",
        "response.output_item.done",
        "response.completed",
    ]
    usage = events["response.completed"]["response"]["usage"]
    assert usage == {
        "input_tokens": OPENAI_USAGE["input_tokens"],
        "input_tokens_details": {"cached_tokens": OPENAI_USAGE["cached_tokens"]},
        "output_tokens": OPENAI_USAGE["output_tokens"],
        "output_tokens_details": {"reasoning_tokens": OPENAI_USAGE["reasoning_tokens"]},
        "total_tokens": OPENAI_USAGE["input_tokens"] + OPENAI_USAGE["output_tokens"],
    }


@pytest.mark.parametrize("status", [401, 404, 500])
def test_stub_fail_modes(provider: StubProvider, status: int) -> None:
    provider.fail_with(status)
    assert _post(provider.url + "/v1/messages", {"model": "m"})[0] == status
    assert _post(provider.url + "/v1/responses", {"model": "m"})[0] == status


def test_stub_unknown_path_is_404(provider: StubProvider) -> None:
    assert _post(provider.url + "/v1/v1/messages", {"model": "m"})[0] == 404
    assert _post(provider.url + "/responses", {"model": "m"})[0] == 404


def test_guard_records_and_refuses(guard: ProxyGuard) -> None:
    host, port = guard.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 403")
    assert guard.snapshot() == ["CONNECT api.example.com:443 HTTP/1.1"]
    guard.reset()  # this test's attempt was deliberate


def test_claude_turn_with_hand_written_settings(world: World, provider: StubProvider) -> None:
    world.write_claude_settings(
        {
            "env": {
                "ANTHROPIC_BASE_URL": provider.url,
                "ANTHROPIC_AUTH_TOKEN": KEY,
                "ANTHROPIC_MODEL": "m-main",
            }
        }
    )
    run = world.claude("-p", "say hi")
    assert run.returncode == 0, run.explain()
    assert provider.reply_text in run.stdout
    assert [(r.path, r.model) for r in provider.api_requests()] == [("/v1/messages", "m-main")]


def test_codex_turn_with_hand_written_config(world: World, provider: StubProvider) -> None:
    world.write_codex_config(
        'model_provider = "stub"\nmodel = "m-codex"\n\n[model_providers.stub]\nname = "Stub"\n'
        f'base_url = "{provider.url}/v1"\nenv_key = "STUB_KEY"\n'
    )
    run = world.codex_exec("say hi", extra={"STUB_KEY": KEY})
    assert run.returncode == 0, run.explain()
    assert provider.reply_text in run.stdout
    (req,) = provider.api_requests()
    assert (req.path, req.model) == ("/v1/responses", "m-codex")
    assert req.header_equals("authorization", f"Bearer {KEY}")


def test_missing_npm_skips_unless_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness, "_installed", [])  # forget this session's install
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr(harness, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match="npm/node not found on PATH"):
        harness.ensure_clients()
    monkeypatch.setattr(harness, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="AGENTCOST_E2E_REQUIRED=1 but npm/node not found"):
        harness.ensure_clients()


def test_failed_install_skips_with_npm_output_and_leaves_no_debris(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    npm = fake_bin / "npm"
    npm.write_text("#!/bin/sh\necho 'npm error 404 boom-from-fake-npm' >&2\nexit 1\n")
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("AGENTCOST_E2E_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(harness, "_installed", [])
    monkeypatch.setattr(harness, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception, match=r"(?s)`npm ci` failed \(exit 1\).*boom-from-fake-npm"):
        harness.ensure_clients()
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [".install.lock"]
    monkeypatch.setattr(harness, "REQUIRED", True)
    with pytest.raises(pytest.fail.Exception, match="AGENTCOST_E2E_REQUIRED=1 but `npm ci` failed"):
        harness.ensure_clients()
