"""Helpers for the Claude Code tests: fixture files, settings locations, the fake key."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "claude_settings"
KEY = "sk-test-SECRET-abcdef123456"
KEY_TAIL = "abcdef123456"  # what must never appear unmasked


@pytest.fixture
def user_settings(isolated_env: Path) -> Path:
    return isolated_env / ".claude" / "settings.json"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project directory with a `.git` marker (no git needed), made the cwd."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def place() -> Callable[[str, Path], Path]:
    """Copy a fixture file to `dest` (creating directories), return `dest`."""

    def _place(name: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / name, dest)
        dest.chmod(0o600)
        return dest

    return _place
