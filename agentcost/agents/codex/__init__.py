"""Codex CLI: `setup.py` (setup as plan_setup -> apply_plan, diagnose), `config.py` / `auth_checks.py` /
`snapshot.py` (what Codex reads), `url.py`, `models.py`, `checks.py`, `online.py` (`doctor --online`)."""

from __future__ import annotations

from agentcost.agents.base import Agent
from agentcost.agents.codex.setup import (
    CodexPlan,
    SetupRequest,
    apply_plan,
    default_auth,
    diagnose,
    plan_setup,
    setup,
)

AGENT = Agent(
    name="codex",
    label="Codex CLI",
    diagnose=diagnose,
    plan_setup=plan_setup,
    apply_setup=apply_plan,
)

__all__ = [
    "AGENT",
    "CodexPlan",
    "SetupRequest",
    "apply_plan",
    "default_auth",
    "diagnose",
    "plan_setup",
    "setup",
]
