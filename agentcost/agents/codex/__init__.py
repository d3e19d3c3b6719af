"""Codex CLI: `setup.py` (setup as plan_setup -> apply_plan, diagnose), `config.py` / `auth_checks.py` /
`snapshot.py` (what Codex reads), `url.py`, `models.py`, `types.py`, `checks.py`, `online.py`, `shim.py`.

The names below load `setup.py` on first use (PEP 562): `agentcost.shim` imports `codex.url`, and
`setup.py` imports `agentcost.shim` back through `codex/shim.py`, so this package must not import
`setup.py` while it is being imported itself.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

    AGENT: Agent

_FROM_SETUP = {"CodexPlan", "SetupRequest", "apply_plan", "default_auth", "diagnose", "plan_setup", "setup"}


def __getattr__(name: str) -> Any:
    if name == "AGENT":
        from agentcost.agents.base import Agent

        s = importlib.import_module("agentcost.agents.codex.setup")
        agent = Agent(
            name="codex",
            label="Codex CLI",
            diagnose=s.diagnose,
            plan_setup=s.plan_setup,
            apply_setup=s.apply_plan,
        )
        globals()["AGENT"] = agent
        return agent
    if name in _FROM_SETUP:
        value = getattr(importlib.import_module("agentcost.agents.codex.setup"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
