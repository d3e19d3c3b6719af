"""Numbers as text: the ONE formatter each for money, tokens, sizes and plurals.

The money rule (docs/architecture.md, "Money"):

* JSON carries exact decimal strings at full precision (`money_json`): "0.000375", "12.50", "0.00".
  Nothing is rounded; a consumer that wants cents rounds itself. Derived figures (averages,
  estimates: a division) are given to the micro-dollar.
* Text rounds for display (`money`): amounts of a cent or more to the cent, half-up ($0.125 -> $0.13);
  a non-zero amount under a cent to two significant digits, half-up ($0.0000004 -> $0.0000004,
  $0.000625 -> $0.00063), so it never reads as "$0.00"; thousands separated by commas.

These are plain functions on the ground floor (no rich, nothing of agentcost imported): the renderers in
`agentcost.ui` use them, and so does domain prose that reaches JSON too (recommend's "reason").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

CENT = Decimal("0.01")
# Wide enough for any amount a log or a plan produces at full precision (the default 28 digits is not).
_WIDE = Context(prec=80)


def _dec(amount: Decimal | int | str) -> Decimal:
    return amount if isinstance(amount, Decimal) else Decimal(amount)


def money(amount: Decimal | int | str) -> str:
    """Dollars for people: $1,234.57 (half-up to the cent); under a cent two significant digits."""
    d = _dec(amount)
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d == 0 or d >= Decimal("0.005"):  # 0.005 rounds half-up to a cent: not "under a cent"
        return f"{sign}${d.quantize(CENT, rounding=ROUND_HALF_UP, context=_WIDE):,}"
    exp = d.adjusted() - 1  # two significant digits
    small = d.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_UP, context=_WIDE)
    return f"{sign}${small.normalize(_WIDE):f}"


MICRO = Decimal("0.000001")


def money_json(amount: Decimal | int | str, *, derived: bool = False) -> str:
    """Dollars for JSON: the exact value as a plain decimal string, at least two decimals ("0.50").

    `derived`: an average or an estimate (a division, whose exact expansion is noise), given to the
    micro-dollar, half-up."""
    d = _dec(amount)
    if derived:
        d = d.quantize(MICRO, rounding=ROUND_HALF_UP, context=_WIDE)
    d = d.normalize(_WIDE)
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int), "money is finite"
    return f"{d.quantize(CENT, context=_WIDE):f}" if exponent > -2 else f"{d:f}"


def rate(value: Decimal | None) -> str:
    """A $/M-token rate as the source gives it, without trailing zeros: 3, 3.75, 0.003625; "—" if absent."""
    if value is None:
        return "—"
    return f"{value.normalize(_WIDE):f}"


def tokens(n: int | float, *, compact: bool = False) -> str:
    """1,234,567 — or, `compact` (narrow tables, trees), three significant digits: 1.23M, 45.6k, 999."""
    if not compact or abs(n) < 10_000:
        return f"{round(n):,}"
    for limit, unit in ((1e3, "k"), (1e6, "M"), (1e9, "B")):
        v = n / limit
        rounded = float(f"{v:.3g}")
        if abs(rounded) < 1000 or unit == "B":
            decimals = 0 if abs(rounded) >= 100 else 1 if abs(rounded) >= 10 else 2
            return f"{rounded:,.{decimals}f}{unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def size(n: int | float) -> str:
    """Bytes in decimal units: 999 B, 1.5 KB, 12.3 MB, 1.2 GB."""
    v = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(v) < 1000 or unit == "GB":
            return f"{v:.0f} {unit}" if unit == "B" else f"{v:.1f} {unit}"
        v /= 1000
    return f"{v:.1f} GB"  # pragma: no cover


def plural(n: int | float, word: str, many: str | None = None) -> str:
    """ "1 file", "2 files", "1,658 files"; `many` for an irregular plural ("directories")."""
    count = f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"
    return f"{count} {word}" if n == 1 else f"{count} {many or word + 's'}"
