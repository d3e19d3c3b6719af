"""Counting on the real client logs equals the hand-checked TRUTH.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentcost.tokens import TokenCounts
from agentcost.usage import ReadStats, iter_usage


def _totals(agent: str, use_cache: bool = True, **kw: Any) -> tuple[int, TokenCounts]:
    n, tot = 0, TokenCounts()
    for rec in iter_usage(agents=(agent,), use_cache=use_cache, **kw):
        n += 1
        tot = tot + rec.tokens
    return n, tot


@pytest.mark.parametrize("use_cache", [False, True])
def test_all_claude(real_logs: Path, truth: dict[str, Any], use_cache: bool) -> None:
    want = truth["all"]["claude"]
    for _ in range(2):  # second pass is served from the cache when enabled
        n, t = _totals("claude", use_cache)
        assert n == want["responses"]
        assert t.input == want["input_tokens"]
        assert t.output == want["output_tokens"]
        assert t.cache_write == want["cache_creation_input_tokens"]
        assert t.cache_read == want["cache_read_input_tokens"]


@pytest.mark.parametrize("use_cache", [False, True])
def test_all_codex(real_logs: Path, truth: dict[str, Any], use_cache: bool) -> None:
    want = truth["all"]["codex"]
    for _ in range(2):
        n, t = _totals("codex", use_cache)
        assert n == want["responses"]
        assert t.input == want["uncached_input_tokens"]
        assert t.cache_read == want["cached_input_tokens"]
        assert t.input + t.cache_read == want["input_tokens"]
        assert t.output == want["output_tokens"]
        assert t.reasoning == want["reasoning_output_tokens"]


def test_rich_claude_session(real_logs: Path, truth: dict[str, Any]) -> None:
    rich = truth["rich_sessions"]["claude"]
    recs = [r for r in iter_usage(agents=("claude",)) if r.session == "57dd3b31-594d-4fb4-b4fd-c6d6b71ec90c"]
    assert len(recs) == rich["responses"]
    t = sum((r.tokens for r in recs), TokenCounts())
    assert (t.input, t.output, t.cache_write, t.cache_read) == (410, 50, 10000, 50000)
    # the non-zero breakdown is kept; the zero-filled ones go to the 5-minute write
    assert t.cache_write_1h == rich["cache_creation_breakdown_totals"]["ephemeral_1h_input_tokens"]
    assert t.cache_write_5m == 600 + 2000 + 3000 + 4000
    assert {r.model for r in recs} == {"stub-main-model"}
    assert {r.project for r in recs} == {"/home/dev/webapp"}


def test_rich_codex_session(real_logs: Path, truth: dict[str, Any]) -> None:
    want = truth["rich_sessions"]["codex"]["totals"]
    recs = [r for r in iter_usage(agents=("codex",)) if r.session == "01a2178c-dadc-7390-b5fb-ad3c9bf1adbb"]
    assert len(recs) == 3
    t = sum((r.tokens for r in recs), TokenCounts())
    assert t.input == want["non_cached_input_tokens"]
    assert t.cache_read == want["cached_input_tokens"]
    assert t.output == want["output_tokens"]
    assert t.reasoning == want["reasoning_output_tokens"]
    assert {r.model for r in recs} == {"stub-codex-model"}
    assert {r.provider for r in recs} == {"stubprov"}
    assert {r.project for r in recs} == {"/home/dev/webapp"}


def test_stats_on_real_logs(real_logs: Path) -> None:
    stats = ReadStats()
    list(iter_usage(stats=stats))
    assert stats.files == 9
    assert stats.malformed_lines == 0
    assert stats.unreadable_files == 0
    assert stats.records == 15
