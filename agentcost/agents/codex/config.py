"""Codex config.toml / auth.json editing, pure: tomlkit documents and dicts in, changed ones out.

Everything here keeps the user's comments, key order and unrelated tables (tomlkit round-trips
them). A value is only assigned when it differs, so an unchanged file re-serialises byte for byte
and `write_atomic` sees no change.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

import tomlkit
from tomlkit.items import InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from agentcost.errors import AgentcostError, ConfigError

AuthMode = Literal["env", "file", "shim"]  # shim: the key is the shim's, Codex sends none

# Provider ids Codex defines itself; redefining them in [model_providers] is an error.
RESERVED_IDS = frozenset({"openai", "ollama", "lmstudio"})
# Ids `model_provider` may name without a [model_providers.<id>] table.
BUILTIN_IDS = RESERVED_IDS | {"amazon-bedrock", "oss"}
# auth.json keys written by a ChatGPT login (`codex login`), as opposed to an API key.
CHATGPT_KEYS = ("tokens", "id_token", "access_token", "refresh_token", "last_refresh", "account_id")

# Profile names accepted by Codex: letters, digits, hyphens and underscores.
_PROFILE_RE = re.compile(r"[A-Za-z0-9_-]+")


def validate_profile_name(name: str) -> str:
    """A `--profile` name becomes the file `<name>.config.toml`: no separators, no dots."""
    n = name.strip()
    if not _PROFILE_RE.fullmatch(n):
        raise AgentcostError(
            f"--profile {name!r} is not a valid profile name",
            hint="use letters, digits, '-' and '_' only (it becomes $CODEX_HOME/<name>.config.toml)",
        )
    return n


def validate_table_id(table_id: str) -> str:
    """A provider id usable as `[model_providers.<id>]`; reserved ids are refused."""
    if table_id in RESERVED_IDS:
        raise AgentcostError(
            f"{table_id!r} is one of Codex's built-in provider ids ({', '.join(sorted(RESERVED_IDS))}); "
            "Codex refuses a [model_providers] table with that name",
            hint="use another id (add the provider to agentcost's providers.toml under another name)",
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]+", table_id):
        raise AgentcostError(f"provider id {table_id!r} cannot be used as a Codex provider id")
    return table_id


def _set(container: Any, key: str, value: Any) -> bool:
    """Assign only when different (keeps the original formatting of equal values). True = changed."""
    current = container.get(key)
    if current is not None and _plain(current) == value:
        return False
    container[key] = value
    return True


def _delete(container: Any, key: str) -> bool:
    if key in container:
        del container[key]
        return True
    return False


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _set_top_level(doc: TOMLDocument, key: str, value: str) -> bool:
    """Set a top-level key. A new key must land BEFORE the first table, or TOML would read it as a
    key of that table; tomlkit's `__setitem__` does that for plain values (checked by the tests)."""
    return _set(doc, key, value)


def provider_tables(doc: Mapping[str, Any], *, path: str) -> Any:
    """The `model_providers` mapping of a document, or None; refuses a non-table value."""
    mp = doc.get("model_providers")
    if mp is None:
        return None
    if not isinstance(mp, dict):
        raise ConfigError("`model_providers` must be a table", path=path, hint="fix the file by hand")
    return mp


