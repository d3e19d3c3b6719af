"""Codex config.toml / auth.json editing, pure: tomlkit documents and dicts in, changed ones out.

Everything here keeps the user's comments, key order and unrelated tables (tomlkit round-trips
them). A value is only assigned when it differs, so an unchanged file re-serialises byte for byte
and `write_atomic` sees no change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import tomlkit
from tomlkit.items import InlineTable, Table
from tomlkit.toml_document import TOMLDocument

from agentcost.errors import AgentcostError, ConfigError

AuthMode = Literal["env", "file"]

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
    if auth == "env":
        assert env_key is not None
        if _set(table, "env_key", env_key):
            changed.append(prefix + f"env_key = {env_key!r}")
        if _delete(table, "requires_openai_auth"):
            changed.append(prefix + "removed requires_openai_auth (the key comes from the environment)")
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


def tidy_text(text: str) -> str:
    """Collapse the blank lines a new trailing table leaves at the end of the file (one newline)."""
    return text.rstrip("\r\n") + "\n" if text.strip() else text


# ------------------------------------------------------------------------------------------ auth.json


def chatgpt_login(auth: Mapping[str, Any] | None) -> bool:
    """True when auth.json holds a ChatGPT login (its tokens would be sent to a third-party host)."""
    if not auth:
        return False
    has_tokens = any(auth.get(k) for k in CHATGPT_KEYS)
    if not has_tokens:
        return False
    # Observed with Codex 0.171: with tokens present, the API key is sent when auth_mode is "apikey"
    # or absent and the key is set; with auth_mode "chatgpt" or a null key the tokens are used.
    key = auth.get("OPENAI_API_KEY")
    mode = str(auth.get("auth_mode", "apikey")).lower()
    return not (mode == "apikey" and isinstance(key, str) and key.strip())


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
