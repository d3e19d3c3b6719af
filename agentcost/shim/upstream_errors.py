"""Provider failures -> errors Codex shows with the provider's own words (keys masked).

An upstream HTTP error becomes the same HTTP status from the shim, with an OpenAI-style body
`{"error": {"message", "type", "code"}}` whose message names the provider host, its status and its
message. Codex 0.171.0 prints such a body ("unexpected status 400 Bad Request: {...}"), retries
429 and 5xx with back-off (honouring Retry-After) and gives up on the others after its retries.
An error *during* a stream becomes a `response.failed` event (see `stream.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from agentcost.secrets import scrub

MAX_MESSAGE = 600
_CONTEXT = re.compile(
    r"context[ _-]?(length|window)|maximum context|too many tokens|prompt is too long", re.I
)

_KIND = {
    400: ("invalid_request_error", "invalid_request_error"),
    401: ("authentication_error", "invalid_api_key"),
    402: ("insufficient_quota", "insufficient_quota"),
    403: ("permission_error", "permission_denied"),
    404: ("invalid_request_error", "not_found"),
    413: ("invalid_request_error", "request_too_large"),
    422: ("invalid_request_error", "invalid_request_error"),
    429: ("rate_limit_error", "rate_limit_exceeded"),
}


@dataclass(frozen=True)
class ShimError:
    """What the shim answers: HTTP status, OpenAI error type and code, a one-paragraph message."""

    status: int
    type: str
    code: str
    message: str
    retry_after: str | None = None

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "code": self.code, "param": None}}


def provider_message(body: bytes) -> str:
    """The human part of a provider's error body (JSON `error.message` and variants, else text)."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:MAX_MESSAGE]
    for candidate in _messages(data):
        if candidate:
            return " ".join(candidate.split())[:MAX_MESSAGE]
    return " ".join(text.split())[:MAX_MESSAGE]


def _messages(data: Any) -> list[str]:
    out: list[str] = []
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, dict):
            out += [str(err[k]) for k in ("message", "msg", "detail") if isinstance(err.get(k), str)]
        elif isinstance(err, str):
            out.append(err)
        out += [str(data[k]) for k in ("message", "detail", "msg") if isinstance(data.get(k), str)]
    elif isinstance(data, list) and data:
        out += _messages(data[0])
    return out


def from_status(
    status: int, body: bytes, host: str, key_source: str, retry_after: str | None = None
) -> ShimError:
    """An upstream HTTP error answer -> the shim's error."""
    said = scrub(provider_message(body)) or "(no message)"
    kind, code = _KIND.get(
        status, ("server_error", "server_error") if status >= 500 else ("api_error", "api_error")
    )
    if status == 400 and _CONTEXT.search(said):
        code = "context_length_exceeded"
    what = f"the provider ({host}) answered {status} to POST /chat/completions: {said}"
    if status in (401, 403):
        what += f" — check the key in {key_source}"
    elif status == 404:
        what += (
            " — wrong API root given to `agentcost shim --upstream`, or a model id the provider does not know"
        )
    if status == 429 and retry_after and retry_after.strip().isdigit():
        what += f" (try again in {int(retry_after)}s)"  # Codex waits that long before its retry
    return ShimError(status, kind, code, what, retry_after)


def unreachable(host: str, exc: BaseException) -> ShimError:
    """The upstream could not be reached (refused, DNS, TLS, timeout)."""
    name = type(exc).__name__
    detail = scrub(str(exc)) or "no detail"
    timeout = "Timeout" in name
    return ShimError(
        504 if timeout else 502,
        "server_error",
        "upstream_timeout" if timeout else "upstream_unreachable",
        f"agentcost shim cannot reach the provider ({host}): {name}: {detail} — is it down, or is the "
        "network / proxy (HTTPS_PROXY) blocking it?",
    )


def bad_request(message: str, code: str = "invalid_request_error", status: int = 400) -> ShimError:
    """A request the shim itself refuses (malformed, too large)."""
    return ShimError(status, "invalid_request_error", code, f"agentcost shim: {message}")
