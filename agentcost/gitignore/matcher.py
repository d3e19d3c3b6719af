"""The rules of one ignore file (or one list of patterns), compiled for speed, with git's verdicts.

git applies the LAST matching line of a file. Here:
- literal names (`node_modules/`, `.env`) are one dict lookup; `*<literal>` (`*.log`) one lookup by
  the name's last ".ext" (a handful of other suffixes are checked one by one);
- every other name glob, and every path pattern, is one alternative of a single regex per kind,
  joined in REVERSE order: Python tries alternatives left to right, so the alternative that matches
  is the last matching line; the regex's `lastgroup` names it;
- directory-only rules live in a second regex used for directories only.
The highest line index over those lookups is the rule git applies: ~2 µs per path for the ~180
default patterns, where pathspec's pattern-by-pattern loop takes ~100 µs (benchmarks/gitignore_bench.py).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from agentcost.gitignore.pattern import parse_line, to_bytes_str


@dataclass(frozen=True, slots=True)
class Rule:
    """One line: where it came from (for reasons), and whether it excludes or re-includes."""

    pattern: str  # the line as written, stripped
    excludes: bool  # False: a "!negation" that keeps the path
    source: str  # ".gitignore:12", "agentcost:databases", ...
    index: int  # position among the lines given (line number - 1 for files)
    dir_only: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    excluded: bool
    rule: Rule


_Entry = tuple[int, bool]  # (rule index, directories only)
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)  # git folds ASCII letters only


def _alternation(items: list[tuple[int, str]]) -> re.Pattern[str] | None:
    if not items:
        return None
    return re.compile("|".join(f"(?P<r{i}>{rx})" for i, rx in sorted(items, reverse=True)), re.DOTALL)


class _Regexes:
    """Two reverse-order alternations: all rules (for directories), rules that also match files."""

    __slots__ = ("dirs", "files")

    def __init__(self, items: list[tuple[int, str, bool]]) -> None:
        self.dirs = _alternation([(i, rx) for i, rx, _ in items])
        self.files = _alternation([(i, rx) for i, rx, dir_only in items if not dir_only])

    def last(self, text: str, is_dir: bool) -> int:
        regex = self.dirs if is_dir else self.files
        if regex is None:
            return -1
        m = regex.fullmatch(text)
        return -1 if m is None or m.lastgroup is None else int(m.lastgroup[1:])


class Matcher:
    """`Matcher(lines)`: the rules of one ignore file; paths are relative to that file's directory.

    `match(rel, is_dir)` is the rule deciding that path alone (git's verdict when no parent directory
    is excluded); `which(path)` / `ignored(path)` also apply "an excluded directory excludes
    everything below it" (git cannot re-include a file below an excluded directory).
    `ignorecase`: git's `core.ignorecase` (ASCII letters match either case).
    """

    __slots__ = ("_by_ext", "_dirs", "_fold", "_globs", "_literal", "_odd", "_paths", "_rules")

    def __init__(self, lines: Iterable[str] = (), source: str = "", *, ignorecase: bool = False) -> None:
        self._init(((ln, f"{source}:{n}" if source else "") for n, ln in enumerate(lines, 1)), ignorecase)

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str, *, ignorecase: bool = False) -> Matcher:
        """Compile an ignore file's lines; `source` names it (the line number is appended per rule)."""
        return cls(lines, source, ignorecase=ignorecase)

    @classmethod
    def from_patterns(cls, items: Iterable[tuple[str, str]], *, ignorecase: bool = False) -> Matcher:
        """Compile `(pattern, source)` pairs in priority order (later wins, as in a file)."""
        m = cls.__new__(cls)
        m._init(items, ignorecase)
        return m

    def _init(self, items: Iterable[tuple[str, str]], ignorecase: bool) -> None:
        self._fold = ignorecase
        self._rules: list[Rule] = []
        self._literal: dict[str, list[_Entry]] = {}
        self._by_ext: dict[str, list[tuple[str, int, bool]]] = {}  # "*.log" under ".log"
        self._odd: list[tuple[str, int, bool]] = []  # suffixes without a dot ("*~", "*")
        globs: list[tuple[int, str, bool]] = []
        paths: list[tuple[int, str, bool]] = []
        for index, (raw, source) in enumerate(items):
            p = parse_line(raw.rstrip("\n"), ignorecase)
            if p is None:
                continue
            k = len(self._rules)
            body = p.body.translate(_FOLD) if ignorecase else p.body
            self._rules.append(Rule(raw.strip(), not p.negated, source, index, p.dir_only))
            if p.kind == "literal":
                self._literal.setdefault(body, []).append((k, p.dir_only))
            elif p.kind == "suffix":
                dot = body.rfind(".")
                if dot >= 0:
                    self._by_ext.setdefault(body[dot:], []).append((body, k, p.dir_only))
                else:
                    self._odd.append((body, k, p.dir_only))
            elif p.kind == "glob":
                globs.append((k, p.regex, p.dir_only))
            else:
                paths.append((k, p.regex, p.dir_only))
        self._globs = _Regexes(globs)
        self._paths = _Regexes(paths)
        self._dirs: dict[str, Match | None] = {}

    def __bool__(self) -> bool:
        return bool(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules)

    def match(self, rel: str, is_dir: bool = False) -> Match | None:
        """The rule git applies to `rel` itself (relative to this file's directory), or None."""
        if not self._rules:
            return None
        rel = to_bytes_str(rel)
        best = -1
        name = rel[rel.rfind("/") + 1 :]
        key = name.translate(_FOLD) if self._fold else name
        hits = self._literal.get(key)
        if hits:
            for k, dir_only in hits:
                if k > best and (is_dir or not dir_only):
                    best = k
        dot = key.rfind(".")
        if dot >= 0:
            cands = self._by_ext.get(key[dot:])
            if cands:
                for suffix, k, dir_only in cands:
                    if k > best and (is_dir or not dir_only) and key.endswith(suffix):
                        best = k
        for suffix, k, dir_only in self._odd:
            if k > best and (is_dir or not dir_only) and key.endswith(suffix):
                best = k
        best = max(best, self._globs.last(name, is_dir), self._paths.last(rel, is_dir))
        if best < 0:
            return None
        rule = self._rules[best]
        return Match(rule.excludes, rule)

    def _dir(self, rel: str) -> Match | None:
        """The excluding match of directory `rel` or of one of its parents (memoised)."""
        if rel in self._dirs:
            return self._dirs[rel]
        cut = rel.rfind("/")
        hit = self._dir(rel[:cut]) if cut > 0 else None
        if hit is None:
            m = self.match(rel, True)
            hit = m if m is not None and m.excluded else None
        self._dirs[rel] = hit
        return hit

    def which(self, path: str, is_dir: bool = False) -> Rule | None:
        """The rule that excludes `path` (itself or a parent directory), or None if it is kept."""
        path = path.strip("/")
        cut = path.rfind("/")
        if cut > 0:
            hit = self._dir(path[:cut])
            if hit is not None:
                return hit.rule
        m = self._dir(path) if is_dir else self.match(path, False)
        return m.rule if m is not None and m.excluded else None

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        """Would git ignore `path` with these rules alone?"""
        return self.which(path, is_dir) is not None