def apply_provider(
    doc: TOMLDocument,
    *,
    path: str,
    table_id: str,
    name: str,
    base_url: str | None,
    model: str | None,
    auth: AuthMode,
    env_key: str | None,
) -> list[str]:
    """Point `doc` at provider `table_id`; returns one line per key changed (for notices).

    `base_url is None` means a built-in provider (`openai`): only `model_provider` / `model` are
    set and no table is written. For a third-party provider the table gets `name` (kept when the
    user already named it), `base_url`, `wire_api = "responses"` and the credential: `env_key`
    (auth "env", `requires_openai_auth` removed) or `requires_openai_auth = true` (auth "file",
    `env_key` removed, since a set env_key would win over auth.json).
    """
    changed: list[str] = []
    if _set_top_level(doc, "model_provider", table_id):
        changed.append(f"model_provider = {table_id!r}")
    if model and _set_top_level(doc, "model", model):
        changed.append(f"model = {model!r}")
    if base_url is None:
        return changed
    mp = provider_tables(doc, path=path)
    if mp is None:
        mp = tomlkit.table(is_super_table=True)
        doc["model_providers"] = mp
        mp = doc["model_providers"]
    table = mp.get(table_id)
    new_table = table is None
    if table is None:
        mp[table_id] = tomlkit.inline_table() if isinstance(mp, InlineTable) else tomlkit.table()
        table = mp[table_id]
    elif not isinstance(table, dict):
        raise ConfigError(f"`model_providers.{table_id}` must be a table", path=path)
    prefix = f"[model_providers.{table_id}] "
    current_name = _plain(table.get("name"))
    if not (isinstance(current_name, str) and current_name.strip()) and _set(table, "name", name):
        changed.append(prefix + f"name = {name!r}")
    if _set(table, "base_url", base_url):
        changed.append(prefix + f"base_url = {base_url!r}")
    if _set(table, "wire_api", "responses"):
        changed.append(prefix + 'wire_api = "responses"')
    if _delete(table, "experimental_bearer_token"):
        changed.append(
            prefix + "removed experimental_bearer_token (a plain-text key; it would win over auth.json)"
        )
    if auth == "env":
        assert env_key is not None
        if _set(table, "env_key", env_key):
            changed.append(prefix + f"env_key = {env_key!r}")
        if _delete(table, "requires_openai_auth"):
            changed.append(prefix + "removed requires_openai_auth (the key comes from the environment)")
    elif auth == "shim":
        for key in ("env_key", "requires_openai_auth"):
            if _delete(table, key):
                changed.append(prefix + f"removed {key} (agentcost shim holds the provider's key)")
    else:
        if _set(table, "requires_openai_auth", True):
            changed.append(prefix + "requires_openai_auth = true")
        if _delete(table, "env_key"):
            changed.append(prefix + "removed env_key (a set env_key would win over auth.json)")
    if new_table and isinstance(table, Table):
        # Without it a table that tomlkit places before another one is not separated by a blank line.
        table.add(tomlkit.nl())
    return changed


def repair_tables(doc: TOMLDocument, *, path: str) -> list[str]:
    """Fix what makes Codex 0.171 refuse to start whichever provider is selected, in every table:
    `wire_api = "chat"` (removed Feb 2026) -> "responses"; a missing or empty `name` -> the id.
    Returns one notice per change (reserved ids are not renamed: that changes what they mean)."""
    mp = provider_tables(doc, path=path)
    notices: list[str] = []
    for pid, table in (mp or {}).items():
        if not isinstance(table, dict):
            continue
        name = _plain(table.get("name"))
        if not (isinstance(name, str) and name.strip()):
            table["name"] = pid
            notices.append(
                f'[model_providers.{pid}] name = "{pid}" added: Codex refuses to start while any provider '
                "table has no name"
            )
        if _plain(table.get("wire_api")) == "chat":
            table["wire_api"] = "responses"
            notices.append(
                f'[model_providers.{pid}] wire_api "chat" -> "responses": current Codex refuses to start '
                'with "chat" anywhere in the file; that provider must serve the Responses API to work'
            )
    return notices


_SECRET_HEADERS = ("authorization", "x-api-key", "api-key")


def config_secret_values(data: Mapping[str, Any]) -> list[str]:
    """Keys sitting in plain text in a config document: `experimental_bearer_token`, a key pasted
    into `env_key`, literal Authorization / x-api-key / api-key header values (the part after
    "Bearer ")."""
    from agentcost.secrets import looks_like_key

    out: list[str] = []
    tables = data.get("model_providers")
    for table in tables.values() if isinstance(tables, Mapping) else ():
        if not isinstance(table, Mapping):
            continue
        token = table.get("experimental_bearer_token")
        if isinstance(token, str) and token.strip():
            out.append(token)
        env_key = table.get("env_key")
        if isinstance(env_key, str) and looks_like_key(env_key):
            out.append(env_key)
        headers = table.get("http_headers")
        if isinstance(headers, Mapping):
            for name, value in headers.items():
                if isinstance(value, str) and value.strip() and str(name).lower() in _SECRET_HEADERS:
                    out.append(value.split(" ", 1)[-1])
    return out


