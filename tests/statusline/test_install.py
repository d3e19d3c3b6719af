"""`agentcost statusline install / uninstall`: user settings, minimal diff, never a silent replace."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from agentcost.statusline.install import command_line


def _settings() -> Path:
    return Path(os.environ["CLAUDE_CONFIG_DIR"]) / "settings.json"


ORIGINAL = (
    '{\n    "env": {"ANTHROPIC_MODEL": "opus"},\n'
    '    "permissions": {\n        "deny": ["Read(./.env)"]\n    }\n}\n'
)


def test_install_into_a_missing_file(cli: Any) -> None:
    res = cli("statusline", "install")
    assert res.exit_code == 0, res.output
    assert "Installed the status line" in res.stdout
    doc = json.loads(_settings().read_text())
    assert doc == {"statusLine": {"type": "command", "command": command_line()}}
    assert command_line().startswith(sys.executable) and command_line().endswith(" -m agentcost statusline")


def test_install_is_a_minimal_edit_and_uninstall_restores_the_bytes(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text(ORIGINAL)
    os.chmod(_settings(), 0o600)
    assert cli("statusline", "install").exit_code == 0
    text = _settings().read_text()
    assert text.startswith(ORIGINAL[: ORIGINAL.rindex("\n}")])  # every earlier byte kept, 4-space indent
    assert '    "statusLine": {\n        "type": "command",' in text
    assert oct(_settings().stat().st_mode & 0o777) == "0o600"
    assert list(_settings().parent.glob("settings.json.agentcost-backup-*"))
    res = cli("statusline", "install")
    assert "Already configured" in res.stdout
    assert cli("statusline", "uninstall").exit_code == 0
    assert _settings().read_text() == ORIGINAL
    assert "No statusLine to remove" in cli("statusline", "uninstall").stdout


def test_an_existing_status_line_is_refused_then_replaced_and_restored(cli: Any) -> None:
    mine = {"type": "command", "command": "~/bin/my-line.sh", "padding": 1}
    _settings().parent.mkdir(parents=True)
    _settings().write_text(json.dumps({"statusLine": mine, "model": "opus"}, indent=2) + "\n")
    before = _settings().read_text()
    res = cli("statusline", "install")
    assert res.exit_code == 1
    assert (
        "already has a statusLine" in res.output and "my-line.sh" in res.output and "--replace" in res.output
    )
    assert _settings().read_text() == before
    assert cli("statusline", "uninstall").exit_code == 1  # not ours: left alone
    assert _settings().read_text() == before
    res = cli("statusline", "install", "--replace")
    assert res.exit_code == 0 and "Replaced" in res.stdout
    assert json.loads(_settings().read_text())["statusLine"]["command"] == command_line()
    res = cli("statusline", "uninstall")
    assert res.exit_code == 0 and "Restored" in res.stdout
    assert json.loads(_settings().read_text()) == {"statusLine": mine, "model": "opus"}


def test_another_interpreter_is_updated_keeping_other_keys(cli: Any) -> None:
    old = {"type": "command", "command": "/old/venv/bin/python -m agentcost statusline", "padding": 0}
    _settings().parent.mkdir(parents=True)
    _settings().write_text(json.dumps({"statusLine": old}) + "\n")
    res = cli("statusline", "install")
    assert res.exit_code == 0 and "Updated" in res.stdout
    assert json.loads(_settings().read_text())["statusLine"] == {**old, "command": command_line()}


def test_dry_run_writes_nothing(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text(ORIGINAL)
    res = cli("statusline", "install", "--dry-run")
    assert res.exit_code == 0 and "Would install" in res.stdout and '+    "statusLine"' in res.stdout
    assert _settings().read_text() == ORIGINAL
    doc = json.loads(cli("statusline", "install", "--dry-run", "--json").stdout)
    assert doc["action"] == "installed" and doc["dry_run"] and doc["diff"]


@pytest.mark.parametrize("text", ['{"a": 1,}', "[1]", '{"statusLine": '])
def test_malformed_settings_are_refused_with_a_location(cli: Any, text: str) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text(text)
    res = cli("statusline", "install")
    assert res.exit_code == 1
    assert str(_settings()) in res.output
    assert _settings().read_text() == text


def test_secrets_in_settings_are_masked_in_the_diff(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    key = "sk-ant-api03-" + "x" * 40 + "WXYZ"
    _settings().write_text(json.dumps({"env": {"ANTHROPIC_API_KEY": key}}, indent=2) + "\n")
    res = cli("statusline", "install", "--dry-run")
    assert key not in res.output
