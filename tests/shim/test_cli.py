"""`agentcost shim`, `shim install-service`, `setup codex --via-shim` and `doctor codex` behind a shim."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import tomlkit

KEY = "sk-shimcli-key-0123456789abcd"


def _config_dir() -> Path:
    return Path(os.environ["AGENTCOST_CONFIG_DIR"])


def test_shim_needs_the_key_and_an_upstream(cli: Any) -> None:
    r = cli("shim", "--upstream", "https://llm.example.com", "--api-key-env", "NOPE_KEY")
    assert r.exit_code == 1
    assert "$NOPE_KEY is not set" in r.stderr and "https://llm.example.com/v1" in r.stderr
    r = cli("shim")
    assert r.exit_code == 2 and "--upstream is required" in r.stderr
    r = cli("shim", "--upstream", "llm.example.com", "--api-key-env", "X")
    assert r.exit_code == 1 and "--upstream" in r.stderr  # no scheme: refused with the flag named
    r = cli("shim", "--upstream", "https://llm.example.com", "--api-key-env", KEY)
    assert r.exit_code == 1 and KEY not in r.output  # a key pasted as the variable name: masked


def test_env_file_must_be_private(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "shim.env"
    f.write_text(f"export EX_KEY='{KEY}'\n")
    f.chmod(0o644)
    r = cli(
        "shim", "--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--env-file", str(f)
    )
    assert r.exit_code == 1 and "readable by other users" in r.stderr and "chmod 600" in r.stderr
    f.write_text("EX_KEY\n")
    f.chmod(0o600)
    r = cli(
        "shim", "--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--env-file", str(f)
    )
    assert r.exit_code == 1 and f"{f}:1:1" in r.stderr


def test_port_in_use(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        monkeypatch.setenv("EX_KEY", KEY)
        port = str(taken.getsockname()[1])
        r = cli("shim", "--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--port", port)
    finally:
        taken.close()
    assert r.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in r.stderr


def test_install_service_systemd_and_launchd(
    cli: Any, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--upstream", "https://api.deepseek.com", "--api-key-env", "DEEPSEEK_API_KEY", "--port", "8799"]
    r = cli("shim", "install-service", *args, "--kind", "systemd")
    assert r.exit_code == 0, r.output
    unit = (isolated_env / ".config" / "systemd" / "user" / "agentcost-shim.service").read_text()
    env_file = _config_dir() / "shim.env"
    assert " -m agentcost shim --upstream https://api.deepseek.com/v1 --api-key-env DEEPSEEK_API_KEY" in unit
    assert f"--port 8799 --env-file {env_file}" in unit
    assert "Restart=on-failure" in unit and "WantedBy=default.target" in unit
    assert "systemctl --user enable --now agentcost-shim.service" in r.stdout
    assert not env_file.exists()  # the key is written only with --store-key
    r = cli("shim", "install-service", *args, "--kind", "launchd")
    assert r.exit_code == 0, r.output
    plist = (isolated_env / "Library" / "LaunchAgents" / "com.agentcost.shim.plist").read_text()
    assert "<string>--env-file</string>" in plist and f"<string>{env_file}</string>" in plist
    assert "launchctl load -w" in r.stdout
    monkeypatch.setenv("DEEPSEEK_API_KEY", KEY)
    r = cli("shim", "install-service", *args, "--store-key")
    assert r.exit_code == 0, r.output
    assert env_file.read_text() == f"DEEPSEEK_API_KEY={KEY}\n"
    assert env_file.stat().st_mode & 0o777 == 0o600
    assert KEY not in r.output


class _FakeShim(BaseHTTPRequestHandler):
    upstream = "api.deepseek.com"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/v1/agentcost-shim":
            body = json.dumps({"agentcost_shim": "0", "upstream": self.upstream}).encode()
            self.send_response(200)
        else:
            body = b"{}"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake_shim() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeShim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def _codes(cli: Any) -> tuple[int, set[str]]:
    r = cli("doctor", "codex", "--json")
    return r.exit_code, {f["code"] for f in json.loads(r.stdout)["findings"]}


def test_setup_via_shim_then_doctor(cli: Any, isolated_env: Path, fake_shim: int) -> None:
    r = cli(
        "setup", "codex", "--provider", "deepseek", "--via-shim", "--shim-port", str(fake_shim), "--yes",
        env={"DEEPSEEK_API_KEY": KEY},
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    config = tomlkit.parse((isolated_env / ".codex" / "config.toml").read_text())
    table = config["model_providers"]["deepseek"]
    assert table["base_url"] == f"http://127.0.0.1:{fake_shim}/v1"
    assert "env_key" not in table and "requires_openai_auth" not in table
    assert table["name"] == "DeepSeek via agentcost shim"
    saved = tomlkit.parse((_config_dir() / "shim.toml").read_text())
    assert dict(saved) == {
        "upstream": "https://api.deepseek.com/v1",
        "api_key_env": "DEEPSEEK_API_KEY",
        "port": fake_shim,
    }
    assert KEY not in r.output and "not known to serve" not in r.output
    rc, codes = _codes(cli)
    assert "CODEX_SHIM_OK" in codes and not codes & {"CODEX_NO_CREDENTIAL", "CODEX_RESPONSES_UNKNOWN"}
    assert rc == 0
    _FakeShim.upstream = "elsewhere.example.com"
    try:
        assert "CODEX_SHIM_OTHER_UPSTREAM" in _codes(cli)[1]
    finally:
        _FakeShim.upstream = "api.deepseek.com"


def test_setup_via_shim_before_the_shim_runs(cli: Any) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # a port nothing listens on
    r = cli("setup", "codex", "--provider", "deepseek", "--via-shim", "--shim-port", str(port), "--yes")
    assert r.exit_code == 0, r.output  # CODEX_SHIM_DOWN is expected right after set-up
    assert "start the shim" in r.stderr and "DEEPSEEK_API_KEY is NOT set" in r.stderr
    rc, codes = _codes(cli)
    assert "CODEX_SHIM_DOWN" in codes and rc == 1
    r = cli("setup", "codex", "--provider", "deepseek", "--via-shim", "--auth", "file", "--yes")
    assert r.exit_code == 2


def test_the_real_shim_serves_codex_requests_in_process(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """`agentcost shim` as a thread (uvicorn on 127.0.0.1:0), against a fake chat provider."""
    import httpx

    from agentcost.shim import server
    from agentcost.shim.route import Upstream, single_upstream

    class Provider(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            body = (
                b'data: {"choices":[{"index":0,"delta":{"content":"pong"}}]}\n\n'
                b'data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1,"total_tokens":5}}\n\n'
                b"data: [DONE]\n\n"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    up = Upstream(root=f"http://127.0.0.1:{upstream.server_address[1]}/v1", api_key=KEY)
    app = server.build_app(
        server.ShimSettings(router=single_upstream(up), upstream_host=up.host, log=lambda _: None)
    )
    sock = server.bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    t = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 10
        while not srv.started and time.monotonic() < deadline:
            time.sleep(0.02)
        r = httpx.post(
            f"http://127.0.0.1:{port}/v1/responses", json={"model": "m", "input": "ping", "stream": True}
        )
        assert r.status_code == 200 and '"delta":"pong"' in r.text and "response.completed" in r.text
    finally:
        srv.should_exit = True
        t.join(10)
        upstream.shutdown()
        upstream.server_close()


def test_binding_beyond_loopback_default_is_warned(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.2", 0))  # a port already taken, so the command stops right after the warning
    taken.listen(1)
    try:
        monkeypatch.setenv("EX_KEY", KEY)
        port = str(taken.getsockname()[1])
        args = ["--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--port", port]
        r = cli("shim", *args, "--host", "127.0.0.2")
    finally:
        taken.close()
    assert "warning: binding 127.0.0.2" in r.stderr and "no authentication" in r.stderr
    assert r.exit_code == 1 and KEY not in r.output
