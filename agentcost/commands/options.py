"""Command-line choices and options shared by several commands, defined once.

`AgentChoice` is the claude | codex | all choice of `doctor`, `usage --agent` and
`recommend --agent`. The `*_option()` functions are the options `setup claude` and `setup codex`
share: same flags, same metavars, same wording; where the two agents really differ (what --model
fills, where --api-key is stored, what --yes may replace) the command adds one agent-specific
sentence. Each returns a fresh `typer.Option` for use as a parameter default.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

import typer

from agentcost.agents import names


def log_readers(choice: _AgentChoice) -> tuple[str, ...]:
    """The agents of `choice` whose logs `usage` / `recommend` can read (UsageError for one it cannot)."""
    from agentcost.errors import UsageError
    from agentcost.usage import AGENTS as READERS

    if choice.value != "all" and choice.value not in READERS:
        raise UsageError(
            f"agentcost cannot read {choice.value}'s logs yet", hint=f"logs: {', '.join(READERS)}"
        )
    return tuple(a for a in choice.agents if a in READERS)


class _AgentChoice(str, Enum):
    """One member per registered agent (agents/base.py) plus "all"."""

    @property
    def agents(self) -> tuple[str, ...]:
        """The agents this choice stands for: every registered agent for "all"."""
        return names() if self.value == "all" else (self.value,)


if TYPE_CHECKING:
    AgentChoice = _AgentChoice
else:  # the agent list is written once: the folders under agentcost/agents/
    AgentChoice = _AgentChoice("AgentChoice", {**{n: n for n in names()}, "all": "all"})


def _join(common: str, extra: str) -> str:
    return f"{common} {extra}" if extra else common


def provider_option() -> Any:
    return typer.Option(
        None,
        "--provider",
        "-p",
        metavar="ID",
        help="Provider id from `agentcost providers` (e.g. atlas, deepseek, custom).",
    )


def api_key_option(extra: str = "") -> Any:
    return typer.Option(
        None,
        "--api-key",
        metavar="KEY",
        help=_join(
            "The API key. Careful: a key on the command line lands in your shell history; "
            "prefer --api-key-env or the hidden prompt.",
            extra,
        ),
        show_default=False,
    )


def api_key_env_option(extra: str = "") -> Any:
    return typer.Option(
        None,
        "--api-key-env",
        metavar="VAR",
        help=_join("Name of the environment variable VAR holding the key (recommended).", extra),
    )


def base_url_option(help: str) -> Any:
    return typer.Option(None, "--base-url", metavar="URL", help=help)


def model_option(help: str) -> Any:
    return typer.Option(None, "--model", "-m", metavar="MODEL", help=help)


def dry_run_option() -> Any:
    return typer.Option(False, "--dry-run", help="Show the changes as a diff (keys masked); write nothing.")


def yes_option(extra: str = "") -> Any:
    return typer.Option(
        False, "--yes", "-y", help=_join("No questions: fail if a required value is missing.", extra)
    )


def json_option() -> Any:
    return typer.Option(False, "--json", help="Machine-readable result (implies no prompts).")
