"""Minimal text edits of a settings JSON file: append strings to `permissions.deny`, nothing else.

Re-serialising the whole document would reflow the user's formatting (a one-line `"allow": [...]`
becomes five lines) and make the diff of a committed file noisy. Instead the spans of
`permissions` and `deny` are located with the standard library's own decoder (`raw_decode` returns
end offsets) and only the new elements are inserted, in the file's indentation
and line endings. The caller checks the result parses to the expected data and falls back to a full
re-dump otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class _Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _members(text: str, open_idx: int) -> tuple[list[_Member], int]:
    """Members of the object whose "{" is at `open_idx`, and the index of its "}"."""
    members: list[_Member] = []
    i = _skip(text, open_idx + 1)
    if text[i] == "}":
        return members, i
    while True:
        key, j = _DECODER.raw_decode(text, i)
        if not isinstance(key, str):
            raise ValueError("expected a key")
        j = _skip(text, j)
        if text[j] != ":":
            raise ValueError("expected ':'")
        vs = _skip(text, j + 1)
        _, ve = _DECODER.raw_decode(text, vs)
        members.append(_Member(key, i, vs, ve))
        k = _skip(text, ve)
        if text[k] == "}":
            return members, k
        if text[k] != ",":
            raise ValueError("expected ','")
        i = _skip(text, k + 1)


def _elements(text: str, open_idx: int) -> tuple[list[tuple[int, int]], int]:
    """(start, end) of each element of the array whose "[" is at `open_idx`, and its "]" index."""
    out: list[tuple[int, int]] = []
    i = _skip(text, open_idx + 1)
    if text[i] == "]":
        return out, i
    while True:
        _, e = _DECODER.raw_decode(text, i)
        out.append((i, e))
        k = _skip(text, e)
        if text[k] == "]":
            return out, k
        if text[k] != ",":
            raise ValueError("expected ','")
        i = _skip(text, k + 1)


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def _array(items: Sequence[str], indent: str, unit: str, nl: str) -> str:
    inner = f",{nl}".join(f"{indent}{unit}{it}" for it in items)
    return f"[{nl}{inner}{nl}{indent}]"


def _add_member(
    text: str, open_idx: int, members: list[_Member], close_idx: int, member: str, unit: str, nl: str
) -> str:
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


def append_deny(text: str, added: Sequence[str], unit: str, nl: str) -> str:
    """`text` with `added` appended to `permissions.deny` (creating the keys where missing).

    Raises ValueError when the document's layout is not one this editor handles.
    """
    items = [json.dumps(r, ensure_ascii=False) for r in added]
    top = _skip(text, 0)
    if top >= len(text) or text[top] != "{":
        raise ValueError("not an object")
    members, close = _members(text, top)
    perms = next((m for m in reversed(members) if m.key == "permissions"), None)
    if perms is None or text[perms.value_start] != "{":
        if perms is not None:
            raise ValueError("permissions is not an object")
        # "\x00" stands for the member's own indentation, known only where it is inserted
        member = '"permissions": {' + nl + "\x00" + unit + '"deny": '
        member += _array(items, "\x00" + unit, unit, nl) + nl + "\x00}"
        return _add_member(text, top, members, close, member, unit, nl)
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
