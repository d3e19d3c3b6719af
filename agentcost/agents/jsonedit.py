"""Minimal-diff edits of a JSON object file: replace one top-level member, leave every other byte alone.

`json.loads` + `json.dumps` would re-format the whole file (a compact `"permissions": {...}` line
becomes ten lines). `set_member()` instead finds the span of one top-level member's value in the
original text and replaces only that span (or appends the member), matching the file's indent and
line endings. The result is verified by parsing it; on any surprise the caller falls back to a full
re-render (`render_object`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_WS = re.compile(r"[ \t\r\n]*")
_decoder = json.JSONDecoder()


def detect_newline(text: str | None) -> str:
    return "\r\n" if text and "\r\n" in text else "\n"


def detect_indent(text: str | None) -> int | str:
    """The indentation unit of a JSON document (2 when unknown): a number of spaces, or a tab."""
    if text:
        for line in text.splitlines()[1:]:
            m = re.match(r"^([ \t]+)\S", line)
            if m:
                ws = m.group(1)
                return "\t" if ws.startswith("\t") else len(ws)
    return 2


def render_object(data: Mapping[str, Any], old_text: str | None) -> str:
    """Serialise `data` in full, like the existing file: its indent, line endings and final newline."""
    text = json.dumps(data, indent=detect_indent(old_text), ensure_ascii=False)
    if old_text is None or not old_text.strip() or old_text.endswith(("\n", "\r")):
        text += "\n"
    return text.replace("\n", detect_newline(old_text))


def _skip(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def member_spans(text: str) -> list[tuple[str, int, int, int]]:
    """(key, key_start, value_start, value_end) for each top-level member of a JSON object text.

    Raises ValueError when the text is not a single JSON object.
    """
    i = _skip(text, 1 if text.startswith("\ufeff") else 0)
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    i = _skip(text, i + 1)
    spans: list[tuple[str, int, int, int]] = []
    if text[i : i + 1] == "}":
        return spans
    while True:
        if text[i : i + 1] != '"':
            raise ValueError("expected a key")
        key, after_key = _decoder.raw_decode(text, i)
        j = _skip(text, after_key)
        if text[j : j + 1] != ":":
            raise ValueError("expected ':'")
        vs = _skip(text, j + 1)
        _value, ve = _decoder.raw_decode(text, vs)
        spans.append((key, i, vs, ve))
        k = _skip(text, ve)
        if text[k : k + 1] == ",":
            i = _skip(text, k + 1)
            continue
        if text[k : k + 1] == "}":
            return spans
        raise ValueError("expected ',' or '}'")


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    m = re.match(r"[ \t]*", text[start:pos])
    return m.group(0) if m else ""


def set_member(old_text: str, key: str, value: Any, expected: Mapping[str, Any]) -> str | None:
    """`old_text` with top-level `key` set to `value`; None when a minimal edit is not possible.

    `expected` is the whole object the result must parse to (a safety check).
    """
    try:
        spans = member_spans(old_text)
    except (ValueError, json.JSONDecodeError):
        return None
    if not spans:
        return None  # `{}`: nothing to preserve, a full render is as good
    newline = detect_newline(old_text)
    unit = detect_indent(old_text)
    unit_str = unit if isinstance(unit, str) else " " * unit
    hits = [s for s in spans if s[0] == key]
    if hits:
        _k, key_start, vs, ve = hits[-1]  # json.loads keeps the last duplicate
        base = _line_indent(old_text, key_start)
        piece = json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + base)
        new = old_text[:vs] + piece.replace("\n", newline) + old_text[ve:]
    else:
        _k, key_start, _vs, ve = spans[-1]
        if "\n" not in old_text[:key_start]:
            return None  # a one-line object: appending in place would look odd; render in full
        base = _line_indent(old_text, key_start) or unit_str
        piece = json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + base)
        new = (
            old_text[:ve]
            + ","
            + newline
            + base
            + json.dumps(key, ensure_ascii=False)
            + ": "
            + piece.replace("\n", newline)
            + old_text[ve:]
        )
    try:
        if json.loads(new) != dict(expected):
            return None
    except json.JSONDecodeError:
        return None
    return new