def tidy_text(text: str) -> str:
    """Collapse the blank lines a new trailing table leaves at the end of the file (one newline)."""
    return text.rstrip("\r\n") + "\n" if text.strip() else text


# ------------------------------------------------------------------------------------------ auth.json


def chatgpt_login(auth: Mapping[str, Any] | None) -> bool:
    """True when Codex would use the ChatGPT login in auth.json, i.e. send the access token to
    whatever host a `requires_openai_auth` provider names.

    Observed with Codex 0.171.0 and the e2e stub: the tokens are used only when the whole file
    loads (`auth_json_problem` is None, so `tokens` holds a parseable JWT id_token) AND
    auth_mode is "chatgpt", or auth_mode is absent and OPENAI_API_KEY is null/missing. With
    auth_mode "apikey" the key is sent (or, with a null key, nothing at all)."""
    if not auth or not isinstance(auth.get("tokens"), dict) or auth_json_problem(auth) is not None:
        return False
    mode = auth.get("auth_mode")
    if mode is None:
        key = auth.get("OPENAI_API_KEY")
        return not (isinstance(key, str) and key.strip())
    return bool(mode == "chatgpt")


# `last_refresh` as Codex 0.171 reads it (chrono DateTime): date AND time AND offset. Observed:
# "2026-11-26" makes Codex ignore auth.json; "2026-11-26 10:00:00Z" and "…T10:00:00.123+02:00" work.
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?\s*([Zz]|[+-]\d{2}:?\d{2})")
# auth_mode values Codex accepts ("bogus" made 0.171.0 ignore the file; the enum is case-sensitive).
AUTH_MODES = ("apikey", "chatgpt", "chatgptAuthTokens")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
# Claims Codex reads from the id_token payload, with the JSON types it accepts (null always allowed).
_CLAIM_OBJECTS = ("https://api.openai.com/profile", "https://api.openai.com/auth")
_CLAIM_STRINGS = ("email", "chatgpt_plan_type", "chatgpt_user_id", "user_id", "chatgpt_account_id")


def _kind(value: Any) -> str:
    """The JSON type name of a parsed value ("null", "object", "number", …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def _b64url_nopad(text: str) -> bytes | None:
    """Strict unpadded base64url, as Codex decodes the JWT payload (padding `=` is refused)."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    # non-canonical trailing bits are refused too
    return raw if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() == text else None


def id_token_problem(token: str) -> str | None:
    """Why Codex cannot parse `tokens.id_token` as a JWT (header.payload.signature, payload =
    unpadded base64url JSON object with string claims), or None."""
    parts = token.split(".")
    if len(parts) < 3 or not all(parts[:3]):
        return "id_token is not a JWT (header.payload.signature)"
    raw = _b64url_nopad(parts[1])
    if raw is None:
        return "the id_token payload is not unpadded base64url"
    try:
        claims = json.loads(raw)
    except ValueError:
        return "the id_token payload is not JSON"
    if not isinstance(claims, dict):
        return f"the id_token payload is a JSON {_kind(claims)}, not an object"
    scopes: list[Mapping[str, Any]] = [claims]
    for name in _CLAIM_OBJECTS:
        sub = claims.get(name)
        if sub is not None and not isinstance(sub, dict):
            return f"the id_token claim {name!r} is a JSON {_kind(sub)}, not an object"
        if isinstance(sub, dict):
            scopes.append(sub)
    for scope in scopes:
        for name in _CLAIM_STRINGS:
            v = scope.get(name)
            if v is not None and not isinstance(v, str):
                return f"the id_token claim {name!r} is a JSON {_kind(v)}, not a string"
    return None


