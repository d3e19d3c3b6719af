"""`diagnose` for Claude Code: one test per finding code, built from fixture files."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.claude import diagnose
from agentcost.agents.claude.checks import check
from agentcost.agents.claude.settings import SettingsFile, effective_env, project_root
from agentcost.agents.findings import Finding, Severity

from .conftest import KEY

Place = Callable[[str, Path], Path]


def run(**extra: str) -> list[Finding]:
    env = dict(os.environ)
    env.update(extra)
    return diagnose(env, Path.cwd())


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def only(findings: list[Finding], code: str) -> Finding:
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, findings
    return hits[0]


def test_nothing_configured_is_clean() -> None:
    # a fresh home: one note, like Codex's CODEX_NO_CONFIG (doctor used to say nothing about Claude)
    (f,) = run()
    assert f.code == "CLAUDE_NO_SETTINGS" and f.severity is Severity.INFO
    assert "settings.json" in f.message and "/login" in f.message
    assert f.fix is not None and "setup claude" in f.fix


def test_no_settings_note_names_what_the_shell_exports() -> None:
    f = only(run(ANTHROPIC_API_KEY=KEY), "CLAUDE_NO_SETTINGS")
    assert "ANTHROPIC_API_KEY" in f.message
    assert KEY not in f.message


def test_good_setup_is_clean(place: Place, user_settings: Path) -> None:
    place("openrouter_blank_api_key.json", user_settings)
    assert run() == []


def test_invalid_json_has_file_line_col(place: Place, user_settings: Path) -> None:
    place("invalid_trailing_comma.json", user_settings)
    f = only(run(), "CLAUDE_SETTINGS_INVALID_JSON")
    assert f.severity is Severity.ERROR and f.file == str(user_settings)
    assert f"{user_settings}:4:3:" in f.message  # the "}" after the trailing comma


def test_env_not_object(place: Place, user_settings: Path) -> None:
    place("env_not_object.json", user_settings)
    assert only(run(), "CLAUDE_SETTINGS_ENV_INVALID").severity is Severity.ERROR


@pytest.mark.parametrize(
    ("fixture", "suffix"), [("base_url_v1.json", "/v1"), ("base_url_v1_messages.json", "/v1/messages")]
)
def test_base_url_v1(place: Place, user_settings: Path, fixture: str, suffix: str) -> None:
    place(fixture, user_settings)
    f = only(run(), "CLAUDE_BASE_URL_V1")
    assert f.severity is Severity.ERROR and f.file == str(user_settings)
    assert f"ends in {suffix}" in f.message and "There's an issue with the selected model" in f.message
    assert f"{suffix}/v1/messages" in f.message


def test_base_url_v1_from_shell() -> None:
    f = only(run(ANTHROPIC_BASE_URL="https://h.example/v1", ANTHROPIC_AUTH_TOKEN=KEY), "CLAUDE_BASE_URL_V1")
    assert "the shell environment" in f.message and f.file is None


def test_base_url_no_scheme(place: Place, user_settings: Path) -> None:
    place("base_url_no_scheme.json", user_settings)
    f = only(run(), "CLAUDE_BASE_URL_NO_SCHEME")
    assert f.severity is Severity.ERROR and f.fix == "write the full URL, e.g. https://api.atlascloud.ai"


def test_base_url_insecure(place: Place, user_settings: Path) -> None:
    place("base_url_insecure.json", user_settings)
    assert only(run(), "CLAUDE_BASE_URL_INSECURE").severity is Severity.WARNING


def test_loopback_http_is_not_insecure(user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text(
        '{"env": {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9999", "ANTHROPIC_AUTH_TOKEN": "t"}}'
    )
    user_settings.chmod(0o600)
    assert run() == []


def test_stray_api_key_with_token_is_error(place: Place, user_settings: Path) -> None:
    place("seed004_atlas.json", user_settings)
    f = only(run(ANTHROPIC_API_KEY="sk-ant-api03-STRAY-0000000000"), "CLAUDE_STRAY_API_KEY")
    assert f.severity is Severity.ERROR and "sends both" in f.message
    assert "CLAUDE_BOTH_AUTH_VARS" not in codes(run(ANTHROPIC_API_KEY="sk-ant-api03-STRAY-0000000000"))


def test_stray_api_key_bills_api_instead_of_plan() -> None:
    f = only(run(ANTHROPIC_API_KEY="sk-ant-api03-STRAY-0000000000"), "CLAUDE_STRAY_API_KEY")
    assert f.severity is Severity.WARNING and "subscription" in f.message


def test_stray_anthropic_key_to_third_party_host(user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text('{"env": {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai"}}')
    f = only(run(ANTHROPIC_API_KEY="sk-ant-api03-STRAY-0000000000"), "CLAUDE_STRAY_API_KEY")
    assert f.severity is Severity.ERROR and "api.atlascloud.ai" in f.message


def test_blank_api_key_in_settings_shadows_the_shell(place: Place, user_settings: Path) -> None:
    place("openrouter_blank_api_key.json", user_settings)
    assert run(ANTHROPIC_API_KEY="sk-ant-api03-STRAY-0000000000") == []


def test_both_auth_vars(place: Place, user_settings: Path) -> None:
    place("both_auth_vars.json", user_settings)
    f = only(run(), "CLAUDE_BOTH_AUTH_VARS")
    assert f.severity is Severity.ERROR and "differ" in f.message and f.file == str(user_settings)


def test_no_credential(place: Place, user_settings: Path) -> None:
    place("no_credential.json", user_settings)
    f = only(run(), "CLAUDE_NO_CREDENTIAL")
    assert f.severity is Severity.ERROR and "api.moonshot.ai" in f.message


def test_api_key_helper_counts_as_credential(user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text(
        '{"apiKeyHelper": "~/bin/key.sh", "env": {"ANTHROPIC_BASE_URL": "https://api.z.ai/api/anthropic"}}'
    )
    assert "CLAUDE_NO_CREDENTIAL" not in codes(run())


def test_project_base_url_redirects_user_token(place: Place, user_settings: Path, repo: Path) -> None:
    place("seed004_atlas.json", user_settings)
    place("project_base_url.json", repo / ".claude" / "settings.json")
    f = only(run(), "CLAUDE_PROJECT_BASE_URL")
    assert f.severity is Severity.ERROR and "collector.example.net" in f.message
    assert str(user_settings) in f.message  # where the redirected credential comes from


def test_project_base_url_pinned_locally_is_fine(place: Place, user_settings: Path, repo: Path) -> None:
    place("seed004_atlas.json", user_settings)
    place("project_base_url.json", repo / ".claude" / "settings.json")
    local = repo / ".claude" / "settings.local.json"
    local.write_text('{"env": {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai"}}')
    assert "CLAUDE_PROJECT_BASE_URL" not in codes(run())


def test_project_token(place: Place, repo: Path) -> None:
    place("project_token.json", repo / ".claude" / "settings.json")
    f = only(run(), "CLAUDE_PROJECT_TOKEN")
    assert f.severity is Severity.ERROR and f.file == str(repo / ".claude" / "settings.json")


def test_project_root_is_git_root(repo: Path) -> None:
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    assert project_root(sub) == repo.resolve()


def test_model_slot_unset_seed004(place: Place, user_settings: Path) -> None:
    place("seed004_atlas.json", user_settings)
    f = only(run(), "CLAUDE_MODEL_SLOT_UNSET")
    assert f.severity is Severity.WARNING
    assert "ANTHROPIC_DEFAULT_OPUS_MODEL" in f.message and "CLAUDE_CODE_SUBAGENT_MODEL" in f.message
    assert "ANTHROPIC_DEFAULT_HAIKU_MODEL" not in f.message


def test_secret_file_mode(place: Place, user_settings: Path) -> None:
    place("seed004_atlas.json", user_settings)
    user_settings.chmod(0o644)
    f = only(run(), "CLAUDE_SECRET_FILE_MODE")
    assert f.fix == f"chmod 600 {user_settings}" and "0644" in f.message


def test_local_not_ignored_in_a_real_git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "gitrepo"
    root.mkdir()
    if subprocess.run(["git", "init", "-q", str(root)], check=False).returncode != 0:
        pytest.skip("git unavailable")
    monkeypatch.chdir(root)
    local = root / ".claude" / "settings.local.json"
    local.parent.mkdir()
    local.write_text('{"env": {"ANTHROPIC_AUTH_TOKEN": "tok-123456789"}}')
    local.chmod(0o600)
    assert "CLAUDE_LOCAL_NOT_IGNORED" in codes(run())
    (root / ".gitignore").write_text(".claude/settings.local.json\n")
    assert "CLAUDE_LOCAL_NOT_IGNORED" not in codes(run())
    subprocess.run(["git", "-C", str(root), "add", "-f", str(local)], check=True)
    assert "CLAUDE_LOCAL_NOT_IGNORED" in codes(run())  # ignored, but already tracked


def test_precedence_local_over_project_over_user_over_shell(tmp_path: Path) -> None:
    files = [
        SettingsFile("user", tmp_path / "u", True, {"A": "user", "B": "user", "C": "user"}),
        SettingsFile("project", tmp_path / "p", True, {"A": "project", "B": "project"}),
        SettingsFile("local", tmp_path / "l", True, {"A": "local"}),
    ]
    eff = effective_env(files, {"A": "shell", "B": "shell", "C": "shell", "D": "shell"})
    assert {k: v.origin for k, v in eff.items()} == {"A": "local", "B": "project", "C": "user", "D": "shell"}


def test_check_is_pure_on_data(tmp_path: Path) -> None:
    f = SettingsFile("user", tmp_path / "s.json", True, {"ANTHROPIC_BASE_URL": "https://h.example/v1"})
    found = {x.code for x in check([f], {}, posix=True)}
    assert found == {"CLAUDE_BASE_URL_V1", "CLAUDE_NO_CREDENTIAL"}


def test_overridden_v1_url_is_still_reported_as_warning(
    place: Place, user_settings: Path, repo: Path
) -> None:
    place("base_url_v1.json", user_settings)
    local = repo / ".claude" / "settings.local.json"
    local.parent.mkdir()
    local.write_text('{"env": {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai"}}')
    f = only(run(), "CLAUDE_BASE_URL_V1")
    assert f.severity is Severity.WARNING and f.file == str(user_settings) and str(local) in f.message


def test_home_directory_user_file_is_not_also_a_project_file(
    place: Place, user_settings: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(isolated_env)
    place("openrouter_blank_api_key.json", user_settings)
    assert run() == []


def test_project_base_url_equal_to_shell_or_anthropic_is_fine(repo: Path) -> None:
    proj = repo / ".claude" / "settings.json"
    proj.parent.mkdir()
    proj.write_text('{"env": {"ANTHROPIC_BASE_URL": "https://api.anthropic.com/"}}')
    assert "CLAUDE_PROJECT_BASE_URL" not in codes(run())
    proj.write_text('{"env": {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai"}}')
    found = run(ANTHROPIC_BASE_URL="https://api.atlascloud.ai", ANTHROPIC_AUTH_TOKEN=KEY)
    assert "CLAUDE_PROJECT_BASE_URL" not in codes(found)
    f = only(run(ANTHROPIC_AUTH_TOKEN=KEY), "CLAUDE_PROJECT_BASE_URL")
    assert f.severity is Severity.ERROR and "the shell environment" in f.message


def test_openai_style_base_url(user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text(
        '{"env": {"ANTHROPIC_BASE_URL": "https://api.deepseek.com/v1/chat/completions", '
        '"ANTHROPIC_AUTH_TOKEN": "t"}}'
    )
    user_settings.chmod(0o600)
    f = only(run(), "CLAUDE_BASE_URL_OPENAI_PATH")
    assert f.severity is Severity.ERROR and "/chat/completions" in f.message


def test_credential_malformed(user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text(
        json.dumps(
            {"env": {"ANTHROPIC_BASE_URL": "https://api.atlascloud.ai", "ANTHROPIC_AUTH_TOKEN": KEY + "\n"}}
        )
    )
    user_settings.chmod(0o600)
    f = only(run(), "CLAUDE_CREDENTIAL_MALFORMED")
    assert f.severity is Severity.ERROR and f.file == str(user_settings)
    assert "abcdef123456" not in f.message
    found = diagnose(dict(os.environ), Path.cwd(), online=True)  # no request is attempted
    assert [x.code for x in found] == ["CLAUDE_CREDENTIAL_MALFORMED"]


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)


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
