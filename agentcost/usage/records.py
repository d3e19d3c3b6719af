"""The record every log reader yields and `recommend` consumes (the contract between them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from agentcost.tokens import TokenCounts


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One provider response, counted once, with normalised token counts.

    timestamp: timezone-aware (UTC). agent: "claude" | "codex". session: the client's session id.
    project: working directory / project where the log says, else None. model / provider: as logged.
    """

    timestamp: datetime
    agent: str
    session: str
    project: str | None
    model: str | None
    provider: str | None
    tokens: TokenCounts
