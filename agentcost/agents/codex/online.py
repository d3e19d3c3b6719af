"""`doctor codex --online`: probe the configured provider with two tiny requests.

`GET {base_url}/models` and `POST {base_url}/responses` (input "ping", max_output_tokens 16 —
the smallest value OpenAI accepts —, stream false), each with `Authorization: Bearer <key>`.
Status codes become findings that name the real cause. The target, timeout and client are the
shared ones (`agents/online.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentcost.agents.findings import Finding, Severity
from agentcost.agents.online import TIMEOUT_S, Target, client, excerpt
from agentcost.secrets import scrub

if TYPE_CHECKING:
    import httpx

AGENT = "codex"
MAX_OUTPUT_TOKENS = 16


def _f(code: str, sev: Severity, message: str, fix: str | None, file: str | None) -> Finding:
    return Finding(code=code, severity=sev, message=message, fix=fix, file=file, agent=AGENT)


def _excerpt(resp: httpx.Response) -> str:
    try:
        text = excerpt(resp.text, 160)
    except Exception:
        return ""
    return f": {text}" if text else ""


def bearer(key: str | None) -> dict[str, str]:
    """Codex's credential header for `key` (none when no key would be sent)."""
    return {"Authorization": f"Bearer {key}"} if key else {}


def probe(target: Target, transport: httpx.BaseTransport | None = None) -> list[Finding]:
    """Two requests against one target; findings for 401/403, 404, connection errors, others."""
    import httpx

    base = target.base_url.rstrip("/")
    headers = {**target.headers, **target.credentials}
    tag = f"({target.label}) "
    out: list[Finding] = []
    with client(transport) as http:
        try:
            models = http.get(f"{base}/models", headers=headers)
        except httpx.HTTPError as e:
            return [
                _f(
                    "CODEX_ONLINE_UNREACHABLE",
                    Severity.ERROR,
                    f"{tag}cannot reach {base}/models ({type(e).__name__}: {scrub(str(e)) or 'no detail'}); "
                    "Codex would retry and then fail (or retry forever)",
                    "check the host name in base_url, your network, proxy (HTTPS_PROXY) and firewall",
                    target.file,
                )
            ]
        responses: httpx.Response | None = None
        if target.model:
            body = {
                "model": target.model,
                "input": "ping",
                "max_output_tokens": MAX_OUTPUT_TOKENS,
                "stream": False,
            }
            try:
                responses = http.post(f"{base}/responses", headers=headers, json=body)
            except httpx.TimeoutException:
                out.append(
                    _f(
                        "CODEX_ONLINE_UNREACHABLE",
                        Severity.WARNING,
                        f"{tag}POST {base}/responses gave no answer within {TIMEOUT_S:.0f} s (GET /models "
                        f"answered {models.status_code}): a slow model, or an endpoint that hangs",
                        "try again; if Codex also hangs, check the provider's status page",
                        target.file,
                    )
                )
            except httpx.HTTPError as e:
                out.append(
                    _f(
                        "CODEX_ONLINE_UNREACHABLE",
                        Severity.ERROR,
                        f"{tag}POST {base}/responses failed ({type(e).__name__})",
                        "check your network and the provider's status page",
                        target.file,
                    )
                )
    post_failed = bool(out)
    statuses = [r for r in (models, responses) if r is not None]
    if any(r.status_code in (401, 403) for r in statuses):
        r = next(r for r in statuses if r.status_code in (401, 403))
        out.append(
            _f(
                "CODEX_ONLINE_UNAUTHORIZED",
                Severity.ERROR,
                f"{tag}{r.request.method} {r.request.url} answered {r.status_code}: the key from "
                f"{target.key_source} was refused" + ("" if target.credentials else " (no key was sent)"),
                f"check the key in {target.key_source} (a key for this provider, not expired, with credit)",
                target.file,
            )
        )
        return out
    if post_failed:
        return out
    if responses is not None and responses.status_code == 404:
        if models.status_code == 404:
            cause = (
                "neither /models nor /responses exists there: base_url is probably not the API root "
                "(missing /v1 or a provider-specific prefix such as /api/paas/v4)"
            )
        else:
            cause = (
                "/models works but /responses does not: the provider probably does not serve the OpenAI "
                "Responses API, which is all current Codex speaks"
            )
        out.append(
            _f(
                "CODEX_ONLINE_NOT_FOUND",
                Severity.ERROR,
                f"{tag}POST {base}/responses answered 404{_excerpt(responses)}; {cause}",
                "compare base_url with the provider's OpenAI-compatible root; if it lacks the Responses "
                "API, use a translating proxy or another provider",
                target.file,
            )
        )
        return out
    if responses is None and models.status_code == 404:
        out.append(
            _f(
                "CODEX_ONLINE_NOT_FOUND",
                Severity.ERROR,
                f"{tag}GET {base}/models answered 404: base_url is probably not the API root (missing /v1?)",
                "set base_url to the provider's OpenAI-compatible root (set `model` to probe /responses)",
                target.file,
            )
        )
        return out
    if responses is not None and responses.status_code >= 400:
        out.append(
            _f(
                "CODEX_ONLINE_HTTP_ERROR",
                Severity.WARNING,
                f"{tag}POST {base}/responses answered {responses.status_code}{_excerpt(responses)}",
                "read the provider's message above (unknown model id? no credit? rate limit?)",
                target.file,
            )
        )
        return out
    ok = f"POST {base}/responses answered {responses.status_code}" if responses is not None else ""
    ok = ok or f"GET {base}/models answered {models.status_code} (no model set, /responses not probed)"
    out.append(
        _f(
            "CODEX_ONLINE_OK",
            Severity.INFO,
            f"{tag}{ok} with the key from {target.key_source}",
            None,
            target.file,
        )
    )
    return out
