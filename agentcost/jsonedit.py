"""Minimal-diff edits of a JSON object file: change one thing, leave every other byte alone.

`json.loads` + `json.dumps` would re-format the whole file (a compact `"permissions": {...}` line
becomes ten lines) and make the diff of a committed settings file noisy. Instead the spans of the
members involved are located with the standard library's own decoder (`raw_decode` returns end
offsets) and only those spans are replaced or extended, in the file's indentation and line endings.

Two edits are built on that core:
- `set_member(old, key, value, expected)`: replace (or append) one top-level member
  (`agentcost setup claude` writes `env` this way);
- `append_deny(old, added, expected)`: append strings to `permissions.deny`, creating the keys
  where missing (`agentcost ignore`).

Both verify the result by parsing it and comparing it with the whole `expected` object; they
return None when a minimal edit is not possible or not exact, and the caller re-renders the file
in full with `render_object`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentcost.fileio import detect_newline

_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Member:
    """One `"key": value` member of an object: offsets of the key and of the value's text."""

    key: str
    key_start: int
    value_start: int
    value_end: int


def _skip(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _members(text: str, open_idx: int) -> tuple[list[Member], int]:
    """Members of the object whose "{" is at `open_idx`, and the index of its "}".

    Raises ValueError (json.JSONDecodeError included) when the object is malformed.
    """
    members: list[Member] = []
    i = _skip(text, open_idx + 1)
    if text[i : i + 1] == "}":
        return members, i
    while True:
        if text[i : i + 1] != '"':
            raise ValueError("expected a key")
        key, j = _DECODER.raw_decode(text, i)
        j = _skip(text, j)
        if text[j : j + 1] != ":":
            raise ValueError("expected ':'")
        vs = _skip(text, j + 1)
        _value, ve = _DECODER.raw_decode(text, vs)
        members.append(Member(key, i, vs, ve))
        k = _skip(text, ve)
        if text[k : k + 1] == "}":
            return members, k
        if text[k : k + 1] != ",":
            raise ValueError("expected ',' or '}'")
        i = _skip(text, k + 1)


def _elements(text: str, open_idx: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each element of the array whose "[" is at `open_idx`, and its "]" index."""
    out: list[tuple[int, int]] = []
    i = _skip(text, open_idx + 1)
    if text[i : i + 1] == "]":
        return out, i
    while True:
        _value, e = _DECODER.raw_decode(text, i)
        out.append((i, e))
        k = _skip(text, e)
        if text[k : k + 1] == "]":
            return out, k
        if text[k : k + 1] != ",":
            raise ValueError("expected ',' or ']'")
        i = _skip(text, k + 1)


def _top_object(text: str) -> int:
    """Index of the "{" opening the document (after a BOM and whitespace); ValueError otherwise."""
    i = _skip(text, 1 if text.startswith("\ufeff") else 0)
    if text[i : i + 1] != "{":
        raise ValueError("not an object")
    return i


def member_spans(text: str) -> list[tuple[str, int, int, int]]:
    """(key, key_start, value_start, value_end) for each top-level member of a JSON object text.

    Raises ValueError when the text is not a single JSON object.
    """
    members, _close = _members(text, _top_object(text))
    return [(m.key, m.key_start, m.value_start, m.value_end) for m in members]


def _line_indent(text: str, pos: int) -> str:
    """The spaces and tabs that start the line holding `pos`."""
    start = text.rfind("\n", 0, pos) + 1
    m = re.match(r"[ \t]*", text[start:pos])
    return m.group(0) if m else ""


def detect_indent(text: str | None) -> int | str:
    """The indentation unit of a JSON document: spaces (an int) or a tab; 2 when unknown.

    Taken from the first indented line that starts with a string (a key), so the continuation
    lines of a compact nested value do not count.
    """
    for line in (text or "").splitlines():
        stripped = line.lstrip(" \t")
        if stripped.startswith('"') and line != stripped:
            ws = line[: len(line) - len(stripped)]
            return "\t" if ws.startswith("\t") else len(ws)
    return 2


def _unit_str(text: str) -> str:
    unit = detect_indent(text)
    return unit if isinstance(unit, str) else " " * unit


def render_object(data: Mapping[str, Any], old_text: str | None) -> str:
    """Serialise `data` in full, like the existing file: its indent, line endings and final newline."""
    text = json.dumps(data, indent=detect_indent(old_text), ensure_ascii=False)
    if old_text is None or not old_text.strip() or old_text.endswith(("\n", "\r")):
        text += "\n"
    return text.replace("\n", detect_newline(old_text))


def _verified(new: str, expected: Mapping[str, Any]) -> str | None:
    """`new` if it parses to exactly `expected`, else None."""
    try:
        return new if json.loads(new) == dict(expected) else None
    except json.JSONDecodeError:
        return None


def set_member(old_text: str, key: str, value: Any, expected: Mapping[str, Any]) -> str | None:
    """`old_text` with top-level `key` set to `value`; None when a minimal edit is not possible.

    `expected` is the whole object the result must parse to (a safety check).
    """
    try:
        spans = member_spans(old_text)
    except ValueError:
        return None
    if not spans:
        return None  # `{}`: nothing to preserve, a full render is as good
    newline = detect_newline(old_text)
    unit = detect_indent(old_text)
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
        base = _line_indent(old_text, key_start) or _unit_str(old_text)
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
    return _verified(new, expected)


def _array(items: Sequence[str], indent: str, unit: str, nl: str) -> str:
    inner = f",{nl}".join(f"{indent}{unit}{it}" for it in items)
    return f"[{nl}{inner}{nl}{indent}]"


def _add_member(
    text: str, open_idx: int, members: list[Member], close_idx: int, member: str, unit: str, nl: str
) -> str:
    """Insert `member` ("\\x00" = its own indentation) as the last member of the object at `open_idx`."""
    if members:
        last = members[-1]
        indent = _line_indent(text, last.key_start)
        return (
            text[: last.value_end]
            + f",{nl}{indent}"
            + member.replace("\x00", indent)
            + text[last.value_end :]
        )
    outer = _line_indent(text, open_idx)
    indent = outer + unit
    return (
        text[: open_idx + 1]
        + f"{nl}{indent}"
        + member.replace("\x00", indent)
        + f"{nl}{outer}"
        + text[close_idx:]
    )


def _append_deny(text: str, added: Sequence[str], unit: str, nl: str) -> str:
    """`text` with `added` appended to `permissions.deny`; ValueError for a layout not handled."""
    items = [json.dumps(r, ensure_ascii=False) for r in added]
    top = _top_object(text)
    members, close = _members(text, top)
    perms = next((m for m in reversed(members) if m.key == "permissions"), None)
    if perms is None:
        # "\x00" stands for the member's own indentation, known only where it is inserted
        member = '"permissions": {' + nl + "\x00" + unit + '"deny": '
        member += _array(items, "\x00" + unit, unit, nl) + nl + "\x00}"
        return _add_member(text, top, members, close, member, unit, nl)
    if text[perms.value_start] != "{":
        raise ValueError("permissions is not an object")
    pmembers, pclose = _members(text, perms.value_start)
    deny = next((m for m in reversed(pmembers) if m.key == "deny"), None)
    if deny is None:
        member = '"deny": ' + _array(items, "\x00", unit, nl)
        return _add_member(text, perms.value_start, pmembers, pclose, member, unit, nl)
    if text[deny.value_start] != "[":
        raise ValueError("deny is not an array")
    elems, aclose = _elements(text, deny.value_start)
    if elems and "\n" in text[deny.value_start : aclose]:
        end = elems[-1][1]
        indent = _line_indent(text, elems[-1][0])
        return text[:end] + "".join(f",{nl}{indent}{it}" for it in items) + text[end:]
    # an empty or one-line array: write just this array one element per line
    old = [text[s:e] for s, e in elems]
    return (
        text[: deny.value_start]
        + _array([*old, *items], _line_indent(text, deny.key_start), unit, nl)
        + text[aclose + 1 :]
    )


def append_deny(old_text: str, added: Sequence[str], expected: Mapping[str, Any]) -> str | None:
    """`old_text` with the strings `added` appended to `permissions.deny` (keys created where missing).

    None when a minimal edit is not possible: a one-line document, a layout this editor does not
    handle, or a result that does not parse to exactly `expected`.
    """
    if "\n" not in old_text.strip():
        return None  # a one-line object: render in full
    try:
        new = _append_deny(old_text, added, _unit_str(old_text), detect_newline(old_text))
    except ValueError:
        return None
    return _verified(new, expected)


def remove_member(old_text: str, key: str, expected: Mapping[str, Any]) -> str | None:
    """`old_text` without top-level `key` (every copy of it); None when a minimal edit is not possible.

    The member goes with the comma and line break that joined it to its neighbour, so the lines
    around it are untouched.
    """
    new = old_text
    while True:
        try:
            spans = member_spans(new)
        except ValueError:
            return None
        hits = [i for i, s in enumerate(spans) if s[0] == key]
        if not hits:
            return _verified(new, expected)
        if len(hits) == len(spans):
            return None  # nothing else left: a full render (`{}`) is as good
        i = hits[-1]
        if i > 0:
            start, end = spans[i - 1][3], spans[i][3]  # from the previous value's end
        else:
            start, end = spans[0][1], spans[1][1]  # up to the next key
        new = new[:start] + new[end:]
