"""JSON5 with source spans, and minimal-diff edits of a JSON5 object file (OpenClaw's openclaw.json).

Why not a library or OpenClaw's own `openclaw config set`: observed with OpenClaw 2026.9.6, `config
set` rewrites the whole file as plain JSON ("Config write will strip JSON5 comments"), adds a `meta`
block and takes ~17 s; the PyPI JSON5 parsers either drop comments (`json5`) or re-serialise the whole
document. Like `agentcost.jsonedit` for JSON, this parser keeps the span of every value, and an edit
replaces or inserts only the text it must: comments, trailing commas, quoting style and the other
members stay byte for byte. Every edit is verified by parsing the result again.

Grammar: JSON5 (https://spec.json5.org): // and /* */ comments, trailing commas, single-quoted
strings, identifier keys, hex numbers, leading/trailing decimal points, +/-Infinity, NaN.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentcost.errors import ConfigError
from agentcost.fileio import detect_newline

_ID_START = re.compile(r"[A-Za-z_$\u00c0-\uffff]")
_ID_PART = re.compile(r"[A-Za-z0-9_$\u00c0-\uffff]*")
_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_NUMBER = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|Infinity|NaN|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_WS = frozenset(" \t\n\r\v\f\u00a0\ufeff\u2028\u2029\u1680\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0"}


class JSON5Error(ValueError):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.msg = message
        self.pos = pos


@dataclass
class Node:
    """A parsed value and its span [start, end) in the text; members/items for objects/arrays."""

    value: Any
    start: int
    end: int
    members: list[tuple[str, int, Node]] = field(default_factory=list)  # (key, key_start, node)
    items: list[Node] = field(default_factory=list)
    close: int = -1  # index of the closing brace/bracket

    def member(self, key: str) -> tuple[str, int, Node] | None:
        hits = [m for m in self.members if m[0] == key]
        return hits[-1] if hits else None  # the last duplicate wins, as in OpenClaw's JSON5 parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.t = text
        self.i = 0

    def fail(self, msg: str, pos: int | None = None) -> JSON5Error:
        return JSON5Error(msg, self.i if pos is None else pos)

    def skip(self) -> None:
        t, n = self.t, len(self.t)
        while self.i < n:
            c = t[self.i]
            if c in _WS:
                self.i += 1
            elif t.startswith("//", self.i):
                nl = t.find("\n", self.i)
                self.i = n if nl == -1 else nl
            elif t.startswith("/*", self.i):
                end = t.find("*/", self.i + 2)
                if end == -1:
                    raise self.fail("unterminated /* comment", self.i)
                self.i = end + 2
            else:
                return

    def value(self, depth: int = 0) -> Node:
        if depth > 200:
            raise self.fail("nested too deeply")
        self.skip()
        if self.i >= len(self.t):
            raise self.fail("unexpected end of file, expected a value")
        c = self.t[self.i]
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c in "\"'":
            s = self.i
            v = self.string()
            return Node(v, s, self.i)
        s = self.i
        for word, lit in (("true", True), ("false", False), ("null", None)):
            after = _ID_PART.match(self.t, s + len(word))
            if self.t.startswith(word, s) and not (after and after.group(0)):
                self.i = s + len(word)
                return Node(lit, s, self.i)
        m = _NUMBER.match(self.t, s)
        if m and m.group(0) not in ("+", "-"):
            self.i = m.end()
            return Node(_number(m.group(0)), s, self.i)
        raise self.fail(f"unexpected character {c!r}")

    def string(self) -> str:
        t, q, start = self.t, self.t[self.i], self.i
        self.i += 1
        out: list[str] = []
        while True:
            if self.i >= len(t):
                raise self.fail("unterminated string", start)
            c = t[self.i]
            if c == q:
                self.i += 1
                return "".join(out)
            if c in "\n\r":
                raise self.fail("line break inside a string")
            if c == "\\":
                self.i += 1
                e = t[self.i : self.i + 1]
                if e == "":
                    raise self.fail("unterminated string", start)
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    self.i += 1
                elif e == "x":
                    out.append(chr(self._hex(2)))
                elif e == "u":
                    out.append(chr(self._hex(4)))
                elif e in "\r\n\u2028\u2029":  # line continuation
                    self.i += 2 if t.startswith("\r\n", self.i) else 1
                else:
                    out.append(e)
                    self.i += 1
                continue
            out.append(c)
            self.i += 1

    def _hex(self, n: int) -> int:
        digits = self.t[self.i + 1 : self.i + 1 + n]
        if len(digits) != n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise self.fail("bad escape in string")
        self.i += 1 + n
        return int(digits, 16)

    def key(self) -> str:
        c = self.t[self.i : self.i + 1]
        if c in ("'", '"'):
            return self.string()
        if c and _ID_START.match(c):
            m = _ID_PART.match(self.t, self.i)
            assert m is not None
            self.i = m.end()
            return m.group(0)
        raise self.fail("expected a key")

    def obj(self, depth: int) -> Node:
        node = Node({}, self.i, -1)
        self.i += 1
        data: dict[str, Any] = {}
        while True:
            self.skip()
            if self.t[self.i : self.i + 1] == "}":
                break
            ks = self.i
            k = self.key()
            self.skip()
            if self.t[self.i : self.i + 1] != ":":
                raise self.fail("expected ':' after a key")
            self.i += 1
            v = self.value(depth + 1)
            node.members.append((k, ks, v))
            data[k] = v.value
            self.skip()
            c = self.t[self.i : self.i + 1]
            if c == ",":
                self.i += 1
                continue
            if c != "}":
                raise self.fail("expected ',' or '}'" if c else "unexpected end of file, expected '}'")
        node.close = self.i
        self.i += 1
        node.end = self.i
        node.value = data
        return node

    def arr(self, depth: int) -> Node:
        node = Node([], self.i, -1)
        self.i += 1
        while True:
            self.skip()
            if self.t[self.i : self.i + 1] == "]":
                break
            v = self.value(depth + 1)
            node.items.append(v)
            self.skip()
            c = self.t[self.i : self.i + 1]
            if c == ",":
                self.i += 1
                continue
            if c != "]":
                raise self.fail("expected ',' or ']'" if c else "unexpected end of file, expected ']'")
        node.close = self.i
        self.i += 1
        node.end = self.i
        node.value = [n.value for n in node.items]
        return node


def _number(text: str) -> int | float:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    if body == "Infinity":
        return sign * math.inf
    if body == "NaN":
        return math.nan
    if body[:2] in ("0x", "0X"):
        return sign * int(body, 16)
    if re.fullmatch(r"\d+", body):
        return sign * int(body)
    return sign * float(body)


def parse_node(text: str) -> Node:
    """Parse a JSON5 document; JSON5Error (with `pos`) when malformed."""
    p = _Parser(text)
    node = p.value()
    p.skip()
    if p.i != len(text):
        raise p.fail("unexpected text after the document")
    return node


def line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse(text: str, path: Path | str) -> Node:
    """Parse, or raise ConfigError with file:line:col (the file is never touched)."""
    try:
        return parse_node(text)
    except JSON5Error as e:
        line, col = line_col(text, e.pos)
        raise ConfigError(
            f"invalid JSON5: {e.msg}",
            path=path,
            line=line,
            column=col,
            hint="fix the file by hand; nothing was written",
        ) from None


# -- rendering and edits -------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    indent: str = "  "
    newline: str = "\n"
    quote_keys: bool = True  # `"key":` (JSON style) or `key:` (JSON5 style)
    trailing_commas: bool = False


def detect_style(text: str, root: Node) -> Style:
    indent = "  "
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        if stripped and line != stripped and not stripped.startswith(("//", "/*", "*")):
            indent = line[: len(line) - len(stripped)]
            break
    quote = True
    if root.members:
        quote = text[root.members[0][1]] in "\"'"
    trailing = bool(re.search(r",\s*(?://[^\n]*\s*)*[}\]]", text))
    return Style(indent, detect_newline(text), quote, trailing)


def _key(k: str, style: Style) -> str:
    return k if (not style.quote_keys and _PLAIN_KEY.match(k)) else json.dumps(k, ensure_ascii=False)


def render(value: Any, style: Style, base: str = "") -> str:
    """`value` as JSON5 text in the file's style, continuation lines indented from `base`."""
    nl, ind = style.newline, style.indent
    tail = "," if style.trailing_commas else ""
    if isinstance(value, dict) and value and all(not isinstance(v, (dict, list)) for v in value.values()):
        flat = ", ".join(f"{_key(k, style)}: {render(v, style)}" for k, v in value.items())
        if len(flat) <= 72:
            return "{ " + flat + " }"
    if isinstance(value, dict) and value:
        inner = [f"{base}{ind}{_key(k, style)}: {render(v, style, base + ind)}" for k, v in value.items()]
        return "{" + nl + ("," + nl).join(inner) + tail + nl + base + "}"
    if isinstance(value, list) and value:
        inner = [f"{base}{ind}{render(v, style, base + ind)}" for v in value]
        return "[" + nl + ("," + nl).join(inner) + tail + nl + base + "]"
    return json.dumps(value, ensure_ascii=False)


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    m = re.match(r"[ \t]*", text[start:pos])
    return m.group(0) if m else ""


