"""Hostile input is a clean exit 1 saying where, never an internal error (exit 3) (issue #11 item 5)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "billing"
SETUP = ("setup", "claude", "--provider", "custom", "--base-url", "https://x.example.com")
SETUP += (
    "--api-key",
    "sk-ant-TESTKEY-0123456789abcdef",
    "--model",
    "m",
    "--fast-model",
    "f",
    "--scope",
    "user",
)


def _settings() -> Path:
    d = Path(os.environ["CLAUDE_CONFIG_DIR"])
    d.mkdir(parents=True, exist_ok=True)
    return d / "settings.json"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"x": ' + "1" * 5000 + "}", "settings.json:1:7: invalid JSON: a number with thousands of digits"),
        (
            '{\n  "model": "\\ud800"\n}',
            "settings.json:2:13: invalid JSON: \\ud800 is half of a surrogate pair",
        ),
        ('{"model": "\\udc00x"}', "settings.json:1:12:"),
    ],
)
@pytest.mark.parametrize("command", ["doctor", "setup"])
def test_hostile_settings_exit_1_with_where_and_no_backup(
    cli: Callable[..., Any], isolated_env: Path, text: str, where: str, command: str
) -> None:
    f = _settings()
    f.write_text(text)
    r = cli(*SETUP, "--yes") if command == "setup" else cli("doctor", "claude")
    assert r.exit_code == 1, r.stdout + r.stderr
    assert where in " ".join((r.stdout + r.stderr).split())  # rich may wrap a long path
    assert sorted(p.name for p in f.parent.iterdir()) == ["settings.json"]  # no backup, nothing written
    assert f.read_text() == text


def test_symlink_loops_exit_1(
    cli: Callable[..., Any], isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = _settings()
    os.symlink(f.parent / "x", f)
    os.symlink(f, f.parent / "x")
    proj = tmp_path / "proj"
    (proj / ".claude").mkdir(parents=True)
    os.symlink("loop2", proj / ".claude" / "loop1")
    os.symlink("loop1", proj / ".claude" / "loop2")
    monkeypatch.chdir(proj)
    for args in ((*SETUP, "--yes"), ("doctor", "claude"), ("audit-repo",)):
        r = cli(*args)
        assert r.exit_code in (0, 1), (args, r.stderr)
        assert "internal error" not in r.stderr
    err = cli(*SETUP, "--yes").stderr
    assert "symlink loop" in err or "symbolic links" in err


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("valid_days = 90", "valid_days = 1000000000000", "valid_days is implausibly large"),
        ("price = 20\n", "price = 1e308\n", "price is implausibly large"),
        ("amount = 1.00", "amount = 1e308", "amount is implausibly large"),
    ],
)
def test_absurd_plan_numbers_exit_1(
    cli: Callable[..., Any], isolated_env: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    plans = tmp_path / "plans.toml"
    text = (FIXTURES / "seed-plans.toml").read_text()
    assert old in text
    plans.write_text(text.replace(old, new, 1))
    r = cli("recommend", "--plans", str(plans), "--spend-per-day", "5", "--pattern", "steady")
    assert r.exit_code == 1 and message in r.stderr and "plans.toml:" in r.stderr


def test_absurd_price_override_exits_1(cli: Callable[..., Any], isolated_env: Path) -> None:
    cfg = Path(os.environ["AGENTCOST_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "prices.toml").write_text('[models."claude-sonnet-4-5"]\ninput = 1e308\noutput = 1e308\n')
    r = cli("recommend", "--tokens-per-day", "100000", "--pattern", "steady", "--model", "claude-sonnet-4-5")
    assert r.exit_code == 1 and "out of range" in r.stderr


def test_start_at_the_end_of_time_exits_1(cli: Callable[..., Any], isolated_env: Path) -> None:
    r = cli("recommend", "--spend-per-day", "5", "--pattern", "steady", "--start", "9999-12-31")
    assert r.exit_code == 1 and "--start" in r.stderr


def test_lone_surrogate_in_a_logs_model_name(cli: Callable[..., Any], isolated_env: Path) -> None:
    logs = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "p"
    logs.mkdir(parents=True)
    line = (
        '{"type":"assistant","timestamp":"2026-12-01T10:00:00Z","sessionId":"s","requestId":"r1",'
        '"message":{"id":"m1","model":"claude-\\ud800x","usage":{"input_tokens":10,"output_tokens":5}}}\n'
    )
    (logs / "s.jsonl").write_text(line)
    for args in (("usage",), ("usage", "--json"), ("usage", "--json")):  # twice: the cached run too
        r = cli(*args)
        assert r.exit_code == 0, r.stderr
