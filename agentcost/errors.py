"""The error model: logic raises these; only `cli.py` turns them into output and exit codes.

Exit codes: 0 ok, 1 user-facing error, 2 usage error (click's), 3 internal error, 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path


class AgentcostError(Exception):
    """An error the user can act on: one line of message, an optional hint."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(AgentcostError):
    """A configuration file that cannot be read or parsed; carries file, line and column."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        where = ""
        if path is not None:
            where = str(path)
            if line is not None:
                where += f":{line}"
                if column is not None:
                    where += f":{column}"
            where += ": "
        super().__init__(where + message, hint)
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column


class UsageError(AgentcostError):
    """Bad combination of arguments that click itself could not catch."""

    exit_code = 2


class NetworkError(AgentcostError):
    """A network operation the user asked for (refresh, --online) failed."""