def _insert_member(text: str, obj: Node, key: str, value: Any, style: Style) -> str:
    """`text` with `key: value` added as the last member of the object `obj`."""
    nl = style.newline
    if not obj.members:
        outer = _line_indent(text, obj.start)
        inner = outer + style.indent
        piece = f"{_key(key, style)}: {render(value, style, inner)}"
        body = text[obj.start + 1 : obj.close]
        if body.strip():  # only comments inside: keep them, add the member after them
            return text[: obj.close].rstrip(" \t") + f"{inner}{piece}{nl}{outer}" + text[obj.close :]
        return text[: obj.start + 1] + f"{nl}{inner}{piece}{nl}{outer}" + text[obj.close :]
    _k, key_start, last = obj.members[-1]
    indent = _line_indent(text, key_start)
    piece = f"{_key(key, style)}: {render(value, style, indent)}"
    j = last.end
    while j < len(text) and text[j] in " \t":
        j += 1
    had_comma = text[j : j + 1] == ","
    after = j + 1 if had_comma else last.end
    # A `// comment` on the same line stays with the member it follows.
    k = after
    while k < len(text) and text[k] in " \t":
        k += 1
    if text.startswith("//", k):
        eol = text.find("\n", k)
        after = len(text) if eol == -1 else eol
        if after > 0 and text[after - 1] == "\r":
            after -= 1
    same_line = "\n" not in text[key_start : obj.close]
    if same_line:
        sep = ", "
        return text[: last.end] + sep + piece + text[last.end :]
    if had_comma:
        return text[:after] + f"{nl}{indent}{piece}," + text[after:]
    return text[: last.end] + "," + text[last.end : after] + f"{nl}{indent}{piece}" + text[after:]


