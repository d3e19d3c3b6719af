"""Rendering of cost routing: the `agentcost usage` routing lines."""

from __future__ import annotations

from decimal import Decimal

from agentcost.formats import money
from agentcost.ui.console import console, esc
from agentcost.usage.routed import RoutingSummary


def _usd(d: Decimal) -> str:
    return money(d)


def render_routing(s: RoutingSummary) -> None:
    """After the usage table: what routing changed, per (asked -> routed) pair, and the saving."""
    con = console()
    if s.requests:
        extra = " (pairs with an unpriced model not counted)" if s.partly_unpriced else ""
        con.print(
            f"[bold]Routing saved {_usd(s.saved)}[/] on {s.requests} routed request(s){extra}: "
            "the table counts them at the model that answered.",
            highlight=False,
        )
        for p in s.pairs.values():
            if p.saved is None:
                prices = "unpriced (see agentcost prices)"
            else:
                prices = (
                    f"{_usd(p.cost_asked)} at {esc(p.asked)}'s prices, {_usd(p.cost_routed)} at "
                    f"{esc(p.routed)}'s: saved {_usd(p.saved)}"
                )
            con.print(
                f"  {esc(p.asked)} -> {esc(p.routed)}: {p.requests} request(s), "
                f"{p.tokens.total:,} tokens; {prices}",
                highlight=False,
            )
    if s.dry_run:
        con.print(
            f"[dim]Routing dry-run: {s.dry_run} request(s) would have been routed (still billed at the asked "
            "model; see routing.jsonl).[/]"
        )
    if s.unmatched:
        con.print(
            f"[dim]{s.unmatched} routing record(s) have no matching Codex log entry in this period: not "
            "counted.[/]"
        )
