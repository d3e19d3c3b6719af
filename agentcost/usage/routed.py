"""Requests the shim routed to another model: attribute them to that model, once, and price the saving.

Codex logs every request it made (a `token_usage_record` keyed by the response id) with the model
*it asked for*; the shim's routing record (agentcost.shim.routelog) says which model *answered and
was billed*, under the same response id. The Codex row stays the one count of the request (its
tokens are the provider's, passed through unchanged); the routing record only re-attributes its
model. A routing record with no Codex row (logs deleted, another machine, outside --since/--until)
adds nothing: it is counted as unmatched. Dry-run records never change attribution.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from agentcost.formats import money_json as usd
from agentcost.shim.routelog import RouteRecord, read_records
from agentcost.tokens import TokenCounts
from agentcost.usage.parse import AGENT, KEY, MODEL, TS, Row


@dataclass
class RoutePair:
    asked: str
    routed: str
    requests: int = 0
    tokens: TokenCounts = field(default_factory=TokenCounts)
    cost_asked: Decimal = Decimal(0)
    cost_routed: Decimal = Decimal(0)
    unpriced: bool = False  # one of the two models has no price: no saving claimed for this pair

    @property
    def saved(self) -> Decimal | None:
        return None if self.unpriced else self.cost_asked - self.cost_routed


@dataclass
class RoutingSummary:
    pairs: dict[tuple[str, str], RoutePair] = field(default_factory=dict)
    unmatched: int = 0  # routing records with no Codex log row in the report
    dry_run: int = 0  # dry-run records (would have routed) in the same period

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.pairs.values())

    @property
    def saved(self) -> Decimal:
        return sum((p.saved or Decimal(0) for p in self.pairs.values()), Decimal(0))

    @property
    def partly_unpriced(self) -> bool:
        return any(p.unpriced for p in self.pairs.values())


def _row_tokens(r: Row) -> TokenCounts:
    return TokenCounts(r[7], r[8], r[9], r[10], r[11], r[12])


def _price(model: str, tokens: TokenCounts, when: datetime) -> Decimal | None:
    from agentcost.pricing import cost, price_for

    price = price_for(model)
    return None if price is None else cost(tokens, price, when=when).total


class Attributor:
    """Wraps the row stream: routed Codex rows get the routed model; the summary fills as rows pass."""

    def __init__(
        self, records: Iterable[RouteRecord], since: float | None = None, until: float | None = None
    ) -> None:
        self.routes: dict[str, RouteRecord] = {}
        self.dry: dict[str, RouteRecord] = {}
        for rec in records:
            if (since is not None and rec.ts < since) or (until is not None and rec.ts >= until):
                continue
            (self.dry if rec.dry_run else self.routes)[f"x:{rec.response_id}"] = rec
        self.summary = RoutingSummary()
        self._matched: set[str] = set()
        self._span: list[float] = []

    def rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        routes, dry = self.routes, self.dry
        for r in rows:
            key = r[KEY]
            if key is not None and r[AGENT] == "codex":
                rec = routes.get(key)
                if rec is not None:
                    if key not in self._matched:  # iter_rows de-duplicates; counted once regardless
                        self._matched.add(key)
                        self._add(rec, r)
                    r = (*r[:MODEL], rec.routed, *r[MODEL + 1 :])  # type: ignore[assignment]
                elif key in dry:
                    self.summary.dry_run += 1
            yield r

    def _add(self, rec: RouteRecord, r: Row) -> None:
        pair = self.summary.pairs.get((rec.asked, rec.routed))
        if pair is None:
            pair = self.summary.pairs[(rec.asked, rec.routed)] = RoutePair(rec.asked, rec.routed)
        tokens = _row_tokens(r)
        when = datetime.fromtimestamp(r[TS], timezone.utc)
        pair.requests += 1
        pair.tokens = pair.tokens + tokens
        ca, cr = _price(rec.asked, tokens, when), _price(rec.routed, tokens, when)
        if ca is None or cr is None:
            pair.unpriced = True
        else:
            pair.cost_asked += ca
            pair.cost_routed += cr

    def finish(self) -> RoutingSummary:
        self.summary.unmatched = len(self.routes) - len(self._matched)
        return self.summary


def attributor(
    path: Path | None = None, since: datetime | None = None, until: datetime | None = None
) -> Attributor:
    """Records in [since, until) (with a minute of slack: the shim writes its record just before
    Codex logs the request)."""
    return Attributor(
        read_records(path),
        since.timestamp() - 60 if since else None,
        until.timestamp() + 60 if until else None,
    )


def summary_dict(s: RoutingSummary) -> dict[str, Any]:
    """The `routing` object of `usage --json` (amounts as decimal strings, like every cost there)."""
    return {
        "routed_requests": s.requests,
        "saved_usd": usd(s.saved),
        "partly_unpriced": s.partly_unpriced,
        "unmatched_records": s.unmatched,
        "dry_run_requests": s.dry_run,
        "routes": [
            {
                "asked": p.asked,
                "routed": p.routed,
                "requests": p.requests,
                "tokens": p.tokens.as_dict(),
                "cost_at_asked_usd": None if p.unpriced else usd(p.cost_asked),
                "cost_at_routed_usd": None if p.unpriced else usd(p.cost_routed),
                "saved_usd": None if p.saved is None else usd(p.saved),
            }
            for p in s.pairs.values()
        ],
    }
