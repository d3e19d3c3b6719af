"""Convert public price databases into agentcost's internal format (pure: no I/O).

LiteLLM `model_prices_and_context_window.json`: {name: {input_cost_per_token, output_cost_per_token,
cache_creation_input_token_cost, cache_creation_input_token_cost_above_1hr, cache_read_input_token_cost,
*_above_<N>k_tokens, max_input_tokens, litellm_provider, mode, ...}} — dollars per token as numbers.
OpenRouter `GET /api/v1/models`: {"data": [{"id", "pricing": {"prompt", "completion", "input_cache_read",
"input_cache_write"} (dollars per token as strings), "context_length"}]}.

Both become {"models": {name: entry}, "unpriced": {name: {"reason": ...}}} with rates in $ per million.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

SOURCES = {
    "litellm": "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    "openrouter": "https://openrouter.ai/api/v1/models",
}
MIN_PRICED = 50  # fewer priced models than this = a truncated or wrong document
TEXT_MODES = frozenset({"chat", "responses", "completion"})
MILLION = Decimal(1_000_000)

_LITELLM_BASE = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_write_5m": "cache_creation_input_token_cost",
    "cache_write_1h": "cache_creation_input_token_cost_above_1hr",
    "cache_read": "cache_read_input_token_cost",
}
_TIER_RE = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_creation_input_token_cost"
    r"|cache_creation_input_token_cost_above_1hr|cache_read_input_token_cost)_above_(\d+)k_tokens$"
)
_TIER_KIND = {v: k for k, v in _LITELLM_BASE.items()}


class SourceFormatError(ValueError):
    """The downloaded document is not what the source publishes."""


@dataclass
class Converted:
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    unpriced: dict[str, dict[str, str]] = field(default_factory=dict)
    skipped: int = 0  # entries that are not text models (images, audio, embeddings) or not entries


def per_million(value: object) -> Decimal | None:
    """Dollars per token (number or numeric string) -> Decimal dollars per million tokens."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    return (d * MILLION).normalize()


def _num(d: Decimal) -> Decimal | int:
    """Store whole numbers as ints (3 rather than 3E+0) and everything else as plain decimals."""
    return int(d) if d == d.to_integral_value() else d


