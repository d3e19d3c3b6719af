"""`agentcost prices`: the model price catalog (bundled, refreshable, overridable)."""

from __future__ import annotations

from typing import Any

import click
import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperCommand

from agentcost.errors import AgentcostError, UsageError
from agentcost.pricing.model import Price, format_rate
from agentcost.ui.console import console, emit_json

PRICE_COLUMNS = (
    ("input", "in"),
    ("cache_write_5m", "write 5m"),
    ("cache_write_1h", "write 1h"),
    ("cache_read", "read"),
    ("output", "out"),
)


class _PricesCommand(TyperCommand):
    """Adds the live override/cache paths to --help (they depend on the environment at call time)."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from rich.markup import escape

        from agentcost.pricing.catalog import CACHE_SOURCES, cache_path, overrides_path
        from agentcost.pricing.overrides import EXAMPLE

        example = "\n\n".join("    " + escape(line) for line in EXAMPLE.splitlines())
        caches = ", ".join(str(cache_path(s)) for s in CACHE_SOURCES)
        self.epilog = (
            f"Overrides file: {escape(str(overrides_path()))} — wins over everything; rates in $ per "
            f"million tokens, e.g.:\n\n{example}\n\n"
            f"Refreshed caches: {escape(caches)}"
        )
        super().format_help(ctx, formatter)


def _rate_cell(p: Price, kind: str) -> str:
    return format_rate(getattr(p, kind))


def _context_cell(p: Price) -> str:
    """The context window; "(see notes)" when a price tier starts at or past it (the source lists a
    standard window, e.g. 200,000, and higher rates for longer prompts that a beta window allows)."""
    if not p.context_window:
        return "—"
    if any(t.above >= p.context_window for t in p.tiers):
        return f"{p.context_window:,} (see notes)"
    return f"{p.context_window:,}"


def _extras(p: Price) -> str:
    bits: list[str] = []
    for t in p.tiers:
        rates = "/".join(
            format_rate(getattr(t, k)) if getattr(t, k) is not None else "·" for k in ("input", "output")
        )
        above = f"{t.above // 1000}k" if t.above % 1000 == 0 else f"{t.above:,}"
        bits.append(f"prompt >{above}: in/out {rates}")
    if p.peak is not None:
        bits.append(p.peak.describe())
    if p.free:
        bits.append("free (per source)")
    if p.note:
        bits.append(p.note)
    return "; ".join(bits)


def _origin_label(origin: str, shadowed: bool = False) -> str:
    if origin == "override":
        label = "override"
    elif origin.startswith("cache:"):
        label = f"refreshed ({origin[6:]})"
    else:
        label = "bundled"
    return label + (" (shadowed)" if shadowed else "")


def _render_listing(listing: Any, show_all: bool) -> None:
    from agentcost.pricing.catalog import overrides_path

    con = console()
    res = listing.resolution
    if res is not None:
        con.print(f"{res.query} → {res.model} ({res.step})", markup=False, highlight=False)
        if res.note:
            con.print(f"note: {res.note}", markup=False)
    sources: list[str] = []

    def src_ref(s: str) -> str:
        if s not in sources:
            sources.append(s)
        return f"[{sources.index(s) + 1}]"

    table = Table(
        title="Model prices, US$ per million tokens (in; cache write 5-minute / 1-hour; cache read; out)",
        title_justify="left",
    )
    widest = max(len(r.name) for r in listing.rows)
    table.add_column("model", overflow="fold", min_width=min(30, widest))
    for _, head in PRICE_COLUMNS:
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column("context", justify="right", no_wrap=True)
    table.add_column("long context / peak / notes", overflow="fold", min_width=18)
    table.add_column("source", justify="right", no_wrap=True)
    table.add_column("as of", no_wrap=True)
    table.add_column("from", no_wrap=True)
    for r in listing.rows:
        name = Text(r.name)
        if r.aliases:
            name.append(f" (alias: {', '.join(r.aliases)})", style="dim")
        if r.price is not None:
            p = r.price
            ctx = _context_cell(p)
            table.add_row(
                name,
                *(_rate_cell(p, k) for k, _ in PRICE_COLUMNS),
                ctx,
                Text(_extras(p)),
                Text(src_ref(p.source)),
                Text(p.as_of),
                Text(_origin_label(r.origin, r.shadowed)),
            )
        else:
            up = r.unpriced
            table.add_row(
                name,
                Text("n/a", style="yellow"),
                *([""] * 5),
                Text(f"unpriced: {up.reason}", style="yellow"),
                Text(src_ref(up.source)),
                Text(up.as_of),
                Text(_origin_label(r.origin, r.shadowed)),
            )
    con.print(table)
    for i, s in enumerate(sources, 1):
        con.print(f"[{i}] {s}", markup=False, highlight=False)
    if listing.defaults:
        dt = Table(title="Provider default models", title_justify="left")
        for col in ("provider", "slot", "model", "priced as"):
            dt.add_column(col, overflow="fold")
        for d in listing.defaults:
            r = d.resolution
            if r is None:
                priced = "n/a (unpriced: no price in our sources)"
            elif r.price is None:
                priced = f"n/a (unpriced: {r.unpriced.reason if r.unpriced else 'no price'})"
            else:
                priced = r.model + ("" if r.step == "exact" else f" ({r.step})")
                if r.note:
                    priced += f" — {r.note}"
            dt.add_row(Text(d.provider), Text(d.slot), Text(d.query), Text(priced))
        con.print(dt)
    if listing.hidden:
        con.print(f"{listing.hidden} duplicate spellings or shadowed rows hidden; --all shows them.")
    elif not show_all and not listing.resolution and listing.defaults:
        con.print("Showing the coding-agent families; --all lists every model.")
    con.print(
        "Costs use these rates per token kind, exact to the token (no rounding until display); "
        f"your overrides: {overrides_path()}",
        markup=False,
    )


def _do_refresh(source: str, url: str | None, json_out: bool) -> None:
    from agentcost.pricing.refresh import refresh

    result = refresh(source, url=url, show_progress=not json_out, transport=_transport())
    if json_out:
        emit_json({"refresh": result.as_dict()})
        return
    con = console()
    con.print(
        f"Fetched {result.priced:,} priced models ({result.unpriced:,} listed without a usable price) "
        f"from {result.url} ({result.bytes:,} bytes) → {result.path}",
        markup=False,
    )
    con.print(
        f"Compared with the {result.compared_with}: {len(result.added):,} added, "
        f"{len(result.changed):,} changed price, {len(result.removed):,} removed.",
        markup=False,
    )
    if result.changed:
        shown = ", ".join(result.changed[:15]) + (" …" if len(result.changed) > 15 else "")
        con.print(f"Changed: {shown}", markup=False)


def _transport() -> Any:
    """Hook for tests (httpx.MockTransport); None = a real network transport."""
    return None


def prices_cmd(
    pattern: str | None = typer.Argument(
        None, help="Substring or glob (*, ?) over model names and aliases, or an exact model name to resolve."
    ),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    show_all: bool = typer.Option(
        False, "--all", help="Every model, including dated and provider-prefixed duplicates."
    ),
    refresh_: bool = typer.Option(
        False, "--refresh", help="Download the latest prices (the only option that uses the network)."
    ),
    source: str = typer.Option(
        "litellm", "--source", help="What --refresh downloads: litellm or openrouter.", show_default=True
    ),
    url: str | None = typer.Option(
        None, "--url", help="With --refresh: fetch from this URL instead (a mirror or a local copy's server)."
    ),
) -> None:
    """Show model prices with their source and date; refresh them; see how a model name resolves.

    PATTERN is a substring or a glob (*, ?) matched against model names and aliases
    ("sonnet-4.5" also finds claude-sonnet-4-5), or an exact name as logged by an agent,
    whose resolution is shown (e.g. deepseek-ai/deepseek-v4-pro → deepseek-v4-pro).

    Every price has a source and an as-of date. A model we have no price for is shown as
    "n/a (unpriced: …)", never as $0. Rates are US dollars per million tokens; cache writes have a
    5-minute and a 1-hour rate where the vendor distinguishes them; some models bill more above a
    prompt size ("long context") or in peak hours.

    Examples:

        agentcost prices sonnet                       # Claude Sonnet models

        agentcost prices 'gpt-5*codex*'               # glob

        agentcost prices claude-sonnet-4-5-20250929   # how a logged name resolves

        agentcost prices deepseek --json

        agentcost prices --refresh                    # LiteLLM's database into the cache

        agentcost prices --refresh --source openrouter

    Precedence: your overrides file > a refreshed cache > the snapshot bundled with agentcost.
    Nothing touches the network unless --refresh is given.
    """
    if source not in ("litellm", "openrouter"):
        raise UsageError(f"--source must be litellm or openrouter, not {source!r}")
    if url is not None and not refresh_:
        raise UsageError("--url only makes sense with --refresh")
    if refresh_:
        if pattern:
            raise UsageError("--refresh takes no PATTERN; run `agentcost prices PATTERN` afterwards")
        _do_refresh(source, url, json_out)
        return
    from agentcost.pricing.catalog import CACHE_SOURCES, cache_path, overrides_path
    from agentcost.pricing.listing import build_listing

    listing = build_listing(pattern, show_all=show_all)
    if json_out:
        if not listing.rows:
            emit_json({"pattern": pattern, "models": [], "error": f"no model matches {pattern!r}"})
            raise typer.Exit(1)
        emit_json(
            {
                "pattern": pattern,
                "unit": "USD per million tokens",
                "resolution": listing.resolution.as_dict() if listing.resolution else None,
                "models": [r.as_dict() for r in listing.rows],
                "hidden_duplicates": listing.hidden,
                "provider_defaults": [
                    {
                        "provider": d.provider,
                        "slot": d.slot,
                        "model": d.query,
                        "resolution": d.resolution.as_dict() if d.resolution else None,
                    }
                    for d in listing.defaults
                ],
                "overrides_file": str(overrides_path()),
                "cache_files": {
                    s: str(cache_path(s)) if cache_path(s).exists() else None for s in CACHE_SOURCES
                },
            }
        )
        return
    if not listing.rows:
        raise AgentcostError(
            f"no model matches {pattern!r}",
            hint=f"`agentcost prices --all` lists every model; price your own in {overrides_path()}",
        )
    _render_listing(listing, show_all)


def register(app: typer.Typer) -> None:
    app.command("prices", cls=_PricesCommand)(prices_cmd)
