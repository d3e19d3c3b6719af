"""The agents agentcost configures and checks, and the registry that finds them.

An agent is a sub-package of `agentcost.agents` whose `__init__.py` defines `AGENT = Agent(...)`
(docs/architecture.md, "Adding an agent"). `names()` (in `agentcost.agents`) lists the sub-packages
without importing them, so building a CLI choice costs nothing; `get(name)` imports one agent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentcost.agents import names
from agentcost.agents.findings import Finding
from agentcost.agents.results import SetupResult

Diagnose = Callable[..., list[Finding]]  # (env, cwd, online=False, **test hooks) -> findings


@dataclass(frozen=True)
class Agent:
    """One coding agent: its CLI name, its label, and the one interface every agent provides."""

    name: str  # `doctor NAME`, `setup NAME`, `--agent NAME`: the folder's name
    label: str  # for people: "Claude Code"
    diagnose: Diagnose  # (env, cwd, online=False) -> list[Finding]
    plan_setup: Callable[..., Any]  # (request, env, cwd, dry_run=False) -> plan (.changed, .diffs())
    apply_setup: Callable[..., SetupResult]  # (plan, env, cwd, dry_run=False) -> SetupResult

    def check(self, env: Mapping[str, str], cwd: Path, *, online: bool = False) -> list[Finding]:
        return self.diagnose(env, cwd, online=online)


def get(name: str) -> Agent:
    """The agent `name` (ValueError if there is none)."""
    if name not in names():
        raise ValueError(f"unknown agent {name!r}; agents: {', '.join(names())}")
    agent = importlib.import_module(f"agentcost.agents.{name}").AGENT
    assert isinstance(agent, Agent) and agent.name == name, f"agents/{name}/__init__.py: AGENT"
    return agent


__all__ = ["Agent", "Diagnose", "all_agents", "get", "names"]


def all_agents() -> list[Agent]:
    return [get(n) for n in names()]
