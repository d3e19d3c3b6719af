"""`agentcost setup claude` through the CLI: writes, merges, scopes, errors, no key leaks."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.choice import usable_by
from agentcost.providers import UNKNOWN, load_providers

from .conftest import KEY, KEY_TAIL

Place = Callable[[str, Path], Path]
ATLAS = ("setup", "claude", "--provider", "atlas", "--api-key", KEY, "--yes")


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def claude_providers() -> list[str]:
    return [p.id for p in load_providers().values() if usable_by(p, "claude")]


def test_atlas_exact_file(cli: Any, user_settings: Path) -> None:
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    assert user_settings.read_text() == (
        "{\n"
        '  "env": {\n'
        '    "ANTHROPIC_BASE_URL": "https://api.atlascloud.ai",\n'
        f'    "ANTHROPIC_AUTH_TOKEN": "{KEY}",\n'
        '    "ANTHROPIC_MODEL": "deepseek-ai/deepseek-v4-pro",\n'
        '    "ANTHROPIC_DEFAULT_OPUS_MODEL": "deepseek-ai/deepseek-v4-pro",\n'
        '    "ANTHROPIC_DEFAULT_SONNET_MODEL": "deepseek-ai/deepseek-v4-pro",\n'
        '    "CLAUDE_CODE_SUBAGENT_MODEL": "deepseek-ai/deepseek-v4-pro",\n'
        '    "ANTHROPIC_DEFAULT_HAIKU_MODEL": "deepseek-ai/deepseek-v4-flash",\n'
        '    "ANTHROPIC_SMALL_FAST_MODEL": "deepseek-ai/deepseek-v4-flash",\n'
        '    "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": "1",\n'
        '    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"\n'
        "  }\n"
        "}\n"
    )
    assert mode(user_settings) == 0o600
    assert f"created {user_settings}" in r.stdout and "No problems found." in r.stdout
    assert KEY_TAIL not in r.stdout + r.stderr


@pytest.mark.parametrize("pid", claude_providers())
def test_every_provider_then_doctor_has_no_error(cli: Any, pid: str) -> None:
    p = load_providers()[pid]
    args = ["setup", "claude", "--provider", pid, "--api-key", KEY, "--yes"]
    if p.claude_base_url == UNKNOWN:
        args += ["--base-url", "https://llm.example.com/anthropic"]
    if p.main_model == UNKNOWN:
        args += ["--model", "some-model", "--fast-model", "some-small-model"]
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    r = cli("doctor", "claude", "--json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["errors"] is False, doc
    assert [f for f in doc["findings"] if f["severity"] != "info"] == []


def test_unknown_model_requires_model_flag(cli: Any, user_settings: Path) -> None:
    r = cli("setup", "claude", "--provider", "moonshot", "--api-key", KEY, "--yes")
    assert r.exit_code == 1 and "--model" in r.stderr and not user_settings.exists()


def test_fast_defaults_to_main_with_notice(cli: Any, user_settings: Path) -> None:
    r = cli("setup", "claude", "--provider", "minimax", "--api-key", KEY, "--yes")
    env = json.loads(user_settings.read_text())["env"]
    assert env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == env["ANTHROPIC_SMALL_FAST_MODEL"] == "MiniMax-M3"
    assert env["ANTHROPIC_API_KEY"] == KEY and "ANTHROPIC_AUTH_TOKEN" not in env
    assert "no fast model given" in r.stderr


def test_openrouter_blank_api_key(cli: Any, user_settings: Path) -> None:
    cli("setup", "claude", "--provider", "openrouter", "--api-key", KEY, "--yes")
    env = json.loads(user_settings.read_text())["env"]
    assert env["ANTHROPIC_AUTH_TOKEN"] == KEY and env["ANTHROPIC_API_KEY"] == ""


def test_anthropic_builtin_has_no_base_url_or_models(cli: Any, user_settings: Path) -> None:
    cli("setup", "claude", "--provider", "anthropic", "--api-key", KEY, "--yes")
    assert json.loads(user_settings.read_text()) == {"env": {"ANTHROPIC_API_KEY": KEY}}


def test_merge_keeps_everything_else_in_order(cli: Any, place: Place, user_settings: Path) -> None:
    place("with_permissions_hooks.json", user_settings)
    before = json.loads(user_settings.read_text())
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    after = json.loads(user_settings.read_text())
    assert list(after) == list(before)
    for k in before:
        if k != "env":
            assert after[k] == before[k]
    env = after["env"]
    assert list(env)[:3] == ["MY_TOOL_FLAG", "ANTHROPIC_MODEL", "BASH_DEFAULT_TIMEOUT_MS"]
    assert env["MY_TOOL_FLAG"] == "on" and env["BASH_DEFAULT_TIMEOUT_MS"] == "60000"
    assert env["ANTHROPIC_MODEL"] == "deepseek-ai/deepseek-v4-pro"
    backups = list(user_settings.parent.glob("settings.json.agentcost-backup-*"))
    assert len(backups) == 1 and json.loads(backups[0].read_text()) == before
    assert f"(backup: {backups[0]})" in r.stdout


def test_crlf_and_indent_kept(cli: Any, place: Place, user_settings: Path) -> None:
    place("crlf_four_spaces.json", user_settings)
    assert b"\r\n" in user_settings.read_bytes()
    cli(*ATLAS)
    raw = user_settings.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ending is CRLF
    text = raw.decode()
    assert text.startswith('{\r\n    "theme": "dark",\r\n    "env": {\r\n        "FOO": "bar",\r\n')


def test_second_identical_run_writes_nothing(cli: Any, user_settings: Path) -> None:
    cli(*ATLAS)
    first = user_settings.read_bytes()
    st = user_settings.stat()
    r = cli(*ATLAS)
    assert r.exit_code == 0
    assert f"{user_settings}: already configured, nothing written" in r.stdout
    assert user_settings.read_bytes() == first and user_settings.stat().st_mtime_ns == st.st_mtime_ns
    assert list(user_settings.parent.glob("*backup*")) == []


def test_malformed_json_refused_untouched(cli: Any, place: Place, user_settings: Path) -> None:
    place("invalid_trailing_comma.json", user_settings)
    before = user_settings.read_bytes()
    r = cli(*ATLAS)
    assert r.exit_code == 1
    assert f"{user_settings}:4:3: invalid JSON" in r.stderr
    assert user_settings.read_bytes() == before
    assert sorted(p.name for p in user_settings.parent.iterdir()) == ["settings.json"]


def test_env_not_object_refused(cli: Any, place: Place, user_settings: Path) -> None:
    place("env_not_object.json", user_settings)
    before = user_settings.read_bytes()
    r = cli(*ATLAS)
    assert r.exit_code == 1 and '"env" is a list' in r.stderr and user_settings.read_bytes() == before


def test_symlink_written_through(cli: Any, tmp_path: Path, user_settings: Path) -> None:
    real = tmp_path / "dotfiles" / "claude-settings.json"
    real.parent.mkdir()
    real.write_text('{"theme": "dark"}\n')
    user_settings.parent.mkdir(parents=True)
    user_settings.symlink_to(real)
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    assert user_settings.is_symlink() and os.readlink(user_settings) == str(real)
    data = json.loads(real.read_text())
    assert data["theme"] == "dark" and data["env"]["ANTHROPIC_AUTH_TOKEN"] == KEY
    assert mode(real) == 0o600


def test_failed_write_leaves_original(
    cli: Any, place: Place, user_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    place("with_permissions_hooks.json", user_settings)
    before = user_settings.read_bytes()

    def boom(*a: object, **k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("agentcost.fileio.os.replace", boom)
    r = cli(*ATLAS)
    assert r.exit_code == 1 and "original is unchanged" in r.stderr
    assert user_settings.read_bytes() == before
    assert list(user_settings.parent.glob("*.agentcost-tmp")) == []


def test_claude_config_dir_honoured(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    r = cli(*ATLAS, env={"CLAUDE_CONFIG_DIR": str(other)})
    assert r.exit_code == 0 and (other / "settings.json").is_file()


def test_switching_provider_removes_the_other_credential(cli: Any, place: Place, user_settings: Path) -> None:
    place("anthropic_api_key.json", user_settings)
    r = cli(*ATLAS)
    env = json.loads(user_settings.read_text())["env"]
    assert "ANTHROPIC_API_KEY" not in env and env["MY_TOOL_FLAG"] == "on"
    assert "removed ANTHROPIC_API_KEY" in r.stderr
    r = cli("setup", "claude", "--provider", "anthropic", "--api-key", KEY, "--yes")
    env = json.loads(user_settings.read_text())["env"]
    assert env == {
        "MY_TOOL_FLAG": "on",
        "ANTHROPIC_API_KEY": KEY,
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    }


def test_scope_project_key_only_in_local(cli: Any, repo: Path, user_settings: Path) -> None:
    r = cli("setup", "claude", "--provider", "deepseek", "--api-key", KEY, "--scope", "project", "--yes")
    assert r.exit_code == 0, r.stderr
    shared = repo / ".claude" / "settings.json"
    local = repo / ".claude" / "settings.local.json"
    assert KEY not in shared.read_text() and mode(shared) == 0o644
    assert json.loads(local.read_text()) == {
        "env": {"ANTHROPIC_BASE_URL": "https://api.deepseek.com/anthropic", "ANTHROPIC_AUTH_TOKEN": KEY}
    }
    assert mode(local) == 0o600 and not user_settings.exists()
    assert json.loads(shared.read_text())["env"]["ANTHROPIC_MODEL"] == "deepseek-v4-pro"
    assert "the key is NOT in the shared" in r.stderr and "settings.local.json" in r.stderr
    r = cli("doctor", "claude", "--json")
    assert json.loads(r.stdout)["errors"] is False


def test_scope_project_moves_a_committed_key_out(cli: Any, place: Place, repo: Path) -> None:
    shared = place("project_token.json", repo / ".claude" / "settings.json")
    r = cli(
        "setup",
        "claude",
        "--provider",
        "atlas",
        "--api-key",
        "sk-test-NEWKEY-999999999",
        "--scope",
        "project",
        "--yes",
    )
    assert "ANTHROPIC_AUTH_TOKEN" not in json.loads(shared.read_text())["env"]
    assert "rotate the key" in r.stderr


def test_scope_local(cli: Any, repo: Path) -> None:
    r = cli("setup", "claude", "--provider", "zai", "--api-key", KEY, "--scope", "local", "--yes")
    assert r.exit_code == 0
    assert not (repo / ".claude" / "settings.json").exists()
    assert (
        json.loads((repo / ".claude" / "settings.local.json").read_text())["env"]["ANTHROPIC_AUTH_TOKEN"]
        == KEY
    )


def test_dry_run_writes_nothing_and_masks(cli: Any, place: Place, user_settings: Path) -> None:
    place("with_permissions_hooks.json", user_settings)
    before = user_settings.read_bytes()
    r = cli(*ATLAS, "--dry-run")
    assert r.exit_code == 0 and user_settings.read_bytes() == before
    assert f"would change {user_settings}" in r.stdout
    assert '+    "ANTHROPIC_AUTH_TOKEN": "sk-…3456",' in r.stdout
    assert '-    "ANTHROPIC_MODEL": "old-model",' in r.stdout
    assert KEY_TAIL not in r.stdout + r.stderr


def test_json_output(cli: Any, user_settings: Path) -> None:
    r = cli(*ATLAS, "--json")
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 1 and doc["agent"] == "claude" and doc["provider"] == "atlas"
    assert doc["files"] == [
        {"path": str(user_settings), "changed": True, "created": True, "backup": None, "diff": None}
    ]
    assert doc["summary"]["ANTHROPIC_AUTH_TOKEN"] == "sk-…3456" and doc["findings"] == []
    assert r.stderr == "" and KEY_TAIL not in r.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--api-key", KEY), "no provider given"),
        (("--provider", "atlas"), "no API key given"),
        (("--provider", "custom", "--api-key", KEY, "--model", "m"), "needs --base-url"),
        (("--provider", "nope", "--api-key", KEY), "unknown provider"),
        (("--provider", "openai", "--api-key", KEY), "cannot be used with claude"),
        (
            ("--provider", "custom", "--base-url", "llm.example.com", "--api-key", KEY, "--model", "m"),
            "no scheme",
        ),
        (("--provider", "atlas", "--api-key-env", "NOT_SET_VAR"), "$NOT_SET_VAR is not set"),
        (("--provider", "atlas", "--api-key", KEY, "--api-key-env", "X"), "not both"),
    ],
)
def test_errors_with_yes(cli: Any, user_settings: Path, args: tuple[str, ...], needle: str) -> None:
    r = cli("setup", "claude", "--yes", *args)
    assert r.exit_code in (1, 2) and needle in r.stderr
    assert not user_settings.exists() and KEY_TAIL not in r.stdout + r.stderr


def test_missing_key_hint_names_flags_and_set_variable(cli: Any) -> None:
    r = cli("setup", "claude", "--provider", "atlas", "--yes")
    assert "--api-key-env" in r.stderr and "--api-key" in r.stderr
    r = cli("setup", "claude", "--provider", "atlas", "--yes", env={"ATLAS_API_KEY": KEY})
    assert "add --api-key-env ATLAS_API_KEY" in r.stderr and KEY_TAIL not in r.stderr


def test_api_key_env(cli: Any, user_settings: Path) -> None:
    r = cli(
        "setup",
        "claude",
        "--provider",
        "atlas",
        "--api-key-env",
        "ATLAS_API_KEY",
        "--yes",
        env={"ATLAS_API_KEY": KEY},
    )
    assert r.exit_code == 0
    assert json.loads(user_settings.read_text())["env"]["ANTHROPIC_AUTH_TOKEN"] == KEY


def test_base_url_normalised_with_notice(cli: Any, user_settings: Path) -> None:
    r = cli(
        "setup",
        "claude",
        "--base-url",
        "https://llm.example.com/v1/",
        "--api-key",
        KEY,
        "--model",
        "m",
        "--yes",
    )
    assert r.exit_code == 0, r.stderr
    assert json.loads(user_settings.read_text())["env"]["ANTHROPIC_BASE_URL"] == "https://llm.example.com"
    assert "base URL normalised to https://llm.example.com" in r.stderr


def test_insecure_http_warned_loopback_not(cli: Any) -> None:
    base = ("setup", "claude", "--provider", "custom", "--api-key", KEY, "--model", "m", "--yes")
    r = cli(*base, "--base-url", "http://llm.example.com")
    assert r.exit_code == 0 and "warning:" in r.stderr and "plain http" in r.stderr
    r = cli(*base, "--base-url", "http://127.0.0.1:8080")
    assert r.exit_code == 0 and "plain http" not in r.stderr


def test_help_warns_about_shell_history(cli: Any) -> None:
    r = cli("setup", "claude", "--help")
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    assert "shell history" in text and "--api-key-env" in text


def test_interactive_flow(cli: Any, user_settings: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("agentcost.ui.prompts.is_interactive", lambda: True)
    ids = claude_providers()
    answers = f"{ids.index('atlas') + 1}\n{KEY}\n\n\ny\n"  # provider, key, accept both models, confirm
    r = cli("setup", "claude", input=answers)
    assert r.exit_code == 0, r.stderr
    env = json.loads(user_settings.read_text())["env"]
    assert (
        env["ANTHROPIC_AUTH_TOKEN"] == KEY
        and env["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == "deepseek-ai/deepseek-v4-flash"
    )
    assert KEY_TAIL not in r.stdout + r.stderr


def test_interactive_decline_writes_nothing(
    cli: Any, user_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agentcost.ui.prompts.is_interactive", lambda: True)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key", KEY, input="\n\nn\n")
    assert r.exit_code == 1 and "Nothing written." in r.stderr and not user_settings.exists()


def test_project_scope_in_home_dir_refused(
    cli: Any, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(isolated_env)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key", KEY, "--scope", "project", "--yes")
    assert r.exit_code == 1 and "home directory" in r.stderr
    assert not (isolated_env / ".claude").exists()


def test_empty_existing_file(cli: Any, user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text("")
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    assert json.loads(user_settings.read_text())["env"]["ANTHROPIC_AUTH_TOKEN"] == KEY


def test_project_scope_back_to_anthropic_removes_the_shared_base_url(cli: Any, repo: Path) -> None:
    base = ("setup", "claude", "--api-key", KEY, "--scope", "project", "--yes")
    assert cli(*base, "--provider", "atlas").exit_code == 0
    r = cli(*base, "--provider", "anthropic")
    assert r.exit_code == 0, r.stderr
    shared = json.loads((repo / ".claude" / "settings.json").read_text())["env"]
    local = json.loads((repo / ".claude" / "settings.local.json").read_text())["env"]
    assert "ANTHROPIC_BASE_URL" not in shared and "ANTHROPIC_MODEL" not in shared
    assert local == {"ANTHROPIC_API_KEY": KEY}
    assert json.loads(cli("doctor", "claude", "--json").stdout)["errors"] is False


def test_unchanged_key_file_is_made_private(cli: Any, user_settings: Path) -> None:
    cli(*ATLAS)
    user_settings.chmod(0o644)
    r = cli(*ATLAS)
    assert "already configured" in r.stdout and "its mode was 0644, now 0600" in r.stderr
    assert mode(user_settings) == 0o600
    assert "CLAUDE_SECRET_FILE_MODE" not in r.stdout


def test_shell_api_key_is_shadowed_for_token_providers(cli: Any, user_settings: Path) -> None:
    stray = {"ANTHROPIC_API_KEY": "sk-ant-api03-STRAY-0000000000"}
    r = cli(*ATLAS, env=stray)
    assert r.exit_code == 0 and 'added "ANTHROPIC_API_KEY": ""' in r.stderr
    env = json.loads(user_settings.read_text())["env"]
    assert list(env)[:3] == ["ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_API_KEY"]
    assert env["ANTHROPIC_API_KEY"] == ""
    assert json.loads(cli("doctor", "claude", "--json", env=stray).stdout)["findings"] == []
    # Without the shell key the entry is not needed, but an existing empty one is kept (harmless).
    r = cli(*ATLAS)
    assert "already configured" in r.stdout


def test_whole_human_output(cli: Any, user_settings: Path, isolated_env: Path) -> None:
    r = cli(*ATLAS)
    assert r.stdout.replace(str(isolated_env), "~") == (
        "created ~/.claude/settings.json\n"
        "  ANTHROPIC_BASE_URL = https://api.atlascloud.ai\n"
        "  ANTHROPIC_AUTH_TOKEN = sk-…3456\n"
        "  ANTHROPIC_MODEL = deepseek-ai/deepseek-v4-pro\n"
        "  ANTHROPIC_DEFAULT_OPUS_MODEL = deepseek-ai/deepseek-v4-pro\n"
        "  ANTHROPIC_DEFAULT_SONNET_MODEL = deepseek-ai/deepseek-v4-pro\n"
        "  CLAUDE_CODE_SUBAGENT_MODEL = deepseek-ai/deepseek-v4-pro\n"
        "  ANTHROPIC_DEFAULT_HAIKU_MODEL = deepseek-ai/deepseek-v4-flash\n"
        "  ANTHROPIC_SMALL_FAST_MODEL = deepseek-ai/deepseek-v4-flash\n"
        "  CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS = 1\n"
        "  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = 1\n"
        "No problems found.\n"
    )
    assert r.stderr.replace(str(isolated_env), "~") == (
        "note: the key is stored in ~/.claude/settings.json (your user settings, mode 0600)\n"
    )


def test_dangling_symlink_target_is_created(cli: Any, tmp_path: Path, user_settings: Path) -> None:
    target = tmp_path / "dotfiles" / "claude.json"
    target.parent.mkdir()
    user_settings.parent.mkdir(parents=True)
    user_settings.symlink_to(target)
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    assert user_settings.is_symlink() and json.loads(target.read_text())["env"]["ANTHROPIC_AUTH_TOKEN"] == KEY
    assert mode(target) == 0o600


def test_env_null_is_replaced(cli: Any, user_settings: Path) -> None:
    user_settings.parent.mkdir(parents=True)
    user_settings.write_text('{\n  "env": null,\n  "theme": "dark"\n}\n')
    r = cli(*ATLAS)
    assert r.exit_code == 0, r.stderr
    data = json.loads(user_settings.read_text())
    assert list(data) == ["env", "theme"] and data["env"]["ANTHROPIC_AUTH_TOKEN"] == KEY


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    path.chmod(0o600)


def _out(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


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
