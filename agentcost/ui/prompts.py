"""Questions on a terminal (stderr, so stdout stays clean): the `Ask` that `setup` hands to the agents."""

from __future__ import annotations

import typer

from agentcost.ui.console import err_console, is_interactive


def interactive_allowed(*, yes: bool, json_out: bool = False) -> bool:
    """Prompts are allowed only on a terminal, and never with --yes or --json."""
    return not yes and not json_out and is_interactive()


class TerminalAsk:
    """`agentcost.agents.keys.Ask` on the terminal (typer's prompts on stderr)."""

    def confirm(self, question: str, *, default: bool) -> bool:
        return bool(typer.confirm(question, default=default, err=True))

    def text(self, label: str, *, default: str | None = None, hidden: bool = False) -> str:
        if hidden:
            return str(typer.prompt(label, hide_input=True, err=True))
        if default is not None:
            return str(typer.prompt(label, default=default, err=True))
        return str(typer.prompt(label, err=True))

    def say(self, line: str) -> None:
        err_console().print(line, markup=False, highlight=False)


def asker(interactive: bool) -> TerminalAsk | None:
    """The terminal `Ask` when prompting is allowed, else None (a missing value is then an error)."""
    return TerminalAsk() if interactive else None
