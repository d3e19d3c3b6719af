"""Model prices: `price_for(model) -> Price | None` (None = unpriced, never $0) and `cost(tokens, price)`.

    from agentcost.pricing import price_for, cost, unpriced_label
    price = price_for("claude-sonnet-4-5-20250929")
    if price is None:
        print(unpriced_label("claude-sonnet-4-5-20250929"))
    else:
        breakdown = cost(tokens, price, when=record.timestamp)   # Decimal dollars per token kind
        print(breakdown.total)

Rates are Decimal dollars per million tokens; costs are exact (unrounded) Decimal dollars. See
`model.py` for the fallback rules and `catalog.py` for where prices come from.
"""

from __future__ import annotations

from agentcost.pricing.catalog import explain, price_for, unpriced_label
from agentcost.pricing.model import (
    CostBreakdown,
    Peak,
    Price,
    Tier,
    UnpricedError,
    cost,
)

__all__ = [
    "CostBreakdown",
    "Peak",
    "Price",
    "Tier",
    "UnpricedError",
    "cost",
    "explain",
    "price_for",
    "unpriced_label",
]
