"""Type checks for Codex's config.toml: a value of the wrong type anywhere is fatal to Codex."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentcost.agents.findings import Finding, Severity

AGENT = "codex"


def _f(code: str, sev: Severity, message: str, fix: str | None, file: str | None) -> Finding:
    return Finding(code=code, severity=sev, message=message, fix=fix, file=file, agent=AGENT)


# The type Codex 0.171 expects for each key agentcost writes or checks. A wrong type anywhere, in a
# selected table or not, is fatal: Codex exits with "Error loading config.toml: invalid type:
# integer `42`, expected a string in `model_providers.gw.base_url`" (observed with Codex 0.171.0).
# `name` and `wire_api` have their own findings (CODEX_PROVIDER_NO_NAME, CODEX_WIRE_API_CHAT).
_STR, _BOOL, _UINT, _STR_TABLE = "a string", "true or false", "a whole number >= 0", "a table of strings"
TOP_LEVEL_TYPES = {"model": _STR, "model_provider": _STR}
PROVIDER_TYPES = {
    "base_url": _STR, "env_key": _STR, "env_key_instructions": _STR, "experimental_bearer_token": _STR,
    "requires_openai_auth": _BOOL, "supports_websockets": _BOOL, "request_max_retries": _UINT,
    "stream_max_retries": _UINT, "stream_idle_timeout_ms": _UINT, "query_params": _STR_TABLE,
    "http_headers": _STR_TABLE, "env_http_headers": _STR_TABLE,
}  # fmt: skip
_HINTS = {"env_key": ' (the NAME of a variable, e.g. env_key = "PROVIDER_API_KEY")'}
_TOML_KIND = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}


def _has_type(value: Any, want: str) -> bool:
    if want == _STR:
        return isinstance(value, str)
    if want == _BOOL:
        return isinstance(value, bool)
    if want == _UINT:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, Mapping) and all(isinstance(v, str) for v in value.values())


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a table"
    return next((k for t, k in _TOML_KIND.items() if isinstance(value, t)), type(value).__name__)


def _shown(key: str, value: Any) -> str:
    """The value as found, unless it could hold a key (then only its kind)."""
    if key in ("env_key", "experimental_bearer_token", "http_headers", "env_http_headers", "query_params"):
        return _kind(value)
    text = repr(value) if isinstance(value, (bool, int, float)) else _kind(value)
    return text if len(text) <= 40 else _kind(value)


def type_findings(where: str, data: Mapping[str, Any], types: Mapping[str, str], path: str) -> list[Finding]:
    """CODEX_CONFIG_WRONG_TYPE for each key of `data` whose value is not of the type Codex expects."""
    out: list[Finding] = []
    for key, want in types.items():
        if key not in data or _has_type(data[key], want):
            continue
        value = data[key]
        if want == _STR_TABLE and isinstance(value, Mapping):
            bad = ", ".join(str(k) for k, v in value.items() if not isinstance(v, str))
            got = f"a table whose values {bad} are not strings"
        else:
            got = _shown(key, value)
        out.append(
            _f(
                "CODEX_CONFIG_WRONG_TYPE",
                Severity.ERROR,
                f"{where}{key} is {got}, Codex expects {want}: it refuses to start "
                f'("Error loading config.toml: invalid type …"), whichever provider is selected',
                f"make {key} {want}" + _HINTS.get(key, ' (quote it: key = "value")' if want == _STR else ""),
                path,
            )
        )
    return out
