"""Rendering: rich text for people, JSON for scripts; everything passes through `secrets.scrub`.

Consoles are created per call so they follow the current sys.stdout/stderr (tests swap them).
NO_COLOR is honoured by rich itself; nothing decorative is printed when stdout is not a terminal.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import IO, Any

from rich.console import Console

from agentcost.sanitize import sanitize
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


def esc(text: object) -> str:
    """A string from a file, a log or a repository, made safe to embed in rich markup: control
    characters escaped (`sanitize`), markup brackets escaped."""
    from rich.markup import escape

    return escape(sanitize(text))


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


class ProgressBar:
    """A transient progress bar on stderr: `bar(done, total)` in bytes.

    Drawn only on a terminal and only once the work has taken `delay` seconds without being done,
    so fast runs and pipes never see it; a no-op otherwise. Use it through `progress_bar()`.
    """

    def __init__(self, description: str, delay: float = 0.4) -> None:
        self.description = description
        self.start = time.monotonic()
        self.delay = delay
        self.enabled = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if self.progress is None:
            if time.monotonic() - self.start < self.delay or done >= total:
                return
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(
                TextColumn(self.description),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=err_console(),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("read", total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextmanager
def progress_bar(description: str, *, delay: float = 0.4) -> Iterator[ProgressBar]:
    """A `ProgressBar` that is closed (erased) when the block ends, normally or not.

    with progress_bar("Reading logs") as bar:
        rows = iter_rows(..., progress=bar)
    """
    bar = ProgressBar(description, delay)
    try:
        yield bar
    finally:
        bar.close()


def walk_spinner(enabled: bool) -> AbstractContextManager[Any]:
    """A transient spinner on stderr (terminals only) fed with (files, bytes) seen so far; yields the
    callback, or None when disabled."""
    if not enabled or not sys.stderr.isatty():
        return nullcontext(None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextmanager
    def run() -> Iterator[Any]:
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=err_console(), transient=True,
        ) as prog:  # fmt: skip
            task = prog.add_task("walking…", total=None)

            def update(files: int, nbytes: int) -> None:
                prog.update(task, description=f"{files:,} files, {nbytes / 1e6:,.0f} MB")

            yield update

    return run()


def report_error(message: str, hint: str | None) -> None:
    """`error: message` and `hint: …` on stderr. Messages quote user input and file content
    ("[/path]", "[model_providers.x]"): never markup; and file names and values a repository chose:
    control characters escaped."""
    from rich.text import Text

    from agentcost.sanitize import sanitize

    con = err_console()
    con.print(Text.assemble(("error:", "bold red"), " ", sanitize(message)), soft_wrap=True)
    if hint:
        con.print(Text.assemble(("hint:", "dim"), " ", sanitize(hint)), soft_wrap=True)


def report_internal_error(summary: str, where: str) -> None:
    """The short message for an unexpected exception; the traceback is in the file `where`."""
    from rich.text import Text

    err_console().print(
        Text.assemble(
            ("internal error:", "bold red"),
            f" {summary}\n",
            f"The traceback was written to {where}; please report it.",
        ),
        soft_wrap=True,
    )
