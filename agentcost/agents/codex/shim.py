"""`doctor codex` for a provider served through `agentcost shim`.

A Codex provider is shim-backed when its base_url is the loopback address and port saved in
`<config dir>/shim.toml` (written by `setup codex --via-shim`). For such a provider the doctor
asks the shim's health route (`GET /v1/agentcost-shim`, loopback, 1.5 s) whether it answers and
which upstream it serves — always, since it is cheap and local — and drops the findings that do
not apply behind a shim (no credential in Codex's table: the shim holds the key; "not known to
serve the Responses API": the shim does). `doctor codex --online` then probes the whole chain
(Codex's /responses request through the shim to the provider).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agentcost.agents.codex.snapshot import Snapshot, selections
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.urls import is_loopback
from agentcost.errors import AgentcostError
from agentcost.shim.config import HEALTH_PATH, ShimConfig, load

if TYPE_CHECKING:
    import httpx

AGENT = "codex"
HEALTH_TIMEOUT_S = 1.5
SHIM_SUPPRESSES = frozenset({"CODEX_NO_CREDENTIAL", "CODEX_RESPONSES_UNKNOWN"})


@dataclass(frozen=True)
class Health:
    """What the health route said: `upstream` when the shim answered, else `problem`."""

    upstream: str | None = None
    problem: str | None = None


HealthProbe = Callable[[str], Health]


def probe_health(url: str, transport: httpx.BaseTransport | None = None) -> Health:
    import httpx

    try:
        with httpx.Client(transport=transport, timeout=HEALTH_TIMEOUT_S, trust_env=False) as client:
            r = client.get(url)
    except httpx.HTTPError as e:
        return Health(problem=f"nothing answers ({type(e).__name__})")
    try:
        data = json.loads(r.content)
    except ValueError:
        data = None
    if r.status_code != 200 or not isinstance(data, dict) or "agentcost_shim" not in data:
        return Health(problem=f"something else listens there (GET {HEALTH_PATH} answered {r.status_code})")
    return Health(upstream=str(data.get("upstream", "")))


def _port(url: str) -> int | None:
    try:
        parts = urlsplit(url)
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


def shim_findings(
    s: Snapshot, env: Mapping[str, str], probe: HealthProbe | None = None
) -> tuple[list[Finding], set[str]]:
    """(findings, files whose CODEX_NO_CREDENTIAL / CODEX_RESPONSES_UNKNOWN no longer apply)."""
    try:
        cfg = load(env)
    except AgentcostError as e:
        return [
            Finding(
                "CODEX_SHIM_CONFIG_INVALID",
                Severity.WARNING,
                e.message,
                "fix or remove the file",
                None,
                AGENT,
            )
        ], set()
    if cfg is None:
        return [], set()
    out: list[Finding] = []
    covered: set[str] = set()
    seen: set[str] = set()
    for sel in selections(s):
        base = sel.table.get("base_url") if sel.table else None
        if not isinstance(base, str) or not _is_shim_url(base, cfg):
            continue
        file = sel.table_file or sel.file
        covered.add(file)
        if base in seen:
            continue
        seen.add(base)
        url = base.rstrip("/").removesuffix("/v1") + HEALTH_PATH
        health = (probe or probe_health)(url)
        out.append(_finding(sel.label, base, cfg, health, file))
    return out, covered


def _is_shim_url(base: str, cfg: ShimConfig) -> bool:
    try:
        host = urlsplit(base).hostname
    except ValueError:
        return False
    return is_loopback(host) and _port(base) == cfg.port


def _finding(label: str, base: str, cfg: ShimConfig, health: Health, file: str) -> Finding:
    tag = f"({label})"
    upstream_host = urlsplit(cfg.upstream).netloc or cfg.upstream
    if health.problem is not None:
        return Finding(
            "CODEX_SHIM_DOWN",
            Severity.ERROR,
            f"{tag} base_url {base} is agentcost shim (-> {cfg.upstream}), but {health.problem}: every Codex "
            "request fails (Codex retries, then gives up)",
            f"start it: `agentcost shim` in a terminal (reads {cfg.api_key_env} from your shell), or once "
            "`agentcost shim install-service` to run it at login",
            file,
            AGENT,
        )
    if health.upstream and health.upstream != upstream_host:
        return Finding(
            "CODEX_SHIM_OTHER_UPSTREAM",
            Severity.WARNING,
            f"{tag} the shim at {base} forwards to {health.upstream}, not to {upstream_host} as the saved "
            "settings say: it was started with other flags",
            "restart it without --upstream (saved settings) or re-run `agentcost setup codex --via-shim`",
            file,
            AGENT,
        )
    return Finding(
        "CODEX_SHIM_OK",
        Severity.INFO,
        f"{tag} base_url {base} is agentcost shim, answering; it translates Codex's Responses requests to "
        f"{cfg.upstream}/chat/completions with the key from ${cfg.api_key_env}",
        None,
        file,
        AGENT,
    )


# -------------------------------------------------------------------------------------------- setup


@dataclass(frozen=True)
class ShimPlan:
    """What `setup codex --via-shim` adds: the shim's settings file and what to tell the user."""

    config: ShimConfig
    path: str
    text: str
    notices: list[str]
    expected: dict[str, str]


def plan_shim(upstream: str, key_env: str, port: int, env: Mapping[str, str]) -> ShimPlan:
    """Settings for a shim in front of `upstream` (the provider's API root), for Codex to use."""
    from agentcost.shim.config import config_path, render

    cfg = ShimConfig(upstream=upstream, api_key_env=key_env, port=port)
    value = env.get(key_env, "").strip()
    notices = [
        f"Codex talks to agentcost shim at {cfg.local_url}; the shim calls {upstream}/chat/completions "
        f"with the key from ${key_env} (Codex's config holds no key)",
        "start the shim before Codex: `agentcost shim` in a terminal (it reads these saved settings), or "
        "`agentcost shim install-service` once to run it at login",
    ]
    if not value:
        notices.append(
            f"${key_env} is NOT set in this shell: the shim needs it (export {key_env}=<your key>)"
        )
    why = "the shim is not running yet: start it with `agentcost shim` (or `agentcost shim install-service`)"
    return ShimPlan(cfg, str(config_path(env)), render(cfg), notices, {"CODEX_SHIM_DOWN": why})
