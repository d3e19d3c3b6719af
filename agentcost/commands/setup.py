"""`agentcost setup <agent>`: write an agent's configuration for a provider (one sub-command per agent)."""

from __future__ import annotations

import importlib

import typer

from agentcost.clikit import new_typer

setup_app = new_typer(
    help=(
        "Write (merge) an agent's configuration for a provider, safely: backup, atomic write, "
        "key never printed. Run `agentcost providers` to see the providers."
    )
)


def register(app: typer.Typer) -> None:
    """`setup NAME` for every registered agent that has a `commands/setup_NAME.py` (its options)."""
    from agentcost.agents.base import names

    for name in names():
        module_name = f"agentcost.commands.setup_{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name != module_name:
                raise
            continue  # an agent without setup options yet: doctor still checks it
        module.register(setup_app)
    app.add_typer(setup_app, name="setup")
