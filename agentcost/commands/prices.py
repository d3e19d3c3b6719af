"""`agentcost prices`: the model price catalog (bundled, refreshable, overridable)."""

from __future__ import annotations

from typing import Any

import click
import typer
from typer.core import TyperCommand

from agentcost.errors import AgentcostError, UsageError
from agentcost.ui.console import console, emit_json, progress_bar


class _PricesCommand(TyperCommand):
    """Adds the live override/cache paths to --help (they depend on the environment at call time)."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from agentcost.pricing.catalog import CACHE_SOURCES, cache_path, overrides_path
        from agentcost.pricing.overrides import EXAMPLE
        from agentcost.ui.prices import help_epilog

        caches = ", ".join(str(cache_path(s)) for s in CACHE_SOURCES)
        self.epilog = help_epilog(EXAMPLE, str(overrides_path()), caches)
        super().format_help(ctx, formatter)


def _do_refresh(source: str, url: str | None, json_out: bool) -> None:
    from agentcost.pricing.refresh import refresh
    from agentcost.ui.prices import render_refresh

    with progress_bar("downloading prices", delay=0.0) as bar:
        result = refresh(source, url=url, progress=None if json_out else bar, transport=_transport())
    if json_out:
        emit_json({"refresh": result.as_dict()})
        return
    render_refresh(result, console())


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
    from agentcost.ui.prices import render_listing

    render_listing(listing, console(), show_all=show_all, overrides_file=str(overrides_path()))


def register(app: typer.Typer) -> None:
    app.command("prices", cls=_PricesCommand)(prices_cmd)
