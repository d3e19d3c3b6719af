"""Terminal-safe text: one function for every string that comes from a file, a log or a repository.

A model name in a log or a file name in a repository can hold `\\x1b]0;…\\x07\\x1b[2J` (retitle and
clear the terminal) or a newline that splits a table row and spoofs the next one. `sanitize()`
shows every control character as an escape instead: C0 (incl. ESC, CR, TAB), DEL and C1
(U+0080–U+009F), plus the Unicode bidirectional overrides and isolates that reorder what is shown
(the "Trojan Source" characters). Newlines become `\\n`. JSON output keeps the exact value; only
text for people goes through here. Ground floor: no imports from the rest of agentcost.
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_UNSAFE_OR_BACKSLASH = re.compile(f"[\\\\\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")


def _escape(m: re.Match[str]) -> str:
    c = m.group(0)
    named = _NAMED.get(c)
    if named is not None:
        return named
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def sanitize(text: object) -> str:
    """`text` with every control character escaped (`\\x1b`, `\\n`, `\\u202e`); printable text unchanged.

    A backslash is left as it is unless the text also holds something to escape (then it is doubled,
    so that the escaped form cannot be confused with a literal `\\x1b` in the name): Windows paths and
    regexes stay readable.
    """
    s = text if isinstance(text, str) else str(text)
    if not _UNSAFE.search(s):
        return s
    return _UNSAFE_OR_BACKSLASH.sub(_escape, s)


def sanitize_lines(text: str) -> str:
    """Each line of a multi-line text (a diff) sanitised; the line breaks themselves are kept."""
    return "\n".join(sanitize(line) for line in text.split("\n"))


def is_clean(text: str) -> bool:
    """True when `sanitize` would leave `text` as it is."""
    return _UNSAFE.search(text) is None
