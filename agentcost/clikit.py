"""Shared CLI machinery: the error-handling click group and the Typer factory.

All error handling lives in `AgentcostGroup.invoke`, so `CliRunner` tests and the console script
behave the same: AgentcostError -> message + hint, exit 1 (or its code); Ctrl-C -> 130;
anything unexpected -> a short message, the traceback written to a file, exit 3.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import click
import typer
from rich.text import Text
from typer.core import TyperGroup

from agentcost.errors import AgentcostError
from agentcost.output import err_console
from agentcost.sanitize import sanitize
from agentcost.secrets import scrub

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def report_error(exc: AgentcostError) -> None:
    # Messages quote user input and file content ("[/path]", "[model_providers.x]"): never markup.
    con = err_console()
    # ... and they quote file names and values a repository chose: control characters escaped.
    con.print(Text.assemble(("error:", "bold red"), " ", sanitize(exc.message)), soft_wrap=True)
    if exc.hint:
        con.print(Text.assemble(("hint:", "dim"), " ", sanitize(exc.hint)), soft_wrap=True)


def _write_traceback() -> str:
    try:
        from agentcost.paths import cache_dir

        d = cache_dir()
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    except OSError:
        fd, name = tempfile.mkstemp(prefix="agentcost-crash-", suffix=".txt")
        os.close(fd)
        path = Path(name)
    import platform
    import sys

    from agentcost import __version__

    header = (
        f"agentcost {__version__} · Python {platform.python_version()} · {platform.platform()}\n"
        f"command: {scrub(' '.join(sys.argv))}\n\n"
    )
    path.write_text(header + scrub(traceback.format_exc()), encoding="utf-8")
    return str(path)


def report_internal_error(exc: BaseException) -> None:
    """Short message + traceback file. Must never raise itself."""
    try:
        where = _write_traceback()
    except Exception:
        where = "(could not be written)"
    try:
        err_console().print(
            Text.assemble(
                ("internal error:", "bold red"),
                f" {scrub(type(exc).__name__ + ': ' + str(exc))}\n",
                f"The traceback was written to {where}; please report it.",
            ),
            soft_wrap=True,
        )
    except Exception:
        sys.stderr.write(f"internal error: {type(exc).__name__}; traceback: {where}\n")


class AgentcostGroup(TyperGroup):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as e:
            # a usage error echoes the offending value: it may be a key (click marks message Final)
            e.message = scrub(e.message)  # type: ignore[misc]
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except click.ClickException as e:
            e.message = scrub(e.message)  # type: ignore[misc]
            raise
        except click.exceptions.Abort:
            err_console().print("Aborted.")
            raise click.exceptions.Exit(130) from None
        except AgentcostError as e:
            report_error(e)
            raise click.exceptions.Exit(e.exit_code) from None
        except KeyboardInterrupt:
            err_console().print("Interrupted.")
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            raise click.exceptions.Exit(0) from None
        except Exception as e:
            report_internal_error(e)
            raise click.exceptions.Exit(3) from None


def new_typer(help: str | None = None, cls: type[TyperGroup] = AgentcostGroup) -> typer.Typer:
    return typer.Typer(
        cls=cls,
        help=help,
        context_settings=CONTEXT_SETTINGS,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode="rich",
        add_completion=False,
        suggest_commands=False,  # click (8.2+) already suggests "Did you mean …?"; typer would repeat it
    )
