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

The names load lazily (PEP 562): `import agentcost.pricing.model` alone does not load the catalog,
which keeps the status line (agentcost.statusline) fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agentcost.pricing.catalog import explain, price_for, unpriced_label
    from agentcost.pricing.model import (
        CostBreakdown,
        Peak,
        Price,
        Tier,
        UnpricedError,
        cost,
    )

_WHERE = {
    "explain": "catalog",
    "price_for": "catalog",
    "unpriced_label": "catalog",
    "CostBreakdown": "model",
    "Peak": "model",
    "Price": "model",
    "Tier": "model",
    "UnpricedError": "model",
    "cost": "model",
}

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


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"agentcost.pricing.{where}"), name)
    globals()[name] = value
    return value
