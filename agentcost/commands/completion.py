"""`agentcost completion SHELL`: print a static completion script."""

from __future__ import annotations

from enum import Enum

import typer


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion_cmd(shell: Shell = typer.Argument(..., help="bash, zsh or fish.")) -> None:
    """Print a shell completion script for agentcost.

    Install, e.g.:

      bash:  agentcost completion bash > ~/.local/share/bash-completion/completions/agentcost
      zsh:   agentcost completion zsh > "${fpath[1]}/_agentcost"
      fish:  agentcost completion fish > ~/.config/fish/completions/agentcost.fish

    The same scripts ship in the repository's completions/ directory.
    """
    import click

    from agentcost.completions import generate

    typer.echo(generate(shell.value, click.get_current_context().find_root().command), nl=False)


def register(app: typer.Typer) -> None:
    app.command("completion")(completion_cmd)
