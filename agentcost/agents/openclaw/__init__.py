"""OpenClaw: `config.py` (where openclaw.json lives, reading it), `json5.py` (JSON5 with spans, minimal
edits), `setup.py` (plan_setup -> apply_setup), `checks.py` (diagnose), `online.py` (`doctor --online`).
Facts and evidence: docs/openclaw.md."""

from __future__ import annotations

from agentcost.agents.base import Agent
from agentcost.agents.openclaw.checks import diagnose
from agentcost.agents.openclaw.setup import Plan, SetupRequest, apply_setup, plan_setup

AGENT = Agent(
    name="openclaw",
    label="OpenClaw",
    diagnose=diagnose,
    plan_setup=plan_setup,
    apply_setup=apply_setup,
)

__all__ = ["AGENT", "Plan", "SetupRequest", "apply_setup", "diagnose", "plan_setup"]
