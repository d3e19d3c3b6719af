"""Reads never block and never exhaust memory: FIFOs, devices and huge files in config and log places.

Before the fix each of these hung (a FIFO opened for reading waits for a writer) or read /dev/zero
until MemoryError; the timeout turns a hang into a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(20)


def _zero_device(tmp_path: Path) -> Path:
    """A node that reads like /dev/zero (endless NULs): our own when root, else /dev/zero itself."""
    import stat

    node = tmp_path / "zero"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    except (OSError, AttributeError):
        return Path("/dev/zero")
    return node


def test_doctor_claude_with_fifo_project_settings(cli: Any, hostile: Path) -> None:
    (hostile / ".claude").mkdir()
    os.mkfifo(hostile / ".claude" / "settings.json")
    r = cli("doctor", "claude", "--json")
    doc = json.loads(r.stdout)
    bad = [f for f in doc["findings"] if f["code"] == "CLAUDE_SETTINGS_INVALID_JSON"]
    assert bad and "FIFO" in bad[0]["message"]


def test_doctor_claude_with_zero_device_user_settings(cli: Any, isolated_env: Path, tmp_path: Path) -> None:
    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.symlink_to(_zero_device(tmp_path))
    r = cli("doctor", "claude", "--json")
    assert "character device" in r.stdout


def test_setup_claude_with_fifo_settings(cli: Any, isolated_env: Path, fifo: Path, key_env: str) -> None:
    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.symlink_to(fifo)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key-env", key_env, "--yes", "--dry-run")
    assert r.exit_code == 1 and "FIFO" in r.stderr


def test_doctor_and_setup_codex_with_fifo_config(cli: Any, isolated_env: Path, key_env: str) -> None:
    home = isolated_env / ".codex"
    home.mkdir()
    os.mkfifo(home / "config.toml")
    r = cli("doctor", "codex", "--json")
    assert "FIFO" in r.stdout
    r = cli("setup", "codex", "--provider", "openrouter", "--api-key-env", key_env, "--yes")
    assert r.exit_code == 1 and "FIFO" in r.stderr


def test_codex_auth_json_fifo(cli: Any, isolated_env: Path) -> None:
    home = isolated_env / ".codex"
    home.mkdir()
    os.mkfifo(home / "auth.json")
    r = cli("doctor", "codex", "--json")
    assert r.exit_code in (0, 1)  # before the fix: blocked forever reading the FIFO


def test_huge_config_is_refused_not_read(cli: Any, isolated_env: Path) -> None:
    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    with open(settings, "wb") as f:
        f.truncate(17 * 1024 * 1024)  # sparse: costs no disk
    r = cli("doctor", "claude", "--json")
    assert "larger than 16 MiB" in r.stdout


@pytest.mark.parametrize("command", [["usage"], ["usage", "--json"], ["recommend"]])
def test_usage_and_recommend_skip_a_fifo_log(cli: Any, isolated_env: Path, command: list[str]) -> None:
    proj = isolated_env / ".claude" / "projects" / "-repo"
    proj.mkdir(parents=True)
    os.mkfifo(proj / "session.jsonl")
    r = cli(*command)
    assert r.exit_code in (0, 1), r.output
    if command == ["usage"]:
        assert "FIFO" in r.output and "session.jsonl" in r.output


def test_usage_skips_a_log_linked_to_a_zero_device(cli: Any, isolated_env: Path, tmp_path: Path) -> None:
    proj = isolated_env / ".codex" / "sessions" / "2026" / "11" / "26"
    proj.mkdir(parents=True)
    (proj / "rollout-x.jsonl").symlink_to(_zero_device(tmp_path))
    r = cli("usage", "--json")
    assert r.exit_code in (0, 1), r.output
    stats = json.loads(r.stdout)["read"] if "read" in json.loads(r.stdout) else json.loads(r.stdout)
    assert "character device" in json.dumps(stats)


def test_audit_repo_with_fifo_gitignore_and_settings(cli: Any, hostile: Path, isolated_env: Path) -> None:
    (hostile / "a.py").write_text("print('hello')\n")
    os.mkfifo(hostile / ".gitignore")
    os.mkfifo(hostile / "pipe.txt")
    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    os.mkfifo(settings)
    r = cli("audit-repo", str(hostile), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)


def test_audit_repo_with_gitignore_linked_to_zero(cli: Any, hostile: Path, tmp_path: Path) -> None:
    (hostile / "a.py").write_text("print('hello')\n")
    (hostile / ".gitignore").symlink_to(_zero_device(tmp_path))
    r = cli("audit-repo", str(hostile), "--json")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("name", [".cursorignore", ".aiderignore", ".geminiignore", ".ignore"])
def test_audit_repo_with_fifo_agent_ignore_file(cli: Any, hostile: Path, name: str) -> None:
    """QA: a FIFO named like an agent's ignore file hung `audit-repo` (the block reader opened it)."""
    (hostile / "a.py").write_text("print('hello')\n")
    os.mkfifo(hostile / name)
    r = cli("audit-repo", str(hostile), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)


@pytest.mark.parametrize("where", [".gitignore", "sub/.gitignore", ".git/info/exclude"])
def test_ignore_with_fifo_gitignore_scans_the_repository(cli: Any, hostile: Path, where: str) -> None:
    """QA: git blocks on a FIFO `.gitignore`; `ignore` stalled 60 s and then saw no file at all."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(hostile)], check=True)
    (hostile / "sub").mkdir()
    (hostile / "sub" / "b.py").write_text("x = 1\n")
    (hostile / "a.py").write_text("print('hello')\n")
    (hostile / ".git" / "info").mkdir(exist_ok=True)
    fifo_path = hostile / where
    if fifo_path.exists():
        fifo_path.unlink()
    os.mkfifo(fifo_path)
    r = cli("ignore", "--dry-run", "--json")
    assert r.exit_code == 0, r.output
    detected = json.loads(r.stdout)["detected"]
    assert detected["truncated"] is False
    assert detected["scanned_files"] == 2  # a.py and sub/b.py: the scan saw the repository
