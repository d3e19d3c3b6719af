"""Never leak a key: mask values for display and scrub any text that leaves the process.

Every key agentcost handles is `register()`-ed the moment it is read; `scrub()` is applied to
everything written to stdout/stderr (see `output.py`), to JSON output and to diffs. A pattern
pass catches well-known key shapes that were never registered (e.g. a key found in a file).

Every pattern here runs in linear time: each unbounded repeat is possessive (`*+`, `++`, `{n,}+`),
so the engine never backtracks into it, and a run of name characters can only start a match at
its first character (a look-behind guard). A 50 MB value costs one pass, not a quadratic scan
(tests/test_secrets.py checks the patterns' structure; benchmarks/secrets_bench.py times it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_registered: set[str] = set()

# Key shapes of the providers agentcost knows (OpenAI/Anthropic/DeepSeek/OpenRouter `sk-...`,
# Atlas `apikey-...`, xAI `xai-...`, Groq `gsk_...`, Google `AIza...`, GitHub `ghp_...`, generic long
# bearer tokens after "Bearer ", JWTs). Each starts with a literal, so the engine jumps from one
# occurrence of it to the next; the look-behind after the literal is `\b` before it, in O(1).
_KEY_PATTERNS = [
    re.compile(r"sk-(?<![A-Za-z0-9_]sk-)[A-Za-z0-9_\-]{8,}+"),
    re.compile(r"apikey-(?<![A-Za-z0-9_]apikey-)[A-Za-z0-9_\-]{8,}+"),
    re.compile(r"xai-(?<![A-Za-z0-9_]xai-)[A-Za-z0-9_\-]{16,}+"),
    re.compile(r"gsk_(?<![A-Za-z0-9_]gsk_)[A-Za-z0-9_\-]{16,}+"),
    re.compile(r"AIza(?<![A-Za-z0-9_]AIza)[A-Za-z0-9_\-]{16,}+"),
    re.compile(r"gh[pousr]_(?<![A-Za-z0-9_]gh[pousr]_)[A-Za-z0-9_]{16,}+"),
    re.compile(r"Bearer (?P<key>[A-Za-z0-9_\-\.=+/]{16,}+)"),
    # JWTs (ChatGPT id/access tokens in Codex's auth.json): header.payload[.signature]
    re.compile(r"eyJ(?<![A-Za-z0-9_]eyJ)[A-Za-z0-9_\-]{8,}+(?:\.[A-Za-z0-9_\-]*+){1,2}+"),
]
# Z.ai / Zhipu keys: an id and a secret joined by a dot (`0123…cdef.AbCd…`). Found from the dot:
# 20 id characters before it (fixed-width look-behind), the secret after; the id's start is then
# looked for at most _ZAI_ID_MAX characters back.
_ZAI_SECRET = re.compile(r"\.(?<=[A-Za-z0-9]{20}\.)[A-Za-z0-9]{10,}+(?![A-Za-z0-9_\-.])")
_ZAI_ID_MAX = 64
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

# `name: "value"` / `name = 'value'` in JSON, TOML or a diff of them, found from the separator (a
# character-set prefix the engine skips to in C); the name is read backwards, at most _NAME_MAX
# characters. The value is a JSON/TOML string, escapes included.
_VALUE_AFTER = re.compile(r"""[:=][ \t]*+(?P<value>"(?:[^"\\\n]++|\\.)*+"|'[^'\n]*+')""")
_NAME_MAX = 256
# A field name that says its value is a secret: tokens, keys, passwords, credentials, auth headers.
_SECRET_NAME = re.compile(
    r"token|secret|api[_\-.]?key|passw(?:or)?d|credential|authorization|cookie|private[_\-.]?key"
    r"|(?:^|[_\-.])key$|custom[_\-.]?headers",
    re.IGNORECASE,
)
# Fields whose value is a list of headers (`Name: value` lines): every header's value is masked.
_HEADERS_NAME = re.compile(r"custom[_\-.]?headers", re.IGNORECASE)
# A TOML table or inline table of HTTP headers (Codex's `http_headers`): every value is secret.
# `env_http_headers` maps header names to variable NAMES and stays readable.
_HEADERS_TABLE = re.compile(r"http_headers(?<!env_http_headers)")
_NEXT_TABLE = re.compile(r"\n[ +\-]?[ \t]*+\[")
_TABLE_LINE = re.compile(r"[ +\-]?[ \t]*+\[")
_ENV_VAR_NAME = re.compile(r"[A-Z_][A-Z0-9_]*+")
_PREFIX = re.compile(r"[A-Za-z]{2,8}-")
_ENV_REF = re.compile(r"\$\{[A-Z_][A-Z0-9_]*+\}")

_MIN_REGISTERED = 6  # shorter values are too likely to be ordinary words to scrub everywhere

# Every pattern above, for the structural linearity test.
LINEAR_PATTERNS = (
    *_KEY_PATTERNS,
    _ZAI_SECRET,
    _VALUE_AFTER,
    _SECRET_NAME,
    _HEADERS_NAME,
    _HEADERS_TABLE,
    _NEXT_TABLE,
    _TABLE_LINE,
)


