"""One online probe for every agent (`doctor --online`): a `Target`, one timeout, one signature.

Each agent module provides `probe(target: Target, transport=None) -> list[Finding]` (the requests it
sends and how it reads the answers differ: Claude Code's Messages API, Codex's /models and /responses)
and `online_targets(...)` (what its configuration selects). What they share is here: the target (the
credential is sent, never shown: `key_source` says where it came from), the HTTP client (one timeout,
redirects never followed since they could carry the key elsewhere), and answer excerpts, masked.
The transport is injectable (tests pass an `httpx.MockTransport`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentcost.secrets import register, scrub

if TYPE_CHECKING:
    import httpx

TIMEOUT_S = 8.0  # per request; a probe sends one or two


@dataclass(frozen=True)
class Target:
    """One endpoint to probe."""

    base_url: str
    credentials: Mapping[str, str]  # HTTP header -> value, e.g. {"Authorization": "Bearer …"}
    key_source: str  # where the credential came from, for messages ("$ATLAS_API_KEY", a file)
    model: str | None
    file: str | None = None  # the configuration file the finding is about
    label: str = ""  # which of several configurations (a Codex profile), "" when only one
    headers: Mapping[str, str] = field(default_factory=dict)  # the agent's other headers

    def __post_init__(self) -> None:
        for value in self.credentials.values():
            register(value.removeprefix("Bearer "))


def client(transport: httpx.BaseTransport | None = None) -> httpx.Client:
    import httpx

    return httpx.Client(transport=transport, timeout=TIMEOUT_S, follow_redirects=False)


def excerpt(text: str, limit: int = 200) -> str:
    """An answer body on one line, cut to `limit` characters, secrets masked."""
    one_line = " ".join(text.split())
    return scrub(one_line[:limit] + ("…" if len(one_line) > limit else ""))
