"""`agentcost prices --refresh`: download a price database, validate it, cache it atomically.

The only code path in agentcost that reaches the network for prices, and only when asked. On any
failure (offline, HTTP error, over the size cap, truncated, malformed, implausibly small) the previous
cache is left untouched and a NetworkError (exit 1) says what happened.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentcost.errors import ConfigError, NetworkError
from agentcost.fileio import read_text, write_atomic
from agentcost.pricing import catalog as cat
from agentcost.pricing.catalog import FORMAT, Layer, bundled_layer, cache_path, layer_from_document
from agentcost.pricing.model import KINDS, Price
from agentcost.pricing.sources import CONVERTERS, SOURCES, SourceFormatError, dump_document, validate

if TYPE_CHECKING:
    import httpx

Progress = Callable[[int, int], None]  # (bytes received, bytes expected or 0)
MAX_BYTES = 50 * 1024 * 1024
TIMEOUT_S = 30.0
SOURCE_NAMES = {
    "litellm": "LiteLLM model_prices_and_context_window.json",
    "openrouter": "OpenRouter /api/v1/models",
}


@dataclass
class RefreshResult:
    source: str
    url: str
    path: Path
    fetched_at: str
    bytes: int
    priced: int
    unpriced: int
    compared_with: str  # "previous cache" | "bundled snapshot"
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "url": self.url,
            "path": str(self.path),
            "fetched_at": self.fetched_at,
            "bytes": self.bytes,
            "priced_models": self.priced,
            "unpriced_models": self.unpriced,
            "compared_with": self.compared_with,
            "added": len(self.added),
            "changed_price": len(self.changed),
            "removed": len(self.removed),
            "changed_models": self.changed,
            "added_models": self.added,
            "removed_models": self.removed,
        }


def retry_command(source: str, url: str | None = None) -> str:
    """The command that repeats this refresh (keeps --url when one was given)."""
    cmd = f"agentcost prices --refresh --source {source}"
    return cmd + (f" --url {shlex.quote(url)}" if url else "")


# What to do next depends on what failed: the network, the server's answer, or the document itself.
_HINTS = {
    "network": "check your connection and retry `{retry}`",
    "http": "the server answered but refused: check the URL, or retry later: `{retry}`",
    "content": (
        "the download worked but the document is not a usable {source} price file: check that the URL "
        "serves it (a mirror may be stale or an error page), or retry later: `{retry}`"
    ),
}


def _fail(message: str, source: str, cause: str = "network", retry: str | None = None) -> NetworkError:
    hint = _HINTS[cause].format(retry=retry or retry_command(source), source=source)
    return NetworkError(message + "; the previous price data was kept", hint=hint)


def download(
    url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
    source: str = "",
    retry: str | None = None,
) -> bytes:
    """GET `url` with a timeout and a size cap; `progress(received, expected)` after each chunk
    (expected 0 when the server does not say); the caller decides how to show it."""
    import httpx

    chunks: list[bytes] = []
    received = 0
    try:
        with (
            httpx.Client(transport=transport, timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url, headers={"Accept": "application/json"}) as resp,
        ):
            if resp.status_code != 200:
                raise _fail(f"download failed: HTTP {resp.status_code} from {url}", source, "http", retry)
            declared = resp.headers.get("content-length")
            expected = int(declared) if declared and declared.isdigit() else None
            if expected is not None and expected > max_bytes:
                raise _fail(
                    f"{url} is {expected:,} bytes, over the {max_bytes:,}-byte cap", source, "content", retry
                )
            # Decoded bytes: the cap also bounds what a compressed response expands to.
            for chunk in resp.iter_bytes():
                received += len(chunk)
                if received > max_bytes:
                    raise _fail(f"download exceeded the {max_bytes:,}-byte cap", source, "content", retry)
                chunks.append(chunk)
                if progress is not None:
                    progress(received, expected or 0)
            encoding = resp.headers.get("content-encoding", "identity").lower()
            if expected is not None and encoding == "identity" and received != expected:
                raise _fail(
                    f"truncated download: got {received:,} of {expected:,} bytes", source, retry=retry
                )
    except NetworkError:
        raise
    except httpx.TimeoutException:
        raise _fail(f"timed out after {timeout:g} s fetching {url}", source, retry=retry) from None
    except httpx.HTTPError as e:
        raise _fail(f"could not download {url} ({type(e).__name__}: {e})", source, retry=retry) from None
    except OSError as e:
        raise _fail(f"could not download {url} ({e})", source, retry=retry) from None
    data = b"".join(chunks)
    return data


def _rates_key(p: Price) -> tuple[object, ...]:
    return (*(p.rates()[k] for k in KINDS), p.tiers)


def diff_layers(old: Layer, new: Layer) -> tuple[list[str], list[str], list[str]]:
    """(added, changed price, removed) model names between two layers."""
    added = sorted(set(new.prices) - set(old.prices))
    removed = sorted(set(old.prices) - set(new.prices))
    changed = sorted(
        k for k in set(old.prices) & set(new.prices) if _rates_key(old.prices[k]) != _rates_key(new.prices[k])
    )
    return added, changed, removed


def build_document(source: str, raw: object, *, url: str, fetched_at: datetime) -> dict[str, Any]:
    """Convert + validate a downloaded document into the internal cache format. Raises SourceFormatError."""
    converted = CONVERTERS[source](raw)
    validate(converted, source)
    return {
        "format": FORMAT,
        "source": f"{SOURCE_NAMES[source]} ({url}), fetched {fetched_at.date().isoformat()}",
        "url": url,
        "fetched_at": fetched_at.isoformat(timespec="seconds"),
        "as_of": fetched_at.date().isoformat(),
        "models": converted.models,
        "unpriced": converted.unpriced,
    }


def refresh(
    source: str = "litellm",
    *,
    transport: httpx.BaseTransport | None = None,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
    url: str | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: float = TIMEOUT_S,
    progress: Progress | None = None,
) -> RefreshResult:
    """Download `source`, validate, write `<cache dir>/prices-<source>.json` atomically, report the diff."""
    if source not in SOURCES:
        raise NetworkError(f"unknown price source {source!r}", hint=f"choose one of: {', '.join(SOURCES)}")
    retry = retry_command(source, url)
    url = url or SOURCES[source]
    fetched_at = now or datetime.now(timezone.utc)
    data = download(
        url,
        transport=transport,
        timeout=timeout,
        max_bytes=max_bytes,
        progress=progress,
        source=source,
        retry=retry,
    )
    try:
        raw = json.loads(data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise _fail(f"the {source} document is not UTF-8 text", source, "content", retry) from None
    except json.JSONDecodeError as e:
        raise _fail(
            f"the {source} document is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}); "
            "truncated or not a price file",
            source,
            "content",
            retry,
        ) from None
    try:
        doc = build_document(source, raw, url=url, fetched_at=fetched_at)
        new_layer = layer_from_document(doc, origin=f"cache:{source}", path="(new)")
    except (SourceFormatError, ValueError) as e:
        raise _fail(f"rejected the {source} document: {e}", source, "content", retry) from None

    path = cache_path(source, env)
    old_layer: Layer | None = None
    compared = "bundled snapshot"
    old_text = read_text(path) if path.exists() else None
    if old_text is not None:
        try:
            old_doc = cat.load_json_document(old_text, str(path))
            old_layer = layer_from_document(old_doc, origin=f"cache:{source}", path=str(path))
            compared = "previous cache"
        except (ConfigError, ValueError):
            old_layer = None  # an unreadable old cache is simply replaced
    added, changed, removed = diff_layers(old_layer or bundled_layer(), new_layer)
    if old_layer is None:
        # bundled entries sourced elsewhere (a vendor's own pricing page) were never in this
        # database, and they still apply beneath the cache: not "removed"
        bundled = bundled_layer().prices
        removed = [n for n in removed if source.lower() in bundled[n].source.lower()]
    write_atomic(path, dump_document(doc), backup=False, old_text=old_text)
    cat.clear_cache()
    return RefreshResult(
        source=source,
        url=url,
        path=path,
        fetched_at=doc["fetched_at"],
        bytes=len(data),
        priced=len(new_layer.prices),
        unpriced=len(new_layer.unpriced),
        compared_with=compared,
        added=added,
        changed=changed,
        removed=removed,
    )
