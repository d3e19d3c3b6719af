"""Price entries and layers: the format shared by the bundled snapshot, the refreshed caches and the
user's overrides, and its parser (pure: no files, no catalog).

`catalog.py` stacks layers; `overrides.py` builds one from the user's TOML; both use this module, so
neither imports the other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from agentcost.errors import ConfigError
from agentcost.pricing.model import KINDS, Peak, Price, Tier, parse_utc_offset, parse_window
from agentcost.pricing.resolve import NameIndex

FORMAT = 1


@dataclass(frozen=True)
class Unpriced:
    model: str
    reason: str
    source: str = ""
    as_of: str = ""
    origin: str = "bundled"


@dataclass
class Layer:
    """One source of prices: its entries, unpriced names and name index."""

    origin: str  # "override" | "cache:litellm" | "cache:openrouter" | "bundled"
    path: str
    prices: dict[str, Price] = field(default_factory=dict)
    unpriced: dict[str, Unpriced] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    _index: NameIndex | None = None

    @property
    def index(self) -> NameIndex:
        if self._index is None:
            self._index = NameIndex([*self.prices, *self.unpriced])
        return self._index


# ---------------------------------------------------------------------------------------------- parsing


def to_decimal(value: object, what: str) -> Decimal | None:
    """A rate from JSON/TOML (int, float, Decimal or numeric string) -> Decimal; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a number, got a boolean")
    if isinstance(value, float):
        value = repr(value)  # shortest round-trip repr: 0.3 -> "0.3", exact for short decimals
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{what}: not a number: {value!r}") from None
    if not d.is_finite() or d < 0:
        raise ValueError(f"{what}: must be a finite number >= 0, got {value!r}")
    return d


def _opt_int(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"{what}: expected a whole number, got {value!r}")
    if isinstance(value, (float, Decimal)) and not math.isfinite(value):
        raise ValueError(f"{what}: expected a positive whole number, got {value!r}")
    if int(value) != value or value <= 0:
        raise ValueError(f"{what}: expected a positive whole number, got {value!r}")
    return int(value)


def parse_peak(raw: Mapping[str, Any], what: str) -> Peak:
    mult = to_decimal(raw.get("multiplier"), f"{what}.multiplier")
    if mult is None or mult <= 0:
        raise ValueError(f"{what}.multiplier: required and > 0")
    windows = raw.get("windows")
    if windows is not None:
        if not isinstance(windows, list) or not all(isinstance(w, str) for w in windows):
            raise ValueError(f"{what}.windows: expected a list of 'HH:MM-HH:MM' strings")
        for w in windows:
            parse_window(w)
    offset = raw.get("utc_offset")
    if offset is not None:
        parse_utc_offset(str(offset))
    eff = raw.get("effective_from")
    eff_date = date.fromisoformat(str(eff)) if eff else None
    return Peak(
        multiplier=mult,
        windows=tuple(windows) if windows else None,
        utc_offset=str(offset) if offset is not None else None,
        label=str(raw.get("label", "")),
        effective_from=eff_date,
        source=str(raw.get("source", "")),
    )


def parse_entry(
    name: str,
    raw: Mapping[str, Any],
    *,
    origin: str,
    default_source: str,
    default_as_of: str,
    peaks: Mapping[str, Peak],
) -> Price:
    """One catalog entry -> Price. Raises ValueError with the field at fault."""
    rates = {k: to_decimal(raw.get(k), f"{name}.{k}") for k in KINDS}
    tiers: list[Tier] = []
    raw_tiers = raw.get("tiers") or []
    if not isinstance(raw_tiers, list) or not all(isinstance(t, Mapping) for t in raw_tiers):
        raise ValueError(f'{name}.tiers: expected a list of tables ([[models."{name}".tiers]])')
    for i, t in enumerate(raw_tiers):
        unknown = set(t) - {"above_input_tokens", *KINDS}
        if unknown:
            raise ValueError(f"{name}.tiers[{i}]: unknown key(s) {', '.join(sorted(unknown))}")
        above = _opt_int(t.get("above_input_tokens"), f"{name}.tiers[{i}].above_input_tokens")
        if above is None:
            raise ValueError(f"{name}.tiers[{i}]: above_input_tokens is required")
        tiers.append(Tier(above, **{k: to_decimal(t.get(k), f"{name}.tiers[{i}].{k}") for k in KINDS}))
    free = raw.get("free", False)
    if not isinstance(free, bool):
        raise ValueError(f"{name}.free: expected true or false, got {free!r}")
    for text_key in ("source", "as_of", "note", "provider"):
        v = raw.get(text_key)
        if v is not None and not isinstance(v, (str, date)):
            raise ValueError(f"{name}.{text_key}: expected a string, got {v!r}")
    peak_raw = raw.get("peak")
    peak: Peak | None = None
    if isinstance(peak_raw, str):
        if peak_raw not in peaks:
            raise ValueError(f"{name}.peak: unknown schedule {peak_raw!r}")
        peak = peaks[peak_raw]
    elif isinstance(peak_raw, Mapping):
        peak = parse_peak(peak_raw, f"{name}.peak")
    return Price(
        model=name,
        input=rates["input"],
        output=rates["output"],
        cache_write_5m=rates["cache_write_5m"],
        cache_write_1h=rates["cache_write_1h"],
        cache_read=rates["cache_read"],
        context_window=_opt_int(raw.get("context_window"), f"{name}.context_window"),
        source=str(raw.get("source") or default_source),
        as_of=str(raw.get("as_of") or default_as_of),
        tiers=tuple(sorted(tiers, key=lambda t: t.above)),
        peak=peak,
        free=free,
        provider=str(raw["provider"]) if raw.get("provider") is not None else None,
        origin=origin,
        note=str(raw["note"]) if raw.get("note") is not None else None,
    )


def layer_from_document(doc: Mapping[str, Any], *, origin: str, path: str) -> Layer:
    """Build a layer from the internal JSON format (bundled or cache). Raises ValueError."""
    if doc.get("format") != FORMAT or not isinstance(doc.get("models"), dict):
        raise ValueError(f"not an agentcost price file (format {FORMAT} with a 'models' table)")
    source = str(doc.get("source", ""))
    as_of = str(doc.get("as_of", ""))
    peaks = {k: parse_peak(v, f"peak_schedules.{k}") for k, v in (doc.get("peak_schedules") or {}).items()}
    layer = Layer(origin=origin, path=path, meta={k: v for k, v in doc.items() if k not in ("models",)})
    for name, raw in doc["models"].items():
        if not isinstance(raw, Mapping):
            raise ValueError(f"models.{name}: expected a table")
        layer.prices[name] = parse_entry(
            name, raw, origin=origin, default_source=source, default_as_of=as_of, peaks=peaks
        )
    for name, raw in (doc.get("unpriced") or {}).items():
        layer.unpriced[name] = Unpriced(
            model=name,
            reason=str(raw.get("reason", "no price in the source")),
            source=str(raw.get("source", source)),
            as_of=str(raw.get("as_of", as_of)),
            origin=origin,
        )
    return layer


def load_json_document(text: str, path: str) -> dict[str, Any]:
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise ConfigError(f"invalid JSON: {e.msg}", path=path, line=e.lineno, column=e.colno) from None
    if not isinstance(doc, dict):
        raise ConfigError("expected a JSON object", path=path)
    return doc
