"""doctor type-checks every field `setup claude` (and `ignore`) writes into Claude Code's settings.

Observed with Claude Code 2.1.197: a non-string env value is coerced to text; "permissions" not an
object, "permissions.deny" not an array or "apiKeyHelper" not a string make it ignore the whole
file, credentials included ("Not logged in")."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.claude import diagnose
from agentcost.agents.findings import Finding, Severity

from .conftest import KEY, KEY_TAIL


def _findings() -> list[Finding]:
    return diagnose(dict(os.environ), Path.cwd())


def _setup(cli: Any, user_settings: Path) -> dict[str, Any]:
    r = cli("setup", "claude", "--provider", "zai", "--api-key", KEY, "--yes")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert not [f for f in _findings() if f.severity is Severity.ERROR]
    data: dict[str, Any] = json.loads(user_settings.read_text())
    return data


def test_every_env_value_setup_writes_must_be_a_string(cli: Any, user_settings: Path) -> None:
    data = _setup(cli, user_settings)
    assert len(data["env"]) >= 5
    for var in data["env"]:
        for wrong in (42, True, ["x"], None):
            bad = json.loads(json.dumps(data))
            bad["env"][var] = wrong
            user_settings.write_text(json.dumps(bad))
            hits = [f for f in _findings() if f.code == "CLAUDE_SETTINGS_ENV_INVALID"]
            assert hits and var in hits[0].message, (var, wrong)
            assert KEY_TAIL not in hits[0].message
    bad = dict(data, env=[["ANTHROPIC_MODEL", "m"]])
    user_settings.write_text(json.dumps(bad))
    hits = [f for f in _findings() if f.code == "CLAUDE_SETTINGS_ENV_INVALID"]
    assert hits and hits[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("field", "value", "severity", "needle"),
    [
        ("permissions", ["Read(./.env)"], "error", '"permissions" is an array'),
        ("permissions", "deny all", "error", '"permissions" is a string'),
        ("deny", "Read(./.env)", "error", '"permissions.deny" is a string'),
        ("deny", {"Read": "./.env"}, "error", '"permissions.deny" is an object'),
        ("deny", ["Read(./.env)", 1], "warning", "#2 is a number"),
        ("apiKeyHelper", 3, "error", '"apiKeyHelper" is a number'),
    ],
)
def test_permissions_and_helper_types(
    cli: Any, user_settings: Path, field: str, value: Any, severity: str, needle: str
) -> None:
    data = _setup(cli, user_settings)
    if field == "deny":
        data["permissions"] = {"deny": value}
    else:
        data[field] = value
    user_settings.write_text(json.dumps(data))
    hits = [f for f in _findings() if f.code == "CLAUDE_SETTINGS_WRONG_TYPE"]
    assert len(hits) == 1, _findings()
    assert hits[0].severity.value == severity and needle in hits[0].message
    if severity == "error":
        assert "ignores this whole file" in hits[0].message
    assert hits[0].file == str(user_settings)


def test_ignore_then_doctor_is_clean(cli: Any, repo: Path) -> None:
    r = cli("ignore", str(repo), "--agents", "claude", "--no-detect")
    assert r.exit_code == 0, r.stderr
    assert "CLAUDE_SETTINGS_WRONG_TYPE" not in {f.code for f in _findings()}
