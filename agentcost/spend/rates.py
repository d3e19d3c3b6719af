"""API-priced cost of single requests (rows), with the price lookups memoised on disk.

Each request is priced by `agentcost.pricing.cost` — the one cost engine — through its *class*:
(model, long-context tier chosen from this request's prompt, peak-hour or not). For each class the
per-token rate of every token kind is taken once from `cost()` with the price narrowed to that tier
(as `usage` does), so a row's cost is `Σ tokens × rate`: exact Decimal, equal to pricing it alone.

Looking a model up in the price catalog costs ~50 ms of imports and parsing, too slow for the
status line; so the `Price` found for each model is kept in `<cache dir>/spend-prices.marshal`,
valid while the catalog's inputs (bundled data, refreshed caches, user overrides, agentcost's
version) are unchanged (a stat of each). A model not in the memo is looked up in the catalog.
"""

from __future__ import annotations

import decimal
import marshal
import os
import time
from collections.abc import Mapping
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from agentcost import __version__, paths
from agentcost.usage.parse import MODEL, TS, Row

MEMO_FILE = "spend-prices.marshal"
_FORMAT = 1
_MILLION = Decimal(1_000_000)
_CTX = decimal.Context(prec=60)
_BUCKET = 900  # peak hours start and end on quarter hours
_KEEP_BUCKETS = 9 * 86400  # peak-hour answers kept in the memo (the hot path asks about recent times)


def _stat(p: str) -> list[int] | None:
    try:
        st = os.stat(p)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def fingerprint(env: Mapping[str, str] | None = None) -> list[Any]:
    """What the catalog's answer depends on (cheap: a few stats)."""
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
    cfg = paths.config_dir(env)
    cache = paths.cache_dir(env)
    return [
        _FORMAT,
        __version__,
        _stat(os.path.join(data, "prices.json")),
        _stat(os.path.join(data, "model_aliases.toml")),
        _stat(str(cfg / "prices.toml")),
        _stat(str(cache / "prices-litellm.json")),
        _stat(str(cache / "prices-openrouter.json")),
    ]


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def _undec(v: str | None) -> Decimal | None:
    return None if v is None else Decimal(v)


def price_to_data(p: Any) -> list[Any]:
    """A `pricing.Price` as marshal-able plain data (Decimals as exact strings)."""
    tiers = [
        [
            t.above,
            _dec(t.input),
            _dec(t.output),
            _dec(t.cache_write_5m),
            _dec(t.cache_write_1h),
            _dec(t.cache_read),
        ]
        for t in p.tiers
    ]
    peak = None
    if p.peak is not None:
        k = p.peak
        peak = [
            str(k.multiplier),
            list(k.windows) if k.windows is not None else None,
            k.utc_offset,
            k.label,
            k.effective_from.isoformat() if k.effective_from else None,
            k.source,
        ]
    return [
        p.model,
        _dec(p.input),
        _dec(p.output),
        _dec(p.cache_write_5m),
        _dec(p.cache_write_1h),
        _dec(p.cache_read),
        p.context_window,
        p.source,
        p.as_of,
        tiers,
        peak,
        p.free,
        p.provider,
        p.origin,
    ]


def price_from_data(d: list[Any]) -> Any:
    from agentcost.pricing.model import Peak, Price, Tier

    peak = None
    if d[10] is not None:
        m, windows, off, label, eff, src = d[10]
        peak = Peak(
            Decimal(m),
            tuple(windows) if windows is not None else None,
            off,
            label,
            date.fromisoformat(eff) if eff else None,
            src,
        )
    tiers = tuple(Tier(t[0], *(_undec(x) for x in t[1:])) for t in d[9])
    return Price(
        model=d[0],
        input=_undec(d[1]),
        output=_undec(d[2]),
        cache_write_5m=_undec(d[3]),
        cache_write_1h=_undec(d[4]),
        cache_read=_undec(d[5]),
        context_window=d[6],
        source=d[7],
        as_of=d[8],
        tiers=tiers,
        peak=peak,
        free=d[11],
        provider=d[12],
        origin=d[13],
    )


