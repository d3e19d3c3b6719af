"""User price overrides: `<config dir>/prices.toml` (wins over the refreshed cache and the bundled data).

    [models."my-model"]          # rates in dollars per million tokens
    input = 0.5
    output = 2.0
    cache_read = 0.05            # optional
    cache_write_5m = 0.625       # optional
    cache_write_1h = 1.0         # optional
    context_window = 128000      # optional
    free = false                 # optional: true marks a $0/$0 model as really free
    source = "my invoice"        # optional (default: this file)
    as_of = "2026-11-01"         # optional (default: the file's modification date)
    peak_multiplier = 2          # optional, with peak_windows + peak_utc_offset
    peak_windows = ["09:00-12:00", "14:00-18:00"]
    peak_utc_offset = "+08:00"
    [[models."my-model".tiers]]  # optional long-context tier(s)
    above_input_tokens = 200000
    input = 1.0
    output = 4.0

    [aliases]
    "my-gateway-name" = "claude-sonnet-4-5"   # price a custom name like a catalog model

A malformed file is an error (file:line:col), never silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from agentcost.errors import ConfigError
from agentcost.fileio import parse_toml, read_text
from agentcost.pricing.entries import Layer, parse_entry, parse_peak
from agentcost.pricing.model import KINDS

ENTRY_KEYS = frozenset(
    {
        *KINDS,
        "context_window",
        "free",
        "source",
        "as_of",
        "note",
        "tiers",
        "peak_multiplier",
        "peak_windows",
        "peak_utc_offset",
        "peak_label",
    }
)
TOP_KEYS = frozenset({"models", "aliases"})

EXAMPLE = """[models."my-model"]
input = 0.5
output = 2.0
cache_read = 0.05
cache_write_5m = 0.625
context_window = 128000"""


@dataclass(frozen=True)
class Overrides:
    layer: Layer
    aliases: dict[str, str]


def _find_line(text: str, model: str | None, key: str | None) -> tuple[int | None, int | None]:
    """Best-effort line/column of `key` inside the table of `model` (or of a top-level key)."""
    lines = text.splitlines()
    start = 0
    if model is not None:
        q = re.escape(model)
        header = re.compile(r"^\s*\[+\s*models\s*\.\s*(?:\"" + q + r"\"|'" + q + r"'|" + q + r")")
        for i, line in enumerate(lines):
            if header.match(line):
                start = i
                if key is None:
                    return i + 1, line.index("[") + 1
                break
        else:
            return None, None
    if key is not None:
        k = re.escape(key)
        pat = re.compile(r"^\s*(?:\[+\s*)?[\"']?" + k + r"[\"']?\s*(?:=|\]|\.)")
        sub_table = re.compile(r"^\s*\[+[^\]]*\.\s*[\"']?" + k + r"[\"']?\s*\]")  # [[models."x".tiers]]
        for i in range(start, len(lines)):
            if pat.match(lines[i]) or sub_table.match(lines[i]):
                return i + 1, len(lines[i]) - len(lines[i].lstrip()) + 1
    return None, None


def _offending_key(message: str, raw: dict[str, Any]) -> str | None:
    """The key an entry error is about, for its line number (tier keys included)."""
    tiers = raw.get("tiers")
    tier_keys = [k for t in tiers if isinstance(t, dict) for k in t] if isinstance(tiers, list) else []
    m = re.search(r"unknown key\(s\) ([\w, ]+)", message)
    if m:
        return m.group(1).split(",")[0].strip()
    for k in [*tier_keys, *raw]:
        if f".{k}" in message or f"].{k}" in message:
            return str(k)
    return "tiers" if ".tiers" in message else None


RATE_KEYS = ("input", "output", "cache_read", "cache_write_5m", "cache_write_1h")
MAX_RATE = 1_000_000  # dollars per million tokens: a dollar a token


def load_overrides(path: Path) -> Overrides | None:
    """Parse the overrides file; None when it does not exist. Raises ConfigError with line/col."""
    text = read_text(path)
    if text is None:
        return None
    doc: dict[str, Any] = parse_toml(text, path).unwrap()
    hint = f"expected tables like:\n{EXAMPLE}"

    def fail(msg: str, model: str | None = None, key: str | None = None) -> ConfigError:
        line, col = _find_line(text, model, key)
        return ConfigError(msg, path=path, line=line, column=col, hint=hint)

    for k in doc:
        if k not in TOP_KEYS:
            raise fail(f'unknown top-level key {k!r} (expected [models."name"] or [aliases])', key=k)
    try:
        mtime = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
    except OSError:
        mtime = ""
    layer = Layer(origin="override", path=str(path))
    models = doc.get("models", {})
    if not isinstance(models, dict):
        raise fail('`models` must be a table of tables: [models."name"]', key="models")
    for name, raw in models.items():
        if not isinstance(raw, dict):
            raise fail(f'models.{name}: expected a table [models."{name}"]', model=name)
        for k in raw:
            if k not in ENTRY_KEYS:
                raise fail(
                    f"models.{name}: unknown key {k!r} (known: {', '.join(sorted(ENTRY_KEYS))})",
                    model=name,
                    key=k,
                )
        for k in ("input", "output"):
            if k not in raw:
                raise fail(f"models.{name}: `{k}` is required (dollars per million tokens)", model=name)
        tiers = raw.get("tiers")
        tier_list = tiers if isinstance(tiers, list) else []  # a malformed `tiers` is parse_entry's to report
        for where, table in [("", raw), *((f".tiers[{i}]", t) for i, t in enumerate(tier_list))]:
            for k in RATE_KEYS:
                v = table.get(k) if isinstance(table, dict) else None
                if isinstance(v, int | float) and not isinstance(v, bool) and v > MAX_RATE:
                    # 1e308 (or inf) would overflow every cost computed from it
                    raise fail(
                        f"models.{name}{where}: {k} = {v!r} is out of range (at most {MAX_RATE:,} dollars "
                        "per million tokens)",
                        model=name,
                        key=k,
                    )
        entry = dict(raw)
        if "peak_multiplier" in entry:
            peak_raw = {
                "multiplier": entry.pop("peak_multiplier"),
                "windows": entry.pop("peak_windows", None),
                "utc_offset": entry.pop("peak_utc_offset", None),
                "label": entry.pop("peak_label", ""),
                "source": str(entry.get("source") or f"user override ({path})"),
            }
            try:
                entry["peak"] = parse_peak(peak_raw, f"models.{name}.peak")
            except ValueError as e:
                raise fail(str(e), model=name, key="peak_multiplier") from None
        elif any(k in entry for k in ("peak_windows", "peak_utc_offset", "peak_label")):
            raise fail(f"models.{name}: peak_windows/peak_utc_offset need peak_multiplier", model=name)
        try:
            price = parse_entry(
                name,
                {k: v for k, v in entry.items() if k != "peak"},
                origin="override",
                default_source=f"user override ({path})",
                default_as_of=mtime,
                peaks={},
            )
        except (ValueError, TypeError, AttributeError) as e:
            raise fail(str(e), model=name, key=_offending_key(str(e), raw)) from None
        if "peak" in entry:
            from dataclasses import replace

            price = replace(price, peak=entry["peak"])
        layer.prices[name] = price
    aliases_raw = doc.get("aliases", {})
    if not isinstance(aliases_raw, dict) or not all(isinstance(v, str) for v in aliases_raw.values()):
        raise fail('[aliases] maps names to catalog names: "my-name" = "claude-sonnet-4-5"', key="aliases")
    return Overrides(layer=layer, aliases={str(k): str(v) for k, v in aliases_raw.items()})
