"""The routing record: one JSON line per routed (or dry-run) request, `<data dir>/routing.jsonl`.

    {"v": 1, "ts": "2026-12-05T09:10:00+00:00", "response_id": "resp_…", "asked": "big-model",
     "routed": "small-model", "upstream": "api.example.com", "rule": "tool results",
     "dry_run": false, "tokens": {"input": 1200, "cached": 0, "output": 40, "reasoning": 0},
     "cost_asked": "0.0123", "cost_routed": "0.0011"}

Append-only: each record is one `write()` of one line on a file opened with O_APPEND, under an
exclusive `flock` where the platform has it, so concurrent shims (or requests) never interleave.
`tokens` are the provider's own usage (OpenAI style: input includes cached; output includes
reasoning). Costs are at the prices known when the request ended (None = unpriced); `agentcost
usage` re-prices from the tokens with today's prices.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from agentcost.paths import data_dir
from agentcost.tokens import TokenCounts

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FILENAME = "routing.jsonl"


def record_path(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / FILENAME


@dataclass(frozen=True)
class RouteRecord:
    ts: float
    response_id: str
    asked: str
    routed: str
    upstream: str
    rule: str
    dry_run: bool
    input: int
    cached: int
    output: int
    reasoning: int

    @property
    def tokens(self) -> TokenCounts:
        """Normalised as agentcost counts (input = uncached input; output includes reasoning)."""
        return TokenCounts(
            input=max(0, self.input - self.cached),
            cache_write_5m=0,
            cache_write_1h=0,
            cache_read=self.cached,
            output=self.output,
            reasoning=self.reasoning,
        )


def usage_numbers(usage: Mapping[str, Any] | None) -> tuple[int, int, int, int]:
    """(input, cached, output, reasoning) of a Responses usage object (missing = 0)."""
    if not usage:
        return 0, 0, 0, 0

    def num(v: Any) -> int:
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else 0

    idet = usage.get("input_tokens_details")
    odet = usage.get("output_tokens_details")
    return (
        num(usage.get("input_tokens")),
        num(idet.get("cached_tokens")) if isinstance(idet, Mapping) else 0,
        num(usage.get("output_tokens")),
        num(odet.get("reasoning_tokens")) if isinstance(odet, Mapping) else 0,
    )


def price_of(model: str, tokens: TokenCounts, when: datetime) -> Decimal | None:
    from agentcost.pricing import cost, price_for

    price = price_for(model)
    if price is None:
        return None
    return cost(tokens, price, when=when).total


def make_line(
    *,
    response_id: str,
    asked: str,
    routed: str,
    upstream: str,
    rule: str,
    dry_run: bool,
    usage: Mapping[str, Any] | None,
    now: datetime | None = None,
) -> dict[str, Any]:
    when = now or datetime.now(timezone.utc)
    i, c, o, r = usage_numbers(usage)
    rec = RouteRecord(when.timestamp(), response_id, asked, routed, upstream, rule, dry_run, i, c, o, r)
    ca, cr = price_of(asked, rec.tokens, when), price_of(routed, rec.tokens, when)
    return {
        "v": 1,
        "ts": when.isoformat(),
        "response_id": response_id,
        "asked": asked,
        "routed": routed,
        "upstream": upstream,
        "rule": rule,
        "dry_run": dry_run,
        "tokens": {"input": i, "cached": c, "output": o, "reasoning": r},
        "cost_asked": None if ca is None else str(ca),
        "cost_routed": None if cr is None else str(cr),
    }


def append(line: Mapping[str, Any], path: Path | None = None) -> Path:
    """Append one record (one write, O_APPEND, flock'd): safe with concurrent writers."""
    p = path or record_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    fd = os.open(p, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    finally:
        os.close(fd)  # closing releases the lock
    return p


def _record(obj: Any) -> RouteRecord | None:
    if not isinstance(obj, dict):
        return None
    try:
        ts = datetime.fromisoformat(str(obj["ts"])).timestamp()
        t = obj.get("tokens") or {}
        return RouteRecord(
            ts=ts,
            response_id=str(obj["response_id"]),
            asked=str(obj["asked"]),
            routed=str(obj["routed"]),
            upstream=str(obj.get("upstream", "")),
            rule=str(obj.get("rule", "")),
            dry_run=bool(obj.get("dry_run", False)),
            input=int(t.get("input", 0)),
            cached=int(t.get("cached", 0)),
            output=int(t.get("output", 0)),
            reasoning=int(t.get("reasoning", 0)),
        )
    except (KeyError, ValueError, TypeError, AttributeError):
        return None


def read_records(path: Path | None = None) -> Iterator[RouteRecord]:
    """Every well-formed record (a torn or malformed line is skipped)."""
    p = path or record_path()
    try:
        f = p.open("rb")
    except OSError:
        return
    with f:
        for raw in f:
            try:
                rec = _record(json.loads(raw))
            except ValueError:
                continue
            if rec is not None:
                yield rec
