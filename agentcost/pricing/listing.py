"""What `agentcost prices [PATTERN]` lists: rows from every layer, matched and de-duplicated (no I/O
beyond loading the catalog)."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from typing import Any

from agentcost.pricing.catalog import Catalog, Unpriced, bundled_layer, catalog, explain
from agentcost.pricing.model import KINDS, Price
from agentcost.pricing.resolve import Match, forms, normalise_separators

GLOB_CHARS = frozenset("*?[")


@dataclass
class Row:
    name: str
    origin: str
    price: Price | None = None
    unpriced: Unpriced | None = None
    aliases: list[str] = field(default_factory=list)
    shadowed: bool = False  # a higher layer answers for this name (e.g. an override of the undated name)

    def as_dict(self) -> dict[str, Any]:
        if self.price is not None:
            d = self.price.as_dict()
            d.pop("query", None)
            d.pop("resolution", None)
            d["priced"] = True
        else:
            assert self.unpriced is not None
            d = {
                "model": self.name,
                "priced": False,
                "unpriced_reason": self.unpriced.reason,
                "source": self.unpriced.source,
                "as_of": self.unpriced.as_of,
                "origin": self.origin,
            }
        d["aliases"] = self.aliases
        d["shadowed"] = self.shadowed
        return d


@dataclass
class Resolution:
    query: str
    model: str
    step: str
    note: str | None
    price: Price | None
    unpriced: Unpriced | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "model": self.model,
            "step": self.step,
            "note": self.note,
            "priced": self.price is not None,
            "unpriced_reason": self.unpriced.reason if self.unpriced else None,
        }


@dataclass
class DefaultModel:
    provider: str
    slot: str  # main | fast
    query: str
    resolution: Resolution | None


@dataclass
class Listing:
    rows: list[Row]
    hidden: int = 0
    resolution: Resolution | None = None
    defaults: list[DefaultModel] = field(default_factory=list)


def _all_rows(cat: Catalog) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for layer in cat.layers:  # highest precedence first: the first layer to name a key wins
        for name, p in layer.prices.items():
            rows.setdefault(name, Row(name, layer.origin, price=p))
        for name, up in layer.unpriced.items():
            rows.setdefault(name, Row(name, layer.origin, unpriced=up))
    return rows


def _rates(r: Row) -> tuple[object, ...] | None:
    if r.price is None:
        return None
    return (*(getattr(r.price, k) for k in KINDS), r.price.tiers, r.price.context_window)


def _is_twin(r: Row, bare: dict[str, Row]) -> bool:
    """A provider-prefixed or dated spelling of another listed key with the same rates."""
    base = normalise_separators(forms(r.name)[2])
    other = bare.get(base)
    return other is not None and other is not r and _rates(other) == _rates(r)


def _shadowed(r: Row) -> bool:
    """True when `price_for(r.name)` answers from a higher layer (an override of the undated name, say)."""
    price, up, _ = explain(r.name)
    hit = price if price is not None else up
    return hit is not None and (hit.origin != r.origin or hit.model != r.name)


def _matches(pattern: str, names: list[str]) -> bool:
    p = pattern.lower()
    if GLOB_CHARS & set(p):
        return any(
            fnmatch.fnmatchcase(n.lower(), p) or fnmatch.fnmatchcase(normalise_separators(n.lower()), p)
            for n in names
        )
    np = normalise_separators(p)
    return any(np in normalise_separators(n.lower()) for n in names)


def _resolution(query: str) -> Resolution | None:
    price, up, m = explain(query)
    if m is None:
        return None
    return _resolution_from(query, price, up, m)


def _resolution_from(query: str, price: Price | None, up: Unpriced | None, m: Match) -> Resolution:
    return Resolution(query, m.key, m.step, price.note if price else None, price, up)


def provider_defaults() -> list[DefaultModel]:
    from agentcost.providers import load_providers

    out: list[DefaultModel] = []
    for pid, prov in load_providers().items():
        for slot, model in (("main", prov.main_model), ("fast", prov.fast_model)):
            if not model or model in ("unknown", "none"):
                continue
            out.append(DefaultModel(pid, slot, model, _resolution(model)))
    return out


def featured_patterns() -> list[str]:
    return [str(p) for p in bundled_layer().meta.get("featured", [])]


def build_listing(pattern: str | None, *, show_all: bool = False) -> Listing:
    cat = catalog()
    rows = _all_rows(cat)
    alias_names: dict[str, list[str]] = {}
    for alias_name, target in cat.raw_aliases.items():
        m = None
        for layer in cat.layers:
            m = layer.index.lookup(target)
            if m is not None:
                break
        if m is not None:
            alias_names.setdefault(m.key, []).append(alias_name)
    for name, r in rows.items():
        r.aliases = sorted(alias_names.get(name, []))

    resolution: Resolution | None = None
    if pattern and not (GLOB_CHARS & set(pattern)):
        res = _resolution(pattern)
        if res is not None and res.step != "exact":
            resolution = res
    if resolution is not None:
        return Listing(
            rows=[rows[resolution.model]] if resolution.model in rows else [], resolution=resolution
        )

    if pattern:
        selected = [r for r in rows.values() if _matches(pattern, [r.name, *r.aliases])]
    elif show_all:
        selected = list(rows.values())
    else:
        pats = featured_patterns()
        selected = [r for r in rows.values() if any(fnmatch.fnmatchcase(r.name, p) for p in pats)]
    top = cat.layers[0].origin
    for r in selected:
        r.shadowed = r.origin != top and _shadowed(r)
    hidden = 0
    if not show_all:
        before = len(selected)
        selected = [r for r in selected if not r.shadowed or r.name == pattern]
        hidden += before - len(selected)
        bare: dict[str, Row] = {}
        for r in sorted(rows.values(), key=lambda r: (len(r.name), r.name)):
            if "/" not in r.name:
                bare.setdefault(normalise_separators(forms(r.name)[2]), r)
        kept = [r for r in selected if r.name == pattern or not _is_twin(r, bare)]
        hidden += len(selected) - len(kept)
        selected = kept
    selected.sort(key=lambda r: (r.price is None, r.name))
    return Listing(rows=selected, hidden=hidden, defaults=provider_defaults() if not pattern else [])
