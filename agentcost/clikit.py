"""Shared CLI machinery: the error-handling click group and the Typer factory.

All error handling lives in `AgentcostGroup.invoke`, so `CliRunner` tests and the console script
behave the same: AgentcostError -> message + hint, exit 1 (or its code); Ctrl-C -> 130;
anything unexpected -> a short message, the traceback written to a file, exit 3.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

import click
import typer
from typer.core import TyperGroup

from agentcost.errors import AgentcostError
from agentcost.output import err_console
from agentcost.secrets import scrub

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def report_error(exc: AgentcostError) -> None:
    con = err_console()
    con.print(f"[bold red]error:[/] {exc.message}", markup=True, highlight=False)
    if exc.hint:
        con.print(f"[dim]hint:[/] {exc.hint}")


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
    path.write_text(scrub(traceback.format_exc()), encoding="utf-8")
    return str(path)


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
            where = _write_traceback()
            err_console().print(
                f"[bold red]internal error:[/] {scrub(type(e).__name__ + ': ' + str(e))}\n"
                f"The traceback was written to {where}; please report it."
            )
            raise click.exceptions.Exit(3) from None


def new_typer(help: str | None = None) -> typer.Typer:
    return typer.Typer(
        cls=AgentcostGroup,
        help=help,
        context_settings=CONTEXT_SETTINGS,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode="rich",
        add_completion=False,
    )
