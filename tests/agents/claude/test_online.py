"""`doctor claude --online`: the probe against httpx.MockTransport and a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from agentcost.agents.claude import diagnose
from agentcost.agents.claude.online import probe, target_for
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.online import TIMEOUT_S

from .conftest import KEY, KEY_TAIL


def write_settings(path: Path, env: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"env": env}))
    path.chmod(0o600)


def online(transport: httpx.MockTransport) -> list[Finding]:
    return [f for f in diagnose(dict(os.environ), Path.cwd(), online=True, transport=transport)]


def test_request_shape_bearer(user_settings: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"type": "message"})

    write_settings(
        user_settings,
        {
            "ANTHROPIC_BASE_URL": "https://api.atlascloud.ai/",
            "ANTHROPIC_AUTH_TOKEN": KEY,
            "ANTHROPIC_MODEL": "m",
        },
    )
    findings = online(httpx.MockTransport(handler))
    (req,) = seen
    assert req.method == "POST" and str(req.url) == "https://api.atlascloud.ai/v1/messages"
    assert req.headers["authorization"] == f"Bearer {KEY}" and "x-api-key" not in req.headers
    assert req.headers["anthropic-version"] == "2023-06-01"
    assert json.loads(req.content) == {
        "model": "m",
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "ping"}],
    }
    ok = [f for f in findings if f.code == "CLAUDE_ONLINE_OK"]
    assert len(ok) == 1 and ok[0].severity is Severity.INFO and KEY_TAIL not in ok[0].message


def test_request_uses_x_api_key(user_settings: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    write_settings(
        user_settings, {"ANTHROPIC_BASE_URL": "https://api.minimax.io/anthropic", "ANTHROPIC_API_KEY": KEY}
    )
    online(httpx.MockTransport(handler))
    assert seen[0].headers["x-api-key"] == KEY and "authorization" not in seen[0].headers
    assert seen[0].url.path == "/anthropic/v1/messages"


@pytest.mark.parametrize("status", [401, 403])
def test_unauthorized(user_settings: Path, status: int) -> None:
    write_settings(
        user_settings, {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai", "ANTHROPIC_AUTH_TOKEN": KEY}
    )
    t = httpx.MockTransport(lambda r: httpx.Response(status, json={"error": f"bad key {KEY}"}))
    (f,) = [f for f in online(t) if f.code.startswith("CLAUDE_ONLINE")]
    assert f.code == "CLAUDE_ONLINE_UNAUTHORIZED" and f.severity is Severity.ERROR
    assert "ANTHROPIC_AUTH_TOKEN" in f.message and "api.atlascloud.ai" in f.message
    assert str(user_settings) in f.message and KEY_TAIL not in f.message


def test_not_found_explains_v1_trap(user_settings: Path) -> None:
    write_settings(
        user_settings, {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai/v1", "ANTHROPIC_AUTH_TOKEN": KEY}
    )
    seen: list[str] = []

    def handler(r: httpx.Request) -> httpx.Response:
        seen.append(r.url.path)
        return httpx.Response(404, text="not found")

    (f,) = [f for f in online(httpx.MockTransport(handler)) if f.code.startswith("CLAUDE_ONLINE")]
    assert seen == ["/v1/v1/messages"]  # the same path Claude Code would hit
    assert f.code == "CLAUDE_ONLINE_NOT_FOUND" and "/v1/v1/messages" in f.message
    assert f.fix == "remove /v1 from ANTHROPIC_BASE_URL"


def test_not_found_without_v1_names_path_and_model() -> None:
    t = httpx.MockTransport(lambda r: httpx.Response(404))
    (f,) = probe(target_for("https://h.example/anthropic", auth_token=KEY, model="x-model"), t)
    assert f.code == "CLAUDE_ONLINE_NOT_FOUND"
    assert "/anthropic/v1/messages" in f.message and "'x-model'" in f.message


def test_unreachable() -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=r)

    (f,) = probe(target_for("https://h.example", auth_token=KEY, model="m"), httpx.MockTransport(handler))
    assert f.code == "CLAUDE_ONLINE_UNREACHABLE" and "h.example" in f.message and "ConnectError" in f.message


def test_timeout() -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=r)

    (f,) = probe(target_for("https://h.example", auth_token=KEY, model="m"), httpx.MockTransport(handler))
    assert f.code == "CLAUDE_ONLINE_UNREACHABLE" and f"within {TIMEOUT_S:g} s" in f.message


def test_bad_request_and_other_status() -> None:
    t = httpx.MockTransport(lambda r: httpx.Response(400, json={"error": "unknown model"}))
    (f,) = probe(target_for("https://h.example", auth_token=KEY, model="m"), t)
    assert f.code == "CLAUDE_ONLINE_BAD_REQUEST" and "unknown model" in f.message
    t = httpx.MockTransport(lambda r: httpx.Response(503))
    (f,) = probe(target_for("https://h.example", auth_token=KEY, model="m"), t)
    assert f.code == "CLAUDE_ONLINE_HTTP_ERROR" and "503" in f.message


def test_skipped_without_credential() -> None:
    t = httpx.MockTransport(lambda r: pytest.fail("must not send"))
    assert [f.code for f in online(t)] == ["CLAUDE_NO_SETTINGS", "CLAUDE_ONLINE_SKIPPED"]


class _Handler(BaseHTTPRequestHandler):
    status = 401
    seen: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        type(self).seen.append((self.path, dict(self.headers)))
        body = b'{"error":{"type":"authentication_error"}}'
        self.send_response(type(self).status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.seen = []
    srv = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_cli_online_against_real_server(cli: Any, user_settings: Path, server: str) -> None:
    r = cli("setup", "claude", "--provider", "custom", "--base-url", server, "--api-key", KEY,
            "--model", "m", "--yes")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    r = cli("doctor", "claude", "--online", "--json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert [f["code"] for f in doc["findings"]] == ["CLAUDE_ONLINE_UNAUTHORIZED"]
    assert _Handler.seen[0][0] == "/v1/messages"
    assert KEY_TAIL not in r.stdout + r.stderr


def test_cli_online_unreachable_real_socket(cli: Any, user_settings: Path) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    write_settings(
        user_settings, {"ANTHROPIC_BASE_URL": f"http://127.0.0.1:{port}", "ANTHROPIC_AUTH_TOKEN": KEY}
    )
    r = cli("doctor", "claude", "--online", "--json")
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["CLAUDE_ONLINE_UNREACHABLE"]


def test_every_agent_probes_through_one_signature_and_one_timeout() -> None:
    import inspect

    from agentcost.agents import online
    from agentcost.agents.claude import online as claude_online
    from agentcost.agents.codex import online as codex_online

    shape = [(p.name, p.kind) for p in inspect.signature(claude_online.probe).parameters.values()]
    assert shape == [(p.name, p.kind) for p in inspect.signature(codex_online.probe).parameters.values()]
    assert online.client().timeout.read == online.TIMEOUT_S  # the one client both probes use
