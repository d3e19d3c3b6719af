from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import pytest

from agentcost import __version__
from agentcost.errors import ConfigError
from agentcost.fileio import read_json_object, read_toml, write_atomic
from agentcost.secrets import looks_like_key, mask, register, scrub


def test_version(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("--version")
    assert r.exit_code == 0
    assert r.stdout.strip() == f"agentcost {__version__}"


def test_help_short_flag(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("-h")
    assert r.exit_code == 0
    assert "doctor" in r.stdout and "setup" in r.stdout


def test_unknown_command_is_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("no-such-command")
    assert r.exit_code == 2


def test_main_returns_exit_codes() -> None:
    from agentcost.cli import main

    assert main(["--version"]) == 0
    assert main(["no-such-command"]) == 2


def test_mask() -> None:
    assert mask("sk-abcdefghijklmnop1234") == "sk-…1234"
    assert mask("") == ""
    assert "abcdefgh" not in mask("abcdefghijkl")


def test_scrub_registered_and_patterns() -> None:
    register("my-very-secret-token-value-9876")
    out = scrub("key=my-very-secret-token-value-9876 other=sk-ant-api03-ZZZZZZZZZZZZ1111")
    assert "my-very-secret-token-value" not in out
    assert "ZZZZZZZZZZZZ" not in out
    assert out.endswith("…1111")


def test_looks_like_key() -> None:
    assert looks_like_key("sk-abcdefghijklmnopqrstuv")
    assert not looks_like_key("ATLAS_API_KEY")


def test_read_json_error_has_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text('{\n  "a": 1,\n}\n')
    with pytest.raises(ConfigError) as e:
        read_json_object(p)
    assert e.value.line == 3 and e.value.column == 1
    assert f"{p}:3:1" in str(e.value)


def test_read_toml_error_has_line(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text("a = 1\nb = = 2\n")
    with pytest.raises(ConfigError) as e:
        read_toml(p)
    # the second "=" is the 5th character of line 2: columns count from 1, as for JSON
    assert (e.value.line, e.value.column) == (2, 5)


def test_write_atomic_creates_backup_keeps_mode(tmp_path: Path) -> None:
    p = tmp_path / "f.json"
    p.write_text("old\n")
    os.chmod(p, 0o640)
    r = write_atomic(p, "new\n")
    assert r.changed and r.backup is not None
    assert p.read_text() == "new\n"
    assert r.backup.read_text() == "old\n"
    assert (os.stat(p).st_mode & 0o777) == 0o640


def test_write_atomic_secret_is_0600(tmp_path: Path) -> None:
    p = tmp_path / "auth.json"
    write_atomic(p, "{}\n", secret=True)
    assert (os.stat(p).st_mode & 0o777) == 0o600
    os.chmod(p, 0o644)
    write_atomic(p, '{"a": 1}\n', secret=True)
    assert (os.stat(p).st_mode & 0o777) == 0o600


def test_write_atomic_no_change_no_write(tmp_path: Path) -> None:
    d = tmp_path / "w"
    d.mkdir()
    p = d / "f"
    p.write_text("same")
    r = write_atomic(p, "same")
    assert not r.changed
    assert list(d.iterdir()) == [p]


def test_write_atomic_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("a")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "b", backup=False)
    assert link.is_symlink()
    assert real.read_text() == "b"


@pytest.mark.parametrize("target", ["os.replace", "os.fsync"])
def test_write_atomic_failure_leaves_original(tmp_path: Path, target: str) -> None:
    d = tmp_path / "w"
    d.mkdir()
    p = d / "f.json"
    p.write_text("original")
    with mock.patch(target, side_effect=OSError(28, "No space left on device")), pytest.raises(ConfigError):
        write_atomic(p, "new", backup=False)
    assert p.read_text() == "original"
    assert [x.name for x in d.iterdir()] == ["f.json"]


def test_write_atomic_read_only(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write read-only files")
    p = tmp_path / "f"
    p.write_text("x")
    os.chmod(p, 0o444)
    with pytest.raises(ConfigError):
        write_atomic(p, "y")


def test_write_atomic_dry_run_masks_diff(tmp_path: Path) -> None:
    p = tmp_path / "f.json"
    key = "sk-dryrun-abcdefghijklmnop-4321"
    r = write_atomic(p, json.dumps({"k": key}), dry_run=True)
    assert r.changed and not p.exists()
    assert key not in r.diff and "…4321" in r.diff


def test_providers_json(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("providers", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    ids = {p["id"] for p in doc["providers"]}
    assert {
        "atlas",
        "deepseek",
        "openrouter",
        "moonshot",
        "zai",
        "minimax",
        "dashscope",
        "anthropic",
        "openai",
        "custom",
    } <= ids
    for p in doc["providers"]:
        assert p["source"] and p["as_of"]
        assert not p["claude_base_url"].rstrip("/").endswith("/v1")


def test_user_provider_override(cli, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text(
        '[providers.atlas]\nmain_model = "zai-org/glm-5.1"\n\n[providers.mylab]\nname = "Lab"\n'
        'claude_base_url = "https://llm.example.com"\n'
    )
    doc = json.loads(cli("providers", "--json").stdout)
    by_id = {p["id"]: p for p in doc["providers"]}
    assert by_id["atlas"]["main_model"] == "zai-org/glm-5.1"
    assert by_id["atlas"]["origin"] == "user-override"
    assert by_id["mylab"]["origin"] == "user"


def test_malformed_user_providers_is_clean_error(cli, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text("[providers.x\n")
    r = cli("providers")
    assert r.exit_code == 1
    assert "providers.toml:1" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["setup", "claude", "sk-leaky-usage-error-abcdef123456"],
        ["setup", "claude", "--scope", "sk-leaky-usage-error-abcdef123456"],
        ["--bogus", "sk-leaky-usage-error-abcdef123456"],
        ["doctor", "sk-leaky-usage-error-abcdef123456"],
    ],
)
def test_usage_errors_never_echo_a_key(cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli(*args)
    assert r.exit_code == 2
    assert "leaky-usage-error" not in r.stdout + r.stderr


def test_main_usage_error_masks_key(capsys: pytest.CaptureFixture[str]) -> None:
    from agentcost.cli import main

    assert main(["doctor", "sk-leaky-usage-error-abcdef123456"]) == 2
    captured = capsys.readouterr()
    assert "leaky-usage-error" not in captured.out + captured.err


def test_error_messages_are_not_markup(cli) -> None:  # type: ignore[no-untyped-def]
    # "[/path]" in a message once crashed rich's markup parser
    r = cli("prices", "[/b]")
    assert r.exit_code == 1
    assert "[/b]" in r.stderr
    assert "Traceback" not in r.stderr


def test_internal_error_handler_survives_markup(cli, monkeypatch, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    from agentcost.providers import catalog

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("bad [/x] thing sk-internal-secret-abcdef123456")

    monkeypatch.setattr(catalog, "load_providers", boom)
    from agentcost.commands import providers as providers_cmd

    monkeypatch.setattr(providers_cmd, "load_providers", boom)
    r = cli("providers")
    assert r.exit_code == 3
    assert "bad [/x] thing" in r.stderr
    assert "internal-secret" not in r.stderr
    crash = list((isolated_env / ".cache" / "agentcost").glob("crash-*.txt"))
    assert len(crash) == 1
    text = crash[0].read_text()
    assert text.startswith("agentcost ")
    assert "internal-secret" not in text


def test_backup_inside_git_work_tree_goes_to_cache(tmp_path: Path, isolated_env: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".claude").mkdir()
    p = repo / ".claude" / "settings.local.json"
    p.write_text('{"k": "old"}')
    r = write_atomic(p, '{"k": "new"}', secret=True)
    assert r.backup is not None
    assert not list((repo / ".claude").glob("*agentcost-backup*"))
    assert (isolated_env / ".cache" / "agentcost" / "backups") in r.backup.parents
    assert r.backup.read_text() == '{"k": "old"}'
    assert (os.stat(r.backup).st_mode & 0o777) == 0o600


def test_backups_are_pruned(tmp_path: Path) -> None:
    from agentcost import fileio

    d = tmp_path / "w"
    d.mkdir()
    p = d / "f.json"
    p.write_text("0")
    for i in range(fileio.KEEP_BACKUPS + 3):
        write_atomic(p, str(i + 1))
    assert len(list(d.glob("f.json.agentcost-backup-*"))) == fileio.KEEP_BACKUPS


def test_parent_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ConfigError, match="parent of this path is a file"):
        read_json_object(f / "settings.json")


def test_scrub_masks_jwts_and_secret_fields() -> None:
    from agentcost.secrets import mask_secret_fields

    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcDEF-123"
    assert "eyJzdWIi" not in scrub(f'"id_token": "{jwt}"')
    masked = mask_secret_fields('{"refresh_token": "rt-secret-value-xyz", "env_key": "ATLAS_API_KEY"}')
    assert "secret-value" not in masked
    assert '"env_key": "ATLAS_API_KEY"' in masked


def test_diff_masks_unregistered_tokens(tmp_path: Path) -> None:
    p = tmp_path / "auth.json"
    old = '{"tokens": {"access_token": "opaque-access-token-value-123456"}}\n'
    p.write_text(old)
    r = write_atomic(p, '{"auth_mode": "apikey"}\n', dry_run=True)
    assert "opaque-access-token-value" not in r.diff


def test_did_you_mean_once(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("prces")
    assert r.exit_code == 2
    assert r.stderr.count("Did you mean") == 1


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ('[providers.y]\nname = "Y"\nresponses_api = "maybe"\n', 3, "responses_api must be"),
        ('[providers.y]\nname = "Y"\nbogus_field = 1\n', 3, "unknown field(s) bogus_field"),
        ('[providers.y]\nclaude_base_url = "ftp//x"\n', 2, "http(s) URL with a host"),
        ('[providers.y]\nclaude_base_url = "https://evil.example.com/v1"\n', 2, "must not end in /v1"),
        ('[providers.y]\ncodex_base_url = "https://x.example.com/v1/responses"\n', 2, "not an endpoint"),
    ],
)
def test_user_provider_validation_names_line(
    cli, isolated_env: Path, body: str, line: int, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text(body)
    r = cli("providers")
    assert r.exit_code == 1
    assert f"providers.toml:{line}:1: provider 'y': " in r.stderr
    assert fragment in r.stderr


def test_providers_help_shows_the_schema_header(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("providers", "--help")
    assert "[providers.mylab]" in r.stdout