def _entry_from_litellm(name: str, raw: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    rates = {k: per_million(raw.get(src)) for k, src in _LITELLM_BASE.items()}
    if rates["cache_read"] is None and raw.get("input_cost_per_token_cache_hit") is not None:
        rates["cache_read"] = per_million(raw.get("input_cost_per_token_cache_hit"))
    if rates["input"] is None or rates["output"] is None:
        return None, "LiteLLM gives no per-token input or output price"
    if rates["input"] == 0 and rates["output"] == 0:
        return None, "LiteLLM lists $0 input and $0 output without marking the model free"
    entry: dict[str, Any] = {k: _num(v) for k, v in rates.items() if v is not None}
    notes: list[str] = []
    # Anthropic bills 1-hour cache writes at 2x input (its prompt-caching pricing); LiteLLM carries a few
    # legacy entries that contradict it. Drop the contradicting figure rather than bill with it.
    provider = str(raw.get("litellm_provider", ""))
    cw1h = rates["cache_write_1h"]
    if provider == "anthropic" and cw1h is not None and cw1h != 2 * rates["input"]:
        entry.pop("cache_write_1h")
        notes.append(f"LiteLLM's 1-hour cache-write rate ({cw1h}) contradicts Anthropic's 2x-input rule")
    tiers: dict[int, dict[str, Any]] = {}
    for key, value in raw.items():
        m = _TIER_RE.match(key)
        if not m:
            continue
        rate = per_million(value)
        if rate is None:
            continue
        above = int(m.group(2)) * 1000
        kind = _TIER_KIND[m.group(1)]
        tiers.setdefault(above, {"above_input_tokens": above})[kind] = _num(rate)
    if tiers:
        entry["tiers"] = [tiers[k] for k in sorted(tiers)]
    ctx = raw.get("max_input_tokens")
    if isinstance(ctx, int) and not isinstance(ctx, bool) and ctx > 0:
        entry["context_window"] = ctx
    if provider:
        entry["provider"] = provider
    if isinstance(raw.get("source"), str) and raw["source"].startswith("http"):
        entry["source"] = raw["source"]
    if isinstance(raw.get("_comment"), str):
        notes.append(raw["_comment"])
    if notes:
        entry["note"] = "; ".join(notes)
    return entry, None


def from_litellm(doc: object) -> Converted:
    """Convert a LiteLLM price document. Raises SourceFormatError on the wrong shape."""
    if not isinstance(doc, Mapping):
        raise SourceFormatError("expected a JSON object mapping model names to price entries")
    out = Converted()
    for name, raw in doc.items():
        if name == "sample_spec" or not isinstance(raw, Mapping):
            out.skipped += 1
            continue
        mode = raw.get("mode")
        if mode is not None and mode not in TEXT_MODES:
            out.skipped += 1
            continue
        entry, reason = _entry_from_litellm(str(name), raw)
        if entry is not None:
            out.models[str(name)] = entry
        elif reason is not None:
            out.unpriced[str(name)] = {"reason": reason}
    return out


def from_openrouter(doc: object) -> Converted:
    """Convert OpenRouter's /api/v1/models document. Raises SourceFormatError on the wrong shape."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
        raise SourceFormatError('expected {"data": [...]} (OpenRouter /api/v1/models)')
    out = Converted()
    for item in doc["data"]:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            out.skipped += 1
            continue
        name = item["id"]
        pricing = item.get("pricing")
        if not isinstance(pricing, Mapping):
            out.unpriced[name] = {"reason": "OpenRouter lists no pricing for this model"}
            continue
        inp, outp = per_million(pricing.get("prompt")), per_million(pricing.get("completion"))
        if inp is None or outp is None or inp < 0 or outp < 0:
            # OpenRouter uses -1 for routers whose price depends on the model picked.
            out.unpriced[name] = {"reason": "OpenRouter gives no fixed per-token price (router or variable)"}
            continue
        free = inp == 0 and outp == 0 and name.endswith(":free")
        if inp == 0 and outp == 0 and not free:
            out.unpriced[name] = {"reason": "OpenRouter lists $0 input and $0 output without a :free marker"}
            continue
        entry: dict[str, Any] = {"input": _num(inp), "output": _num(outp)}
        cr, cw = per_million(pricing.get("input_cache_read")), per_million(pricing.get("input_cache_write"))
        if cr is not None and cr >= 0:
            entry["cache_read"] = _num(cr)
        if cw is not None and cw >= 0:
            entry["cache_write_5m"] = _num(cw)
        ctx = item.get("context_length")
        if isinstance(ctx, int) and not isinstance(ctx, bool) and ctx > 0:
            entry["context_window"] = ctx
        if free:
            entry["free"] = True
        entry["provider"] = "openrouter"
        out.models[name] = entry
    return out


CONVERTERS = {"litellm": from_litellm, "openrouter": from_openrouter}


def validate(converted: Converted, source: str) -> None:
    """Reject documents that parsed but are implausibly small (a truncated or wrong file)."""
    if len(converted.models) < MIN_PRICED:
        raise SourceFormatError(
            f"only {len(converted.models)} priced models in the {source} document "
            f"(expected at least {MIN_PRICED}); refusing to replace the cache"
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # float repr is the shortest round-trip form; read back with parse_float=Decimal it is exact.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def dump_document(doc: Mapping[str, Any]) -> str:
    """The internal price document as JSON text (Decimals as plain JSON numbers)."""
    import json

    return json.dumps(_jsonable(doc), indent=1, ensure_ascii=False, sort_keys=False) + "\n"
