"""Codex CLI: config.toml + auth.json writer and checks. (Being implemented.)"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from agentcost.agents.findings import Finding


def diagnose(env: Mapping[str, str], cwd: Path, online: bool = False) -> list[Finding]:
    return []