class Rates:
    """Prices rows: `row_cost(row) -> Decimal | None` (None = unpriced, never $0).

    Memo (per model, on disk): the Price as plain data, its tier thresholds, whether it has a peak
    schedule and its answers per quarter hour (last 9 days), and the per-token rates of each class
    already met — so a warm process prices rows without importing the catalog or the cost engine.
    Call `save()` afterwards to keep what was looked up for the next process.
    """

    def __init__(self, env: Mapping[str, str] | None = None, *, memo: bool = True) -> None:
        self.env = env
        self.use_memo = memo
        self.fp = fingerprint(env) if memo else []
        self.memo: dict[
            str, Any
        ] = {}  # model -> {"p": price data | None, "t": [tier thresholds], "k": peak?, "c": {class: rates}}
        self.dirty = False
        if memo:
            self._load()
        self.prices: dict[str | None, Any] = {}
        self.classes: dict[tuple[str | None, int | None, bool | None], tuple[Decimal, ...] | None] = {}
        self.peak_memo: dict[tuple[str | None, int], bool | None] = {}
        self.estimated = False

    def _path(self) -> str:
        return str(paths.cache_dir(self.env) / MEMO_FILE)

    def _load(self) -> None:
        try:
            with open(self._path(), "rb") as f:
                doc = marshal.load(f)
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(doc, dict) and doc.get("fp") == self.fp and isinstance(doc.get("models"), dict):
            self.memo = doc["models"]

    def save(self) -> None:
        if not self.use_memo or not self.dirty:
            return
        from agentcost.spend.recent import write_atomic

        oldest = int((time.time() - _KEEP_BUCKETS) // _BUCKET)
        for m in self.memo.values():
            if m.get("b"):
                m["b"] = {b: v for b, v in m["b"].items() if b >= oldest}
        try:
            data = marshal.dumps({"fp": self.fp, "models": self.memo})
        except ValueError:
            return
        if write_atomic(self._path(), data):
            self.dirty = False

    def _model(self, model: str) -> dict[str, Any]:
        m = self.memo.get(model)
        if m is None:
            from agentcost.pricing import price_for

            p = price_for(model)
            self.prices[model] = p
            m = self.memo[model] = {
                "p": price_to_data(p) if p is not None else None,
                "t": [t.above for t in p.tiers] if p is not None else [],
                "k": p is not None and p.peak is not None,
                "c": {},
            }
            self.dirty = True
        return m

    def price(self, model: str | None) -> Any:
        """The `pricing.Price` of a model (None = unpriced)."""
        if model in self.prices:
            return self.prices[model]
        p = None
        if model:
            data = self._model(model)["p"]
            p = self.prices.get(model) if model in self.prices else price_from_data(data) if data else None
        self.prices[model] = p
        return p

    def _class_rates(self, model: str, tier: int | None, peak: bool | None, ts: float) -> Any:
        m = self.memo[model]
        ck = f"{tier}:{peak}"
        got = m["c"].get(ck, False)
        if got is not False:
            rates = None if got is None else tuple(Decimal(x) for x in got[:5])
            if got is not None and got[5]:
                self.estimated = True
            self.classes[(model, tier, peak)] = rates
            return rates
        import dataclasses

        from agentcost.errors import AgentcostError
        from agentcost.pricing.model import cost
        from agentcost.tokens import TokenCounts

        price = self.price(model)
        narrowed = price
        if price.tiers:
            chosen = [t for t in price.tiers if t.above == tier]
            narrowed = dataclasses.replace(
                price, tiers=(dataclasses.replace(chosen[0], above=-1),) if chosen else ()
            )
        when = datetime.fromtimestamp(ts, timezone.utc)
        out: list[Decimal] = []
        estimated = False
        try:
            for i in range(5):
                counts = [0, 0, 0, 0, 0]
                counts[i] = 1_000_000
                b = cost(TokenCounts(*counts), narrowed, when=when)
                estimated = estimated or b.estimated
                out.append(b.total / _MILLION)
        except AgentcostError:
            m["c"][ck] = None
            self.dirty = True
            self.classes[(model, tier, peak)] = None
            return None
        self.estimated = self.estimated or estimated
        m["c"][ck] = [str(x) for x in out] + [estimated]
        self.dirty = True
        self.classes[(model, tier, peak)] = tuple(out)
        return self.classes[(model, tier, peak)]

    def row_cost(self, r: Row) -> Decimal | None:
        """Exact API-priced cost of one row; None when its model has no usable price."""
        model = r[MODEL]
        if not model:
            return None
        m = self.memo.get(model) or self._model(model)
        if m["p"] is None:
            return None
        tier: int | None = None
        if m["t"]:
            prompt = r[7] + r[8] + r[9] + r[10]
            for above in m["t"]:
                if prompt > above and (tier is None or above > tier):
                    tier = above
        peak: bool | None = None
        if m["k"]:
            b = int(r[TS] // _BUCKET)
            pk = (model, b)
            if pk in self.peak_memo:
                peak = self.peak_memo[pk]
            else:
                buckets = m.setdefault("b", {})
                if b in buckets:
                    peak = buckets[b]
                else:
                    peak = buckets[b] = self.price(model).peak.applies(
                        datetime.fromtimestamp(b * _BUCKET, timezone.utc)
                    )
                    self.dirty = True
                self.peak_memo[pk] = peak
        key = (model, tier, peak)
        rates = self.classes[key] if key in self.classes else self._class_rates(model, tier, peak, r[TS])
        if rates is None:
            return None
        c = _CTX
        return c.add(
            c.add(c.add(c.multiply(r[7], rates[0]), c.multiply(r[8], rates[1])), c.multiply(r[9], rates[2])),
            c.add(c.multiply(r[10], rates[3]), c.multiply(r[11], rates[4])),
        )
