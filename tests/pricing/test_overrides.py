"""User overrides in <config dir>/prices.toml: precedence, validation with line/col, cache invalidation."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from agentcost import paths
from agentcost.errors import ConfigError
from agentcost.pricing import cost, price_for
from agentcost.pricing.catalog import overrides_path
from agentcost.pricing.refresh import refresh
from agentcost.tokens import TokenCounts

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pricing"


def write_overrides(text: str) -> Path:
    p = overrides_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_override_covers_every_spelling_of_the_model() -> None:
    write_overrides('[models."claude-sonnet-4-5"]\ninput = 1\noutput = 2\n')
    for name in ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5"):
        p = price_for(name)
        assert p is not None and p.origin == "override", name
        assert (p.input, p.output) == (Decimal(1), Decimal(2))
        assert p.source.startswith("user override (")


def test_override_beats_refreshed_cache_beats_bundled() -> None:
    doc = json.loads((FIXTURES / "litellm-subset-2026-07-24.json").read_text())
    doc["gpt-5"]["input_cost_per_token"] = 2e-06
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=json.dumps(doc).encode()))
    bundled = price_for("gpt-5")
    assert bundled is not None and bundled.input == Decimal("1.25") and bundled.origin == "bundled"
    refresh("litellm", transport=transport)
    cached = price_for("gpt-5")
    assert cached is not None and cached.input == Decimal(2) and cached.origin == "cache:litellm"
    write_overrides('[models."gpt-5"]\ninput = 3\noutput = 30\n')
    over = price_for("gpt-5")
    assert over is not None and over.input == Decimal(3) and over.origin == "override"


def test_full_override_with_cache_tiers_and_peak() -> None:
    write_overrides(
        """# my gateway's prices
[models."my-model"]
input = 0.5
output = 2.0
cache_read = 0.05
cache_write_5m = 0.625
cache_write_1h = 1.0
context_window = 128000
source = "invoice 2026-11"
as_of = "2026-11-01"
peak_multiplier = 3
peak_windows = ["08:00-10:00"]
peak_utc_offset = "+01:00"

[[models."my-model".tiers]]
above_input_tokens = 100000
input = 1.0
output = 4.0
"""
    )
    p = price_for("my-model")
    assert p is not None
    assert (p.cache_read, p.cache_write_5m, p.cache_write_1h) == (
        Decimal("0.05"),
        Decimal("0.625"),
        Decimal(1),
    )
    assert p.context_window == 128000 and p.source == "invoice 2026-11" and p.as_of == "2026-11-01"
    # 50k input at 08:30 local (07:30 UTC), inside the peak: 50000 * 0.5 / 1M * 3 = 0.075
    b = cost(TokenCounts(input=50_000), p, when=datetime(2026, 11, 26, 7, 30, tzinfo=timezone.utc))
    assert b.total == Decimal("0.075")
    # 1M input is above the 100k tier and in the peak: 1.0 * 3 = 3
    b = cost(TokenCounts(input=1_000_000), p, when=datetime(2026, 11, 26, 7, 30, tzinfo=timezone.utc))
    assert b.total == 3 and b.tier_above == 100_000
    # above the tier, off-peak: 200k * 1.0 / 1M = 0.2
    assert cost(TokenCounts(input=200_000), p).total == Decimal("0.2")


def test_user_alias() -> None:
    write_overrides('[aliases]\n"my-gateway/fast" = "claude-haiku-4-5"\n')
    p = price_for("my-gateway/fast")
    assert p is not None and p.model == "claude-haiku-4-5" and p.resolution == "alias of claude-haiku-4-5"


def test_zero_zero_override_needs_free_flag() -> None:
    write_overrides('[models."local-llm"]\ninput = 0\noutput = 0\n')
    assert price_for("local-llm") is None  # never $0 by accident
    write_overrides('[models."local-llm"]\ninput = 0\noutput = 0\nfree = true\n')
    p = price_for("local-llm")
    assert p is not None and p.free and cost(TokenCounts(input=10**6), p).total == 0


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[models."x"]\ninput = 1\noutput = \n', 3, "invalid TOML"),
        ('[models."x"]\ninput = 1\noutpt = 2\noutput = 2\n', 3, "unknown key 'outpt'"),
        ('[models."x"]\ninput = 1\n', 1, "`output` is required"),
        ('\n[models."x"]\ninput = -1\noutput = 2\n', 3, "must be a finite number >= 0"),
        ('[models."x"]\ninput = "cheap"\noutput = 2\n', 2, "not a number"),
        ('[models."x"]\ninput = 1\noutput = 2\ncontext_window = 1.5\n', 4, "whole number"),
        ('[models."x"]\ninput = 1\noutput = 2\npeak_multiplier = 2\npeak_windows = ["9-12"]\n', 4, "HH:MM"),
        ("[prices]\nx = 1\n", 1, "unknown top-level key"),
        ('[models."x"]\ninput = 1\noutput = 2\ncontext_window = inf\n', 4, "whole number"),
        ('[models."x"]\ninput = nan\noutput = 2\n', 2, "finite number"),
        ('[models."x"]\ninput = 1\noutput = 2\nas_of = 2026-11-01\nfree = "yes"\n', 5, "free"),
        ('[models."x"]\ninput = 1\noutput = 2\ntiers = 5\n', 4, "expected a list of tables"),
        ('[models."x"]\ninput = 1\noutput = 2\n[[models."x".tiers]]\nabove = 1\n', 5, "unknown key(s) above"),
    ],
)
def test_malformed_overrides_are_errors_with_line(text: str, line: int, fragment: str) -> None:
    path = write_overrides(text)
    with pytest.raises(ConfigError) as exc:
        price_for("x")
    assert fragment in str(exc.value)
    assert exc.value.path == path
    assert exc.value.line == line


def test_cache_invalidated_when_override_file_changes() -> None:
    path = write_overrides('[models."m"]\ninput = 1\noutput = 2\n')
    p1 = price_for("m")
    assert p1 is not None and p1.input == Decimal(1)
    path.write_text('[models."m"]\ninput = 5\noutput = 2\n', encoding="utf-8")  # same size
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    p2 = price_for("m")
    assert p2 is not None and p2.input == Decimal(5)
    path.unlink()
    assert price_for("m") is None


def test_switching_config_dirs_switches_prices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_overrides('[models."m"]\ninput = 1\noutput = 2\n')
    assert price_for("m") is not None
    monkeypatch.setenv("AGENTCOST_CONFIG_DIR", str(tmp_path / "other"))
    assert paths.config_dir() == tmp_path / "other"
    assert price_for("m") is None


def test_prefixed_user_alias_only_matches_exactly() -> None:
    write_overrides('[aliases]\n"corp/fast" = "claude-haiku-4-5"\n"Team-Big" = "claude-opus-4-8"\n')
    assert price_for("other/fast") is None
    big = price_for("team_big")  # unprefixed aliases match in any spelling
    assert big is not None and big.model == "claude-opus-4-8"


def test_override_can_price_a_model_the_bundle_lists_as_unpriced() -> None:
    assert price_for("qwen3-coder-plus") is None
    write_overrides('[models."qwen3-coder-plus"]\ninput = 0.14\noutput = 0.28\ncache_read = 0.0028\n')
    p = price_for("qwen3-coder-plus")
    assert p is not None and p.origin == "override" and p.input == Decimal("0.14")
