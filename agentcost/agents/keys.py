"""API keys for `setup`: from `--api-key`, `--api-key-env VAR` or a hidden prompt; validated and
registered for masking (`secrets.register`) the moment they are read. Shared by every agent.

Interaction goes through an `Ask` (the terminal implementation is `agentcost.ui.prompts.TerminalAsk`);
`ask=None` means not interactive, and a missing value is then an error with the flag to use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Protocol

from agentcost.errors import AgentcostError, UsageError
from agentcost.secrets import looks_like_key, register

KEY_HINT = (
    "give --api-key-env VAR (reads the key from the environment variable VAR), or --api-key KEY "
    "(lands in your shell history), or run on a terminal without --yes to type it hidden"
)

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Ask(Protocol):
    """Questions on a terminal (stderr): what `setup` needs when a value was not given."""

    def confirm(self, question: str, *, default: bool) -> bool: ...

    def text(self, label: str, *, default: str | None = None, hidden: bool = False) -> str: ...

    def say(self, line: str) -> None: ...


def validate_key(value: str, *, source: str) -> str:
    """Return the key with surrounding whitespace removed; reject empty values and inner whitespace.

    `source` names where it came from ("--api-key", "$ATLAS_API_KEY", "the prompt") for the error.
    The value itself is never part of an error message.
    """
    key = value.strip()
    if source == "--api-key" and re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", key):
        # Checked before registering: a variable name is not a secret and must stay readable.
        raise AgentcostError(
            f"--api-key {key} looks like an environment-variable name, not a key",
            hint=f"use --api-key-env {key} to read the key from that variable",
        )
    register(value)
    register(key)
    if not key:
        raise AgentcostError(f"the API key from {source} is empty", hint=KEY_HINT)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in key):
        raise AgentcostError(
            f"the API key from {source} contains whitespace, a line break or a control character",
            hint="copy the key again without spaces or line breaks",
        )
    if not key.isascii():
        raise AgentcostError(
            f"the API key from {source} contains non-ASCII characters (a typographic quote or dash "
            "from copy-paste?); it cannot be sent in an HTTP header",
            hint="copy the key again from the provider's console",
        )
    return key


def validate_env_var_name(name: str, *, flag: str = "--api-key-env") -> str:
    """Check a variable name given to `flag`; a key pasted there by mistake is refused (and masked)."""
    if looks_like_key(name):
        register(name)
    if not _ENV_NAME.fullmatch(name):
        if looks_like_key(name):
            raise AgentcostError(
                f"{flag} expects the NAME of an environment variable, but got what looks like a key",
                hint=f"export the key first (export MY_API_KEY=…) and pass {flag} MY_API_KEY",
            )
        raise AgentcostError(
            f"{flag} {name!r} is not a valid environment-variable name",
            hint="use letters, digits and underscores, e.g. ATLAS_API_KEY",
        )
    return name


def resolve_key(
    api_key: str | None,
    api_key_env: str | None,
    *,
    prompt_label: str,
    ask: Ask | None,
    env: Mapping[str, str] | None = None,
    suggest_env: str | None = None,
) -> str:
    """The API key from `--api-key`, else `$<api_key_env>`, else a hidden prompt on a terminal.

    Raises UsageError when both flags are given, AgentcostError when the variable is unset/empty or
    when nothing was given and prompting is not allowed. The key is registered for scrubbing
    before anything else happens to it. `suggest_env` (e.g. the provider's `key_env`): when nothing
    was given but that variable is set, a terminal user is offered to use it, and the non-interactive
    error's hint names `--api-key-env <it>`. `ask` (None: not interactive) asks on a terminal.
    """
    if api_key is not None and api_key_env:
        raise UsageError("give either --api-key or --api-key-env, not both")
    if api_key is not None:
        return validate_key(api_key, source="--api-key")
    environ = os.environ if env is None else env
    if api_key_env:
        name = validate_env_var_name(api_key_env)
        value = environ.get(name)
        if value is None or not value.strip():
            register(value)
            state = "not set" if value is None else "empty"
            raise AgentcostError(
                f"--api-key-env {name}: the variable ${name} is {state}",
                hint=f"export {name}=<your key> in this shell first (or in your shell profile)",
            )
        return validate_key(value, source=f"${name}")
    suggested = environ.get(suggest_env, "") if suggest_env else ""
    if ask is not None:
        if suggested.strip() and ask.confirm(f"Use the key in ${suggest_env}?", default=True):
            return validate_key(suggested, source=f"${suggest_env}")
        value = ask.text(f"{prompt_label} (input hidden)", hidden=True)
        return validate_key(value, source="the prompt")
    if suggested.strip():
        raise AgentcostError(
            "no API key given",
            hint=f"${suggest_env} is set: add --api-key-env {suggest_env} to use it (or see --help)",
        )
    raise AgentcostError("no API key given", hint=KEY_HINT)
