"""Codex doctor checks: pure functions over a parsed `Snapshot` (see `codex_snapshot.py`), returning
Findings. Nothing here reads files, the environment or the network.

Credential checks run for the provider each layer selects; shape checks (wire_api, base_url, name,
reserved ids) for every provider table, as errors when a layer selects it and warnings otherwise.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from agentcost.agents.codex.auth_checks import (
    auth_json_problem_finding,
    check_auth,
    check_auth_file_mode,
    check_config_file_mode,
)
from agentcost.agents.codex.config import BUILTIN_IDS, RESERVED_IDS
from agentcost.agents.codex.models import third_party_hint
from agentcost.agents.codex.snapshot import (
    OPENAI_ROOT,
    ConfigFile,
    Selection,
    Snapshot,
    provider_tables_of,
    selections,
)
from agentcost.agents.codex.types import PROVIDER_TYPES, TOP_LEVEL_TYPES, type_findings
from agentcost.agents.codex.url import base_url_problem
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.urls import insecure_http_warning, is_loopback
from agentcost.secrets import looks_like_key, mask, register

AGENT = "codex"


def _f(code: str, sev: Severity, message: str, fix: str | None, file: str | None) -> Finding:
    return Finding(code=code, severity=sev, message=message, fix=fix, file=file, agent=AGENT)


# ----------------------------------------------------------------------------------- per-file checks


def check_file(cf: ConfigFile, selected_ids: set[str]) -> list[Finding]:
    """Syntax, legacy profiles, reserved ids and the shape of every provider table in one file."""
    out: list[Finding] = []
    if cf.error is not None and not cf.readable:
        return [_f("CODEX_CONFIG_UNREADABLE", Severity.ERROR, f"cannot read: {cf.error}", None, cf.path)]
    if cf.error is not None:
        profile = cf.kind == "profile"
        return [
            _f(
                "CODEX_CONFIG_INVALID_TOML",
                Severity.WARNING if profile else Severity.ERROR,
                f"{cf.error}; "
                + (f"`codex -p {cf.name}` fails with this file" if profile else "Codex refuses to start"),
                "fix the syntax at the line and column shown (agentcost never rewrites a broken file)",
                cf.path,
            )
        ]
    data = cf.data
    if data is None:
        return out
    if cf.kind == "project":
        ignored = [k for k in ("model_provider", "model_providers") if k in data]
        if ignored:
            out.append(
                _f(
                    "CODEX_PROJECT_PROVIDER_IGNORED",
                    Severity.WARNING,
                    f"the project config sets {' and '.join(ignored)}, which Codex ignores in a project "
                    "file (with a warning); only `model` and other settings apply",
                    "move the provider settings to $CODEX_HOME/config.toml (`agentcost setup codex`)",
                    cf.path,
                )
            )
        return out
    if "profile" in data:
        out.append(
            _f(
                "CODEX_LEGACY_PROFILES",
                Severity.ERROR,
                f"top-level `profile = {data['profile']!r}` is no longer supported: current Codex refuses "
                "to start",
                "delete the line; put that profile's settings in $CODEX_HOME/<name>.config.toml and run "
                "`codex -p <name>`",
                cf.path,
            )
        )
    if isinstance(data.get("profiles"), Mapping):
        names = ", ".join(sorted(data["profiles"])) or "(empty)"
        out.append(
            _f(
                "CODEX_LEGACY_PROFILES",
                Severity.WARNING,
                f"legacy [profiles] table ({names}): Codex 0.134+ ignores it, and `codex -p <name>` with "
                "a [profiles.<name>] table is an error",
                "move each [profiles.<name>] into $CODEX_HOME/<name>.config.toml as top-level keys "
                "(`agentcost setup codex --profile <name>` writes one)",
                cf.path,
            )
        )
    out += type_findings("", data, TOP_LEVEL_TYPES, cf.path)
    for pid, table in provider_tables_of(data).items():
        sev = Severity.ERROR if pid in selected_ids else Severity.WARNING
        out += _check_table(pid, table, sev, cf.path)
    return out


def _check_table(pid: str, table: Any, sev: Severity, path: str) -> list[Finding]:
    where = f"[model_providers.{pid}]"
    if not isinstance(table, Mapping):
        return [_f("CODEX_PROVIDER_NO_NAME", Severity.ERROR, f"{where} is not a table", None, path)]
    out: list[Finding] = []
    if pid in RESERVED_IDS:
        out.append(
            _f(
                "CODEX_RESERVED_PROVIDER_ID",
                Severity.ERROR,
                f"{where} redefines Codex's built-in provider {pid!r}; Codex refuses reserved ids "
                f"({', '.join(sorted(RESERVED_IDS))})",
                f"rename the table (e.g. [model_providers.{pid}-custom]) and `model_provider` with it",
                path,
            )
        )
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        out.append(
            _f(
                "CODEX_PROVIDER_NO_NAME",
                Severity.ERROR,
                f'{where} has no `name` (required, non-empty); Codex refuses to start ("provider name '
                'must not be empty"), even when another provider is selected',
                f'add name = "{pid}" to the table',
                path,
            )
        )
    wire = table.get("wire_api", "responses")
    if wire == "chat":
        out.append(
            _f(
                "CODEX_WIRE_API_CHAT",
                Severity.ERROR,
                f'{where} has wire_api = "chat": current Codex refuses to start ("`wire_api = "chat"` '
                'is no longer supported", removed Feb 2026); it only speaks the Responses API',
                'set wire_api = "responses" — the provider must serve POST {base_url}/responses; '
                "a Chat-Completions-only provider needs a translating proxy",
                path,
            )
        )
    elif wire != "responses":
        out.append(
            _f(
                "CODEX_WIRE_API_CHAT",
                Severity.ERROR,
                f'{where} has wire_api = {wire!r}; the only accepted value is "responses"',
                'set wire_api = "responses"',
                path,
            )
        )
    base_url = table.get("base_url")
    if isinstance(base_url, str):
        problem = base_url_problem(base_url)
        if problem is not None:
            fix = (
                f'set base_url = "{problem.suggestion}"' if problem.suggestion else "give a full https:// URL"
            )
            if problem.code == "CODEX_BASE_URL_NO_SCHEME":
                fix += " (without a scheme Codex sends nothing and fails with a 'builder error')"
            out.append(_f(problem.code, sev, f"{where} base_url {base_url!r} {problem.detail}", fix, path))
        else:
            insecure = insecure_http_warning(base_url)
            if insecure:
                out.append(
                    _f("CODEX_BASE_URL_INSECURE", Severity.WARNING, f"{where}: {insecure}", None, path)
                )
    elif base_url is None and pid not in RESERVED_IDS:
        out.append(
            _f(
                "CODEX_BASE_URL_UNSET",
                Severity.WARNING,
                f"{where} has no base_url: Codex sends its requests (and your key) to {OPENAI_ROOT}",
                "set base_url to the provider's API root (e.g. https://host/v1)",
                path,
            )
        )
    out += _unknown_keys(pid, table, path)
    out += type_findings(f"{where} ", table, PROVIDER_TYPES, path)
    token = table.get("experimental_bearer_token")
    if isinstance(token, str) and token.strip():
        register(token)
        var = f"{pid.upper().replace('-', '_')}_API_KEY"
        out.append(
            _f(
                "CODEX_BEARER_TOKEN_IN_CONFIG",
                Severity.WARNING,
                f"{where} experimental_bearer_token = {mask(token)!r}: the key sits in plain text in "
                "config.toml (often synced, shared or pasted into issues)",
                f'export {var}=… in your shell profile and set env_key = "{var}" instead '
                "(`agentcost setup codex --auth env`), or keep it in auth.json (0600, `--auth file`); "
                "rotate the key if the file was shared",
                path,
            )
        )
    env_key = table.get("env_key")
    if isinstance(env_key, str) and looks_like_key(env_key):
        register(env_key)
        out.append(
            _f(
                "CODEX_ENV_KEY_LOOKS_LIKE_KEY",
                Severity.ERROR,
                f"{where} env_key = {mask(env_key)!r} looks like an API key, but env_key takes the NAME "
                'of an environment variable; Codex exits with "Missing environment variable" and the '
                "key sits in plain text in config.toml",
                f"export the key (export {pid.upper().replace('-', '_')}_API_KEY=…), set env_key = "
                f'"{pid.upper().replace("-", "_")}_API_KEY", and rotate the key if the file was shared',
                path,
            )
        )
    return out


# Keys of [model_providers.<id>] in Codex 0.171 (shared facts, codex.md).
PROVIDER_KEYS = frozenset(
    {
        "name", "base_url", "env_key", "env_key_instructions", "experimental_bearer_token", "wire_api",
        "query_params", "http_headers", "env_http_headers", "request_max_retries", "stream_max_retries",
        "stream_idle_timeout_ms", "requires_openai_auth", "supports_websockets", "auth", "aws",
    }
)  # fmt: skip


def _unknown_keys(pid: str, table: Mapping[str, Any], path: str) -> list[Finding]:
    """Codex only says "ignoring 1 unrecognized configuration setting" (observed); name it."""
    out: list[Finding] = []
    for key in table:
        if key in PROVIDER_KEYS:
            continue
        close = difflib.get_close_matches(str(key).replace("-", "_").lower(), PROVIDER_KEYS, n=1, cutoff=0.6)
        out.append(
            _f(
                "CODEX_PROVIDER_UNKNOWN_KEY",
                Severity.WARNING,
                f"[model_providers.{pid}] {key!r} is not a provider setting; Codex ignores it",
                f"did you mean {close[0]!r}?"
                if close
                else f"known settings: {', '.join(sorted(PROVIDER_KEYS))}",
                path,
            )
        )
    return out


# ------------------------------------------------------------------------------- per-selection checks


def check_selection(sel: Selection, s: Snapshot) -> list[Finding]:
    """model_provider resolution, credentials and Responses-API support for one layer."""
    where = f"({sel.label}) "
    if sel.table is None:
        if sel.provider_id == "openai":
            found = _model_mismatch(where, sel)
            if sel.store == "file":
                tag = f"{where}the built-in openai provider"
                broken = auth_json_problem_finding(s.auth, Severity.WARNING, tag)
                found += [broken] if broken is not None else []
            return found
        if sel.provider_id in BUILTIN_IDS:
            return []
        return [
            _f(
                "CODEX_PROVIDER_MISSING",
                Severity.ERROR,
                f"{where}model_provider = {sel.provider_id!r} names no [model_providers.{sel.provider_id}] "
                "table and is not a built-in provider; Codex refuses to start",
                f"add the table (`agentcost setup codex --provider …`) or set model_provider to one of: "
                f"{', '.join(sorted(BUILTIN_IDS))}",
                sel.file,
            )
        ]
    t = sel.table
    file = sel.table_file
    out: list[Finding] = []
    tag = f"{where}[model_providers.{sel.provider_id}]"
    base_url = t.get("base_url") if isinstance(t.get("base_url"), str) else None
    host = urlsplit(base_url).hostname if base_url else "api.openai.com"
    local = is_loopback(host)
    env_key = t.get("env_key") if isinstance(t.get("env_key"), str) else None
    requires_auth = t.get("requires_openai_auth") is True
    other_auth = bool(t.get("experimental_bearer_token")) or "auth" in t or _auth_header(t)
    if env_key and not looks_like_key(env_key):
        value = s.env.get(env_key)
        if not value or not value.strip():
            out.append(
                _f(
                    "CODEX_ENV_KEY_UNSET",
                    Severity.ERROR,
                    f"{tag} env_key = {env_key!r}, but ${env_key} is "
                    f"{'empty' if value is not None else 'not set'} in this environment; Codex exits with "
                    f'"Missing environment variable: `{env_key}`"',
                    f"add `export {env_key}=<your key>` to your shell profile and open a new shell "
                    "(apps started from a GUI may not see it: use `agentcost setup codex --auth file` there)",
                    file,
                )
            )
        else:
            register(value)
    elif env_key:
        pass  # CODEX_ENV_KEY_LOOKS_LIKE_KEY, reported by check_file
    elif _bearer(t):
        pass  # sent as is (observed: it wins over auth.json); CODEX_BEARER_TOKEN_IN_CONFIG warns
    elif requires_auth:
        out += check_auth(tag, sel, s)
    elif not other_auth:
        out.append(
            _f(
                "CODEX_NO_CREDENTIAL",
                Severity.INFO if local else Severity.ERROR,
                f"{tag} has neither env_key nor requires_openai_auth: Codex sends no Authorization header"
                + (" (fine for a local server that needs no key)" if local else "; the provider answers 401"),
                None if local else 'run `agentcost setup codex --auth env` (or add env_key = "VAR")',
                file,
            )
        )
    out += _check_responses(tag, base_url, host, local, s, file)
    return out


def _model_mismatch(where: str, sel: Selection) -> list[Finding]:
    """The built-in openai provider with another provider's model id (left by an earlier setup)."""
    why = third_party_hint(sel.model) if sel.model else None
    if sel.model is None or why is None:
        return []
    return [
        _f(
            "CODEX_MODEL_PROVIDER_MISMATCH",
            Severity.WARNING,
            f"{where}model_provider is the built-in openai, but model = {sel.model!r} is {why}: Codex "
            "sends it to api.openai.com, which rejects it (and any other provider's key sent with it)",
            "set an OpenAI model (`agentcost setup codex --provider openai --model gpt-5`) or switch "
            "model_provider back to the provider that serves this model",
            sel.file,
        )
    ]


