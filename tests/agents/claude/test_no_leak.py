"""The fake key never appears in stdout/stderr (any mode) or in any file but the intended one."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .conftest import KEY, KEY_TAIL

Place = Callable[[str, Path], Path]


def files_containing(root: Path, needle: str) -> list[Path]:
    out = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            try:
                if needle in p.read_text(encoding="utf-8", errors="replace"):
                    out.append(p)
            except OSError:
                continue
    return out


def test_key_never_leaks(cli: Any, tmp_path: Path, repo: Path, user_settings: Path, place: Place) -> None:
    base = ("setup", "claude", "--api-key", KEY, "--yes")
    runs = [
        cli(*base, "--provider", "atlas"),
        cli(*base, "--provider", "atlas"),  # already configured
        cli(*base, "--provider", "atlas", "--json"),
        cli(*base, "--provider", "deepseek", "--dry-run"),
        cli(*base, "--provider", "deepseek", "--dry-run", "--json"),
        cli(*base, "--provider", "custom", "--base-url", "http://llm.example.com/v1", "--model", "m"),
        cli(*base, "--provider", "custom", "--base-url", "no-scheme.example.com", "--model", "m"),
        cli(*base, "--provider", "nope"),
        cli("setup", "claude", "--provider", "atlas", "--api-key-env", "K", "--yes", env={"K": KEY}),
        cli("setup", "claude", "--provider", "atlas", "--api-key", KEY + " x", "--yes"),
        cli("setup", "claude", "--provider", "atlas", "--api-key-env", KEY, "--yes"),
        cli("doctor", "claude"),
        cli("doctor", "claude", "--json"),
        cli("doctor", "--json", env={"ANTHROPIC_API_KEY": KEY}),
    ]
    place("invalid_trailing_comma.json", repo / ".claude" / "settings.local.json")
    runs.append(cli(*base, "--provider", "atlas", "--scope", "local"))
    runs.append(cli("doctor", "claude", "--json"))
    for r in runs:
        assert KEY_TAIL not in r.stdout, r.stdout
        assert KEY_TAIL not in r.stderr, r.stderr
    holders = files_containing(tmp_path, KEY_TAIL)
    # Only the user settings file, and the backups of it made by later runs (mode 0600 like the file).
    assert user_settings in holders
    for p in holders:
        assert p == user_settings or p.name.startswith("settings.json.agentcost-backup-"), p
        assert p.stat().st_mode & 0o077 == 0, p


def test_project_scope_key_only_in_local(cli: Any, tmp_path: Path, repo: Path) -> None:
    r = cli(
        "setup", "claude", "--provider", "atlas", "--api-key", KEY, "--scope", "project", "--yes", "--json"
    )
    assert r.exit_code == 0 and KEY_TAIL not in r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert [f["path"] for f in doc["files"]] == [
        str(repo / ".claude" / "settings.json"),
        str(repo / ".claude" / "settings.local.json"),
    ]
    assert files_containing(tmp_path, KEY_TAIL) == [repo / ".claude" / "settings.local.json"]
