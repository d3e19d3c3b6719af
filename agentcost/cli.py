"""The Typer app. Thin: parse -> call logic -> render -> exit code (see `clikit.py` for errors)."""

from __future__ import annotations

import signal
import sys

import click
import typer

from agentcost import __version__
from agentcost.clikit import new_typer
from agentcost.commands import LazyGroup
from agentcost.secrets import scrub
from agentcost.ui.console import err_console

app = new_typer(
    cls=LazyGroup,
    help=(
        "Run coding agents (Claude Code, Codex CLI) on API keys and third-party providers, "
        "safely and cheaply.\n\n"
        "Typical first steps:\n\n"
        "  agentcost doctor           check your Claude Code / Codex set-up\n\n"
        "  agentcost setup claude --provider atlas --api-key-env ATLAS_API_KEY\n\n"
        "  agentcost audit-repo       what reading this repository costs\n\n"
        "  agentcost usage            what your agents used, at API prices\n\n"
        "  agentcost recommend        which billing plan fits that usage\n\n"
        "Every command has -h/--help with examples; --json where it reports something."
    ),
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"agentcost {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Show the version and exit.", callback=_version_callback, is_eager=True
    ),
) -> None:
    """Run coding agents on API keys and third-party providers, safely and cheaply."""


def main(argv: list[str] | None = None) -> int:
    # Like other Unix tools: `agentcost … | head` ends quietly when the reader goes away.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        rv = app(args=argv, prog_name="agentcost", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.ClickException as e:
        e.message = scrub(e.message)  # type: ignore[misc]  # click marks it Final
        e.show()
        return e.exit_code
    except click.exceptions.Abort:
        err_console().print("Aborted.")
        return 130
    except KeyboardInterrupt:
        return 130
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
