"""`agentcost setup codex`: merge, idempotence, auth modes, safety, key never leaked."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from agentcost.agents.choice import usable_by
from agentcost.agents.codex.config import auth_secret_values, redact_auth_text
from agentcost.providers import load_providers
from tests.agents.codex.conftest import FAKE_KEY, FIXTURES, codes, doctor_json


def _config(home: Path, name: str = "config.toml") -> dict[str, Any]:
    return tomlkit.parse((home / name).read_text(encoding="utf-8")).unwrap()


def _all_output(result: Any) -> str:
    return str(result.stdout) + str(result.stderr)


CODEX_PROVIDERS = [p.id for p in load_providers({}).values() if usable_by(p, "codex")]
CASES = [
    (pid, auth) for pid in CODEX_PROVIDERS for auth in ("env", "file") if (pid, auth) != ("openai", "env")
]


@pytest.mark.parametrize(("pid", "auth"), CASES)
def test_every_provider_setup_then_doctor_has_no_error(
    cli: Any, codex_home: Path, monkeypatch: pytest.MonkeyPatch, pid: str, auth: str
) -> None:
    provider = load_providers({})[pid]
    monkeypatch.setenv("MY_TEST_KEY", FAKE_KEY)
    monkeypatch.setenv(provider.key_env, FAKE_KEY)
    args = ["setup", "codex", "--provider", pid, "--api-key-env", "MY_TEST_KEY", "--model", "m-1", "--yes"]
    if pid == "custom":
        args += ["--base-url", "https://llm.example.com"]
    if pid != "openai":
        args += ["--auth", auth]
    result = cli(*args)
    assert result.exit_code == 0, _all_output(result)
    cfg = _config(codex_home)
    assert cfg["model_provider"] == pid
    assert cfg["model"] == "m-1"
    if pid == "openai":
        assert "model_providers" not in cfg  # built-in: no table
    else:
        table = cfg["model_providers"][pid]
        assert table["wire_api"] == "responses"
        assert table["base_url"] == (
            provider.codex_base_url if pid != "custom" else "https://llm.example.com/v1"
        )
        assert table["name"]
        if auth == "env":
            assert table["env_key"] == "MY_TEST_KEY" and "requires_openai_auth" not in table
            assert not (codex_home / "auth.json").exists()
        else:
            assert table["requires_openai_auth"] is True and "env_key" not in table
    data = doctor_json(cli)
    assert not data["errors"], data["findings"]
    allowed = {"CODEX_RESPONSES_UNKNOWN"} if provider.responses_api != "yes" else set()
    assert codes(data) <= allowed
    assert FAKE_KEY not in _all_output(result)


def test_auth_file_writes_0600_auth_json(cli: Any, codex_home: Path) -> None:
    result = cli(
        "setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file", "--yes"
    )
    assert result.exit_code == 0, _all_output(result)
    auth = codex_home / "auth.json"
    assert json.loads(auth.read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}
    assert stat.S_IMODE(auth.stat().st_mode) == 0o600
    assert FAKE_KEY not in (codex_home / "config.toml").read_text()
    assert FAKE_KEY not in _all_output(result)


def test_auth_env_refuses_api_key_it_would_drop(cli: Any, codex_home: Path) -> None:
    """--api-key with --auth env (the default) would be stored nowhere: refused, with both ways out."""
    for extra in ((), ("--auth", "env")):
        result = cli("setup", "codex", "--provider", "deepseek", "--api-key", FAKE_KEY, "--yes", *extra)
        assert result.exit_code == 2, _all_output(result)
        out = _all_output(result)
        assert FAKE_KEY not in out
        assert "--api-key cannot be used with --auth env" in out
        assert "--auth file" in out and "export DEEPSEEK_API_KEY=<your key>" in out
        assert not codex_home.exists() or not list(codex_home.iterdir())


def test_auth_env_export_line_is_copyable(cli: Any, codex_home: Path) -> None:
    """The export line carries a placeholder (never a masked key) and no "note:" prefix."""
    result = cli("setup", "codex", "--provider", "deepseek", "--api-key-env", "DS_KEY", "--yes")
    assert result.exit_code == 0, _all_output(result)  # $DS_KEY unset: expected right after setup
    lines = result.stderr.splitlines()
    assert 'export DS_KEY="<your key>"' in lines
    assert not any("…" in line and "export" in line for line in lines)
    assert "$DS_KEY is NOT set in this shell" in result.stderr
    assert "expected right after set-up (exit status 0): $DS_KEY is not exported" in result.stderr
    assert json.loads(
        cli("setup", "codex", "--provider", "deepseek", "--api-key-env", "DS_KEY", "--json").stdout
    )["shell_lines"] == ['export DS_KEY="<your key>"']


def test_auth_env_says_when_variable_is_set(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_API_KEY", FAKE_KEY)
    result = cli("setup", "codex", "--provider", "atlas", "--yes")
    assert result.exit_code == 0
    assert "$ATLAS_API_KEY is set in this shell" in result.stderr
    # The Responses-API doubt is said once: as the CODEX_RESPONSES_UNKNOWN finding, not also as a warning.
    out = _all_output(result)
    assert out.count("not known to serve the OpenAI Responses API") == 1
    assert "warning[CODEX_RESPONSES_UNKNOWN]" in result.stdout


def test_comments_crlf_and_unrelated_tables_survive(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("crlf_comments")
    original = (home / "config.toml").read_bytes()
    result = cli("setup", "codex", "--provider", "deepseek", "--model", "deepseek-v4-pro", "--yes")
    assert result.exit_code == 0, _all_output(result)
    new = (home / "config.toml").read_bytes()
    assert b"\n" not in new.replace(b"\r\n", b"")  # every line ends in CRLF
    text = new.decode()
    for line in original.decode().split("\r\n"):
        assert line in text  # every original line (comments included) is still there
    cfg = _config(home)
    assert cfg["approval_policy"] == "on-request"  # still top-level
    assert cfg["model_provider"] == "deepseek"  # top-level, not swallowed by [tui]
    assert cfg["model"] == "deepseek-v4-pro"
    assert cfg["tui"] == {"notifications": True}
    assert cfg["mcp_servers"]["docs"]["args"] == ["-y", "docs-mcp"]
    # new top-level keys sit before the first table header
    assert text.index("model_provider =") < text.index("[mcp_servers.docs]")
    backups = list(home.glob("config.toml.agentcost-backup-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == original


def test_second_run_writes_nothing(cli: Any, codex_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_API_KEY", FAKE_KEY)
    args = ("setup", "codex", "--provider", "atlas", "--api-key", FAKE_KEY, "--auth", "file", "--yes")
    assert cli(*args).exit_code == 0
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in codex_home.iterdir()}
    second = cli(*args, "--json")
    data = json.loads(second.stdout)
    assert data["changed"] is False
    assert all(not f["changed"] for f in data["files"])
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in codex_home.iterdir()}
    assert after == before  # no new backups, no rewrite
    assert "already configured" in cli(*args).stdout


def test_malformed_toml_refused_untouched(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("invalid_toml")
    before = (home / "config.toml").read_bytes()
    result = cli("setup", "codex", "--provider", "atlas", "--yes")
    assert result.exit_code == 1
    assert f"{home / 'config.toml'}:4:" in result.stderr
    assert (home / "config.toml").read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == ["config.toml"]


def test_malformed_auth_json_refused(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("auth_malformed")
    before = {p.name: p.read_bytes() for p in home.iterdir()}
    result = cli(
        "setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file", "--yes"
    )
    assert result.exit_code == 1 and "auth.json:4:" in result.stderr
    assert {p.name: p.read_bytes() for p in home.iterdir()} == before


def test_os_replace_failure_leaves_original(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = install("crlf_comments")
    before = (home / "config.toml").read_bytes()

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = cli("setup", "codex", "--provider", "atlas", "--yes")
    assert result.exit_code == 1
    assert "original is unchanged" in result.stderr
    assert (home / "config.toml").read_bytes() == before
    assert not [p for p in home.iterdir() if p.name.endswith(".agentcost-tmp")]


def test_chatgpt_login_not_replaced_without_yes(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("chatgpt_tokens")
    (home / "config.toml").unlink()
    before = (home / "auth.json").read_bytes()
    result = cli("setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file")
    assert result.exit_code == 1
    assert "ChatGPT login" in result.stderr and "--yes" in result.stderr
    assert (home / "auth.json").read_bytes() == before
    assert not (home / "config.toml").exists()  # nothing written at all

    ok = cli("setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file", "--yes")
    assert ok.exit_code == 0, _all_output(ok)
    assert json.loads((home / "auth.json").read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}
    (backup,) = home.glob("auth.json.agentcost-backup-*")
    assert backup.read_bytes() == before
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_chatgpt_login_kept_with_auth_env(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("chatgpt_tokens")
    before = (home / "auth.json").read_bytes()
    result = cli("setup", "codex", "--provider", "openrouter", "--auth", "env", "--yes")
    assert result.exit_code == 0, _all_output(result)
    assert (home / "auth.json").read_bytes() == before
    table = _config(home)["model_providers"]["openrouter"]
    assert "requires_openai_auth" not in table and table["env_key"] == "OPENROUTER_API_KEY"


def test_profile_writes_name_config_toml(cli: Any, codex_home: Path) -> None:
    result = cli(
        "setup", "codex", "--provider", "zai", "--profile", "glm", "--api-key-env", "ZAI_KEY", "--yes"
    )
    assert result.exit_code == 0, _all_output(result)
    assert not (codex_home / "config.toml").exists()
    cfg = _config(codex_home, "glm.config.toml")
    assert "profiles" not in cfg
    assert cfg["model_provider"] == "zai"
    assert cfg["model_providers"]["zai"]["base_url"] == "https://api.z.ai/api/paas/v4"
    assert cfg["model_providers"]["zai"]["env_key"] == "ZAI_KEY"


@pytest.mark.parametrize("name", ["../evil", "a/b", "x.y", ""])
def test_profile_name_validated(cli: Any, codex_home: Path, name: str) -> None:
    result = cli("setup", "codex", "--provider", "atlas", "--profile", name, "--yes")
    assert result.exit_code == 1
    assert "profile" in result.stderr
    assert not codex_home.exists() or not list(codex_home.iterdir())


def test_dry_run_masked_diff_writes_nothing(cli: Any, codex_home: Path) -> None:
    result = cli(
        "setup", "codex", "--provider", "atlas", "--api-key", FAKE_KEY, "--auth", "file", "--dry-run", "--yes"
    )
    assert result.exit_code == 0, _all_output(result)
    assert not codex_home.exists() or not list(codex_home.iterdir())
    assert '+model_provider = "atlas"' in result.stdout
    assert '"OPENAI_API_KEY": "sk-…fXYZ"' in result.stdout
    assert '"auth_mode": "apikey"' in result.stdout  # only secrets are masked
    assert FAKE_KEY not in _all_output(result)
    js = cli(
        "setup",
        "codex",
        "--provider",
        "atlas",
        "--api-key",
        FAKE_KEY,
        "--auth",
        "file",
        "--dry-run",
        "--json",
    )
    assert FAKE_KEY not in _all_output(js)
    data = json.loads(js.stdout)
    assert data["dry_run"] and all(f["diff"] for f in data["files"])


def test_base_url_normalised_with_notice(cli: Any, codex_home: Path) -> None:
    result = cli(
        "setup", "codex", "--provider", "custom", "--base-url", "https://llm.example.com/v1/chat/completions",
        "--model", "m", "--api-key-env", "K", "--yes",
    )  # fmt: skip
    assert result.exit_code == 0, _all_output(result)
    assert "'/chat/completions'" in result.stderr
    assert _config(codex_home)["model_providers"]["custom"]["base_url"] == "https://llm.example.com/v1"


def test_no_scheme_refused(cli: Any, codex_home: Path) -> None:
    result = cli(
        "setup", "codex", "--provider", "custom", "--base-url", "llm.example.com/v1", "--model", "m", "--yes"
    )
    assert result.exit_code == 1 and "no scheme" in result.stderr
    assert not (codex_home / "config.toml").exists()


def test_http_non_loopback_warns_loopback_does_not(cli: Any) -> None:
    far = cli(
        "setup",
        "codex",
        "--provider",
        "custom",
        "--base-url",
        "http://10.1.2.3:8000",
        "--model",
        "m",
        "--yes",
    )
    assert far.exit_code == 0 and "plain http" in far.stderr
    near = cli(
        "setup", "codex", "--provider", "custom", "--base-url", "http://127.0.0.1:9999/v1", "--model", "m",
        "--api-key", FAKE_KEY, "--auth", "file", "--yes",
    )  # fmt: skip
    assert near.exit_code == 0 and "plain http" not in near.stderr


def test_anthropic_refused(cli: Any) -> None:
    result = cli("setup", "codex", "--provider", "anthropic", "--yes")
    assert result.exit_code == 1 and "cannot be used with codex" in result.stderr.lower()


def test_reserved_user_provider_id_refused(cli: Any, isolated_env: Path, codex_home: Path) -> None:
    cfg_dir = isolated_env / ".config" / "agentcost"
    cfg_dir.mkdir(parents=True)
    (cfg_dir / "providers.toml").write_text(
        '[providers.ollama]\nname = "Local"\ncodex_base_url = "http://127.0.0.1:11434/v1"\n'
        'main_model = "q"\n',
        encoding="utf-8",
    )
    result = cli("setup", "codex", "--provider", "ollama", "--yes")
    assert result.exit_code == 1 and "built-in provider ids" in result.stderr
    assert not (codex_home / "config.toml").exists()


def test_openai_builtin_has_no_table_and_keeps_existing_tables(
    cli: Any, install: Callable[[str], Path]
) -> None:
    home = install("good_env")
    result = cli("setup", "codex", "--provider", "openai", "--model", "gpt-5", "--yes")
    assert result.exit_code == 0, _all_output(result)
    cfg = _config(home)
    assert cfg["model_provider"] == "openai" and cfg["model"] == "gpt-5"
    assert "openai" not in cfg["model_providers"] and "atlas" in cfg["model_providers"]


def test_missing_key_with_yes_is_clear_error(cli: Any) -> None:
    result = cli("setup", "codex", "--provider", "atlas", "--auth", "file", "--yes")
    assert result.exit_code == 1 and "no API key given" in result.stderr


def test_missing_model_with_yes_is_clear_error(cli: Any) -> None:
    result = cli("setup", "codex", "--provider", "moonshot", "--yes")
    assert result.exit_code == 1 and "--model" in result.stderr


def test_setup_shows_findings_of_written_config(cli: Any, install: Callable[[str], Path]) -> None:
    """setup fixes its own table but reports problems elsewhere (here: a legacy profile selector)."""
    home = install("legacy_profile_key")
    result = cli("setup", "codex", "--provider", "openrouter", "--api-key-env", "OR", "--yes", "--json")
    data = json.loads(result.stdout)
    assert "CODEX_LEGACY_PROFILES" in {f["code"] for f in data["findings"]}
    assert _config(home)["profile"] == "deep"  # not ours to delete


def test_seed_004_config_repaired(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_API_KEY", FAKE_KEY)
    home = install("seed004")
    os.chmod(home / "auth.json", 0o600)
    assert "CODEX_WIRE_API_CHAT" in codes(doctor_json(cli))
    result = cli("setup", "codex", "--provider", "atlas", "--yes")
    assert result.exit_code == 0
    cfg = _config(home)
    assert cfg["model_provider"] == "atlas"
    # Codex refuses to start while any table says wire_api = "chat": setup repairs it, visibly
    assert cfg["model_providers"]["atlas_coding_plan"]["wire_api"] == "responses"
    assert 'wire_api "chat" -> "responses"' in result.stderr
    data = doctor_json(cli)
    assert not data["errors"], data["findings"]
    seed_table = (FIXTURES / "seed004" / "config.toml").read_text().split("\n\n", 1)[1]
    assert seed_table.replace('"chat"', '"responses"') in (home / "config.toml").read_text()


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> None:
    from agentcost.ui import prompts

    monkeypatch.setattr(prompts, "is_interactive", lambda: True)


@pytest.mark.usefixtures("tty")
def test_interactive_choose_provider_default_model_confirm(cli: Any, codex_home: Path) -> None:
    result = cli("setup", "codex", input="atlas\n\ny\n")
    assert result.exit_code == 0, _all_output(result)
    assert "Write these changes?" in result.stderr
    cfg = _config(codex_home)
    assert cfg["model_provider"] == "atlas" and cfg["model"] == "deepseek-ai/deepseek-v4-pro"


@pytest.mark.usefixtures("tty")
def test_interactive_decline_writes_nothing(cli: Any, codex_home: Path) -> None:
    result = cli("setup", "codex", "--provider", "atlas", input="\nn\n")
    assert result.exit_code == 1 and "Nothing written" in result.stderr
    assert not (codex_home / "config.toml").exists()


@pytest.mark.usefixtures("tty")
def test_interactive_key_prompt_is_hidden_and_masked(cli: Any, codex_home: Path) -> None:
    result = cli("setup", "codex", "--provider", "openrouter", "--auth", "file", input=f"{FAKE_KEY}\n\ny\n")
    assert result.exit_code == 0, _all_output(result)
    assert FAKE_KEY not in _all_output(result)
    assert json.loads((codex_home / "auth.json").read_text())["OPENAI_API_KEY"] == FAKE_KEY


@pytest.mark.usefixtures("tty")
def test_interactive_chatgpt_login_declined(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("chatgpt_tokens")
    before = {p.name: p.read_bytes() for p in home.iterdir()}
    result = cli(
        "setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file", "--model", "m",
        input="y\nn\n",
    )  # fmt: skip
    assert result.exit_code == 1, _all_output(result)
    assert "ChatGPT token" in result.stderr and "Replace it?" in result.stderr
    assert {p.name: p.read_bytes() for p in home.iterdir()} == before


def test_symlinked_config_is_written_through(cli: Any, codex_home: Path, isolated_env: Path) -> None:
    dotfiles = isolated_env / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "codex.toml").write_text('approval_policy = "never"\n', encoding="utf-8")
    codex_home.mkdir()
    (codex_home / "config.toml").symlink_to(dotfiles / "codex.toml")
    assert cli("setup", "codex", "--provider", "atlas", "--yes").exit_code == 0
    assert (codex_home / "config.toml").is_symlink()
    assert 'model_provider = "atlas"' in (dotfiles / "codex.toml").read_text()


def test_fake_key_never_leaks(
    cli: Any, codex_home: Path, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every command path with a known fake key: never in any output; on disk only in auth.json (+backup)."""
    outputs: list[str] = []
    runs = [
        ("setup", "codex", "--provider", "deepseek", "--api-key", FAKE_KEY, "--auth", "env", "--yes"),
        (
            "setup",
            "codex",
            "--provider",
            "deepseek",
            "--api-key",
            FAKE_KEY,
            "--auth",
            "env",
            "--yes",
            "--json",
        ),
        ("setup", "codex", "--provider", "atlas", "--api-key", FAKE_KEY, "--auth", "file", "--dry-run"),
        ("setup", "codex", "--provider", "atlas", "--api-key", FAKE_KEY, "--auth", "file", "--yes"),
        ("setup", "codex", "--provider", "atlas", "--api-key", FAKE_KEY + "2", "--auth", "file", "--yes"),
        ("setup", "codex", "--provider", "zai", "--api-key", FAKE_KEY, "--profile", "z", "--yes", "--json"),
        ("setup", "codex", "--provider", "custom", "--base-url", FAKE_KEY, "--api-key", FAKE_KEY, "--yes"),
        ("setup", "codex", "--provider", "atlas", "--api-key-env", FAKE_KEY, "--yes"),
        ("doctor", "codex"),
        ("doctor", "codex", "--json"),
    ]
    for args in runs:
        result = cli(*args)
        outputs.append(_all_output(result))
    monkeypatch.setenv("DEEPSEEK_API_KEY", FAKE_KEY)
    outputs.append(_all_output(cli("doctor", "codex", "--json")))
    for out in outputs:
        assert FAKE_KEY not in out
    for f in isolated_env.rglob("*"):
        if f.is_file() and not f.name.startswith("auth.json"):
            assert FAKE_KEY not in f.read_text(encoding="utf-8", errors="replace"), f
    assert FAKE_KEY + "2" in (codex_home / "auth.json").read_text()


