"""`doctor openclaw --online`: one minimal request to the provider of the default model.

Only URLs from the user's own openclaw.json are contacted: the default model's provider (or, without a
default model, every custom provider with a key). One request per provider, in the shape its `api`
sends: openai-completions `POST {baseUrl}/chat/completions`, openai-responses `POST {baseUrl}/responses`,
anthropic-messages `POST {baseUrl without /v1}/v1/messages`, each with max tokens 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agentcost.agents.findings import Finding, Severity
from agentcost.agents.online import Target, client, excerpt
from agentcost.agents.openclaw.config import OpenClawConfig, resolve_key

if TYPE_CHECKING:
    import httpx

AGENT = "openclaw"


def request_for(api: str, base_url: str, model: str) -> tuple[str, dict[str, Any]]:
    base = base_url.rstrip("/")
    if api == "anthropic-messages":
        if base.endswith("/v1"):
            base = base[:-3]
        body = {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
        return base + "/v1/messages", body
    if api == "openai-responses":
        return base + "/responses", {"model": model, "input": "ping", "max_output_tokens": 16}
    return base + "/chat/completions", {
        "model": model,
        "max_tokens": 1,
        "messages": [{"role": "user", "content": "ping"}],
    }


def targets(cfg: OpenClawConfig, env: Mapping[str, str]) -> list[tuple[str, str, Target]]:
    """(provider id, api, target) to probe."""
    provs = cfg.providers()
    primary = cfg.primary_model() or ""
    chosen = (
        [primary.partition("/")[0]] if "/" in primary and primary.partition("/")[0] in provs else list(provs)
    )
    out: list[tuple[str, str, Target]] = []
    for pid in chosen:
        prov = provs[pid]
        url, api = prov.get("baseUrl"), prov.get("api", "openai-completions")
        key, source = resolve_key(cfg, prov.get("apiKey"), env)
        if not isinstance(url, str) or not isinstance(api, str) or key is None:
            continue
        models = [m.get("id") for m in prov.get("models") or [] if isinstance(m, dict)]
        model = (
            primary.partition("/")[2] if primary.startswith(pid + "/") else (models[0] if models else None)
        )
        creds = {"x-api-key": key} if api == "anthropic-messages" else {"Authorization": f"Bearer {key}"}
        out.append(
            (
                pid,
                api,
                Target(url, creds, source, model if isinstance(model, str) else None, str(cfg.path), pid),
            )
        )
    return out


def probe(pid: str, api: str, target: Target, transport: httpx.BaseTransport | None = None) -> list[Finding]:
    import httpx

    url, body = request_for(api, target.base_url, target.model or "unknown")
    headers = {**target.credentials, "content-type": "application/json"}
    if api == "anthropic-messages":
        headers["anthropic-version"] = "2023-06-01"
    f = target.file

    def fnd(code: str, sev: Severity, msg: str, fix: str | None = None) -> Finding:
        return Finding(code, sev, f"{pid} ({api}): {msg}", fix, f, AGENT)

    try:
        with client(transport) as c:
            r = c.post(url, json=body, headers=headers)
    except httpx.HTTPError as e:
        return [
            fnd(
                "OPENCLAW_ONLINE_UNREACHABLE",
                Severity.ERROR,
                f"POST {url} failed: {type(e).__name__}",
                "check the host name and your network",
            )
        ]
    if r.status_code < 300:
        return [
            fnd(
                "OPENCLAW_ONLINE_OK",
                Severity.INFO,
                f"POST {url} answered {r.status_code} (key from {target.key_source})",
            )
        ]
    if r.status_code in (401, 403):
        return [
            fnd(
                "OPENCLAW_ONLINE_UNAUTHORIZED",
                Severity.ERROR,
                f"POST {url} answered {r.status_code}: the key from {target.key_source} was refused: "
                f"{excerpt(r.text)}",
                "check the key",
            )
        ]
    if r.status_code == 404:
        return [
            fnd(
                "OPENCLAW_ONLINE_NOT_FOUND",
                Severity.ERROR,
                f"POST {url} answered 404: wrong base URL path or model: {excerpt(r.text)}",
                "check baseUrl (doctor's base-URL findings) and the model id",
            )
        ]
    return [
        fnd(
            "OPENCLAW_ONLINE_HTTP",
            Severity.WARNING,
            f"POST {url} answered {r.status_code}: {excerpt(r.text)}",
        )
    ]


def online_findings(
    cfg: OpenClawConfig, env: Mapping[str, str], transport: httpx.BaseTransport | None = None
) -> list[Finding]:
    out: list[Finding] = []
    for pid, api, target in targets(cfg, env):
        out += probe(pid, api, target, transport)
    return out
