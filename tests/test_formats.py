"""The one formatter each for money, tokens, sizes and plurals (agentcost.formats) and the money rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from agentcost.formats import money, money_json, plural, rate, size, tokens


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (D("0.125"), "$0.13"),  # half-up, not half-even: the issue's $0.12 / $0.13 disagreement
        (D("0.039"), "$0.04"),
        (D("0.005"), "$0.01"),
        (D("1234.565"), "$1,234.57"),
        (D(0), "$0.00"),
        (D("0.0000004"), "$0.0000004"),  # never "$0.0000" nor "<$0.0001"
        (D("0.000625"), "$0.00063"),  # under a cent: two significant digits
        (D("0.0006"), "$0.0006"),
        (D("-0.004"), "-$0.004"),
        (D("-12.5"), "-$12.50"),
        (D("123456789012345678901234.5"), "$123,456,789,012,345,678,901,234.50"),
    ],
)
def test_money_text_rule(amount: D, text: str) -> None:
    assert money(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (D("0.0006"), "0.0006"),  # recommend --json used to say "0.00" here
        (D("0.000600"), "0.0006"),
        (D("0.125"), "0.125"),
        (D("1.5"), "1.50"),
        (D("1.500000"), "1.50"),
        (D(5), "5.00"),
        (D(0), "0.00"),
        (D("3E-7"), "0.0000003"),  # never exponent notation
        (D("123456789012345678901234.5"), "123456789012345678901234.50"),
    ],
)
def test_money_json_is_exact(amount: D, text: str) -> None:
    assert money_json(amount) == text
    assert D(money_json(amount)) == amount


def test_text_and_json_agree_on_tiny_amounts() -> None:
    # The same amount read from JSON and from the text must not contradict each other.
    for a in (D("0.0006"), D("0.0000004"), D("0.004")):
        assert money(D(money_json(a))) == money(a) and money(a) != "$0.00"


@pytest.mark.parametrize(
    ("n", "full", "short"),
    [
        (999, "999", "999"),
        (9_999, "9,999", "9,999"),
        (12_345, "12,345", "12.3k"),
        (999_499, "999,499", "999k"),
        (999_500, "999,500", "1.00M"),
        (1_234_567, "1,234,567", "1.23M"),
        (123_456_789, "123,456,789", "123M"),
        (5_432_100_000, "5,432,100,000", "5.43B"),
    ],
)
def test_tokens(n: int, full: str, short: str) -> None:
    assert tokens(n) == full and tokens(n, compact=True) == short


def test_size_plural_rate() -> None:
    assert [size(999), size(1500), size(12_300_000), size(2_000_000_000)] == [
        "999 B",
        "1.5 KB",
        "12.3 MB",
        "2.0 GB",
    ]
    assert plural(1, "file") == "1 file" and plural(1658, "file") == "1,658 files"
    assert plural(2, "directory", "directories") == "2 directories"
    assert rate(D("3.750")) == "3.75" and rate(D("0.003625")) == "0.003625" and rate(None) == "—"
    assert rate(D("3E+1")) == "30"


def test_derived_money_is_given_to_the_micro_dollar() -> None:
    # an average's exact expansion is noise: 20 / 30 days -> "0.666667", half-up
    assert money_json(D(20) / 30, derived=True) == "0.666667"
    assert money_json(D("0.0000005"), derived=True) == "0.000001" and money_json(D(5), derived=True) == "5.00"
