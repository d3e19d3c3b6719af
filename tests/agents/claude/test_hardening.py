"""Regressions from the QA pass: non-string env values, markup in user text, stale blank keys, exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.claude import diagnose

from .conftest import KEY


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)


def _out(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


def test_non_string_base_url_is_flagged_and_nothing_says_none(user_settings: Path) -> None:
    _write(user_settings, {"env": {"ANTHROPIC_BASE_URL": 5, "ANTHROPIC_AUTH_TOKEN": 123456789}})
    findings = diagnose(dict(os.environ), Path.cwd())
    invalid = [f for f in findings if f.code == "CLAUDE_SETTINGS_ENV_INVALID"]
    assert len(invalid) == 1
    assert "ANTHROPIC_BASE_URL is a number (5)" in invalid[0].message
    assert "ANTHROPIC_AUTH_TOKEN is a number" in invalid[0].message
    assert "123456789" not in invalid[0].message  # a credential is never shown, even a numeric one
    for f in findings:
        assert "None" not in f.message and "None" not in (f.fix or ""), f
        assert "https://5" not in (f.fix or ""), f


def test_non_string_base_url_without_credential_names_the_value(user_settings: Path) -> None:
    _write(user_settings, {"env": {"ANTHROPIC_BASE_URL": 5}})
    findings = diagnose(dict(os.environ), Path.cwd())
    codes = {f.code for f in findings}
    assert {"CLAUDE_SETTINGS_ENV_INVALID", "CLAUDE_BASE_URL_NO_SCHEME", "CLAUDE_NO_CREDENTIAL"} <= codes
    (nocred,) = [f for f in findings if f.code == "CLAUDE_NO_CREDENTIAL"]
    assert "points at '5'" in nocred.message
    for f in findings:
        assert "None" not in f.message + (f.fix or ""), f


def test_string_values_are_not_flagged(user_settings: Path) -> None:
    _write(user_settings, {"env": {"ANTHROPIC_MODEL": "m", "DISABLE_TELEMETRY": "1"}})
    assert "CLAUDE_SETTINGS_ENV_INVALID" not in {f.code for f in diagnose(dict(os.environ), Path.cwd())}


def test_bool_and_null_values_are_flagged_as_such(user_settings: Path) -> None:
    _write(user_settings, {"env": {"DISABLE_TELEMETRY": True, "X": None}})
    (f,) = [f for f in diagnose(dict(os.environ), Path.cwd()) if f.code == "CLAUDE_SETTINGS_ENV_INVALID"]
    assert "DISABLE_TELEMETRY is a boolean (true)" in f.message and "X is null" in f.message


def test_host_like_value_without_scheme_keeps_the_https_fix(user_settings: Path) -> None:
    _write(user_settings, {"env": {"ANTHROPIC_BASE_URL": "api.example.com", "ANTHROPIC_AUTH_TOKEN": KEY}})
    (f,) = [f for f in diagnose(dict(os.environ), Path.cwd()) if f.code == "CLAUDE_BASE_URL_NO_SCHEME"]
    assert f.fix == "write the full URL, e.g. https://api.example.com"


def test_kept_blank_api_key_is_shown_in_the_summary(cli: Any, user_settings: Path) -> None:
    r = cli("setup", "claude", "-p", "openrouter", "--api-key", KEY, "--yes")
    assert r.exit_code == 0, _out(r)
    assert json.loads(user_settings.read_text())["env"]["ANTHROPIC_API_KEY"] == ""
    r = cli(
        "setup", "claude", "-p", "custom", "--base-url", "https://llm.example.com", "--api-key", KEY,
        "--model", "m", "--yes",
    )  # fmt: skip
    assert r.exit_code == 0, _out(r)
    assert '  ANTHROPIC_API_KEY = "" (kept from an earlier set-up' in r.stdout
    data = json.loads(
        cli(
            "setup",
            "claude",
            "-p",
            "custom",
            "--base-url",
            "https://llm.example.com",
            "--api-key",
            KEY,
            "--model",
            "m",
            "--json",
        ).stdout
    )
    assert data["summary"]["ANTHROPIC_API_KEY"].startswith('"" (kept')


def test_setup_exits_1_when_a_project_file_breaks_the_result(cli: Any, repo: Path) -> None:
    _write(repo / ".claude" / "settings.json", {"env": {"ANTHROPIC_BASE_URL": "https://llm.example.com/v1"}})
    r = cli("setup", "claude", "-p", "deepseek", "--api-key", KEY, "--yes")
    assert r.exit_code == 1, _out(r)
    assert "written, but the checks found" in r.stderr and "CLAUDE_BASE_URL_V1" in r.stderr
    assert json.loads((Path(os.environ["CLAUDE_CONFIG_DIR"]) / "settings.json").read_text())["env"]
    dry = cli("setup", "claude", "-p", "deepseek", "--api-key", KEY, "--dry-run")
    assert dry.exit_code == 0, _out(dry)  # a dry run only reports


def test_markup_in_provider_url_model_and_path_is_printed_verbatim(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = tmp_path / "c[/b]x"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(conf))
    r = cli(
        "setup", "claude", "-p", "custom", "--base-url", "https://llm.example.com/[/b]", "--api-key", KEY,
        "--model", "[/b]m", "--fast-model", "[red]f", "--yes",
    )  # fmt: skip
    assert r.exit_code == 0, _out(r)
    assert f"created {conf / 'settings.json'}" in r.stdout
    assert "ANTHROPIC_MODEL = [/b]m" in r.stdout and "ANTHROPIC_SMALL_FAST_MODEL = [red]f" in r.stdout
    assert "ANTHROPIC_BASE_URL = https://llm.example.com/[/b]" in r.stdout
    bad = cli(
        "setup", "claude", "-p", "custom", "--base-url", "ftp://example.com/[/b]", "--api-key", KEY, "-m", "m"
    )
    assert bad.exit_code == 1 and "ftp://example.com/[/b]" in bad.stderr
    unknown = cli("setup", "claude", "-p", "[/b]", "--api-key", KEY, "--yes")
    assert unknown.exit_code == 1 and "unknown provider '[/b]'" in unknown.stderr


def test_catalog_sources_cite_nothing_users_cannot_open() -> None:
    from agentcost.providers import load_providers

    for p in load_providers({}).values():
        assert p.source.strip(), p.id
        assert "shared/" not in p.source and "seeds" not in p.source, p.id
