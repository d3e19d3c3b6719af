"""Invariants of the bundled data, the name rules and the cost arithmetic (hypothesis, modest sizes)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.pricing import cost, price_for
from agentcost.pricing.catalog import bundled_layer
from agentcost.pricing.model import KINDS, Price, Tier
from agentcost.pricing.resolve import forms
from agentcost.tokens import TokenCounts

counts = st.integers(min_value=0, max_value=5_000_000)
tokens = st.builds(TokenCounts, counts, counts, counts, counts, counts)
rates = st.decimals(min_value=0, max_value=200, places=6, allow_nan=False, allow_infinity=False)
prices = st.builds(
    Price,
    model=st.just("m"),
    input=rates,
    output=rates,
    cache_write_5m=st.none() | rates,
    cache_write_1h=st.none() | rates,
    cache_read=st.none() | rates,
).filter(lambda p: bool(p.input or p.output))  # $0/$0 without `free` is unpriced by rule


def test_every_bundled_price_is_usable_and_dated() -> None:
    layer = bundled_layer()
    assert len(layer.prices) >= 150
    for name, p in layer.prices.items():
        assert p.input is not None and p.output is not None, name
        assert not (p.input == 0 and p.output == 0 and not p.free), name
        assert p.source and len(p.as_of) == 10, name
        assert price_for(name) is not None, name
    for name, up in layer.unpriced.items():
        assert up.reason and up.source, name
        assert price_for(name) is None, name


def test_contract_families_are_priced() -> None:
    for name in (
        "claude-opus-4-5",
        "claude-opus-4-6",
        "claude-opus-4-7",
        "claude-opus-4-8",
        "claude-sonnet-4-5",
        "claude-sonnet-4-6",
        "claude-haiku-4-5",
        "gpt-5",
        "gpt-5-codex",
        "gpt-5.1",
        "gpt-5.1-codex",
        "gpt-5.2",
        "gpt-5.2-codex",
        "gpt-5.3-codex",
        "gpt-5.5",
        "deepseek-v4-flash",
        "deepseek-v4-pro",
    ):
        assert price_for(name) is not None, name


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./@:_[]", max_size=40))
def test_forms_are_idempotent(name: str) -> None:
    f = forms(name)
    assert forms(f[3])[3] == f[3]


@settings(max_examples=150, deadline=None)
@given(tokens, tokens, prices)
def test_cost_is_additive_and_non_negative(a: TokenCounts, b: TokenCounts, p: Price) -> None:
    ca, cb, cab = cost(a, p), cost(b, p), cost(a + b, p)
    assert ca.total >= 0 and cb.total >= 0
    assert cab.total == ca.total + cb.total  # exact Decimal: no drift
    assert cab.total == sum((getattr(cab, k) for k in KINDS), Decimal(0))


@settings(max_examples=100, deadline=None)
@given(tokens, prices)
def test_tier_never_cheaper_when_its_rates_are_higher(t: TokenCounts, p: Price) -> None:
    assert p.input is not None and p.output is not None
    tier = Tier(
        above=0,
        input=p.input * 2,
        output=p.output * 2,
        cache_write_5m=None if p.cache_write_5m is None else p.cache_write_5m * 2,
        cache_write_1h=None if p.cache_write_1h is None else p.cache_write_1h * 2,
        cache_read=None if p.cache_read is None else p.cache_read * 2,
    )
    import dataclasses

    tiered = dataclasses.replace(p, tiers=(tier,))
    if t.prompt_total > 0:
        assert cost(t, tiered).total >= cost(t, p).total


def test_bundled_rates_match_the_litellm_sample_they_cite() -> None:
    """Every bundled rate equals what the converter reads from the cited LiteLLM sample (no hand edits)."""
    import json
    from pathlib import Path

    from agentcost.pricing.sources import from_litellm

    sample = Path(__file__).parent.parent / "fixtures" / "pricing" / "litellm-subset-2026-07-24.json"
    conv = from_litellm(json.loads(sample.read_text(), parse_float=Decimal))
    layer = bundled_layer()
    curated_out = {"claude-sonnet-5"}  # expired promotion: listed as unpriced instead
    assert set(conv.models) - set(layer.prices) == curated_out
    assert curated_out <= set(layer.unpriced)
    # provider defaults LiteLLM lacks, priced from the vendor's own page (each cites its URL)
    vendor = {n for n, p in layer.prices.items() if "LiteLLM" not in p.source}
    assert vendor == {"deepseek-flash", "glm-4.5-air", "glm-4.7", "minimax-m3"}
    for name in vendor:
        assert "https://" in layer.prices[name].source and name not in conv.models, name
    for name, p in layer.prices.items():
        if name in vendor:
            continue
        src = conv.models[name]
        for k in KINDS:
            expected = src.get(k)
            assert (None if expected is None else Decimal(str(expected))) == getattr(p, k), (name, k)
        assert [t.above for t in p.tiers] == [t["above_input_tokens"] for t in src.get("tiers", [])], name
        assert p.context_window == src.get("context_window"), name
