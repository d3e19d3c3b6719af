"""Regressions from the QA pass: login tokens in diffs, exit status after setup, markup in user text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.codex.config import auth_secret_values, redact_auth_text

from .conftest import FAKE_KEY

# Opaque values that match no key pattern of secrets.py: only the auth.json masking can hide them.
ACCESS = "opaqueACCESSvalue0123456789"
REFRESH = "opaqueREFRESHvalue0123456789"
ID_TOKEN = "opaqueIDTOKENvalue0123456789"
LOGIN = {
    "auth_mode": "chatgpt",
    "OPENAI_API_KEY": None,
    "tokens": {
        "id_token": ID_TOKEN,
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "account_id": "acct-1",
    },
    "last_refresh": "2026-05-01T00:00:00Z",
}


def _out(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


def test_redact_auth_text_masks_every_secret_bearing_value() -> None:
    text = json.dumps({**LOGIN, "client_secret": "shhh-secret-value-1", "OPENAI_API_KEY": FAKE_KEY})
    red = redact_auth_text(text)
    assert red is not None
    for secret in (ACCESS, REFRESH, ID_TOKEN, "shhh-secret-value-1", FAKE_KEY):
        assert secret not in red
    assert '"access_token": "…6789"' in red and '"OPENAI_API_KEY": "sk-…fXYZ"' in red
    assert '"account_id": "acct-1"' in red and '"auth_mode": "chatgpt"' in red  # structure stays readable
    assert set(auth_secret_values(text)) == {ID_TOKEN, ACCESS, REFRESH, "shhh-secret-value-1", FAKE_KEY}
    broken = '{"tokens": {"refresh_token": "' + REFRESH + '", '  # malformed: still masked
    assert REFRESH not in (redact_auth_text(broken) or "")


@pytest.mark.parametrize("json_out", [False, True])
def test_dry_run_over_a_chatgpt_login_never_shows_its_tokens(
    cli: Any, codex_home: Path, json_out: bool
) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "auth.json").write_text(json.dumps(LOGIN, separators=(",", ":")))
    args = ["setup", "codex", "-p", "custom", "--base-url", "https://llm.example.com/v1"]
    args += ["--api-key", FAKE_KEY, "--model", "m", "--auth", "file", "--dry-run"]
    result = cli(*args, *(["--json"] if json_out else []))
    assert result.exit_code == 0, _out(result)
    out = _out(result)
    for secret in (ACCESS, REFRESH, ID_TOKEN, FAKE_KEY):
        assert secret not in out
    if json_out:
        (auth,) = [f for f in json.loads(result.stdout)["files"] if f["path"].endswith("auth.json")]
        diff = auth["diff"]
    else:
        diff = result.stdout
    assert '"access_token":"…6789"' in diff and '"refresh_token":"…6789"' in diff
    assert '+  "OPENAI_API_KEY": "sk-…fXYZ"' in diff


def test_setup_exits_1_when_the_result_has_an_unexpected_error(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "other.config.toml").write_text(
        'model_provider = "x"\n[model_providers.x]\nname = "x"\nbase_url = "api.x.com"\nenv_key = "X"\n'
    )
    keys = {"DS": FAKE_KEY, "X": FAKE_KEY}
    result = cli("setup", "codex", "-p", "deepseek", "--api-key-env", "DS", "--yes", env=keys)
    assert result.exit_code == 1, _out(result)
    assert (codex_home / "config.toml").exists()  # written all the same
    assert "written, but the checks found 1 error(s) that codex will hit: CODEX_BASE_URL_NO_SCHEME" in (
        result.stderr
    )
    data = json.loads(
        cli("setup", "codex", "-p", "deepseek", "--api-key-env", "DS", "--json", env=keys).stdout
    )
    assert data["unexpected_errors"] is True and data["changed"] is False
    dry = cli("setup", "codex", "-p", "zai", "--api-key-env", "DS", "--dry-run", env=keys)
    assert dry.exit_code == 0, _out(dry)  # a dry run only reports


def test_unset_env_key_is_expected_right_after_setup(cli: Any) -> None:
    result = cli("setup", "codex", "-p", "deepseek", "--api-key-env", "NOT_YET", "--json")
    assert result.exit_code == 0, _out(result)
    data = json.loads(result.stdout)
    assert data["errors"] is True and data["expected_errors"] == ["CODEX_ENV_KEY_UNSET"]
    assert data["unexpected_errors"] is False


def test_markup_in_base_url_model_and_path_is_printed_verbatim(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "c[/b]x"
    monkeypatch.setenv("CODEX_HOME", str(home))
    result = cli(
        "setup", "codex", "-p", "custom", "--base-url", "https://llm.example.com/[/b]", "--model", "[/b]m",
        "--api-key", FAKE_KEY, "--auth", "file", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, _out(result)
    assert f"created {home / 'config.toml'}" in result.stdout
    assert "model = [/b]m" in result.stdout and "https://llm.example.com/[/b]" in result.stdout
    bad = cli("setup", "codex", "-p", "custom", "--base-url", "ftp://h/[/b]", "--model", "m", "--yes")
    assert bad.exit_code == 1 and "ftp://h/[/b]" in bad.stderr


def test_unset_variable_of_another_profile_is_not_excused(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "other.config.toml").write_text(
        'model_provider = "x"\n[model_providers.x]\nname = "x"\nbase_url = "https://x.example/v1"\n'
        'env_key = "OTHER_UNSET"\n'
    )
    result = cli("setup", "codex", "-p", "deepseek", "--api-key-env", "MINE_UNSET", "--yes")
    assert result.exit_code == 1, _out(result)
    assert "CODEX_ENV_KEY_UNSET" in result.stderr.splitlines()[-2]