def _bearer(t: Mapping[str, Any]) -> bool:
    token = t.get("experimental_bearer_token")
    return isinstance(token, str) and bool(token.strip())


def _auth_header(t: Mapping[str, Any]) -> bool:
    for key in ("http_headers", "env_http_headers"):
        h = t.get(key)
        if isinstance(h, Mapping) and any(str(k).lower() == "authorization" for k in h):
            return True
    return False


def _check_responses(
    tag: str, base_url: str | None, host: str | None, local: bool, s: Snapshot, file: str | None
) -> list[Finding]:
    """Current Codex only speaks the Responses API: is this host known to serve it?"""
    if base_url is None or host is None:
        return []
    matches = [
        p for p in s.catalog.values() if p.codex_base_url and urlsplit(p.codex_base_url).hostname == host
    ]
    if any(p.responses_api == "yes" for p in matches):
        return []
    if any(p.responses_api == "no" for p in matches):
        return [
            _f(
                "CODEX_RESPONSES_UNKNOWN",
                Severity.ERROR,
                f"{tag} {host} does not serve the OpenAI Responses API (agentcost catalog), which is all "
                "current Codex speaks",
                "use a provider that serves POST /responses, or a translating proxy",
                file,
            )
        ]
    who = f"{matches[0].name} ({host})" if matches else host
    return [
        _f(
            "CODEX_RESPONSES_UNKNOWN",
            Severity.INFO if local else Severity.WARNING,
            f"{tag} {who} is not known to serve the OpenAI Responses API; current Codex speaks nothing "
            'else (wire_api = "chat" was removed), so a Chat-Completions-only provider fails with 404',
            "check with `agentcost doctor codex --online` (one tiny request), or the provider's docs",
            file,
        )
    ]