def mask(value: str | None) -> str:
    """`sk-abc...wxyz` -> `sk-…wxyz`; short values become `…` + last 2; empty stays empty."""
    if not value:
        return ""
    if len(value) <= 8:
        return "…" + value[-2:] if len(value) > 4 else "…"
    m = _PREFIX.match(value)
    prefix = m.group(0) if m else ""
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
        text = pat.sub(_mask_match, text)
    return _scrub_zai(text)


def _mask_match(m: re.Match[str]) -> str:
    if m.re.groupindex:  # `Bearer <key>`: keep the scheme
        return m.group(0)[: m.start("key") - m.start()] + mask(m.group("key"))
    return mask(m.group(0))


def _zai_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _ZAI_SECRET.finditer(text):
        dot, lo = m.start(), max(0, m.start() - _ZAI_ID_MAX - 1)
        i = dot
        while i > lo and text[i - 1] in _ALNUM:
            i -= 1
        if i > 0 and (i == lo or text[i - 1] in _NAME_CHARS):
            continue  # the id is longer than a key's, or part of a longer word
        spans.append((i, m.end()))
    return spans


def _scrub_zai(text: str) -> str:
    spans = _zai_spans(text) if "." in text else []
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        out += [text[pos:a], mask(text[a:b])]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _mask_headers(value: str) -> str:
    """`X-Key: abc\\nX-Org: def` -> `X-Key: …bc\\nX-Org: …ef`: header names stay, values never show."""
    sep = "\\n" if "\\n" in value else "\n"
    out = []
    for header in value.split(sep):
        name, colon, val = header.partition(":")
        out.append(f"{name}: {mask(val.strip()) or '…'}" if colon else mask(header))
    return sep.join(out)


def _mask_value(name: str, value: str, *, force: bool) -> str | None:
    """The masked value (without quotes), or None to leave it as it is."""
    if not value or value.isdigit() or (len(value) < 64 and "…" in value):
        return None  # empty, a number (`MAX_THINKING_TOKENS`), or masked already
    if _HEADERS_NAME.search(name):
        return _mask_headers(value)
    if not force and not _SECRET_NAME.search(name):
        return None
    if _ENV_VAR_NAME.fullmatch(value) or _ENV_REF.fullmatch(value):
        # a variable's NAME (`env_key = "ATLAS_API_KEY"`, OpenClaw's `apiKey: "${VAR}"`), not its value
        return None
    return mask(value)


def _name_before(text: str, sep: int) -> str | None:
    """The field name that ends just before the separator at `sep` (quotes stripped), if any."""
    lo = max(0, sep - _NAME_MAX)
    i = sep
    while i > lo and text[i - 1] in " \t":
        i -= 1
    quote = text[i - 1] if i > lo and text[i - 1] in "\"'" else ""
    end = i = i - len(quote)
    while i > lo and text[i - 1] in _NAME_CHARS:
        i -= 1
    if i == end or (i == lo and lo > 0):
        return None  # no name, or one longer than any field name
    if quote and (i == 0 or text[i - 1] != quote):
        return None
    return text[i:end]


def _header_regions(text: str) -> list[tuple[int, int]]:
    """Spans of text inside Codex `http_headers` (an inline table's line or a `[...http_headers]` table)."""
    regions = []
    for m in _HEADERS_TABLE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if _TABLE_LINE.match(text, start):
            nxt = _NEXT_TABLE.search(text, m.end())
            end = nxt.start() if nxt else len(text)
        else:
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
        regions.append((start, end))
    return regions


def mask_secret_fields(text: str) -> str:
    """Mask the values of fields named like secrets (tokens, keys, passwords, headers) in JSON/TOML text.

    `ANTHROPIC_CUSTOM_HEADERS` keeps its header names and masks each value; every value of a Codex
    `http_headers` table (inline or `[...http_headers]`) is masked. Values that are
    environment-variable names (`env_key = "ATLAS_API_KEY"`) and numbers stay readable.
    """
    regions = _header_regions(text) if "http_headers" in text else []
    out: list[str] = []
    pos = 0
    for m in _VALUE_AFTER.finditer(text):
        name = _name_before(text, m.start())
        if name is None:
            continue
        force = any(a <= m.start() < b for a, b in regions)
        quoted = m.group("value")
        masked = _mask_value(name, quoted[1:-1], force=force)
        if masked is None:
            continue
        vstart = m.start("value")
        out += [text[pos:vstart], quoted[0], masked, quoted[-1]]
        pos = m.end("value")
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def looks_like_key(value: str) -> bool:
    """True for a value that looks like an API key rather than an environment-variable name."""
    if any(p.search(value) for p in _KEY_PATTERNS[:6]) or _zai_spans(value):
        return True
    # A variable name is UPPER_SNAKE; a key is long, mixed-case or has dashes/dots.
    return len(value) >= 20 and not _ENV_VAR_NAME.fullmatch(value)


def could_be_key(value: str) -> bool:
    """A command-line value that might be a secret (echoing it back in an error would leak it)."""
    if looks_like_key(value):
        return True
    # 12+ characters with no spaces, not a path or URL and not an option: treat as a key.
    return len(value) >= 12 and not value.startswith("-") and not any(c in value for c in " /\\:")


def _clear_registry_for_tests() -> None:
    _registered.clear()
