"""`doctor codex --online` against httpx.MockTransport and a real server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from agentcost.agents import codex
from agentcost.agents.findings import Finding
from tests.agents.codex.conftest import FAKE_KEY, codes

Handler = Callable[[httpx.Request], httpx.Response]


def _write_config(home: Path, base_url: str, cred: str = 'env_key = "OPENROUTER_API_KEY"') -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        'model_provider = "openrouter"\nmodel = "m-1"\n\n[model_providers.openrouter]\nname = "OpenRouter"\n'
        f'base_url = "{base_url}"\nwire_api = "responses"\n{cred}\n',
        encoding="utf-8",
    )


def _run(home: Path, handler: Handler, env: dict[str, str] | None = None) -> tuple[list[Finding], list[Any]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    environ = {
        "CODEX_HOME": str(home),
        "HOME": str(home.parent),
        "OPENROUTER_API_KEY": FAKE_KEY,
        **(env or {}),
    }
    findings = codex.diagnose(environ, home.parent, online=True, transport=httpx.MockTransport(record))
    return [f for f in findings if f.code.startswith("CODEX_ONLINE")], seen


@pytest.fixture
def home(codex_home: Path) -> Path:
    _write_config(codex_home, "https://openrouter.ai/api/v1")
    return codex_home


def test_ok_sends_bearer_and_minimal_request(home: Path) -> None:
    findings, seen = _run(home, lambda r: httpx.Response(200, json={"id": "resp_1", "data": []}))
    assert [f.code for f in findings] == ["CODEX_ONLINE_OK"]
    assert [(r.method, str(r.url)) for r in seen] == [
        ("GET", "https://openrouter.ai/api/v1/models"),
        ("POST", "https://openrouter.ai/api/v1/responses"),
    ]
    assert all(r.headers["authorization"] == f"Bearer {FAKE_KEY}" for r in seen)
    body = json.loads(seen[1].content)
    assert body == {"model": "m-1", "input": "ping", "max_output_tokens": 16, "stream": False}


def test_unauthorized_names_key_source_and_never_the_key(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": f"bad key {FAKE_KEY}"})

    findings, _ = _run(home, handler)
    (f,) = findings
    assert f.code == "CODEX_ONLINE_UNAUTHORIZED" and f.severity.value == "error"
    assert "$OPENROUTER_API_KEY" in f.message
    assert FAKE_KEY not in json.dumps(f.as_dict())


def test_unauthorized_from_auth_json(home: Path) -> None:
    _write_config(home, "https://openrouter.ai/api/v1", "requires_openai_auth = true")
    (home / "auth.json").write_text(json.dumps({"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}))
    findings, seen = _run(home, lambda r: httpx.Response(403))
    assert findings[0].code == "CODEX_ONLINE_UNAUTHORIZED" and "auth.json" in findings[0].message
    assert seen[0].headers["authorization"] == f"Bearer {FAKE_KEY}"


def test_unloadable_auth_json_is_probed_without_a_key(home: Path) -> None:
    """Codex ignores an auth.json whose tokens it cannot parse: the probe sends no key either."""
    _write_config(home, "https://openrouter.ai/api/v1", "requires_openai_auth = true")
    auth = {"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY, "tokens": {"access_token": "a"}}
    (home / "auth.json").write_text(json.dumps(auth))
    findings, seen = _run(home, lambda r: httpx.Response(401))
    assert findings[0].code == "CODEX_ONLINE_UNAUTHORIZED"
    assert seen and all("authorization" not in r.headers for r in seen)


def test_not_found_everywhere_points_at_the_api_root(home: Path) -> None:
    findings, _ = _run(home, lambda r: httpx.Response(404, text="Not Found"))
    (f,) = findings
    assert f.code == "CODEX_ONLINE_NOT_FOUND"
    assert "https://openrouter.ai/api/v1/responses" in f.message and "/v1" in f.message


def test_not_found_only_responses_points_at_responses_api(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        return (
            httpx.Response(200, json={"data": []}) if r.url.path.endswith("/models") else httpx.Response(404)
        )

    (f,) = _run(home, handler)[0]
    assert f.code == "CODEX_ONLINE_NOT_FOUND" and "Responses API" in f.message


def test_unreachable(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=r)

    (f,) = _run(home, handler)[0]
    assert f.code == "CODEX_ONLINE_UNREACHABLE" and f.severity.value == "error"


def test_slow_responses_is_a_warning(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        if r.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": []})
        raise httpx.ReadTimeout("timed out", request=r)

    (f,) = _run(home, handler)[0]
    assert f.code == "CODEX_ONLINE_UNREACHABLE" and f.severity.value == "warning"
    assert "answered 200" in f.message


def test_other_status_is_a_warning_with_the_provider_message(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        if r.url.path.endswith("/models"):
            return httpx.Response(200, json={"data": []})
        return httpx.Response(400, json={"error": {"message": "model m-1 does not exist"}})

    (f,) = _run(home, handler)[0]
    assert f.code == "CODEX_ONLINE_HTTP_ERROR" and "does not exist" in f.message


def test_offline_by_default_makes_no_request(home: Path) -> None:
    def handler(r: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    environ = {"CODEX_HOME": str(home), "HOME": str(home.parent), "OPENROUTER_API_KEY": FAKE_KEY}
    findings = codex.diagnose(environ, home.parent, transport=httpx.MockTransport(handler))
    assert not [f for f in findings if f.code.startswith("CODEX_ONLINE")]


# ------------------------------------------------------------------- real server on 127.0.0.1, via CLI


class _Stub(BaseHTTPRequestHandler):
    status: ClassVar[dict[str, int]] = {"/v1/models": 200, "/v1/responses": 200}
    auths: ClassVar[list[str]] = []

    def _reply(self) -> None:
        self.auths.append(self.headers.get("Authorization", ""))
        code = self.status.get(self.path, 404)
        body = b'{"object": "list", "data": []}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._reply()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._reply()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Stub)
    _Stub.auths = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_cli_setup_then_doctor_online_against_local_stub(
    cli: Any, stub: str, codex_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUB_KEY", FAKE_KEY)
    setup = cli(
        "setup", "codex", "--provider", "custom", "--base-url", stub, "--api-key-env", "STUB_KEY",
        "--model", "m-1", "--auth", "file", "--yes",
    )  # fmt: skip
    assert setup.exit_code == 0, setup.stderr
    result = cli("doctor", "codex", "--online", "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0, data
    assert "CODEX_ONLINE_OK" in codes(data)
    assert "CODEX_RESPONSES_UNKNOWN" not in codes(data)  # settled by the probe
    assert _Stub.auths == [f"Bearer {FAKE_KEY}"] * 2
    assert FAKE_KEY not in result.stdout + result.stderr

    (codex_home / "config.toml").write_text(
        (codex_home / "config.toml").read_text().replace(f"{stub}/v1", stub), encoding="utf-8"
    )
    bad = cli("doctor", "codex", "--online", "--json")
    data = json.loads(bad.stdout)
    assert bad.exit_code == 1
    assert {"CODEX_BASE_URL_NO_V1", "CODEX_ONLINE_NOT_FOUND"} <= codes(data, "error")
