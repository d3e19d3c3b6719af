"""Codex base URLs: normalise what the user typed into the API root Codex appends `/responses` to.

Pure functions, no I/O. Codex sends `POST {base_url}/responses`, so `base_url` must be the
provider's OpenAI-compatible API root: `/v1` for most providers, but not all (Z.ai uses
`/api/paas/v4`). Rules, in order:

* no `http(s)://` scheme or no host -> refused (Codex fails with a "builder error" after retries);
* query strings and fragments are refused (Codex has `query_params` for that);
* trailing slashes are dropped;
* a path ending in `/responses` or `/chat/completions` is an endpoint, not a root: cut back;
* an empty path (bare host) gets `/v1` (else Codex calls `/responses` at the host root -> 404);
* any other path is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from agentcost.agents.urls import split_url
from agentcost.errors import AgentcostError
from agentcost.secrets import register

# Endpoint suffixes people paste instead of the root (longest first; compared case-insensitively).
ENDPOINT_SUFFIXES = ("/chat/completions", "/responses")


@dataclass(frozen=True)
class NormalizedUrl:
    """The normalised URL and one human sentence per change made (empty when unchanged)."""

    url: str
    original: str
    changes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.url != self.original


def _strip_endpoints(path: str) -> tuple[str, list[str]]:
    cut: list[str] = []
    while True:
        path = path.rstrip("/")
        lowered = path.lower()
        for suffix in ENDPOINT_SUFFIXES:
            if lowered.endswith(suffix):
                cut.append(path[len(path) - len(suffix) :])
                path = path[: len(path) - len(suffix)]
                break
        else:
            return path, cut


def normalize_base_url(raw: str, *, flag: str = "--base-url") -> NormalizedUrl:
    """Normalise a Codex `base_url` (see the module docstring). Idempotent; raises AgentcostError."""
    text = raw.strip()
    parts = split_url(text, flag=flag)
    if parts.username or parts.password:
        if parts.password:
            register(parts.password)
        raise AgentcostError(
            f"{flag} contains a user name or password (user:pass@host); it would be stored in plain text",
            hint="give the URL without credentials and the key with --api-key-env",
        )
    if parts.query or parts.fragment:
        raise AgentcostError(
            f"{flag} {text!r} has a query string or fragment",
            hint="give the API root only; Codex takes query parameters from `query_params` in the table",
        )
    changes: list[str] = []
    path, cut = _strip_endpoints(parts.path)
    for suffix in cut:
        changes.append(f"removed the endpoint {suffix!r}: Codex appends /responses to the API root itself")
    if not cut and parts.path != path:
        changes.append("removed the trailing slash")
    if not path:
        path = "/v1"
        changes.append("added /v1: with a bare host Codex would call /responses at the host root (404)")
    url = f"{parts.scheme.lower()}://{parts.netloc}{path}"
    return NormalizedUrl(url=url, original=text, changes=tuple(changes))


@dataclass(frozen=True)
class UrlProblem:
    """A problem with a configured base_url: which finding code, and the URL that would work."""

    code: str
    detail: str
    suggestion: str | None


def base_url_problem(url: str) -> UrlProblem | None:
    """Classify a `base_url` found in a config file (pure; used by doctor). None = looks fine."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        guess = f"https://{text.split('://', 1)[-1].lstrip('/')}" if text else None
        suggestion = None
        if guess:
            try:
                suggestion = normalize_base_url(guess).url
            except AgentcostError:
                suggestion = None
        return UrlProblem("CODEX_BASE_URL_NO_SCHEME", "has no http(s) scheme or no host", suggestion)
    path, cut = _strip_endpoints(parts.path)
    if cut:
        root = f"{parts.scheme}://{parts.netloc}{path or '/v1'}"
        return UrlProblem(
            "CODEX_BASE_URL_ENDPOINT",
            f"ends in the endpoint {cut[-1]!r}: Codex appends /responses and calls "
            f"{text.rstrip('/')}/responses",
            root,
        )
    if not path:
        return UrlProblem(
            "CODEX_BASE_URL_NO_V1",
            f"is a bare host: Codex calls POST {parts.scheme}://{parts.netloc}/responses, which is a 404 "
            "on OpenAI-compatible APIs",
            f"{parts.scheme}://{parts.netloc}/v1",
        )
    return None