def tokens_problem(auth: Mapping[str, Any]) -> str | None:
    """Why Codex 0.171 cannot parse the `tokens` entry of auth.json, or None (absent/null is fine).

    Codex reads `tokens` as {id_token: JWT, access_token: str, refresh_token: str, account_id:
    str | null}; when that fails it ignores the WHOLE file (observed with the e2e stub: no
    Authorization header at all, even with auth_mode "apikey" and a valid key beside it)."""
    tokens = auth.get("tokens")
    if tokens is None:
        return None
    if not isinstance(tokens, dict):
        return f'"tokens" is a JSON {_kind(tokens)}, not an object'
    missing = [k for k in ("id_token", "access_token", "refresh_token") if k not in tokens]
    if missing:
        return f'"tokens" has no {" / ".join(missing)}'
    for k in ("id_token", "access_token", "refresh_token", "account_id"):
        v = tokens.get(k)
        if not isinstance(v, str) and not (k == "account_id" and v is None):
            return f'"tokens".{k} is a JSON {_kind(v)}, not a string'
    return id_token_problem(tokens["id_token"])


def auth_json_problem(auth: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, reason) when Codex 0.171 cannot load this auth.json object and so ignores all of it
    (sends NO key, no warning); None when it loads. `field` is "tokens", "OPENAI_API_KEY",
    "auth_mode" or "last_refresh"."""
    problem = tokens_problem(auth)
    if problem is not None:
        return "tokens", problem
    key = auth.get("OPENAI_API_KEY")
    if key is not None and not isinstance(key, str):
        return "OPENAI_API_KEY", f'"OPENAI_API_KEY" is a JSON {_kind(key)}, not a string'
    mode = auth.get("auth_mode")
    if mode is not None and mode not in AUTH_MODES:
        return "auth_mode", (
            f'"auth_mode" is {mode!r}, not a value Codex knows ("apikey" or "chatgpt"; the case matters)'
        )
    refreshed = auth.get("last_refresh")
    if refreshed is not None and not (isinstance(refreshed, str) and _TIMESTAMP.fullmatch(refreshed)):
        return "last_refresh", (
            f'"last_refresh" is {refreshed!r}, not a timestamp with date, time and offset '
            '(e.g. "2026-11-26T10:00:00Z")'
        )
    return None


def api_key_in(auth: Mapping[str, Any] | None) -> str | None:
    """The usable `OPENAI_API_KEY` of an auth.json object, or None."""
    if not auth:
        return None
    key = auth.get("OPENAI_API_KEY")
    return key if isinstance(key, str) and key.strip() else None


def new_auth(existing: Mapping[str, Any] | None, key: str) -> dict[str, Any]:
    """auth.json content for an API key: `auth_mode` + `OPENAI_API_KEY` first, ChatGPT tokens
    dropped (the old file is backed up), any other keys kept."""
    out: dict[str, Any] = {"auth_mode": "apikey", "OPENAI_API_KEY": key}
    for k, v in (existing or {}).items():
        if k not in out and k not in CHATGPT_KEYS:
            out[k] = v
    return out


# A JSON "name": "value" pair whose name says it carries a secret (tokens.*, OPENAI_API_KEY, …).
_SECRET_NAME = re.compile(r"token|key|secret|password|credential", re.IGNORECASE)
_JSON_STRING_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"')


def auth_secret_values(text: str | None) -> list[str]:
    """Every string value of auth.json (any text, even malformed) under a secret-bearing name. Pure."""
    if not text:
        return []
    return [m.group(3) for m in _JSON_STRING_PAIR.finditer(text) if _SECRET_NAME.search(m.group(1))]


def redact_auth_text(text: str | None) -> str | None:
    """auth.json text with every secret-bearing string value replaced by its mask (sk-…1234), so a
    diff of the file shows its structure and never a token. Works on malformed JSON too. Pure."""
    if text is None:
        return None
    from agentcost.secrets import mask

    def repl(m: re.Match[str]) -> str:
        name, sep, value = m.group(1), m.group(2), m.group(3)
        if not _SECRET_NAME.search(name) or not value:
            return m.group(0)
        return f'"{name}"{sep}"{mask(value)}"'

    return _JSON_STRING_PAIR.sub(repl, text)