def test_setup_names_nameless_tables(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("provider_no_name")
    result = cli("setup", "codex", "--provider", "atlas", "--yes")
    assert result.exit_code == 0
    assert _config(home)["model_providers"]["openrouter"]["name"] == "openrouter"
    assert 'name = "openrouter" added' in result.stderr
    assert "CODEX_PROVIDER_NO_NAME" not in codes(doctor_json(cli))


def test_openai_builtin_with_chatgpt_login_explains_billing(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("chatgpt_tokens")
    (home / "config.toml").unlink()
    result = cli("setup", "codex", "--provider", "openai", "--api-key", FAKE_KEY)
    assert result.exit_code == 1
    assert "billed per API token" in result.stderr and "third-party" not in result.stderr
    ok = cli("setup", "codex", "--provider", "openai", "--api-key", FAKE_KEY, "--yes")
    assert ok.exit_code == 0
    cfg = _config(home)
    assert cfg == {"model_provider": "openai"}
    assert json.loads((home / "auth.json").read_text())["OPENAI_API_KEY"] == FAKE_KEY


def test_openai_builtin_refuses_env_auth_and_base_url(cli: Any) -> None:
    env = cli("setup", "codex", "--provider", "openai", "--auth", "env", "--api-key-env", "X", "--yes")
    assert env.exit_code == 1 and "reads its key from auth.json" in env.stderr
    url = cli("setup", "codex", "--provider", "openai", "--base-url", "https://proxy.example.com/v1", "--yes")
    assert url.exit_code == 1 and "--provider custom" in url.stderr


def test_auth_file_rewrites_unparseable_tokens_with_notice(cli: Any, install: Callable[[str], Path]) -> None:
    """apikey + key + tokens Codex cannot parse sends NO key: setup writes a clean file (same key)."""
    home = install("auth_tokens_unparseable")
    before = (home / "auth.json").read_bytes()
    key = "sk-or-v1-abcdef0123456789"  # the key already in the file
    result = cli("setup", "codex", "--provider", "atlas", "--api-key", key, "--auth", "file")
    assert result.exit_code == 0, _all_output(result)  # no --yes needed: nothing usable is lost
    assert json.loads((home / "auth.json").read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": key}
    (backup,) = home.glob("auth.json.agentcost-backup-*")
    assert backup.read_bytes() == before
    assert "could not be loaded by Codex" in _all_output(result) and "id_token" in _all_output(result)
    assert key not in _all_output(result)
    assert "CODEX_AUTH_JSON_TOKENS_UNPARSEABLE" not in codes(doctor_json(cli))


def test_auth_file_replaces_malformed_chatgpt_login_without_asking(
    cli: Any, install: Callable[[str], Path]
) -> None:
    home = install("chatgpt_tokens")
    auth = json.loads((home / "auth.json").read_text())
    del auth["tokens"]["refresh_token"]  # Codex cannot load this login: it is no login at all
    (home / "auth.json").write_text(json.dumps(auth))
    result = cli("setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file")
    assert result.exit_code == 0, _all_output(result)
    assert json.loads((home / "auth.json").read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}
    assert "refresh_token" in _all_output(result)


def test_stale_well_formed_tokens_dropped_with_notice(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("chatgpt_tokens")
    auth = json.loads((home / "auth.json").read_text())
    auth.update(auth_mode="apikey", OPENAI_API_KEY=FAKE_KEY)  # API-key mode, login left over
    (home / "auth.json").write_text(json.dumps(auth))
    result = cli("setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file")
    assert result.exit_code == 0, _all_output(result)
    assert json.loads((home / "auth.json").read_text()) == {"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}
    assert "leftover ChatGPT login" in _all_output(result)


def test_setup_removes_bearer_token_of_configured_table(cli: Any, install: Callable[[str], Path]) -> None:
    """Observed: experimental_bearer_token wins over auth.json, so --auth file must remove it."""
    home = install("bearer_token")
    result = cli(
        "setup", "codex", "--provider", "openrouter", "--api-key", FAKE_KEY, "--auth", "file", "--yes"
    )
    assert result.exit_code == 0, _all_output(result)
    table = _config(home)["model_providers"]["openrouter"]
    assert "experimental_bearer_token" not in table and table["requires_openai_auth"] is True
    assert "removed experimental_bearer_token" in _all_output(result)
    assert "sk-or-v1-bearer0123456789abcdefBEEF" not in _all_output(result)
    assert "CODEX_BEARER_TOKEN_IN_CONFIG" not in codes(doctor_json(cli))


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
