"""What `setup codex` and `setup openclaw` do alike: where the key lives (--auth), refusing a key that
--auth env would store nowhere, and the preview-then-confirm step before writing."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import typer

from agentcost.agents.keys import validate_env_var_name, validate_key
from agentcost.errors import UsageError
from agentcost.fileio import WriteResult
from agentcost.ui.console import err_console
from agentcost.ui.setup import render_write


class KeyStorage(str, Enum):
    """--auth: env names a variable the client reads (the key is stored nowhere); file stores the key."""

    env = "env"
    file = "file"


def env_key_only(
    api_key: str | None,
    api_key_env: str | None,
    default_var: str,
    *,
    client: str,
    store_where: str,
    explicit: bool,
) -> str | None:
    """--auth env: the validated --api-key-env (None: the catalog's variable). A key given with
    --api-key would be stored nowhere, so it is refused (after it is registered for masking)."""
    env_key = validate_env_var_name(api_key_env) if api_key_env else None
    if api_key is not None:
        validate_key(api_key, source="--api-key")  # registered: masked from here on
        var = env_key or default_var
        raise UsageError(
            f"--api-key cannot be used with --auth env{'' if explicit else ' (the default)'}: {client} "
            f"reads the key from ${var}, so agentcost would store it nowhere",
            hint=f"store it in {store_where} with --auth file, or add export {var}=<your key> to your "
            "shell profile and run again without --api-key",
        )
    return env_key


def confirm_writes(warnings: Iterable[str], writes: Iterable[WriteResult]) -> None:
    """Show what a setup would write and ask; exit 1 with "Nothing written." on no."""
    for warning in warnings:
        err_console().print(f"[yellow]warning:[/] {warning}")
    for w in writes:
        render_write(w)
    if not typer.confirm("Write these changes?", default=True, err=True):
        err_console().print("Nothing written.")
        raise typer.Exit(1)
