"""One gitignore line -> what git's `dir.c` + `wildmatch.c` would do with it, as a Python regex.

Written from git's own algorithm, not from a glob library, so that the corner cases agree:
- a line is cut at "\\n" (one "\\r" before it dropped); blank lines and "#..." are skipped; trailing
  spaces are trimmed unless escaped with a backslash ("foo\\ " keeps one);
- "!" negates; ONE trailing "/" makes the pattern directory-only and is removed;
- no "/" left: the pattern is matched against the name alone (a literal name, `*<literal>` or a glob
  where "*" matches anything); otherwise against the path relative to the ignore file's directory
  (a leading "/" only anchors), with "*", "?" and "[...]" never matching "/" and "**" matching across
  directories only as "**/" at the start, "/**/" inside or "/**" at the end;
- like `match_pathname`, the literal head of a path pattern (up to the first of `*?[\\`) is compared
  first and the rest wildmatched on its own, so "a/b**" acts as "a/b" + "**" (matching "a/b/c/d");
- "[...]" follows wildmatch: "!" or "^" negates, "]" first is literal, ranges, `[:alpha:]` classes
  (ASCII), backslash escapes; an unclosed "[" or an unknown class makes the line match nothing;
- matching is per BYTE (git does not know UTF-8): "?" matches one byte of "é". Paths and patterns
  are turned into "byte strings" (latin-1 decoding of their UTF-8 bytes) before matching.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Literal

SPECIAL = "*?[\\"
NEVER = "(?!)"
Kind = Literal["literal", "suffix", "glob", "path"]

CLASSES: dict[str, frozenset[int]] = {
    "alnum": frozenset(ord(c) for c in string.ascii_letters + string.digits),
    "alpha": frozenset(ord(c) for c in string.ascii_letters),
    "blank": frozenset(b" \t"),
    "cntrl": frozenset([*range(32), 127]),
    "digit": frozenset(ord(c) for c in string.digits),
    "graph": frozenset(range(33, 127)),
    "lower": frozenset(ord(c) for c in string.ascii_lowercase),
    "print": frozenset(range(32, 127)),
    "punct": frozenset(ord(c) for c in string.punctuation),
    "space": frozenset(b" \t\n\r"),  # git's own isspace(): no \v, no \f
    "upper": frozenset(ord(c) for c in string.ascii_uppercase),
    "xdigit": frozenset(ord(c) for c in string.hexdigits),
}


def to_bytes_str(text: str) -> str:
    """`text` as git sees it: one character per UTF-8 byte (unchanged when it is ASCII)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def from_bytes_str(text: str) -> str:
    """The inverse of `to_bytes_str` (for messages)."""
    if text.isascii():
        return text
    return text.encode("latin-1").decode("utf-8", "replace")


def trim_trailing_spaces(line: str) -> str:
    """git's trim_trailing_spaces(): drop unescaped trailing spaces (not tabs)."""
    last_space = -1
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c == " ":
            if last_space < 0:
                last_space = i
        elif c == "\\":
            i += 1
            if i >= n:
                return line
            last_space = -1
        else:
            last_space = -1
        i += 1
    return line[:last_space] if last_space >= 0 else line


def simple_length(text: str) -> int:
    """Length of the literal head of `text` (up to the first of `*?[\\`)."""
    for i, c in enumerate(text):
        if c in SPECIAL:
            return i
    return len(text)


@dataclass(frozen=True, slots=True)
class Parsed:
    """A gitignore line, parsed. `body` and `regex` are in the byte domain (see `to_bytes_str`)."""

    negated: bool  # "!pattern": re-includes
    dir_only: bool  # "pattern/": matches directories only
    kind: Kind  # literal / suffix (name ends with body) / glob (name regex) / path (path regex)
    body: str  # the name (literal), the suffix (suffix), else the pattern without "!" and "/"
    regex: str  # for "glob" and "path": a regex to fullmatch the name / the relative path


def parse_line(line: str, ignorecase: bool = False) -> Parsed | None:
    """Parse one line (without its newline; str as written, any characters). None: matches nothing.

    `ignorecase` (git's core.ignorecase) folds ASCII letters in the regexes; literal and suffix
    bodies are left as written (the caller compares them folded)."""
    line = to_bytes_str(line)
    if line.endswith("\r"):
        line = line[:-1]
    if not line or line.startswith("#"):
        return None
    line = trim_trailing_spaces(line)
    negated = line.startswith("!")
    if negated:
        line = line[1:]
    dir_only = line.endswith("/")
    if dir_only:
        line = line[:-1]
    if not line:
        return None
    if "/" not in line:
        head = simple_length(line)
        if head == len(line):
            return Parsed(negated, dir_only, "literal", line, "")
        if line[0] == "*" and simple_length(line[1:]) == len(line) - 1:
            return Parsed(negated, dir_only, "suffix", line[1:], "")
        return Parsed(negated, dir_only, "glob", line, wild_to_regex(line, pathname=False, fold=ignorecase))
    text = line[1:] if line.startswith("/") else line
    head = simple_length(text)
    rest = wild_to_regex(text[head:], pathname=True, fold=ignorecase) if head < len(text) else ""
    regex = NEVER if rest == NEVER else "".join(_literal(c, ignorecase) for c in text[:head]) + rest
    return Parsed(negated, dir_only, "path", line, regex)


