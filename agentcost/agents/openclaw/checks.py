"""`doctor openclaw`: the mistakes in openclaw.json that fail silently, as findings with stable codes."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from agentcost.agents.findings import Finding, Severity
from agentcost.agents.openclaw.config import (
    ENDPOINTS,
    KNOWN_APIS,
    OpenClawConfig,
    config_path,
    env_ref,
    load,
    resolve_key,
)
from agentcost.agents.urls import has_scheme, insecure_http_warning
from agentcost.errors import ConfigError
from agentcost.fileio import file_mode
from agentcost.secrets import mask, register

AGENT = "openclaw"


def _f(code: str, sev: Severity, msg: str, fix: str | None, path: Path) -> Finding:
    return Finding(code, sev, msg, fix, str(path), AGENT)


def base_url_findings(pid: str, api: str, url: str, path: Path) -> list[Finding]:
    """Base-URL path mistakes per `api` (where /v1 belongs was observed against the e2e stub)."""
    out: list[Finding] = []
    where = f"models.providers.{pid}.baseUrl"
    if not has_scheme(url):
        return [
            _f(
                "OPENCLAW_BASE_URL_INVALID",
                Severity.ERROR,
                f"{where} {url!r} is not an http(s) URL with a host",
                "write the full URL, e.g. https://api.example.com/v1",
                path,
            )
        ]
    p = urlsplit(url.strip()).path.rstrip("/")
    if api in ("openai-completions", "openai-responses"):
        endpoint = ENDPOINTS[api]
        for suffix in ("/chat/completions", "/responses"):
            if p.endswith(suffix):
                out.append(
                    _f(
                        "OPENCLAW_BASE_URL_ENDPOINT",
                        Severity.ERROR,
                        f"{where} ends in {suffix}: OpenClaw appends {endpoint} itself "
                        f"(requests would go to …{suffix}{endpoint})",
                        f"cut {suffix} from the URL",
                        path,
                    )
                )
                return out
        if not p:
            out.append(
                _f(
                    "OPENCLAW_BASE_URL_NO_V1",
                    Severity.ERROR,
                    f"{where} {url!r} has no path: with api {api} OpenClaw calls "
                    f"{url.rstrip('/')}{endpoint}, "
                    f'not /v1{endpoint} (observed: 404, "The selected model was not found by the provider")',
                    f"add the version: {url.rstrip('/')}/v1",
                    path,
                )
            )
    elif api == "anthropic-messages":
        for suffix in ("/v1/messages", "/messages"):
            if p.endswith(suffix):
                out.append(
                    _f(
                        "OPENCLAW_BASE_URL_ENDPOINT",
                        Severity.ERROR,
                        f"{where} ends in {suffix}: OpenClaw appends /v1/messages itself",
                        f"cut {suffix} from the URL",
                        path,
                    )
                )
                return out
    warn = insecure_http_warning(url)
    if warn:
        out.append(_f("OPENCLAW_PLAIN_HTTP", Severity.WARNING, warn, "use https://", path))
    return out


def _zero_cost(m: dict[str, object]) -> bool:
    cost = m.get("cost")
    if not isinstance(cost, dict):
        return True
    return all(not isinstance(cost.get(k), (int, float)) or cost.get(k) == 0 for k in ("input", "output"))


def config_findings(cfg: OpenClawConfig, env: Mapping[str, str]) -> list[Finding]:
    from agentcost.pricing import catalog as pricing

    path = cfg.path
    out: list[Finding] = []
    provs = cfg.providers()
    mode = file_mode(path)
    for pid, prov in provs.items():
        api = prov.get("api", "openai-completions")  # OpenClaw's default for a custom baseUrl
        if not isinstance(api, str) or api not in KNOWN_APIS:
            out.append(
                _f(
                    "OPENCLAW_API_UNKNOWN",
                    Severity.ERROR,
                    f"models.providers.{pid}.api {api!r} is not an adapter OpenClaw knows",
                    "use openai-completions, openai-responses or anthropic-messages",
                    path,
                )
            )
        url = prov.get("baseUrl")
        if isinstance(url, str) and isinstance(api, str):
            out += base_url_findings(pid, api, url, path)
        raw_key = prov.get("apiKey")
        var = env_ref(raw_key)
        key, _src = resolve_key(cfg, raw_key, env)
        if var is not None and key is None:
            out.append(
                _f(
                    "OPENCLAW_API_KEY_UNSET",
                    Severity.ERROR,
                    f"models.providers.{pid}.apiKey is ${{{var}}}, but {var} is not set (environment, "
                    "env.vars, ~/.openclaw/.env): OpenClaw sends no key",
                    f"export {var}=<your key> in your shell profile or add it to ~/.openclaw/.env",
                    path,
                )
            )
        if var is None and isinstance(raw_key, str) and raw_key.strip():
            register(raw_key.strip())
            if mode is not None and mode & 0o077:
                out.append(
                    _f(
                        "OPENCLAW_LITERAL_KEY_READABLE",
                        Severity.ERROR,
                        f"models.providers.{pid}.apiKey holds a key ({mask(raw_key.strip())}) in a file "
                        f"other users can read (mode {mode:03o})",
                        f'chmod 600 {path}, or use an environment reference: apiKey: "${{VAR}}"',
                        path,
                    )
                )
        models = prov.get("models") if isinstance(prov.get("models"), list) else []
        for m in models or []:
            if not isinstance(m, dict) or not isinstance(m.get("id"), str):
                continue
            if _zero_cost(m) and pricing.price_for(str(m["id"])) is not None:
                out.append(
                    _f(
                        "OPENCLAW_ZERO_COST",
                        Severity.WARNING,
                        f"model {pid}/{m['id']} has no cost (OpenClaw shows $0 for it), but agentcost "
                        "has its price",
                        f"agentcost setup openclaw --provider {pid} --model {m['id']} (fills cost in USD "
                        "per million tokens)",
                        path,
                    )
                )
    primary = cfg.primary_model()
    if primary and "/" in primary:
        dpid, _, model = primary.partition("/")
        dprov = provs.get(dpid)
        listed = dprov.get("models") if dprov is not None else None
        ids = [m.get("id") for m in listed if isinstance(m, dict)] if isinstance(listed, list) else []
        if dprov is not None and model not in ids:
            out.append(
                _f(
                    "OPENCLAW_DEFAULT_MODEL_UNLISTED",
                    Severity.WARNING,
                    f"agents.defaults.model.primary is {primary}, but models.providers.{dpid}.models "
                    f"lists only {', '.join(str(i) for i in ids) or 'nothing'}",
                    f'add {{id: "{model}", name: "{model}"}} to its models, or pick a listed one',
                    path,
                )
            )
        elif dprov is None and cfg.mode() == "replace":
            out.append(
                _f(
                    "OPENCLAW_DEFAULT_MODEL_UNLISTED",
                    Severity.ERROR,
                    f"agents.defaults.model.primary is {primary}, but models.mode is replace and no "
                    f"provider {dpid} is configured",
                    f"add models.providers.{dpid} or change the default model",
                    path,
                )
            )
    return out


def diagnose(
    env: Mapping[str, str], cwd: Path, online: bool = False, probe_project_urls: bool = False
) -> list[Finding]:
    """Read openclaw.json and report findings; with `online`, probe the default model's provider.

    `probe_project_urls` is part of the one `diagnose` interface and changes nothing here: OpenClaw's
    configuration is the user's own file, never the repository's.
    """
    try:
        cfg = load(env)
    except ConfigError as e:
        return [
            Finding(
                "OPENCLAW_CONFIG_MALFORMED",
                Severity.ERROR,
                e.message,
                "fix the file by hand (OpenClaw refuses to start on it too)",
                str(e.path or config_path(env)),
                AGENT,
            )
        ]
    if not cfg.exists:
        return [
            Finding(
                "OPENCLAW_NOT_CONFIGURED",
                Severity.INFO,
                f"{cfg.path} does not exist",
                "agentcost setup openclaw --provider ID --model MODEL",
                str(cfg.path),
                AGENT,
            )
        ]
    findings = config_findings(cfg, env)
    if online:
        from agentcost.agents.openclaw.online import online_findings

        findings += online_findings(cfg, env)
    return findings
