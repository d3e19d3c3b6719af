from __future__ import annotations

import pytest

from agentcost.pricing import price_for, unpriced_label
from agentcost.pricing.catalog import explain

PREFIX_DOTS = "provider prefix stripped, dots/dashes normalised"


@pytest.mark.parametrize(
    ("name", "key", "step"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5", "exact"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929", "exact"),
        ("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5", PREFIX_DOTS),
        ("claude-sonnet-4.5", "claude-sonnet-4-5", "dots/dashes normalised"),
        (
            "openrouter/anthropic/claude-sonnet-4.5",
            "claude-sonnet-4-5",
            "provider prefix stripped, dots/dashes normalised",
        ),
        (
            "claude-sonnet-4.5-2025-09-29",
            "claude-sonnet-4-5",
            "date suffix stripped, dots/dashes normalised",
        ),
        ("bedrock/claude-sonnet-4-5", "claude-sonnet-4-5", "provider prefix stripped"),
        (
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "claude-sonnet-4-5-20250929",
            "provider prefix stripped",
        ),
        ("claude-sonnet-4-5-2025-09-29", "claude-sonnet-4-5", "date suffix stripped"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5", "date suffix stripped"),
        ("Claude-Sonnet-4-5", "claude-sonnet-4-5", "exact (case folded)"),
        ("MiniMax-M2.7", "minimax-m2.7", "exact (case folded)"),
        ("deepseek-ai/deepseek-v4-pro", "deepseek-v4-pro", "provider prefix stripped"),
        ("deepseek-ai/deepseek-v4-flash", "deepseek-v4-flash", "provider prefix stripped"),
        ("deepseek-v4-pro", "deepseek-v4-pro", "exact"),
        ("openai/gpt-5.1-codex", "gpt-5.1-codex", "provider prefix stripped"),
        ("gpt-5-1-codex", "gpt-5.1-codex", "dots/dashes normalised"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5-20251001", "exact"),
        ("claude-sonnet-4", "claude-sonnet-4-20250514", "catalog name has a date suffix"),
        ("claude-sonnet-4-0", "claude-sonnet-4-20250514", "alias of claude-sonnet-4-20250514"),
        ("claude-opus-4-8[1m]", "claude-opus-4-8", "provider prefix stripped"),
    ],
)
def test_spellings_resolve(name: str, key: str, step: str) -> None:
    p = price_for(name)
    assert p is not None
    assert p.model == key
    assert p.resolution == step
    assert p.query == name


def test_atlas_prefix_carries_a_note() -> None:
    p = price_for("deepseek-ai/deepseek-v4-pro")
    assert p is not None and p.note is not None
    assert "Atlas Cloud's rates may differ" in p.note


@pytest.mark.parametrize("name", ["no-such-model", "qwen3-coder-plus", "claude-sonnet-5", ""])
def test_unknown_or_unpriced_is_none(name: str) -> None:
    assert price_for(name) is None
    assert unpriced_label(name).startswith("n/a (unpriced:")
    assert "$0" not in unpriced_label(name).replace("$0 input", "")


def test_zero_zero_without_free_marker_is_unpriced() -> None:
    # LiteLLM lists volcengine's deepseek-v3-2-251201 at 0.0 / 0.0: not a statement that it is free.
    assert price_for("deepseek-v3-2-251201") is None
    _, up, _ = explain("deepseek-v3-2-251201")
    assert up is not None and "$0 input and $0 output" in up.reason


def test_stated_zero_for_one_field_is_real() -> None:
    p = price_for("deepseek-v4-flash")
    assert p is not None
    assert p.cache_write_5m == 0  # DeepSeek states 0 for cache writes
    assert str(p.input) == "0.14" and str(p.output) == "0.28" and str(p.cache_read) == "0.0028"


def test_unpriced_reason_in_label() -> None:
    assert "input-length tier" in unpriced_label("qwen3-coder-plus")


def test_resolution_says_which_side_changed() -> None:
    # `prices claude-sonnet-4` printed "→ claude-sonnet-4-20250514 (date suffix stripped)": a date was added
    _, _, m = explain("claude-sonnet-4")
    assert m is not None and m.key == "claude-sonnet-4-20250514"
    assert m.step == "catalog name has a date suffix"
    _, _, m = explain("claude-sonnet-4-5-2025-09-29")
    assert m is not None and m.key == "claude-sonnet-4-5" and m.step == "date suffix stripped"
