"""Cost arithmetic, checked against hand-computed figures (rates in $ per million tokens)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from agentcost.pricing import CostBreakdown, Peak, Price, Tier, UnpricedError, cost, price_for
from agentcost.tokens import TokenCounts

D = Decimal
UTC = timezone.utc


def _price(name: str) -> Price:
    p = price_for(name)
    assert p is not None, name
    return p


def test_anthropic_style_with_5m_and_1h_cache_writes() -> None:
    # claude-sonnet-4-5: 3 in / 3.75 write-5m / 6 write-1h / 0.30 read / 15 out
    t = TokenCounts(input=1000, cache_write_5m=2000, cache_write_1h=3000, cache_read=10000, output=500)
    b = cost(t, _price("claude-sonnet-4-5-20250929"))
    assert b.input == D("0.003")  # 1000 * 3 / 1e6
    assert b.cache_write_5m == D("0.0075")  # 2000 * 3.75 / 1e6
    assert b.cache_write_1h == D("0.018")  # 3000 * 6 / 1e6
    assert b.cache_read == D("0.003")  # 10000 * 0.30 / 1e6
    assert b.output == D("0.0075")  # 500 * 15 / 1e6
    assert b.total == D("0.039")
    assert not b.estimated and b.tier_above is None


def test_openai_style_cached_input() -> None:
    # Codex logged input_tokens=10000 incl. cached 8000, output 1000 (400 of them reasoning);
    # normalised: input (uncached) 2000, cache_read 8000, output 1000. gpt-5: 1.25 / 0.125 / 10.
    t = TokenCounts(input=2000, cache_read=8000, output=1000, reasoning=400)
    b = cost(t, _price("gpt-5"))
    assert (b.input, b.cache_read, b.output) == (D("0.0025"), D("0.001"), D("0.01"))
    assert b.total == D("0.0135")  # reasoning is inside output, never charged twice


def test_long_context_tier_applies_to_the_whole_request() -> None:
    # prompt = 150000 + 60000 = 210000 > 200000: claude-sonnet-4-5's tier 6 / 0.60 / 22.5
    t = TokenCounts(input=150_000, cache_read=60_000, output=2000)
    b = cost(t, _price("claude-sonnet-4-5"))
    assert b.tier_above == 200_000
    assert (b.input, b.cache_read, b.output) == (D("0.9"), D("0.036"), D("0.045"))
    assert b.total == D("0.981")


def test_tier_threshold_is_strictly_above() -> None:
    t = TokenCounts(input=140_000, cache_read=60_000, output=2000)  # exactly 200000
    b = cost(t, _price("claude-sonnet-4-5"))
    assert b.tier_above is None
    assert b.total == D("0.42") + D("0.018") + D("0.03")


def test_openai_272k_tier() -> None:
    # gpt-5.4: 2.5 / 0.25 / 15 base; above 272k: 5 / 0.5 / 22.5
    t = TokenCounts(input=100_000, cache_read=200_000, output=10_000)
    b = cost(t, _price("gpt-5.4"))
    assert b.tier_above == 272_000
    assert b.total == D("0.5") + D("0.1") + D("0.225")


def test_tier_missing_a_field_uses_base_and_says_so() -> None:
    # claude-4-sonnet-20250514 has no 1-hour-write rate above 200k in LiteLLM
    t = TokenCounts(input=250_000, cache_write_1h=1000, output=10)
    b = cost(t, _price("claude-4-sonnet-20250514"))
    assert b.tier_above == 200_000
    assert b.cache_write_1h == D("0.006")  # base 6 $/M
    assert b.estimated and any("base rate used" in n for n in b.notes)


DS_TOKENS = TokenCounts(input=1_000_000, cache_read=2_000_000, output=100_000)
DS_OFF_PEAK = D("0.435") + D("0.00725") + D("0.087")  # 0.52925


@pytest.mark.parametrize(
    ("when", "peak"),
    [
        (datetime(2026, 11, 26, 2, 30, tzinfo=UTC), True),  # 10:30 Beijing
        (datetime(2026, 11, 26, 1, 0, tzinfo=UTC), True),  # 09:00 Beijing, start inclusive
        (datetime(2026, 11, 26, 4, 0, tzinfo=UTC), False),  # 12:00 Beijing, end exclusive
        (datetime(2026, 11, 26, 5, 0, tzinfo=UTC), False),  # 13:00 Beijing
        (datetime(2026, 11, 26, 9, 59, tzinfo=UTC), True),  # 17:59 Beijing
        (datetime(2026, 11, 26, 10, 0, tzinfo=UTC), False),  # 18:00 Beijing
        (datetime(2026, 11, 26, 18, 0, tzinfo=timezone(timedelta(hours=-8))), True),  # 10:00 Beijing next day
        (datetime(2026, 11, 26, 2, 30), True),  # naive = UTC
        (datetime(2026, 7, 1, 2, 30, tzinfo=UTC), False),  # before the schedule took effect
    ],
)
def test_deepseek_peak_multiplier(when: datetime, peak: bool) -> None:
    b = cost(DS_TOKENS, _price("deepseek-v4-pro"), when=when)
    assert b.total == (DS_OFF_PEAK * 2 if peak else DS_OFF_PEAK)
    assert b.peak_multiplier == (D(2) if peak else None)


def test_peak_without_time_uses_base_rates_and_says_so() -> None:
    b = cost(DS_TOKENS, _price("deepseek-v4-pro"))
    assert b.total == DS_OFF_PEAK
    assert any("not considered" in n for n in b.notes)


def test_peak_with_unknown_hours_is_never_applied_silently() -> None:
    p = Price("m", D(1), D(2), peak=Peak(multiplier=D(2)))
    b = cost(TokenCounts(input=1_000_000), p, when=datetime(2026, 11, 26, 3, tzinfo=UTC))
    assert b.total == D(1)
    assert b.estimated and any("may apply" in n for n in b.notes)


def test_missing_cache_read_rate_falls_back_to_input_and_is_flagged() -> None:
    p = Price("m", input=D(2), output=D(8))
    b = cost(TokenCounts(cache_read=1_000_000), p)
    assert b.cache_read == D(2) and b.estimated
    assert any("cache_read" in n for n in b.notes)


def test_missing_cache_write_rate_falls_back_to_input_and_is_flagged() -> None:
    # gpt-5 has no cache-write rate (OpenAI bills none); if such tokens show up, price at input.
    b = cost(TokenCounts(cache_write_5m=1_000_000), _price("gpt-5"))
    assert b.cache_write_5m == D("1.25") and b.estimated


def test_missing_1h_rate_falls_back_to_5m_and_is_flagged() -> None:
    # claude-3-haiku: LiteLLM's 1h figure contradicts Anthropic's rule and was dropped
    b = cost(TokenCounts(cache_write_1h=1_000_000), _price("claude-3-haiku-20240307"))
    assert b.cache_write_1h == D("0.3") and b.estimated


def test_no_estimate_flag_when_no_tokens_of_the_missing_kind() -> None:
    b = cost(TokenCounts(input=10, cache_read=10, output=10), _price("gpt-5"))
    assert not b.estimated and b.notes == ()


def test_unpriced_is_refused_never_zero() -> None:
    with pytest.raises(UnpricedError):
        cost(TokenCounts(input=1), None)
    with pytest.raises(UnpricedError):
        cost(TokenCounts(input=1), Price("m", input=None, output=D(1)))
    with pytest.raises(UnpricedError):
        cost(TokenCounts(input=1), price_for("no-such-model"))
    with pytest.raises(UnpricedError):
        cost(TokenCounts(input=1), Price("m", input=D(0), output=D(0)))
    assert cost(TokenCounts(input=1), Price("m", input=D(0), output=D(0), free=True)).total == 0


def test_zero_tokens_cost_zero_for_a_priced_model() -> None:
    assert cost(TokenCounts(), _price("gpt-5")).total == 0


def test_breakdowns_add_up() -> None:
    p = _price("claude-sonnet-4-5")
    a = cost(TokenCounts(input=1000), p)
    b = cost(TokenCounts(output=1000), p)
    s = a + b
    assert s.total == D("0.018") and s.requests == 2 and s.model == "claude-sonnet-4-5"
    assert (CostBreakdown() + a).total == a.total


def test_exact_decimal_no_float_drift() -> None:
    # 0.1 + 0.2 style drift cannot happen: 3 requests of 1 token at 0.1 $/M are exactly 3e-7.
    p = Price("m", input=D("0.1"), output=D("0.2"))
    total = sum((cost(TokenCounts(input=1), p) for _ in range(3)), CostBreakdown())
    assert total.total == D("3E-7")


def test_tier_objects() -> None:
    p = Price("m", D(1), D(2), tiers=(Tier(100, input=D(10)), Tier(1000, input=D(20))))
    assert cost(TokenCounts(input=101), p).tier_above == 100
    assert cost(TokenCounts(input=1001), p).tier_above == 1000


@pytest.mark.parametrize(
    ("hour", "minute", "inside"),
    [
        (22, 0, True),
        (23, 59, True),
        (0, 0, True),
        (1, 59, True),
        (2, 0, False),
        (21, 59, False),
        (12, 0, False),
    ],
)
def test_peak_window_wrapping_midnight(hour: int, minute: int, inside: bool) -> None:
    peak = Peak(multiplier=D(2), windows=("22:00-02:00",), utc_offset="+00:00")
    assert peak.applies(datetime(2026, 11, 26, hour, minute, tzinfo=UTC)) is inside


def test_peak_window_to_end_of_day() -> None:
    peak = Peak(multiplier=D(2), windows=("18:00-24:00",), utc_offset="-05:00")
    assert peak.applies(datetime(2026, 11, 27, 4, 59, tzinfo=UTC)) is True  # 23:59 local
    assert peak.applies(datetime(2026, 11, 27, 5, 0, tzinfo=UTC)) is False  # 00:00 local
