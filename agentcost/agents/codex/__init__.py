"""Codex CLI: `setup.py` (setup, diagnose), `config.py` / `auth_checks.py` / `snapshot.py` (what Codex
reads), `url.py`, `models.py`, `checks.py`, `online.py` (`doctor --online`)."""

from __future__ import annotations

from agentcost.agents.codex.setup import default_auth, diagnose, setup

__all__ = ["default_auth", "diagnose", "setup"]
