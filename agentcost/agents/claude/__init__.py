"""Claude Code: `setup.py` (plan_setup / apply_plan), `checks.py` (diagnose), `settings.py` (where
settings live, precedence), `guard.py` (keeping a key out of git), `online.py` (`doctor --online`)."""

from __future__ import annotations

from agentcost.agents.base import Agent
from agentcost.agents.claude.setup import (
    SCOPES,
    ClaudePlan,
    SetupRequest,
    apply_plan,
    build_env,
    diagnose,
    merge_env,
    normalize_base_url,
    plan_setup,
    resolve_models,
)

AGENT = Agent(
    name="claude",
    label="Claude Code",
    diagnose=diagnose,
    plan_setup=plan_setup,
    apply_setup=apply_plan,
)

__all__ = [
    "AGENT",
    "SCOPES",
    "ClaudePlan",
    "SetupRequest",
    "apply_plan",
    "build_env",
    "diagnose",
    "merge_env",
    "normalize_base_url",
    "plan_setup",
    "resolve_models",
]
