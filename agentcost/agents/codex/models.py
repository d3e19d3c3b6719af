"""Which model ids belong to OpenAI, and what switching Codex to the built-in openai provider leaves
behind (a previous provider's model id, an API key in auth.json). Pure: no file or network I/O.

The rule is deliberately simple and needs no catalog: OpenAI names its models `gpt-…`, `o1…`/`o3…`/
`o4…` (the o series), `codex-…`, `chatgpt-…` and `computer-use-…`, never with a `/`. A `/` means a
namespaced id (`deepseek-ai/deepseek-v4-pro`, `openai/gpt-5` on a router): never sent as is to
api.openai.com. Known other families (deepseek, glm, qwen, kimi, minimax, claude, …) are named in
messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from agentcost.secrets import mask

_OPENAI = re.compile(r"^(gpt-|o\d|codex-|codex$|chatgpt-|computer-use-)", re.IGNORECASE)
THIRD_PARTY_FAMILIES = (
    "deepseek",
    "glm",
    "qwen",
    "kimi",
    "moonshot",
    "minimax",
    "claude",
    "gemini",
    "llama",
    "mistral",
    "grok",
    "ernie",
    "doubao",
)


def is_openai_model(model: str) -> bool:
    """True for an OpenAI model id (`gpt-5`, `o3`, `codex-mini-latest`); False for anything else."""
    m = model.strip()
    return "/" not in m and bool(_OPENAI.match(m))


def third_party_hint(model: str) -> str | None:
    """Why `model` looks like another provider's id (None when it does not clearly look so).

    Used by doctor, which must not guess: only a `/` or a known non-OpenAI family counts.
    """
    m = model.strip().lower()
    if "/" in m:
        return "a namespaced id (with '/') as third-party providers and routers use"
    base = m.rsplit("/", 1)[-1]
    for family in THIRD_PARTY_FAMILIES:
        if base.startswith(family):
            return f"a {family} model, not an OpenAI one"
    return None


def stale_model_notice(model: str) -> str:
    """Setup's notice when it removes a previous provider's `model` for the built-in openai provider."""
    return (
        f"removed model = {model!r}: it is not an OpenAI model id, and the built-in openai provider would "
        "send it to api.openai.com, which does not serve it. Codex now uses its default OpenAI model; "
        "give --model to choose one (e.g. --model gpt-5)"
    )


def previous_provider(doc: Mapping[str, Any]) -> tuple[str | None, bool]:
    """(model_provider before the change, whether its table sent auth.json: requires_openai_auth)."""
    pid = doc.get("model_provider")
    if not isinstance(pid, str):
        return None, False
    tables = doc.get("model_providers")
    table = tables.get(pid) if isinstance(tables, Mapping) else None
    return pid, isinstance(table, Mapping) and table.get("requires_openai_auth") is True


def kept_key_notice(key: str, prev_id: str | None, prev_used_auth_json: bool) -> str:
    """Setup's notice when the built-in openai provider keeps an API key already in auth.json."""
    origin = ""
    if prev_id and prev_id != "openai":
        origin = (
            f" It was just used for {prev_id!r} (requires_openai_auth), so it is probably that provider's "
            "key, which OpenAI rejects with 401."
            if prev_used_auth_json
            else f" (model_provider was {prev_id!r}.)"
        )
    return (
        f"auth.json holds an API key ({mask(key)}): the built-in openai provider will send it to "
        f"api.openai.com.{origin} If it is not an OpenAI key, give yours with --api-key-env VAR or "
        "--api-key KEY (or run `codex login`)"
    )
