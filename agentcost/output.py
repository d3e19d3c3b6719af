"""Rendering: rich text for people, JSON for scripts; everything passes through `secrets.scrub`.

Consoles are created per call so they follow the current sys.stdout/stderr (tests swap them).
NO_COLOR is honoured by rich itself; nothing decorative is printed when stdout is not a terminal.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, Any

from rich.console import Console

from agentcost.secrets import scrub

SCHEMA_VERSION = 1


class _ScrubbingFile:
    """A file-like wrapper that masks secrets in everything written through it."""

    def __init__(self, target: IO[str]) -> None:
        self._target = target

    def write(self, s: str) -> int:
        self._target.write(scrub(s))
        return len(s)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return bool(getattr(self._target, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self._target.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._target, "encoding", "utf-8") or "utf-8"


# Width when writing to a pipe or file and COLUMNS is not set: rich's default of 80 squeezes wide
# tables into unreadable slivers; a file can be as wide as it needs.
PIPE_WIDTH = 160


def console(stderr: bool = False) -> Console:
    target = sys.stderr if stderr else sys.stdout
    is_tty = bool(getattr(target, "isatty", lambda: False)())
    width: int | None = None
    if not is_tty:
        try:
            width = int(os.environ.get("COLUMNS", "")) or PIPE_WIDTH
        except ValueError:
            width = PIPE_WIDTH
    return Console(
        file=_ScrubbingFile(target),  # type: ignore[arg-type]
        stderr=stderr,
        highlight=False,
        width=width,
        soft_wrap=not is_tty,  # prose stays on one line in pipes; tables still fit `width`
    )


def err_console() -> Console:
    return console(stderr=True)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def emit_json(payload: dict[str, Any]) -> None:
    """Print a JSON document (with `schema_version` first) to stdout, secrets masked."""
    doc = {"schema_version": SCHEMA_VERSION, **payload} if "schema_version" not in payload else payload
    sys.stdout.write(scrub(json.dumps(doc, indent=2, ensure_ascii=False, default=str)) + "\n")
    sys.stdout.flush()


def notice(message: str) -> None:
    """A one-line note to stderr (keeps stdout clean for --json)."""
    err_console().print(message)


def warn(message: str) -> None:
    err_console().print(f"[yellow]warning:[/] {message}")
