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
from typing import Any

import click
import typer
from typer.core import TyperGroup

from agentcost.errors import AgentcostError
from agentcost.secrets import could_be_key, mask, scrub
from agentcost.ui import console
from agentcost.ui.console import err_console

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def report_error(exc: AgentcostError) -> None:
    console.report_error(exc.message, exc.hint)


def _write_traceback() -> str:
    """Write the traceback to a new file, 0600 from creation (it may quote a config value), with a
    unique name (two crashes in one second keep both) in the private cache dir."""
    import platform

    from agentcost import __version__

    prefix = f"crash-{time.strftime('%Y%m%d-%H%M%S')}-"
    try:
        from agentcost.paths import cache_dir

        d = cache_dir()
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".txt", dir=d)
    except OSError:
        fd, name = tempfile.mkstemp(prefix=f"agentcost-{prefix}", suffix=".txt")
    header = (
        f"agentcost {__version__} · Python {platform.python_version()} · {platform.platform()}\n"
        f"command: {scrub(' '.join(sys.argv))}\n\n"
    )
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as f:
        f.write(header + scrub(traceback.format_exc()))
    return name


def report_internal_error(exc: BaseException) -> None:
    """Short message + traceback file. Must never raise itself."""
    try:
        where = _write_traceback()
    except Exception:
        where = "(could not be written)"
    try:
        console.report_internal_error(scrub(type(exc).__name__ + ": " + str(exc)), where)
    except Exception:
        sys.stderr.write(f"internal error: {type(exc).__name__}; traceback: {where}\n")


_ARGV_KEY = "agentcost.argv"


def scrub_usage(message: str, args: list[str]) -> str:
    """A usage error's message with every argument that could be a key masked ("unexpected extra
    argument (KEY)", "'KEY' is not one of …"): click echoes values, and a stray key is a value."""
    for arg in sorted(set(args), key=len, reverse=True):
        if arg in message and could_be_key(arg):
            message = message.replace(arg, mask(arg))
    return scrub(message)


class AgentcostGroup(TyperGroup):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(_ARGV_KEY, list(args))
        try:
            return super().parse_args(ctx, args)
        except click.ClickException as e:
            # a usage error echoes the offending value: it may be a key (click marks message Final)
            e.message = scrub_usage(e.message, args)  # type: ignore[misc]
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.Exit:
            raise
        except click.ClickException as e:
            e.message = scrub_usage(e.message, ctx.meta.get(_ARGV_KEY, []))  # type: ignore[misc]
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
