"""No raw control character from a log, a file name or a settings value reaches the terminal.

`\\x1b]0;…\\x07` retitles the terminal, `\\x1b[2J` clears it, and a newline in a name splits a table
row so that the next "row" is whatever the attacker wrote. Text output shows them escaped; JSON
keeps the exact value.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.security.conftest import snapshot

pytestmark = pytest.mark.timeout(60)

EVIL = "evil\x1b]0;pwned\x07\x1b[2J\nspoofed | 0 | $0.00\x9b31m\u202e"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _no_raw(text: str) -> None:
    for c in RAW:
        assert c not in text, f"raw {c!r} in output"
    assert "\nspoofed" not in text


def _log(home: Path, model: str) -> None:
    d = home / ".claude" / "projects" / "-repo"
    d.mkdir(parents=True)
    line = {
        "type": "assistant",
        "timestamp": "2026-11-26T10:00:00.000Z",
        "sessionId": "s1",
        "requestId": "r1",
        "cwd": "/repo",
        "message": {
            "id": "m1",
            "model": model,
            "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 0},
        },
    }
    (d / "s1.jsonl").write_text(json.dumps(line) + "\n")


def test_sanitize_unit() -> None:
    from agentcost.sanitize import sanitize, sanitize_lines

    assert sanitize("claude-sonnet-4-5") == "claude-sonnet-4-5"
    assert sanitize("C:\\Users\\x") == "C:\\Users\\x"  # nothing to escape: backslashes kept
    out = sanitize(EVIL)
    _no_raw(out)
    assert out.startswith("evil\\x1b]0;pwned\\x07\\x1b[2J\\nspoofed") and out.endswith("\\x9b31m\\u202e")
    assert sanitize("a\\x1b\x1b") == "a\\\\x1b\\x1b"  # a literal "\x1b" cannot pass for an escaped ESC
    assert sanitize_lines("-a\x1b\n+b\r") == "-a\\x1b\n+b\\r"
    assert sanitize("\x7f\x00\t") == "\\x7f\\x00\\t"


@pytest.mark.parametrize("by", ["model", "session", "project"])
def test_usage_by_model_escapes_a_logged_model_name(cli: Any, isolated_env: Path, by: str) -> None:
    _log(isolated_env, EVIL)
    r = cli("usage", "--by", by)
    assert r.exit_code == 0, r.output
    _no_raw(r.output)
    if by == "model":
        assert "evil\\x1b]0;pwned" in r.output
    doc = json.loads(cli("usage", "--by", by, "--json").stdout)
    if by == "model":
        assert [row["key"] for row in doc["rows"]] == [EVIL]  # JSON: the exact value


def test_audit_repo_escapes_file_names(cli: Any, hostile: Path) -> None:
    name = "big\x1b]0;pwned\x07\x1b[2J\nspoofed.py"
    (hostile / "src").mkdir()
    (hostile / "src" / name).write_text("x = 1\n" * 5000)
    (hostile / ("dir\x1b[2J")).mkdir()
    (hostile / ("dir\x1b[2J") / "a.py").write_text("y = 2\n" * 3000)
    for args in ([], ["--table"]):
        r = cli("audit-repo", str(hostile), *args)
        assert r.exit_code == 0, r.output
        _no_raw(r.output)
        assert "\\x1b" in r.output


def test_ignore_dry_run_escapes_file_content_and_names(cli: Any, hostile: Path) -> None:
    (hostile / ".cursorignore").write_text("keep\x1b]0;pwned\x07\x1b[2J\n")
    before = snapshot(hostile)
    r = cli("ignore", "--agents", "cursor", "--dry-run")
    assert r.exit_code == 0, r.output
    _no_raw(r.output)
    assert "keep\\x1b]0;pwned" in r.output and snapshot(hostile) == before


def test_doctor_escapes_settings_values(cli: Any, hostile: Path) -> None:
    settings = hostile / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(
        json.dumps({"env": {"ANTHROPIC_BASE_URL": "http://x\x1b]0;pwned\x07\x1b[2J\nspoofed"}})
    )
    r = cli("doctor", "claude")
    _no_raw(r.output)
    assert "\\x1b]0;pwned" in r.output
    doc = json.loads(cli("doctor", "claude", "--json").stdout)
    assert any("\x1b]0;pwned" in f["message"] for f in doc["findings"])  # JSON: the exact value


def test_error_messages_escape_what_they_quote(cli: Any, tmp_path: Path) -> None:
    r = cli("ignore", str(tmp_path / "no\x1b[2Jdir\nerror: spoofed"))
    assert r.exit_code == 2
    _no_raw(r.stderr)
    assert "\\x1b[2J" in r.stderr


def test_setup_notices_escape_paths(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.name != "posix":
        pytest.skip("control characters in directory names")
    evil = tmp_path / "repo\x1b]0;pwned\x07"
    (evil / ".git").mkdir(parents=True)
    monkeypatch.chdir(evil)
    monkeypatch.setenv("HOSTILE_TEST_KEY", "sk-test-SECRET-terminal-123456")
    r = cli(
        "setup",
        "claude",
        "--provider",
        "atlas",
        "--api-key-env",
        "HOSTILE_TEST_KEY",
        "--scope",
        "local",
        "--dry-run",
    )
    assert r.exit_code == 0, r.output
    _no_raw(r.output)
