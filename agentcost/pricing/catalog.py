"""The price catalog: bundled snapshot < refreshed cache < user overrides, and `price_for`.

Layers (highest first): `<config dir>/prices.toml` (user overrides), `<cache dir>/prices-litellm.json`
then `<cache dir>/prices-openrouter.json` (written by `agentcost prices --refresh`), and the snapshot
bundled in the wheel (`agentcost/data/prices.json`). A name is resolved through every step in the
highest layer first (see `resolve.py`), so an override of `claude-sonnet-4-5` also covers
`claude-sonnet-4-5-20250929`.

Entry format (the bundled file and the cache files share it; rates in $ per million tokens):
  {"input": 3, "output": 15, "cache_write_5m": 3.75, "cache_write_1h": 6, "cache_read": 0.3,
   "context_window": 200000, "tiers": [{"above_input_tokens": 200000, "input": 6, ...}],
   "peak": "<schedule id>", "free": false, "provider": "anthropic", "source": "...", "as_of": "YYYY-MM-DD",
   "note": "..."}
Unpriced names are listed with a reason under "unpriced": {"name": {"reason": "...", "source": ...}}.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.errors import ConfigError
from agentcost.pricing.entries import (
    FORMAT,
    Layer,
    Unpriced,
    layer_from_document,
    load_json_document,
    parse_entry,
    parse_peak,
    to_decimal,
)
from agentcost.pricing.model import Price
from agentcost.pricing.resolve import Match, normalise_alias_table, resolve

# Re-exported: callers import the parsing names from here as well as from `entries`.
__all__ = [
    "FORMAT",
    "Catalog",
    "Layer",
    "Unpriced",
    "catalog",
    "explain",
    "layer_from_document",
    "load_json_document",
    "parse_entry",
    "parse_peak",
    "price_for",
    "to_decimal",
    "unpriced_label",
]

CACHE_SOURCES = ("litellm", "openrouter")  # precedence among refreshed caches, highest first
OVERRIDES_FILE = "prices.toml"


def overrides_path(env: Mapping[str, str] | None = None) -> Path:
    return paths.config_dir(env) / OVERRIDES_FILE


def cache_path(source: str, env: Mapping[str, str] | None = None) -> Path:
    return paths.cache_dir(env) / f"prices-{source}.json"


# ---------------------------------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def bundled_layer() -> Layer:
    text = resources.files("agentcost.data").joinpath("prices.json").read_text(encoding="utf-8")
    return layer_from_document(load_json_document(text, "prices.json"), origin="bundled", path="(bundled)")


@lru_cache(maxsize=1)
def _aliases_document() -> dict[str, Any]:
    """The bundled model_aliases.toml, parsed once (read-only: callers copy what they keep)."""
    import tomlkit

    text = resources.files("agentcost.data").joinpath("model_aliases.toml").read_text(encoding="utf-8")
    doc: dict[str, Any] = tomlkit.parse(text).unwrap()
    return doc


@lru_cache(maxsize=1)
def bundled_aliases() -> dict[str, str]:
    items = _aliases_document().get("aliases", {}).items()
    return {str(k): str(v["target"] if isinstance(v, dict) else v) for k, v in items}


@lru_cache(maxsize=1)
def prefix_notes() -> dict[str, str]:
    """Notes shown when a name resolved through a given provider prefix (e.g. Atlas's `deepseek-ai/`)."""
    return {str(k).lower(): str(v) for k, v in _aliases_document().get("prefix_notes", {}).items()}


def _stat_key(p: Path) -> tuple[str, int, int] | None:
    try:
        st = os.stat(p)
    except OSError:
        return None
    return (str(p), st.st_mtime_ns, st.st_size)


def _cache_layer(path: Path, source: str) -> Layer | None:
    text = path.read_text(encoding="utf-8") if path.exists() else None
    if text is None:
        return None
    try:
        doc = load_json_document(text, str(path))
        return layer_from_document(doc, origin=f"cache:{source}", path=str(path))
    except (ConfigError, ValueError) as e:
        raise ConfigError(
            f"refreshed price cache is unreadable ({e})",
            path=path,
            hint=f"run `agentcost prices --refresh --source {source}` again, or delete the file",
        ) from None


def _inherit_peaks(layer: Layer, bundled: Layer) -> None:
    """Price databases do not model time-of-day pricing: keep the bundled peak schedule for the same key."""
    for key, p in list(layer.prices.items()):
        b = bundled.prices.get(key)
        if p.peak is None and b is not None and b.peak is not None:
            layer.prices[key] = replace(p, peak=b.peak)


@dataclass
class Catalog:
    layers: list[Layer]  # highest precedence first
    aliases: dict[str, str]  # normalised lookup table
    raw_aliases: dict[str, str] = field(default_factory=dict)  # as written, for display
    _memo: dict[str, tuple[Price | None, Unpriced | None, Match | None]] = field(default_factory=dict)

    def lookup(self, model: str) -> tuple[Price | None, Unpriced | None, Match | None]:
        """(price, unpriced-entry, match) for `model`; price None = unpriced."""
        if model in self._memo:
            return self._memo[model]
        result: tuple[Price | None, Unpriced | None, Match | None] = (None, None, None)
        # Pass 1 accepts a reseller's prefixed key (openrouter's "deepseek/deepseek-v4-pro") only when the
        # asked name names that reseller path too, so a refreshed OpenRouter cache does not replace the
        # vendor's own price for "deepseek-v4-pro"; pass 2 takes any match.
        found: tuple[Layer, Match] | None = None
        for strict in (True, False):
            for layer in self.layers:
                m = resolve(model, layer.index, self.aliases)
                if m is not None and (not strict or _acceptable(model, m)):
                    found = (layer, m)
                    break
            if found is not None:
                break
        if found is not None:
            result = self._result(model, *found)
        self._memo[model] = result
        return result

    def _result(self, model: str, layer: Layer, m: Match) -> tuple[Price | None, Unpriced | None, Match]:
        if m.key in layer.unpriced:
            return (None, layer.unpriced[m.key], m)
        p = layer.prices[m.key]
        if not p.usable() or (not p.free and p.input == 0 and p.output == 0):
            reason = "the source gives no input or output price"
            if p.usable():
                reason = "the source lists $0 input and $0 output without marking the model free"
            return (None, Unpriced(m.key, reason, p.source, p.as_of, layer.origin), m)
        note = p.note
        low = model.strip().lower()
        pnote = next((v for k, v in prefix_notes().items() if low.startswith(k)), None)
        if pnote and m.step != "exact":
            note = f"{pnote}; {note}" if note else pnote
        return (replace(p, query=model, resolution=m.step, note=note), None, m)


def _acceptable(model: str, m: Match) -> bool:
    if "/" not in m.key or m.step.startswith("exact"):
        return True
    key_path = m.key.rsplit("/", 1)[0].lower() + "/"
    return key_path in model.strip().lower()


_CATALOG: tuple[tuple[object, ...], Catalog] | None = None


_PATH_ENV = ("AGENTCOST_CONFIG_DIR", "AGENTCOST_CACHE_DIR", "HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")


@lru_cache(maxsize=16)
def _paths_for(env_key: tuple[str | None, ...]) -> tuple[Path, tuple[tuple[str, Path], ...]]:
    env = {k: v for k, v in zip(_PATH_ENV, env_key, strict=True) if v is not None}
    return overrides_path(env), tuple((s, cache_path(s, env)) for s in CACHE_SOURCES)


def catalog(env: Mapping[str, str] | None = None) -> Catalog:
    """The merged catalog; rebuilt whenever the override or cache files change (path + mtime + size)."""
    global _CATALOG
    from agentcost.pricing.overrides import load_overrides

    e = os.environ if env is None else env
    ov_path, cache_paths = _paths_for(tuple(e.get(k) for k in _PATH_ENV))
    key = (_stat_key(ov_path), str(ov_path), *[(str(p), _stat_key(p)) for _, p in cache_paths])
    if _CATALOG is not None and _CATALOG[0] == key:
        return _CATALOG[1]
    layers: list[Layer] = []
    aliases = dict(bundled_aliases())
    ov = load_overrides(ov_path)
    if ov is not None:
        layers.append(ov.layer)
        aliases.update(ov.aliases)
    bundled = bundled_layer()
    for source, p in cache_paths:
        layer = _cache_layer(p, source)
        if layer is not None:
            _inherit_peaks(layer, bundled)
            layers.append(layer)
    layers.append(bundled)
    cat = Catalog(layers=layers, aliases=normalise_alias_table(aliases), raw_aliases=aliases)
    _CATALOG = (key, cat)
    return cat


def clear_cache() -> None:
    """Forget the merged catalog (tests; after a refresh writes a new cache)."""
    global _CATALOG
    _CATALOG = None


def price_for(model: str) -> Price | None:
    """The price for `model` in any spelling, or None when it is unpriced (NEVER treat None as $0).

    Resolution: exact → provider prefix stripped → date suffix stripped → dots/dashes normalised →
    aliases; user overrides first, then the refreshed cache, then the bundled snapshot.
    """
    if not model or not model.strip():
        return None
    return catalog().lookup(model)[0]


def explain(model: str) -> tuple[Price | None, Unpriced | None, Match | None]:
    """Like `price_for`, with the unpriced reason and how the name resolved."""
    return catalog().lookup(model)


def unpriced_label(model: str) -> str:
    """What to print in place of a cost for an unpriced model (never "$0")."""
    up = catalog().lookup(model)[1] if model else None
    if up is not None:
        return f"n/a (unpriced: {up.reason}; add it with `agentcost prices --help`)"
    return "n/a (unpriced: add it with `agentcost prices --help`)"
