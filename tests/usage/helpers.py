"""Small helpers shared by the usage tests."""

from __future__ import annotations

from collections.abc import Mapping

from agentcost.tokens import TokenCounts
from agentcost.usage import ReadStats, UsageRecord, iter_usage


def read(
    agents: tuple[str, ...] = ("claude", "codex"),
    use_cache: bool = False,
    env: Mapping[str, str] | None = None,
) -> tuple[list[UsageRecord], TokenCounts, ReadStats]:
    stats = ReadStats()
    recs = list(iter_usage(agents=agents, use_cache=use_cache, stats=stats, env=env))
    return recs, sum((r.tokens for r in recs), TokenCounts()), stats
