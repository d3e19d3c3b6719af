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
) -> tuple[Demand, Callable[[str], Demand | None]]:
    """Priced requests from the last `days` local days of the agents' logs (today included).

    Also returns `reprice(model)`: the same records priced at `model` (None if it has no price), for
    the plans that need a model switch. No priced usage is an answer too (an empty demand).
    """
    from agentcost.pricing import cost, price_for
    from agentcost.usage import iter_usage

    today = datetime.now(tz).date()
    since = datetime.combine(today - timedelta(days=days - 1), time(0), tzinfo=tz)
    cache: dict[str | None, object] = {}

    def pricer(fixed: object | None) -> Callable[[UsageRecord], Decimal | None]:
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
                return cost(rec.tokens, price, when=rec.timestamp).total  # type: ignore[arg-type]
            except AgentcostError:  # a price without input/output rates: unpriced, never $0
                return None

        return price_record

    fixed = price_or_error(as_model)[0] if as_model else None
    records = list(iter_usage(agents, since=since, until=since + timedelta(days=days), progress=progress))

    def build(fixed_price: object | None, model: str | None) -> Demand:
        return logs_demand(
            records, pricer(fixed_price), since=since, history_days=days, horizon_days=horizon, tz=tz,
            as_model=model,
        )  # fmt: skip

    demand = build(fixed, as_model)
    if not demand.requests:
        extra = f" ({sum(demand.unpriced.values()):,} on unpriced models)" if demand.unpriced else ""
        demand.notes.append(
            f"no priced usage in the last {days} days of {'/'.join(agents)} logs{extra}: "
            "each plan costs its fixed fee (describe usage instead with --pattern)"
        )

    def reprice(model: str) -> Demand | None:
        price = price_for(model)
        return build(price, model) if price is not None else None

    return demand, reprice
