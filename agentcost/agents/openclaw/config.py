"""OpenClaw's configuration: where it lives, what a custom provider looks like, reading it.

Facts (observed with OpenClaw 2026.9.6, `openclaw config file` / `config schema` and its source):
- the file is `$OPENCLAW_CONFIG_PATH`, else `$OPENCLAW_STATE_DIR/openclaw.json`, else
  `~/.openclaw/openclaw.json` (`$OPENCLAW_HOME` replaces the home directory); JSON5;
- `models.providers.<id>` = {baseUrl, apiKey, api, headers, models: [{id, name, cost, contextWindow, …}]};
- `apiKey` may be `"${VAR}"` (uppercase names only: `[A-Z_][A-Z0-9_]*`), resolved from the process
  environment, then `env.vars` of the config and `~/.openclaw/.env` (neither overrides the process);
- model `cost` is USD per million tokens (`calculateUsageCost`: tokens * rate / 1e6); missing rates are 0;
- the default model is `agents.defaults.model.primary` = "provider/model" (or `agents.defaults.model`
  as a plain string).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.agents.openclaw import json5
from agentcost.fileio import read_text

OPENCLAW_VERSION = "2026.9.6"  # the version these facts were observed with (tests/e2e/openclaw)

# The `api` adapters the config schema of 2026.9.6 accepts.
KNOWN_APIS = frozenset(
    {
        "openai-completions",
        "openai-responses",
        "openai-chatgpt-responses",
        "anthropic-messages",
        "google-generative-ai",
        "google-vertex",
        "github-copilot",
        "bedrock-converse-stream",
        "ollama",
        "pi-messages",
        "azure-openai-responses",
    }
)
# The ones agentcost writes and checks base URLs for.
SETUP_APIS = ("openai-completions", "openai-responses", "anthropic-messages")
# What each adapter appends to baseUrl (observed against the e2e stub; anthropic: OpenClaw strips a
# trailing /v1 from baseUrl first, so "https://host" and "https://host/v1" both reach /v1/messages).
ENDPOINTS = {
    "openai-completions": "/chat/completions",
    "openai-responses": "/responses",
    "anthropic-messages": "/v1/messages",
}
ENV_REF = re.compile(r"^\$\{([A-Z_][A-Z0-9_]*)\}$")


def state_dir(env: Mapping[str, str] | None = None) -> Path:
    return paths.openclaw_state_dir(env)


def config_path(env: Mapping[str, str] | None = None) -> Path:
    e = os.environ if env is None else env
    p = e.get("OPENCLAW_CONFIG_PATH")
    if p is not None and p.strip() not in ("", "undefined", "null"):
        return Path(os.path.expanduser(str(p).strip()))
    return state_dir(e) / "openclaw.json"


@dataclass
class OpenClawConfig:
    """The parsed file: `data` (plain values) and `text` (None when the file does not exist)."""

    path: Path
    text: str | None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return self.text is not None

    def providers(self) -> dict[str, dict[str, Any]]:
        models = self.data.get("models")
        provs = models.get("providers") if isinstance(models, dict) else None
        if not isinstance(provs, dict):
            return {}
        return {k: v for k, v in provs.items() if isinstance(v, dict)}

    def mode(self) -> str:
        models = self.data.get("models")
        mode = models.get("mode") if isinstance(models, dict) else None
        return mode if isinstance(mode, str) else "merge"

    def primary_model(self) -> str | None:
        agents = self.data.get("agents")
        defaults = agents.get("defaults") if isinstance(agents, dict) else None
        model = defaults.get("model") if isinstance(defaults, dict) else None
        if isinstance(model, str):
            return model
        if isinstance(model, dict) and isinstance(model.get("primary"), str):
            return str(model["primary"])
        return None

    def env_vars(self) -> dict[str, str]:
        env = self.data.get("env")
        vars_ = env.get("vars") if isinstance(env, dict) else None
        if not isinstance(vars_, dict):
            return {}
        return {k: v for k, v in vars_.items() if isinstance(v, str)}


def load(env: Mapping[str, str] | None = None, path: Path | None = None) -> OpenClawConfig:
    """Read and parse the config; ConfigError (file:line:col) when it is malformed."""
    p = path or config_path(env)
    text = read_text(p)
    if text is None:
        return OpenClawConfig(p, None, {})
    if not text.strip():
        return OpenClawConfig(p, text, {})
    node = json5.parse(text, p)
    if not isinstance(node.value, dict):
        from agentcost.errors import ConfigError

        raise ConfigError("expected an object at the top level", path=p)
    return OpenClawConfig(p, text, node.value)


def dotenv_vars(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """`$OPENCLAW_STATE_DIR/.env` (KEY=value lines), which OpenClaw loads for missing variables."""
    text = read_text(state_dir(env) / ".env")
    out: dict[str, str] = {}
    for line in (text or "").splitlines():
        m = re.match(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2).strip("'\"")
    return out


def env_ref(value: object) -> str | None:
    """The variable name of an `apiKey: "${VAR}"` (or a SecretRef {source: "env", id}), else None."""
    if isinstance(value, str):
        m = ENV_REF.match(value.strip())
        return m.group(1) if m else None
    if isinstance(value, dict) and value.get("source") == "env" and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def resolve_key(cfg: OpenClawConfig, value: object, env: Mapping[str, str]) -> tuple[str | None, str]:
    """(key, where it came from) for a provider's apiKey, as OpenClaw resolves it; key None if unset."""
    var = env_ref(value)
    if var is not None:
        for source, table in (
            ("environment", env),
            ("env.vars in openclaw.json", cfg.env_vars()),
            (str(state_dir(env) / ".env"), dotenv_vars(env)),
        ):
            v = table.get(var)
            if v and v.strip():
                return v.strip(), f"${var} ({source})"
        return None, f"${var}"
    if isinstance(value, str) and value.strip():
        return value.strip(), str(cfg.path)
    return None, "no apiKey"