def _class_regex(members: set[int]) -> str:
    if not members:
        return NEVER
    out: list[str] = []
    items = sorted(members)
    start = prev = items[0]
    for b in [*items[1:], -2]:
        if b == prev + 1:
            prev = b
            continue
        out.append(f"\\x{start:02x}" if start == prev else f"\\x{start:02x}-\\x{prev:02x}")
        start = prev = b
    return "[" + "".join(out) + "]"


def _lower(t: int) -> int:
    return t + 32 if 65 <= t <= 90 else t


def _bracket(p: str, i: int, pathname: bool, fold: bool) -> tuple[str, int] | None:
    """wildmatch's "[...]" starting after the "[" at i-1: (regex, index after "]"); None: abort.

    With `fold` (core.ignorecase) the text byte is lowered before the tests, as wildmatch does: a
    plain member is compared as written (so "[A]" matches nothing), a range also tries the upper
    case of a lower-case byte, and [:upper:] accepts lower case.
    """
    n = len(p)

    def at(k: int) -> str:
        return p[k] if k < n else ""

    p_ch = at(i)
    negated = p_ch in ("!", "^")
    if negated:
        i += 1
        p_ch = at(i)
    plain: set[int] = set()
    ranges: list[tuple[int, int]] = []
    classes: list[str] = []
    prev_ch = ""
    while True:
        if not p_ch:
            return None
        if p_ch == "\\":
            i += 1
            p_ch = at(i)
            if not p_ch:
                return None
            plain.add(ord(p_ch))
        elif p_ch == "-" and prev_ch and at(i + 1) and at(i + 1) != "]":
            i += 1
            p_ch = at(i)
            if p_ch == "\\":
                i += 1
                p_ch = at(i)
                if not p_ch:
                    return None
            ranges.append((ord(prev_ch), ord(p_ch)))
            p_ch = ""
        elif p_ch == "[" and at(i + 1) == ":":
            s = i + 2
            j = s
            while j < n and p[j] != "]":
                j += 1
            if j >= n:
                return None
            if j - s - 1 < 0 or p[j - 1] != ":":
                p_ch = "["  # no ":]": a plain "[" in the set
                plain.add(ord("["))
                i = s - 2
            else:
                if p[s : j - 1] not in CLASSES:
                    return None
                classes.append(p[s : j - 1])
                i = j
                p_ch = ""
        else:
            plain.add(ord(p_ch))
        prev_ch = p_ch
        i += 1
        p_ch = at(i)
        if p_ch == "]":
            break
    chosen: set[int] = set()
    for t in range(1, 256):
        tl = _lower(t) if fold else t
        hit = tl in plain
        for lo, hi in ranges:
            if lo <= tl <= hi or (fold and 97 <= tl <= 122 and lo <= tl - 32 <= hi):
                hit = True
        for cls in classes:
            if tl in CLASSES[cls] or (fold and cls == "upper" and 97 <= tl <= 122):
                hit = True
        if hit != negated:
            chosen.add(t)
    if pathname:
        chosen.discard(ord("/"))
    return _class_regex(chosen), i + 1


def _literal(c: str, fold: bool, escaped: bool = False) -> str:
    """One pattern character. With `fold`, wildmatch lowers the text byte and the pattern byte, but
    not a backslash-escaped one: an escaped upper-case letter then matches nothing."""
    if fold and c.isascii() and c.isalpha():
        if escaped and c.isupper():
            return NEVER
        return f"[{c.lower()}{c.upper()}]"
    return re.escape(c)


def wild_to_regex(p: str, *, pathname: bool, fold: bool = False) -> str:
    """wildmatch(p, text, WM_PATHNAME if pathname) as a regex to fullmatch `text` (byte domain)."""
    out: list[str] = []
    i, n = 0, len(p)
    any_ = "." if not pathname else "[^/]"
    while i < n:
        c = p[i]
        if c == "\\":
            i += 1
            if i >= n:
                return NEVER  # a trailing backslash matches nothing
            lit = _literal(p[i], fold, escaped=True)
            if lit == NEVER:
                return NEVER
            out.append(lit)
            i += 1
        elif c == "?":
            out.append(any_)
            i += 1
        elif c == "*":
            j = i
            while j < n and p[j] == "*":
                j += 1
            if not pathname:
                out.append(".*")
            elif (
                j - i >= 2
                and (i == 0 or p[i - 1] == "/")
                and (j == n or p[j] == "/" or (p[j] == "\\" and j + 1 < n and p[j + 1] == "/"))
            ):
                if j < n and p[j] == "/":
                    out.append("(?:.*/)?")  # "**/": no directory, or any number of them
                    j += 1
                else:
                    out.append(".*")
            else:
                out.append("[^/]*")
            i = j
        elif c == "[":
            got = _bracket(p, i + 1, pathname, fold)
            if got is None:
                return NEVER
            rx, i = got
            if rx == NEVER:
                return NEVER
            out.append(rx)
        else:
            out.append(_literal(c, fold))
            i += 1
    return "".join(out)
