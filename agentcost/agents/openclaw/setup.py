"""`agentcost setup openclaw`: merge a custom provider into openclaw.json, minimal diff (see json5.py).

Writes `models.providers.<id>` (baseUrl, apiKey, api, models[] with `cost` from agentcost's price
catalog in OpenClaw's unit, USD per million tokens) and `agents.defaults.model.primary`. Comments,
formatting and every other member stay as they were; backup, atomic write, no write when unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlunsplit

from agentcost.agents.openclaw import json5
from agentcost.agents.openclaw.config import ENDPOINTS, SETUP_APIS, OpenClawConfig, load
from agentcost.agents.results import SetupResult
from agentcost.agents.urls import insecure_http_warning, split_url
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import write_atomic
from agentcost.providers import Provider

AGENT = "openclaw"


def default_api(provider: Provider) -> str:
    """Chat Completions where the catalog has an OpenAI-compatible root (what most providers serve),
    Anthropic Messages where it has only an Anthropic-compatible one."""
    if provider.is_custom or (provider.known(provider.codex_base_url) and provider.codex_base_url):
        return "openai-completions"
    return "anthropic-messages"


def catalog_base_url(provider: Provider, api: str) -> str | None:
    url = provider.claude_base_url if api == "anthropic-messages" else provider.codex_base_url
    return url if provider.known(url) and url else None


def normalise_base_url(url: str, api: str) -> tuple[str, list[str]]:
    """The baseUrl to write for `api`, and notes on what was changed.

    openai-*: OpenClaw appends /chat/completions or /responses, so the root must carry the version
    (/v1): a bare host gets /v1, an endpoint URL is cut back. anthropic-messages: OpenClaw appends
    /v1/messages (after stripping a trailing /v1), so the host root is written.
    """
    parts = split_url(url)
    path = parts.path.rstrip("/")
    notes: list[str] = []
    if api == "anthropic-messages":
        for suffix in ("/v1/messages", "/messages", "/v1"):
            if path.endswith(suffix):
                notes.append(f"cut {suffix} from the base URL: OpenClaw appends /v1/messages itself")
                path = path[: -len(suffix)]
                break
    else:
        for suffix in ("/chat/completions", "/responses"):
            if path.endswith(suffix):
                notes.append(f"cut {suffix} from the base URL: OpenClaw appends {ENDPOINTS[api]} itself")
                path = path[: -len(suffix)]
                break
        if not path:
            notes.append(f"added /v1 to the bare host: OpenClaw calls <baseUrl>{ENDPOINTS[api]}")
            path = "/v1"
    return urlunsplit((parts.scheme.lower(), parts.netloc, path, "", "")), notes


def _num(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def model_cost(model: str) -> tuple[dict[str, int | float] | None, str]:
    """OpenClaw's `cost` for `model` from agentcost's catalog (USD per 1M tokens), and a note."""
    from agentcost.pricing import catalog as pricing

    price, unpriced, _m = pricing.explain(model)
    if price is None:
        why = unpriced.reason if unpriced is not None else "not in agentcost's price catalog"
        return None, (
            f"{model}: unpriced ({why}); OpenClaw will show $0 for it: add a price with "
            "`agentcost prices --help` and run setup again"
        )
    cost: dict[str, int | float] = {}
    missing: list[str] = []
    for ours, theirs in (
        ("input", "input"),
        ("output", "output"),
        ("cache_read", "cacheRead"),
        ("cache_write_5m", "cacheWrite"),
    ):
        v = getattr(price, ours)
        if v is None:
            missing.append(theirs)
        else:
            cost[theirs] = _num(v)
    note = f"{model}: cost from agentcost's price catalog ({price.model}, {price.source or price.origin}"
    note += f", {price.as_of})" if price.as_of else ")"
    if price.tiers:
        note += "; its price has tiers, OpenClaw gets the base rates"
    if missing:
        note += f"; no {' / '.join(missing)} rate known, OpenClaw counts those tokens at $0"
    return cost, note


@dataclass
class Plan:
    path: Path
    old_text: str | None
    new_text: str
    secret: bool
    provider_id: str
    api: str
    base_url: str
    model: str
    key_ref: str  # "${VAR}" or the masked literal
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text

    def diffs(self) -> list[str]:
        from agentcost.fileio import unified_diff

        return [unified_diff(self.old_text, self.new_text, self.path)] if self.changed else []


def _model_entry(
    existing: list[Any], model: str, cost: dict[str, int | float] | None, ctx: int | None
) -> list[Any]:
    out: list[Any] = []
    found = False
    for m in existing:
        if isinstance(m, dict) and m.get("id") == model and not found:
            found = True
            entry = dict(m)
            entry.setdefault("name", model)
            if cost is not None:
                entry["cost"] = cost
            if ctx and "contextWindow" not in entry:
                entry["contextWindow"] = ctx
            out.append(entry)
        else:
            out.append(m)
    if not found:
        entry = {"id": model, "name": model}
        if cost is not None:
            entry["cost"] = cost
        if ctx:
            entry["contextWindow"] = ctx
        out.append(entry)
    return out


@dataclass(frozen=True)
class SetupRequest:
    """What `setup openclaw` was asked for (the key, when given, is already validated and registered)."""

    provider: Provider
    model: str
    api: str | None = None
    base_url: str | None = None
    auth: str = "env"  # "env": apiKey "${VAR}"; "file": the key itself, file 0600
    env_key: str | None = None
    key: str | None = None
    provider_name: str | None = None  # the id in openclaw.json (default: the catalog id)


def plan_setup(req: SetupRequest, env: Mapping[str, str], cwd: Path, dry_run: bool = False) -> Plan:
    """What setup would write (no side effect on the agent's files)."""
    from agentcost.pricing import catalog as pricing
    from agentcost.secrets import mask

    provider, model, api, base_url = req.provider, req.model, req.api, req.base_url
    auth, env_key, key, provider_name = req.auth, req.env_key, req.key, req.provider_name

    api = api or default_api(provider)
    if api not in SETUP_APIS:
        raise AgentcostError(
            f"--api {api!r} is not one agentcost sets up", hint=f"use one of {', '.join(SETUP_APIS)}"
        )
    raw_url = base_url or catalog_base_url(provider, api)
    if not raw_url:
        raise AgentcostError(
            f"the catalog has no {api} base URL for {provider.id}",
            hint="give --base-url URL" + ("" if provider.is_custom else " or another --api"),
        )
    url, notes = normalise_base_url(raw_url, api)
    warnings = [w for w in [insecure_http_warning(url)] if w]
    pid = provider_name or provider.id
    if auth == "file":
        if not key:
            raise AgentcostError("--auth file needs the key", hint="give --api-key-env VAR or --api-key KEY")
        api_key = key
        key_ref = mask(key)
    else:
        var = env_key or provider.key_env
        api_key = "${" + var + "}"
        key_ref = api_key
    cost, cost_note = model_cost(model)
    notes.append(cost_note)
    price = pricing.price_for(model)
    ctx = price.context_window if price is not None else None

    cfg: OpenClawConfig = load(env)
    path = cfg.path
    existing = cfg.providers().get(pid, {})
    models_now = existing.get("models") if isinstance(existing.get("models"), list) else []
    models_new = _model_entry(list(models_now or []), model, cost, ctx)
    primary = f"{pid}/{model}"
    fields: dict[str, Any] = {"baseUrl": url, "apiKey": api_key, "api": api, "models": models_new}
    if pid in cfg.providers():  # keep the user's other keys (headers, timeoutSeconds, …) and layout
        edits: list[tuple[list[str], Any]] = [(["models", "providers", pid, k], v) for k, v in fields.items()]
    else:
        edits = [(["models", "providers", pid], fields)]
    agents = cfg.data.get("agents")
    defaults = agents.get("defaults") if isinstance(agents, dict) else None
    if isinstance(defaults, dict) and isinstance(defaults.get("model"), str):
        edits.append((["agents", "defaults", "model"], primary))
    else:
        edits.append((["agents", "defaults", "model", "primary"], primary))
    if cfg.text is None or not cfg.text.strip():
        new_text = json5.new_document(
            {
                "models": {"mode": "merge", "providers": {pid: fields}},
                "agents": {"defaults": {"model": {"primary": primary}}},
            }
        )
    else:
        new_text = cfg.text
        for keys, value in edits:
            if _get(cfg.data, keys) == value and _get(json5.parse_node(new_text).value, keys) == value:
                continue
            try:
                new_text = json5.set_path(new_text, keys, value)
            except ValueError as e:
                raise ConfigError(
                    f"cannot edit {'.'.join(keys)} in place ({e})", path=path, hint="edit the file by hand"
                ) from None
    return Plan(path, cfg.text, new_text, auth == "file", pid, api, url, model, key_ref, notes, warnings)


def _get(data: Any, keys: list[str]) -> Any:
    for k in keys:
        if not isinstance(data, dict) or k not in data:
            return None
        data = data[k]
    return data


def apply_setup(plan: Plan, env: Mapping[str, str], cwd: Path, dry_run: bool = False) -> SetupResult:
    """Write the plan (safe-edit recipe), then run the checks on the result."""
    from agentcost.agents.openclaw.checks import diagnose

    w = write_atomic(plan.path, plan.new_text, secret=plan.secret, dry_run=dry_run, old_text=plan.old_text)
    result = SetupResult(agent=AGENT, provider=plan.provider_id, writes=[w], dry_run=dry_run)
    result.summary = {
        "config": str(plan.path),
        "provider": plan.provider_id,
        "api": plan.api,
        "baseUrl": plan.base_url,
        "apiKey": plan.key_ref,
        "model": f"{plan.provider_id}/{plan.model}",
    }
    result.notices = list(plan.notes)
    result.warnings = list(plan.warnings)
    if not dry_run:
        result.findings = diagnose(env, cwd)
    var = None if plan.secret else plan.key_ref[2:-1]
    if var:
        result.expected = {
            "OPENCLAW_API_KEY_UNSET": f"export {var} in your shell profile (or ~/.openclaw/.env)"
        }
        result.shell_lines = [f"export {var}=<your key>"] if var not in env else []
    result.expected_in = str(plan.path)
    return result
