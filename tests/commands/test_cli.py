"""The CLI as a whole: version, help, exit codes, usage errors, error rendering (cli.py, clikit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentcost import __version__


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


def test_did_you_mean_once(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("prces")
    assert r.exit_code == 2
    assert r.stderr.count("Did you mean") == 1
