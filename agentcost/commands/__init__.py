"""CLI commands, one module each; every module exposes `register(app)`."""

from __future__ import annotations

import importlib

import typer

# Order = order in `agentcost --help`.
COMMAND_MODULES = [
    "setup",
    "doctor",
    "providers",
    "ignore",
    "audit",
    "prices",
    "usage",
    "recommend",
    "completion",
]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"agentcost.commands.{name}")
        module.register(app)
