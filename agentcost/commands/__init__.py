"""CLI commands, one module each; every module exposes `register(app)`.

Commands load lazily: `agentcost usage` imports the usage module only, not the billing simulator,
the TOML editors and the pricing refresher. `LazyGroup` (the root group) knows each command's
module by name; listing commands (`--help`, completion) loads them all.
"""

from __future__ import annotations

import difflib
import importlib

import click
import typer

from agentcost.clikit import AgentcostGroup, new_typer

# command name -> module in agentcost.commands; order = order in `agentcost --help`.
COMMANDS: dict[str, str] = {
    "setup": "setup",
    "doctor": "doctor",
    "providers": "providers",
    "ignore": "ignore",
    "audit-repo": "audit",
    "prices": "prices",
    "usage": "usage",
    "limits": "limits",
    "statusline": "statusline",
    "guard": "guard",
    "recommend": "recommend",
    "shim": "shim",
    "upgrade-cost": "recommend",
    "completion": "completion",
}


def load_command(name: str) -> click.Command | None:
    """Build the click command `name` from its module's `register()` (None if unknown)."""
    module_name = COMMANDS.get(name)
    if module_name is None:
        return None
    module = importlib.import_module(f"agentcost.commands.{module_name}")
    sub = new_typer()

    @sub.callback()
    def _group() -> None:  # a callback keeps typer from collapsing a one-command app into that command
        """(internal)"""

    module.register(sub)
    group = typer.main.get_command(sub)
    assert isinstance(group, click.Group)
    return group.commands.get(name)


class LazyGroup(AgentcostGroup):
    """The root group: commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(n for n in super().list_commands(ctx) if n not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = super().get_command(ctx, cmd_name)
        if cmd is None:
            cmd = load_command(cmd_name)
            if cmd is not None:
                self.add_command(cmd, cmd_name)
        return cmd

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as e:
            # click suggests only among loaded commands; suggest among all of them.
            if args and "Did you mean" not in e.message:
                matches = difflib.get_close_matches(args[0], self.list_commands(ctx))
                if matches:
                    e.message += " Did you mean " + ", ".join(repr(m) for m in matches) + "?"  # type: ignore[misc]
            raise
