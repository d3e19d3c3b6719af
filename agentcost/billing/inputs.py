"""Where `recommend`'s inputs come from: the local time zone, the usage logs, the price catalog.

The I/O side of billing (the simulation itself is pure: see simulate.py, demand.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from agentcost.billing.demand import Demand, logs_demand
from agentcost.errors import AgentcostError, UsageError
from agentcost.timezones import local_zone, resolve_tz
from agentcost.usage.records import UsageRecord


def zone(name: str | None) -> tzinfo:
    """--tz: an IANA name, UTC, an offset like UTC+8, or local (default)."""
    if not name or name.lower() == "local":
        return local_zone()
    try:
        return resolve_tz(name)
    except ValueError as e:
        raise UsageError(
            str(e), hint="use an IANA name (Europe/Paris), UTC, or an offset like UTC+8"
        ) from None


def price_or_error(model: str) -> tuple[Any, str]:
    """The catalog price of `model` and its resolved name; an unpriced model is an error."""
    from agentcost.pricing import price_for, unpriced_label

    price = price_for(model)
    if price is None:
        raise AgentcostError(
            f"{model}: {unpriced_label(model)}", hint="pick a priced model: `agentcost prices`"
        )
    return price, getattr(price, "model", model)


def demand_from_logs(
    agents: Sequence[str],
    days: int,
    horizon: int,
    tz: tzinfo,
    as_model: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> Demand:
    """Priced requests from the last `days` local days of the agents' logs (today included)."""
    from agentcost.pricing import cost, price_for
    from agentcost.usage import iter_usage

    today = datetime.now(tz).date()
    since = datetime.combine(today - timedelta(days=days - 1), time(0), tzinfo=tz)
    fixed = price_or_error(as_model)[0] if as_model else None
    cache: dict[str | None, object] = {}

    def price_record(rec: UsageRecord) -> Decimal | None:
        if fixed is not None:
            price = fixed
        else:
            if rec.model not in cache:
                cache[rec.model] = price_for(rec.model) if rec.model else None
            price = cache[rec.model]
        if price is None:
            return None
        try:
            return cost(rec.tokens, price, when=rec.timestamp).total
        except AgentcostError:  # a price without input/output rates: unpriced, never $0
            return None

    records = iter_usage(agents, since=since, until=since + timedelta(days=days), progress=progress)
    demand = logs_demand(
        records, price_record, since=since, history_days=days, horizon_days=horizon, tz=tz, as_model=as_model
    )
    if not demand.requests:
        extra = f" ({sum(demand.unpriced.values()):,} on unpriced models)" if demand.unpriced else ""
        raise AgentcostError(
            f"no priced usage in the last {days} days of {'/'.join(agents)} logs{extra}",
            hint="describe your usage instead: agentcost recommend --pattern steady --spend-per-day 5",
        )
    return demand