def _profile_clashes(s: Snapshot) -> list[Finding]:
    """NAME.config.toml next to a legacy [profiles.NAME]: `codex -p NAME` is a hard error."""
    legacy = (s.base.data or {}).get("profiles")
    if not isinstance(legacy, Mapping):
        return []
    return [
        _f(
            "CODEX_LEGACY_PROFILES",
            Severity.ERROR,
            f"config.toml still has [profiles.{p.name}] next to {p.name}.config.toml: `codex -p {p.name}` "
            "fails while the legacy table exists",
            f"delete [profiles.{p.name}] from config.toml (move anything you need into {p.name}.config.toml)",
            s.base.path,
        )
        for p in s.profiles
        if p.name in legacy
    ]


def check_snapshot(s: Snapshot) -> list[Finding]:
    """Every Codex check on one snapshot; duplicates (same code, file and message) removed."""
    sels = selections(s)
    selected_ids = {sel.provider_id for sel in sels}
    findings: list[Finding] = []
    for cf in (s.base, *s.profiles, *s.projects):
        findings += check_file(cf, selected_ids)
    if s.base.error is None:
        for sel in sels:
            findings += check_selection(sel, s)
    findings += check_auth_file_mode(s.auth)
    for cf in (s.base, *s.profiles, *s.projects):
        findings += check_config_file_mode(cf)
    findings += _profile_clashes(s)
    if s.base.data is None and s.base.error is None and not s.profiles:
        findings.append(
            _f(
                "CODEX_NO_CONFIG",
                Severity.INFO,
                "no config.toml: Codex uses its built-in OpenAI provider (ChatGPT login or OpenAI API key)",
                "`agentcost setup codex --provider <id>` configures a third-party provider",
                s.base.path,
            )
        )
    seen: set[tuple[str, str | None, str]] = set()
    unique: list[Finding] = []
    for f in findings:
        k = (f.code, f.file, f.message.split(") ", 1)[-1] if f.message.startswith("(") else f.message)
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return unique
