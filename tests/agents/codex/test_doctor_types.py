"""doctor type-checks every field `setup codex` writes: a wrong type anywhere in config.toml makes
Codex 0.171 exit with "Error loading config.toml: invalid type: integer `42`, expected a string in
`model_providers.gw.base_url`" (observed), whichever provider is selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomlkit
import tomllib

from tests.agents.codex.conftest import FAKE_KEY, codes, doctor_json

# A value of the wrong type for each type Codex expects.
WRONG = {str: [42, ["A"], True], bool: ["yes", 1], int: ["3", -1]}
# Findings that already name these keys' problems in their own words.
OWN_CODE = {"name": "CODEX_PROVIDER_NO_NAME", "wire_api": "CODEX_WIRE_API_CHAT"}


def _setup(cli: Any, codex_home: Path, monkeypatch: pytest.MonkeyPatch, auth: str) -> dict[str, Any]:
    monkeypatch.setenv("MY_TEST_KEY", FAKE_KEY)
    r = cli("setup", "codex", "--provider", "openrouter", "--api-key-env", "MY_TEST_KEY", "--model", "m-1",
            "--auth", auth, "--yes")  # fmt: skip
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "error" not in {f["severity"] for f in doctor_json(cli)["findings"]}
    return tomllib.loads((codex_home / "config.toml").read_text())


def _written_fields(cfg: dict[str, Any]) -> list[tuple[tuple[str, ...], Any]]:
    out: list[tuple[tuple[str, ...], Any]] = []
    for k, v in cfg.items():
        if k == "model_providers":
            for pid, table in v.items():
                out += [(("model_providers", pid, tk), tv) for tk, tv in table.items()]
        else:
            out.append(((k,), v))
    return out


@pytest.mark.parametrize("auth", ["env", "file"])
def test_every_field_setup_writes_is_type_checked(
    cli: Any, codex_home: Path, monkeypatch: pytest.MonkeyPatch, auth: str
) -> None:
    cfg = _setup(cli, codex_home, monkeypatch, auth)
    fields = _written_fields(cfg)
    keys = {path[-1] for path, _ in fields}
    assert {"model", "model_provider", "name", "base_url", "wire_api"} <= keys
    assert ("env_key" if auth == "env" else "requires_openai_auth") in keys
    original = (codex_home / "config.toml").read_text()
    for path, value in fields:
        for wrong in WRONG[type(value)]:
            doc = tomlkit.parse(original)
            node: Any = doc
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = wrong
            (codex_home / "config.toml").write_text(tomlkit.dumps(doc))
            data = doctor_json(cli)
            code = OWN_CODE.get(path[-1], "CODEX_CONFIG_WRONG_TYPE")
            hits = [f for f in data["findings"] if f["code"] == code and path[-1] in f["message"]]
            assert hits, (path, wrong, data["findings"])
            assert hits[0]["severity"] == "error"
            assert data["errors"] is True


def test_issue_examples_and_unselected_tables(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True, exist_ok=True)
    (codex_home / "config.toml").write_text(
        'model_provider = "openai"\n'
        "[model_providers.gw]\n"
        'name = "gw"\nbase_url = 42\nenv_key = ["A"]\nstream_idle_timeout_ms = "9"\n'
        "http_headers = { Authorization = 1 }\n"
    )
    data = doctor_json(cli)
    msgs = [f["message"] for f in data["findings"] if f["code"] == "CODEX_CONFIG_WRONG_TYPE"]
    assert any("base_url is 42, Codex expects a string" in m for m in msgs), msgs
    assert any("env_key is an array, Codex expects a string" in m for m in msgs), msgs
    assert any("stream_idle_timeout_ms" in m and "whole number" in m for m in msgs), msgs
    assert any("http_headers" in m and "Authorization" in m for m in msgs), msgs
    # the table is not selected, but Codex still refuses to start: errors, not warnings
    assert "CODEX_CONFIG_WRONG_TYPE" in codes(data, "error")
