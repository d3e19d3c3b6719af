"""`agentcost setup claude|codex|openclaw`: write an agent's configuration for a provider."""

from __future__ import annotations

import typer

from agentcost.clikit import new_typer

setup_app = new_typer(
    help=(
        "Write (merge) an agent's configuration for a provider, safely: backup, atomic write, "
        "key never printed. Run `agentcost providers` to see the providers."
    )
)


def register(app: typer.Typer) -> None:
    from agentcost.commands import setup_claude, setup_codex, setup_openclaw

    setup_claude.register(setup_app)
    setup_codex.register(setup_app)
    setup_openclaw.register(setup_app)
    app.add_typer(setup_app, name="setup")
