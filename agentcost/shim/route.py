"""Where a request goes: the seam for routing.

`Router` is any callable taking the parsed Responses request and returning a `Route` (which
upstream, which model). The shim calls it once per request, before translating; the default
(`single_upstream`) sends everything to the one upstream given on the command line, with the
model Codex asked for (or a fixed override). Cost routing rules (cheap work to cheap models)
plug in here as another `Router`, without touching the translation or the server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from agentcost.secrets import register


@dataclass(frozen=True)
class Upstream:
    """A Chat Completions provider: its API root (`{root}/chat/completions`) and key."""

    root: str
    api_key: str | None = None
    api_key_env: str | None = None  # named in messages instead of the key

    @property
    def host(self) -> str:
        parts = urlsplit(self.root)
        return parts.netloc or self.root

    @property
    def chat_url(self) -> str:
        return self.root.rstrip("/") + "/chat/completions"

    @property
    def models_url(self) -> str:
        return self.root.rstrip("/") + "/models"


@dataclass(frozen=True)
class Route:
    """Where one request goes. `asked` is set when a routing rule chose `model` instead of the model
    Codex asked for (or, with `dry_run`, would have: then `model` is still the asked-for one and
    `would_model` the rule's target). `rule` names the rule."""

    upstream: Upstream
    model: str
    asked: str | None = None
    rule: str | None = None
    dry_run: bool = False
    would_model: str | None = None
    would_upstream: str | None = None

    @property
    def routed(self) -> bool:
        return self.asked is not None and not self.dry_run


Router = Callable[[Mapping[str, Any]], Route]


def single_upstream(upstream: Upstream, model_override: str | None = None) -> Router:
    """Every request to `upstream`, with the requested model (or `model_override`). Registers the
    key for masking: a provider that quotes it back in an error message never shows it."""
    register(upstream.api_key)

    def route(request: Mapping[str, Any]) -> Route:
        requested = request.get("model")
        model = model_override or (requested if isinstance(requested, str) else "")
        return Route(upstream=upstream, model=model)

    return route
