from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from agentcost.errors import ConfigError
from agentcost.ignore.codex import merge_codex_profile
from agentcost.ignore.defaults import default_catalog

DENY = ["**/.env", "**/.env.local"]


def merge(old: str | None) -> Any:
    return merge_codex_profile(old, "config.toml", profile="agentcost", extends=":workspace", deny=DENY)


def test_fresh_config() -> None:
    r = merge(None)
    assert r.text == (
        'default_permissions = "agentcost"\n\n'
        "[permissions.agentcost]\n"
        'extends = ":workspace"\n\n'
        '[permissions.agentcost.filesystem.":workspace_roots"]\n'
        '"**/.env" = "deny"\n'
        '"**/.env.local" = "deny"\n'
    )
    assert r.added == DENY and r.selected


USER = """# my Codex setup
model = "gpt-5"  # the default
model_provider = "acme"

[model_providers.acme]
name = "Acme"
base_url = "https://api.acme.test/v1"
"""


def test_user_config_kept_and_second_run_is_noop() -> None:
    r = merge(USER)
    doc = tomlkit.parse(r.text).unwrap()
    assert (
        doc["model"] == "gpt-5" and doc["model_providers"]["acme"]["base_url"] == "https://api.acme.test/v1"
    )
    assert doc["default_permissions"] == "agentcost"
    assert doc["permissions"]["agentcost"]["filesystem"][":workspace_roots"] == {
        "**/.env": "deny",
        "**/.env.local": "deny",
    }
    assert "# my Codex setup" in r.text and "# the default" in r.text
    again = merge(r.text)
    assert again.text == r.text and again.added == []


def test_existing_profile_entries_kept_and_not_duplicated() -> None:
    old = (
        'default_permissions = "agentcost"\n\n[permissions.agentcost]\nextends = ":read-only"\n\n'
        '[permissions.agentcost.filesystem.":workspace_roots"]\n"**/.env" = "deny"\n"secrets/**" = "deny"\n'
    )
    r = merge(old)
    roots = tomlkit.parse(r.text).unwrap()["permissions"]["agentcost"]["filesystem"][":workspace_roots"]
    assert roots == {"**/.env": "deny", "secrets/**": "deny", "**/.env.local": "deny"}
    assert tomlkit.parse(r.text).unwrap()["permissions"]["agentcost"]["extends"] == ":read-only"  # theirs
    assert r.added == ["**/.env.local"]


def test_sandbox_mode_present_profile_not_selected() -> None:
    r = merge('sandbox_mode = "workspace-write"\n')
    doc = tomlkit.parse(r.text).unwrap()
    assert "default_permissions" not in doc and doc["sandbox_mode"] == "workspace-write"
    assert not r.selected
    assert any("sandbox_mode" in n for n in r.notes)


def test_other_profile_selected_is_left_alone() -> None:
    r = merge('default_permissions = "mine"\n')
    assert tomlkit.parse(r.text).unwrap()["default_permissions"] == "mine"
    assert not r.selected
    assert any("codex -c default_permissions" in n for n in r.notes)


def test_crlf_kept() -> None:
    r = merge(USER.replace("\n", "\r\n"))
    assert r.text.count("\r\n") == r.text.count("\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [("model = \n", "invalid TOML"), ("permissions = 3\n", "`permissions` must be a table")],
)
def test_malformed_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        merge(text)
    assert message in e.value.message


def test_catalog_profile_denies_only_secrets() -> None:
    cat = default_catalog()
    assert cat.codex_deny and all(g.startswith("**/") for g in cat.codex_deny)
    assert "**/.env" in cat.codex_deny
    # commands must still be able to read what builds and tests need
    assert not any(x in g for g in cat.codex_deny for x in ("node_modules", ".git", "lock", "*.pem", "build"))


def test_cli_opt_in_writes_codex_home_config(cli: Any, tmp_path: Path, isolated_env: Path) -> None:
    repo = tmp_path / "r"
    repo.mkdir()
    config = isolated_env / ".codex" / "config.toml"
    res = cli("ignore", str(repo), "--agents", "codex", "--json")
    assert res.exit_code == 0 and not config.exists()  # without the opt-in: a note only
    assert "--codex-profile" in json.loads(res.stdout)["agents"]["codex"]["note"]
    res = cli("ignore", str(repo), "--agents", "cursor", "--codex-profile", "--no-detect", "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["agents"]["codex"]["file"] == str(config)
    assert data["agents"]["codex"]["rules_added"] == len(default_catalog().codex_deny)
    assert tomlkit.parse(config.read_text()).unwrap()["default_permissions"] == "agentcost"
    res = cli("ignore", str(repo), "--agents", "codex", "--codex-profile", "--no-detect", "--json")
    assert json.loads(res.stdout)["files_changed"] == []


def test_cli_malformed_codex_config_refused(cli: Any, tmp_path: Path, isolated_env: Path) -> None:
    config = isolated_env / ".codex" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('model = "x"\n[broken\n')
    repo = tmp_path / "r"
    repo.mkdir()
    res = cli("ignore", str(repo), "--codex-profile", "--no-detect")
    assert res.exit_code == 1
    assert "config.toml:2" in res.stderr
    assert config.read_text() == 'model = "x"\n[broken\n'
    assert not (repo / ".cursorignore").exists()  # nothing written for any agent
