"""Never leak a key: mask values for display and scrub any text that leaves the process.

Every key agentcost handles is `register()`-ed the moment it is read; `scrub()` is applied to
everything written to stdout/stderr (see `output.py`), to JSON output and to diffs. A pattern
pass catches well-known key shapes that were never registered (e.g. a key found in a file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_registered: set[str] = set()

# Key shapes of the providers agentcost knows (OpenAI/Anthropic/DeepSeek/OpenRouter `sk-...`,
# Atlas `apikey-...`, generic long bearer tokens after "Bearer ").
_KEY_PATTERNS = [
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\bapikey-[A-Za-z0-9_\-]{8,}"),
    re.compile(r"(?<=Bearer )[A-Za-z0-9_\-\.=]{16,}"),
    # JWTs (ChatGPT id/access tokens in Codex's auth.json): header.payload[.signature]
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}(?:\.[A-Za-z0-9_\-]*){1,2}"),
]

# A JSON / TOML field whose name says it holds a secret: `"access_token": "…"`, `api_key = "…"`.
_SECRET_FIELD = re.compile(
    r"""(?P<head>["']?[A-Za-z0-9_\-]*(?:token|secret|api_?key|password|passwd)[A-Za-z0-9_\-]*["']?"""
    r"""\s*[:=]\s*["'])(?P<value>[^"'\n]{6,})(?P<tail>["'])""",
    re.IGNORECASE,
)
_ENV_VAR_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_ENV_REF = re.compile(r"\$\{[A-Z_][A-Z0-9_]*\}")

_MIN_REGISTERED = 6  # shorter values are too likely to be ordinary words to scrub everywhere


def mask(value: str | None) -> str:
    """`sk-abc...wxyz` -> `sk-…wxyz`; short values become `…` + last 2; empty stays empty."""
    if not value:
        return ""
    if len(value) <= 8:
        return "…" + value[-2:] if len(value) > 4 else "…"
    prefix = ""
    m = re.match(r"^([A-Za-z]{2,8}-)", value)
    if m:
        prefix = m.group(1)
    return f"{prefix}…{value[-4:]}"


def register(value: str | None) -> None:
    """Remember a secret so `scrub()` removes it from all output."""
    if value and len(value) >= _MIN_REGISTERED:
        _registered.add(value)


def register_all(values: Iterable[str | None]) -> None:
    for v in values:
        register(v)


def scrub(text: str) -> str:
    """Replace every registered secret and every key-shaped token in `text` by its mask."""
    if not text:
        return text
    for secret in sorted(_registered, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, mask(secret))
    for pat in _KEY_PATTERNS:
        text = pat.sub(lambda m: mask(m.group(0)), text)
    return text


def mask_secret_fields(text: str) -> str:
    """Mask the values of fields named like secrets (tokens, keys, passwords) in JSON/TOML text.

    Values that are environment-variable names (`env_key = "ATLAS_API_KEY"`) are left readable.
    Used for diffs of files that may hold credentials agentcost never registered (e.g. a ChatGPT
    login in Codex's auth.json).
    """

    def repl(m: re.Match[str]) -> str:
        value = m.group("value")
        if _ENV_VAR_NAME.fullmatch(value) or _ENV_REF.fullmatch(value) or "…" in value:
            # a variable's name (or a `${VAR}` reference to one), or already masked
            return m.group(0)
        return f"{m.group('head')}{mask(value)}{m.group('tail')}"

    return _SECRET_FIELD.sub(repl, text)


def looks_like_key(value: str) -> bool:
    """True for a value that looks like an API key rather than an environment-variable name."""
    if any(p.search(value) for p in _KEY_PATTERNS[:2]):
        return True
    # A variable name is UPPER_SNAKE; a key is long, mixed-case or has dashes/dots.
    return len(value) >= 20 and not re.fullmatch(r"[A-Z_][A-Z0-9_]*", value)


def _clear_registry_for_tests() -> None:
    _registered.clear()
