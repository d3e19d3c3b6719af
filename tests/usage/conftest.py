"""Fixtures for the usage tests: the real client logs copied into a fake home."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "usage"


@pytest.fixture
def truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "TRUTH.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def real_logs(isolated_env: Path) -> Path:
    """Copy the real Claude Code and Codex logs to $HOME/.claude and $HOME/.codex; returns HOME."""
    shutil.copytree(FIXTURES / "claude", isolated_env / ".claude")
    shutil.copytree(FIXTURES / "codex", isolated_env / ".codex")
    return isolated_env
