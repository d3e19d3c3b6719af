"""`doctor claude --online`: one `max_tokens=1` Messages request to the configured endpoint.

The request mirrors what Claude Code sends: `POST {ANTHROPIC_BASE_URL}/v1/messages` (trailing
slashes dropped, nothing else changed, so a `/v1` base URL reproduces the `/v1/v1/messages` 404),
`Authorization: Bearer` for ANTHROPIC_AUTH_TOKEN and/or `x-api-key` for ANTHROPIC_API_KEY, plus
`anthropic-version`. Streaming is not needed for a probe. Redirects are not followed (they could
carry the key elsewhere). The HTTP transport is injectable for tests (httpx.MockTransport).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agentcost.agents.claude.settings import (
    AGENT,
    API_KEY,
    AUTH_TOKEN,
    BASE_URL,
    MODEL,
    SONNET,
    Value,
    v1_suffix,
)
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.online import TIMEOUT_S, Target, client, excerpt
from agentcost.agents.urls import has_scheme

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"
# Used only when no model is configured: what Claude Code itself sends for background work.
FALLBACK_MODEL = "claude-haiku-4-5"


def _f(code: str, sev: Severity, message: str, fix: str | None, file: str | None) -> Finding:
    return Finding(code, sev, message, fix, file, AGENT)


def target_for(
    base_url: str,
    *,
    auth_token: str = "",
    api_key: str = "",
    model: str,
    cred_origin: Mapping[str, str] | None = None,
    file: str | None = None,
) -> Target:
    """What Claude Code would send: ANTHROPIC_AUTH_TOKEN as a Bearer token, ANTHROPIC_API_KEY as
    x-api-key (both when both are set); `cred_origin` names the file or shell each came from."""
    credentials: dict[str, str] = {}
    if auth_token:
        credentials["authorization"] = f"Bearer {auth_token}"
    if api_key:
        credentials["x-api-key"] = api_key
    sent = " and ".join(
        f"{var} (from {(cred_origin or {}).get(var, 'the environment')})"
        for var, val in ((AUTH_TOKEN, auth_token), (API_KEY, api_key))
        if val
    )
    headers = {"anthropic-version": ANTHROPIC_VERSION, "content-type": "application/json"}
    return Target(base_url, credentials, sent, model, file, headers=headers)


def probe(target: Target, transport: httpx.BaseTransport | None = None) -> list[Finding]:
    """Send one Messages request; turn the outcome into findings (codes CLAUDE_ONLINE_*)."""
    import httpx

    base_url = target.base_url
    model = target.model or FALLBACK_MODEL
    url = base_url.strip().rstrip("/") + "/v1/messages"
    parts = urlsplit(url)
    host = parts.hostname or base_url
    sent = target.key_source
    body = {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
    try:
        with client(transport) as http:
            resp = http.post(url, json=body, headers={**target.headers, **target.credentials})
    except httpx.TimeoutException:
        return [
            _f(
                "CLAUDE_ONLINE_UNREACHABLE",
                Severity.ERROR,
                f"POST {url}: no answer from {host} within {TIMEOUT_S:g} s",
                "check the host name, your network/proxy (HTTPS_PROXY) and the provider's status page",
                None,
            )
        ]
    except httpx.HTTPError as e:
        return [
            _f(
                "CLAUDE_ONLINE_UNREACHABLE",
                Severity.ERROR,
                f"POST {url}: cannot connect to {host} ({type(e).__name__}: {excerpt(str(e))})",
                "check ANTHROPIC_BASE_URL (spelling, port, https) and your network/proxy",
                None,
            )
        ]
    status = resp.status_code
    text = excerpt(resp.text)
    if 200 <= status < 300:
        return [
            _f(
                "CLAUDE_ONLINE_OK",
                Severity.INFO,
                f"POST {url} with model {model} and {sent} → {status}: the endpoint accepts the key",
                None,
                None,
            )
        ]
    if status in (401, 403):
        return [
            _f(
                "CLAUDE_ONLINE_UNAUTHORIZED",
                Severity.ERROR,
                f"{host} refused the credential {sent} with HTTP {status}" + (f": {text}" if text else ""),
                "check that the key is valid for this provider and sits in the variable it expects "
                "(`agentcost providers` shows ANTHROPIC_AUTH_TOKEN vs ANTHROPIC_API_KEY)",
                None,
            )
        ]
    if status == 404:
        suffix = v1_suffix(base_url)
        if suffix:
            why = (
                f"the base URL ends in {suffix}, so the request went to {parts.path}: drop {suffix} "
                '(Claude Code shows this 404 as "There\'s an issue with the selected model")'
            )
            fix = f"remove {suffix} from ANTHROPIC_BASE_URL"
        else:
            why = (
                f"either {parts.path} does not exist on {host} (wrong base URL path: is this an "
                f"Anthropic-compatible endpoint?) or the model {model!r} is unknown there"
            )
            fix = "compare the base URL with the provider's Claude Code docs and check ANTHROPIC_MODEL"
        return [
            _f(
                "CLAUDE_ONLINE_NOT_FOUND",
                Severity.ERROR,
                f"POST {url} → 404: {why}" + (f". Response: {text}" if text else ""),
                fix,
                None,
            )
        ]
    if status in (400, 422):
        return [
            _f(
                "CLAUDE_ONLINE_BAD_REQUEST",
                Severity.WARNING,
                f"POST {url} with model {model!r} → {status}"
                + (f": {text}" if text else "")
                + " (often an unknown model name)",
                "check ANTHROPIC_MODEL and the slot variables against the provider's model list",
                None,
            )
        ]
    where = f" (redirect to {resp.headers.get('location')})" if 300 <= status < 400 else ""
    return [
        _f(
            "CLAUDE_ONLINE_HTTP_ERROR",
            Severity.WARNING,
            f"POST {url} → HTTP {status}{where}" + (f": {text}" if text else ""),
            "retry later; if it persists, check the provider's status page",
            None,
        )
    ]


REPO_SCOPES = ("project", "local")  # files inside the repository: chosen by whoever wrote it


def probe_effective(
    eff: Mapping[str, Value],
    *,
    transport: httpx.BaseTransport | None = None,
    probe_project_urls: bool = False,
) -> list[Finding]:
    """Probe the effective configuration (skipped with a note when there is nothing to send).

    Only a URL from the user's own settings or environment is probed with a key: a base URL set by
    the repository (.claude/settings.json or settings.local.json) is reported as skipped, unless
    `probe_project_urls` (the user's explicit `--probe-project-urls`).
    """

    def get(var: str) -> str:
        v = eff.get(var)
        return v.value.strip() if v else ""

    base_v = eff.get(BASE_URL)
    if base_v is not None and base_v.origin in REPO_SCOPES and get(BASE_URL) and not probe_project_urls:
        return [
            _f(
                "CLAUDE_ONLINE_PROJECT_URL_SKIPPED",
                Severity.WARNING,
                f"--online: not probed: ANTHROPIC_BASE_URL={get(BASE_URL)} comes from {base_v.path}, "
                "a file in this repository, and the probe would send your key to it",
                "if you trust that host, re-run with --probe-project-urls (sends your key to the URL the "
                "repository chose); otherwise remove the URL from the repository's settings",
                str(base_v.path) if base_v.path else None,
            )
        ]
    base = get(BASE_URL) or DEFAULT_BASE
    if not has_scheme(base):
        return []  # CLAUDE_BASE_URL_NO_SCHEME already explains it
    token, key = get(AUTH_TOKEN), get(API_KEY)
    raw = "".join(eff[v].value for v in (AUTH_TOKEN, API_KEY) if v in eff)
    if any(c.isspace() or not c.isascii() for c in raw):
        return []  # CLAUDE_CREDENTIAL_MALFORMED already explains it; httpx could not send it anyway
    if not token and not key:
        return [
            _f(
                "CLAUDE_ONLINE_SKIPPED",
                Severity.INFO,
                "--online: no ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY is set, so there is nothing to "
                "probe (a Claude subscription login is not probed)",
                None,
                None,
            )
        ]
    origin = {
        var: ("the shell environment" if v.origin == "shell" else str(v.path))
        for var, v in eff.items()
        if var in (AUTH_TOKEN, API_KEY)
    }
    model = get(MODEL) or get(SONNET) or FALLBACK_MODEL
    return probe(target_for(base, auth_token=token, api_key=key, model=model, cred_origin=origin), transport)
