"""Load providers from the bundled `data/providers.toml`, overlaid by `<config dir>/providers.toml`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import parse_toml, read_text
from agentcost.paths import config_dir

UNKNOWN = "unknown"
NONE = "none"
RESERVED_CODEX_IDS = frozenset({"openai", "ollama", "lmstudio"})
_RESPONSES_VALUES = {"yes", "no", UNKNOWN}
_AUTH_VARS = {"ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_API_KEY", UNKNOWN}


@dataclass(frozen=True)
class Provider:
    id: str
    name: str
    claude_base_url: str
    claude_auth_var: str
    claude_blank_api_key: bool
    codex_base_url: str
    responses_api: str
    key_env: str
    main_model: str
    fast_model: str
    source: str
    as_of: str
    origin: str = "bundled"  # "bundled" | "user" | "user-override"

    @property
    def is_custom(self) -> bool:
        return self.id == "custom"

    def known(self, value: str) -> bool:
        return value not in (UNKNOWN, NONE)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_FIELDS = [f.name for f in fields(Provider) if f.name not in ("id", "origin")]
_DEFAULTS: dict[str, Any] = {
    "claude_base_url": UNKNOWN,
    "claude_auth_var": "ANTHROPIC_AUTH_TOKEN",
    "claude_blank_api_key": False,
    "codex_base_url": UNKNOWN,
    "responses_api": UNKNOWN,
    "main_model": UNKNOWN,
    "fast_model": UNKNOWN,
    "source": "user file",
    "as_of": UNKNOWN,
}


def _locate(text: str | None, pid: str, key: str | None) -> tuple[int | None, int | None]:
    """Line and column of `key` inside `[providers.<pid>]` of `text` (or of the table header)."""
    if not text:
        return None, None
    header = re.compile(rf"^\s*\[\s*providers\s*\.\s*[\"']?{re.escape(pid)}[\"']?\s*\]")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if header.match(line):
            for j in range(i + 1, len(lines)):
                if lines[j].lstrip().startswith("["):
                    break
                if key and re.match(rf"^\s*{re.escape(key)}\s*=", lines[j]):
                    return j + 1, len(lines[j]) - len(lines[j].lstrip()) + 1
            return i + 1, 1
    return None, None


def _check_url(pid: str, key: str, value: str) -> str | None:
    """Why `value` is not a usable base URL for `key` (None if it is, or is ""/none/unknown)."""
    if value in ("", NONE, UNKNOWN):
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f'{key} must be an http(s) URL with a host, or "unknown" (got {value!r})'
    path = parts.path.rstrip("/")
    if key == "claude_base_url" and (path.endswith("/v1") or path.endswith("/v1/messages")):
        return (
            f"{key} must not end in /v1 or /v1/messages: Claude Code appends /v1/messages itself "
            f"(got {value!r})"
        )
    if key == "codex_base_url" and (path.endswith("/responses") or path.endswith("/chat/completions")):
        return f"{key} must be the API root (Codex appends /responses), not an endpoint (got {value!r})"
    return None


def _coerce(
    pid: str, raw: Mapping[str, Any], base: Provider | None, origin: str, where: str, text: str | None = None
) -> Provider:
    def fail(message: str, key: str | None = None, hint: str | None = None) -> ConfigError:
        line, col = _locate(text, pid, key)
        return ConfigError(f"provider {pid!r}: {message}", path=where, line=line, column=col, hint=hint)

    values: dict[str, Any] = base.as_dict() if base else {"id": pid, **_DEFAULTS}
    unknown_keys = set(raw) - set(_FIELDS)
    if unknown_keys:
        first = sorted(unknown_keys)[0]
        raise fail(
            f"unknown field(s) {', '.join(sorted(unknown_keys))}",
            first,
            hint=f"allowed fields: {', '.join(_FIELDS)}",
        )
    for k, v in raw.items():
        values[k] = v.unwrap() if hasattr(v, "unwrap") else v
    values["id"] = pid
    values["origin"] = origin
    if "name" not in values or not values.get("name"):
        values["name"] = pid
    if "key_env" not in values or not values.get("key_env"):
        values["key_env"] = pid.upper().replace("-", "_") + "_API_KEY"
    for k in _FIELDS:
        if k == "claude_blank_api_key":
            if not isinstance(values[k], bool):
                raise fail(f"{k} must be true or false", k)
        elif not isinstance(values.get(k), str):
            raise fail(f"{k} must be a string", k)
    if values["responses_api"] not in _RESPONSES_VALUES:
        raise fail("responses_api must be yes, no or unknown", "responses_api")
    if values["claude_auth_var"] not in _AUTH_VARS:
        raise fail("claude_auth_var must be ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY", "claude_auth_var")
    for k in ("claude_base_url", "codex_base_url"):
        problem = _check_url(pid, k, values[k])
        if problem:
            raise fail(problem, k)
    return Provider(**values)


def _parse(text: str, where: str) -> dict[str, Any]:
    doc = parse_toml(text, where).unwrap()
    table = doc.get("providers", {})
    if not isinstance(table, dict):
        raise ConfigError("[providers] must be a table of tables", path=where)
    return table


def user_providers_file(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "providers.toml"


def load_providers(env: Mapping[str, str] | None = None) -> dict[str, Provider]:
    """Bundled providers, then the user's file on top (a user entry overrides field by field)."""
    text = resources.files("agentcost.data").joinpath("providers.toml").read_text(encoding="utf-8")
    out: dict[str, Provider] = {}
    for pid, raw in _parse(text, "agentcost/data/providers.toml").items():
        out[pid] = _coerce(pid, raw, None, "bundled", "agentcost/data/providers.toml")
    user_file = user_providers_file(env)
    user_text = read_text(user_file)
    if user_text is not None:
        for pid, raw in _parse(user_text, str(user_file)).items():
            if not isinstance(raw, dict):
                raise ConfigError(f"[providers.{pid}] must be a table", path=user_file)
            base = out.get(pid)
            out[pid] = _coerce(pid, raw, base, "user-override" if base else "user", str(user_file), user_text)
    return out


def get_provider(pid: str, env: Mapping[str, str] | None = None) -> Provider:
    providers = load_providers(env)
    if pid not in providers:
        raise AgentcostError(
            f"unknown provider {pid!r}",
            hint=f"known providers: {', '.join(sorted(providers))} (see `agentcost providers`)",
        )
    return providers[pid]
