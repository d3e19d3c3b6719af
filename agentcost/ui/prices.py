"""`agentcost prices` for people: the price table, provider defaults and the refresh summary."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from agentcost.formats import rate
from agentcost.pricing.listing import Listing
from agentcost.pricing.model import Price
from agentcost.pricing.refresh import RefreshResult
from agentcost.ui.tables import Column, fit_table

PRICE_COLUMNS = (
    # (Price field, header, drop rank: the highest goes first on a narrow terminal)
    ("input", "in", 0),
    ("cache_write_5m", "write 5m", 4),
    ("cache_write_1h", "write 1h", 5),
    ("cache_read", "read", 0),
    ("output", "out", 0),
)


def help_epilog(example: str, overrides_file: str, caches: str) -> str:
    """The live part of `prices --help`: where overrides and caches are (rich markup)."""
    body = "\n\n".join("    " + escape(line) for line in example.splitlines())
    return (
        f"Overrides file: {escape(overrides_file)} — wins over everything; rates in $ per "
        f"million tokens, e.g.:\n\n{body}\n\n"
        f"Refreshed caches: {escape(caches)}"
    )


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
            rate(getattr(t, k)) if getattr(t, k) is not None else "·" for k in ("input", "output")
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


def render_listing(listing: Listing, con: Console, *, show_all: bool, overrides_file: str) -> None:
    res = listing.resolution
    if res is not None:
        con.print(f"{res.query} → {res.model} ({res.step})", markup=False, highlight=False)
        if res.note:
            con.print(f"note: {res.note}", markup=False)
    # Source, date and layer go to numbered footnotes: one short column instead of three wide ones.
    sources: list[str] = []

    def src_ref(source: str, as_of: str, origin: str) -> str:
        dated = source if as_of and as_of in source else f"{source}, as of {as_of or 'unknown'}"
        s = f"{dated}; {_origin_label(origin)}"
        if s not in sources:
            sources.append(s)
        return f"[{sources.index(s) + 1}]"

    columns = [
        Column("model", kind="key"),
        *(Column(head, kind="number", justify="right", drop=drop) for _, head, drop in PRICE_COLUMNS),
        Column("context", kind="number", justify="right", drop=3),
        Column("long context / peak / notes", kind="text", min_width=18, drop=2),
        Column("src", kind="number", justify="right"),
    ]
    rows: list[list[object]] = []
    for r in listing.rows:
        name = Text(r.name)
        if r.aliases:
            name.append(f" (alias: {', '.join(r.aliases)})", style="dim")
        if r.origin != "bundled" or r.shadowed:  # the layer matters when it is not the default one
            name.append(f" · {_origin_label(r.origin, r.shadowed)}", style="dim")
        if r.price is not None:
            p = r.price
            rows.append(
                [
                    name,
                    *(rate(getattr(p, k)) for k, _, _ in PRICE_COLUMNS),
                    _context_cell(p),
                    Text(_extras(p)),
                    src_ref(p.source, p.as_of, r.origin),
                ]
            )
        else:
            up = r.unpriced
            assert up is not None
            rows.append(
                [
                    name,
                    Text("n/a", style="yellow"),
                    *([""] * 4),
                    "",
                    Text(f"unpriced: {up.reason}", style="yellow"),
                    src_ref(up.source, up.as_of, r.origin),
                ]
            )
    table, shown = fit_table(
        columns,
        rows,
        con.width,
        title="Model prices, US$ per million tokens (in; cache write 5-minute / 1-hour; cache read; out)",
    )
    con.print(table)
    for i, s in enumerate(sources, 1):
        con.print(f"[{i}] {s}", markup=False, highlight=False, soft_wrap=True)
    hidden = [c.header for c in columns if c not in shown]
    if hidden:
        con.print(
            f"Not shown at this width: {', '.join(hidden)} (a wider terminal or --json shows them).",
            markup=False,
        )
    if listing.defaults:
        drows: list[list[object]] = []
        for d in listing.defaults:
            rs = d.resolution
            if rs is None:
                priced = "n/a (unpriced: no price in our sources)"
            elif rs.price is None:
                priced = f"n/a (unpriced: {rs.unpriced.reason if rs.unpriced else 'no price'})"
            else:
                priced = rs.model + ("" if rs.step == "exact" else f" ({rs.step})")
                if rs.note:
                    priced += f" — {rs.note}"
            drows.append([Text(d.provider), Text(d.slot), Text(d.query), Text(priced)])
        dcols = [
            Column("provider", kind="key"),
            Column("slot", kind="key"),
            Column("model", kind="key"),
            Column("priced as", kind="text", min_width=20),
        ]
        dt, _ = fit_table(dcols, drows, con.width, title="Provider default models")
        con.print(dt)
    if listing.hidden:
        con.print(f"{listing.hidden} duplicate spellings or shadowed rows hidden; --all shows them.")
    elif not show_all and not listing.resolution and listing.defaults:
        con.print("Showing the coding-agent families; --all lists every model.")
    con.print(
        "Costs use these rates per token kind, exact to the token (no rounding until display); "
        f"your overrides: {overrides_file}",
        markup=False,
    )


def render_refresh(result: RefreshResult, con: Console) -> None:
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
