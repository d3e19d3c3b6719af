"""A fast gitignore matcher for the detector, with git's own algorithm.

git tests each leading directory of a path, then the path itself; the LAST pattern that matches
decides, and once a directory is excluded nothing below it can be re-included. A pattern without
an inner "/" is matched against the name alone, others against the path from the root.

Speed: all patterns of each kind are joined into one regex, in reverse order, so the leftmost
alternative that matches is the last matching line (Python's `re` tries alternatives in order).
Each regex runs on a short string (a name, or the path so far), ~2 µs per path component, against
~20 µs per path for pathspec's pattern-by-pattern loop over the ~190 default patterns.
Regexes come from pathspec's translation of each line, so the glob dialect is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pathspec

_GLOB = frozenset("*?[]\\")
_Entry = tuple[int, bool, bool]  # (line index, excludes?, directories only?)


def _translate(line: str) -> tuple[bool, bool, bool, str, str] | None:
    """(excludes?, name-only?, dir-only?, body, regex) for one line; None for blanks and comments."""
    try:
        pats = pathspec.GitIgnoreSpec.from_lines([line]).patterns
    except (ValueError, TypeError):
        return None
    if not pats:
        return None
    pat = pats[0]
    regex = getattr(pat, "regex", None)
    if pat.include is None or regex is None:
        return None
    body = line.strip()
    if body.startswith("!"):
        body = body[1:]
    dir_only = body.endswith("/")
    body = body.rstrip("/")
    name_only = "/" not in body
    rx = str(regex.pattern).replace("(?P<ps_d>", "(?:")
    if body.endswith("/**") and body != "**" and not body.startswith("/**"):
        # git: "x/**" matches everything strictly INSIDE x, not x itself (so "!x/keep" can re-include
        # x/keep); pathspec's regex also matches the directory x. Rebuild it from the base's regex.
        head = body[:-3]
        if not head.startswith(("/", "**/")):
            head = "/" + head  # "x/**" contains a slash: anchored, and so is its base "x"
        base = _translate(head)
        if base is None:
            return None
        prefix = base[4]
        for end in ("(?:(?:/)|$)", "(?:/)", "/"):
            if prefix.endswith(end):
                prefix = prefix[: -len(end)]
                break
        rx = prefix + ("/.+/" if dir_only else "/.+")
    return bool(pat.include), name_only, dir_only, body, rx


class _Alternation:
    def __init__(self, items: list[tuple[int, bool, str]]) -> None:
        self.include: dict[str, bool] = {}
        parts = []
        for idx, include, regex in reversed(items):
            name = f"p{idx}"
            self.include[name] = include
            parts.append(f"(?P<{name}>{regex})")
        self.re = re.compile("|".join(parts)) if parts else None

    def last(self, text: str) -> tuple[int, bool] | None:
        """(line index, excludes?) of the last line matching `text`, or None."""
        if self.re is None:
            return None
        m = self.re.fullmatch(text)  # the component's whole path, not a prefix of it
        if m is None or m.lastgroup is None:
            return None
        return int(m.lastgroup[1:]), self.include[m.lastgroup]


def _best(
    entries: list[_Entry] | None, is_dir: bool, best: tuple[int, bool] | None
) -> tuple[int, bool] | None:
    for idx, include, dir_only in entries or ():
        if (is_dir or not dir_only) and (best is None or idx > best[0]):
            best = (idx, include)
    return best


class FastSpec:
    """`FastSpec(lines).match("a/b/c.txt")`: would git ignore that file with these lines?"""

    def __init__(self, lines: Iterable[str]) -> None:
        self._literal: dict[str, list[_Entry]] = {}  # "node_modules", ".env"
        self._suffix: dict[str, list[_Entry]] = {}  # "*.sqlite" -> ".sqlite"
        globs: list[tuple[int, bool, str]] = []  # other name patterns ("npm-debug.log*")
        paths: list[tuple[int, bool, str]] = []  # patterns with a "/" inside
        for idx, line in enumerate(lines):
            t = _translate(line)
            if t is None:
                continue
            include, name_only, dir_only, body, regex = t
            if not name_only:
                paths.append((idx, include, regex))
            elif not _GLOB & set(body):
                self._literal.setdefault(body, []).append((idx, include, dir_only))
            elif body.startswith("*") and not _GLOB & set(body[1:]) and len(body) > 1:
                self._suffix.setdefault(body[1:], []).append((idx, include, dir_only))
            else:
                globs.append((idx, include, "^" + regex.removeprefix("^(?:.+/)?")))
        self._globs = _Alternation(globs)
        self._paths = _Alternation(paths)
        self._suffix_lengths = sorted({len(k) for k in self._suffix})
        self._dirs: dict[str, tuple[int, bool] | None] = {}  # directory path -> deciding line (memo)

    def _last(self, name: str, sub: str, is_dir: bool) -> tuple[int, bool] | None:
        if is_dir and sub in self._dirs:
            return self._dirs[sub]
        best = _best(self._literal.get(name), is_dir, None)
        n = len(name)
        for length in self._suffix_lengths:
            if length > n:
                break
            entries = self._suffix.get(name[n - length :])
            if entries:
                best = _best(entries, is_dir, best)
        suffix = "/" if is_dir else ""
        for hit in (self._globs.last(name + suffix), self._paths.last(sub + suffix)):
            if hit is not None and (best is None or hit[0] > best[0]):
                best = hit
        if is_dir:
            self._dirs[sub] = best
        return best

    def which(self, path: str) -> int | None:
        """Index (among the lines given) of the line that excludes `path`, or None if not excluded."""
        parts = path.strip("/").split("/")
        last = len(parts) - 1
        sub = ""
        for i, name in enumerate(parts):
            sub = f"{sub}/{name}" if sub else name
            hit = self._last(name, sub, i < last)
            if hit is not None and hit[1] and i < last:
                return hit[0]
            if i == last:
                return hit[0] if hit is not None and hit[1] else None
        return None

    def match(self, path: str) -> bool:
        """Would git ignore `path`? (An excluded directory excludes everything below it.)"""
        return self.which(path) is not None