def _set_in(text: str, node: Node, path: Sequence[str], value: Any, style: Style) -> str:
    key, rest = path[0], path[1:]
    hit = node.member(key)
    if hit is None:
        nested: Any = value
        for k in reversed(rest):
            nested = {k: nested}
        return _insert_member(text, node, key, nested, style)
    _k, key_start, child = hit
    if rest and isinstance(child.value, dict):
        return _set_in(text, child, rest, value, style)
    nested = value
    for k in reversed(rest):
        nested = {k: nested}
    return text[: child.start] + render(nested, style, _line_indent(text, key_start)) + text[child.end :]


def set_path(text: str, path: Sequence[str], value: Any) -> str:
    """`text` (a JSON5 object document) with the member at `path` set to `value`, nothing else changed.

    Missing parents are created; a parent that is not an object is replaced. Raises JSON5Error when
    the text is malformed and ValueError when the result does not parse to the expected data.
    """
    root = parse_node(text)
    if not isinstance(root.value, dict):
        raise JSON5Error("the document is not an object", root.start)
    style = detect_style(text, root)
    new = _set_in(text, root, path, value, style)
    expected = _assign(root.value, path, value)
    if not _same(parse_node(new).value, expected):
        raise ValueError("a minimal edit did not give the expected document")
    return new


def _assign(data: dict[str, Any], path: Sequence[str], value: Any) -> dict[str, Any]:
    out = dict(data)
    cur = out
    for k in path[:-1]:
        nxt = cur.get(k)
        nxt = dict(nxt) if isinstance(nxt, dict) else {}
        cur[k] = nxt
        cur = nxt
    cur[path[-1]] = value
    return out


def _same(a: Any, b: Any) -> bool:
    # NaN != NaN: compare through JSON text with NaN allowed
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def new_document(data: dict[str, Any]) -> str:
    """A new openclaw.json: JSON5 style (unquoted keys, trailing commas), like OpenClaw's docs."""
    return render(data, Style(quote_keys=False, trailing_commas=True)) + "\n"
