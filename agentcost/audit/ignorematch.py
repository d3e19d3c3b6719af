"""Gitignore matching, fast: one combined regex per ignore file, git's "last matching pattern wins".

pathspec translates each gitignore line into a regex; checking every pattern in turn costs tens of
microseconds per path. Here the translated regexes of one file are joined into a single alternation
in *reverse* order, so the first alternative that matches is the last pattern in the file, which is
exactly the one git applies. One `re.match` per path and ignore file.

Paths are relative to the ignore file's directory, with "/" separators; directories are tested with a
trailing "/" so that directory-only patterns (`build/`) do not match files. Exclusion of a parent
directory is handled by the walker (it never descends into an excluded directory, as git).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from pathspec import GitIgnoreSpec


@dataclass(frozen=True, slots=True)
class Rule:
    """One gitignore line: where it came from (for reasons) and whether it excludes or re-includes."""

    pattern: str
    include: bool  # True: excludes the path; False: a `!negation` that keeps it
    source: str  # e.g. ".gitignore:12" or "agentcost:databases"


@dataclass(frozen=True, slots=True)
class Match:
    excluded: bool
    rule: Rule


_BASENAME_PREFIX = "^(?:.+/)?"
_GLOB_CHARS = frozenset("*?[\\")
# (rule index, directories only)
_Entry = tuple[int, bool]


def _translate(line: str) -> tuple[bool, str] | None:
    """(excludes?, regex) for one gitignore line, or None for blanks, comments and invalid lines."""
    try:
        with warnings.catch_warnings():  # "[[]x]" (a class holding "[") makes re warn of nested sets
            warnings.simplefilter("ignore", FutureWarning)
            pats = GitIgnoreSpec.from_lines([line]).patterns
    except Exception:  # pathspec rejects a few malformed lines; git ignores them too
        return None
    if not pats:
        return None
    pat = pats[0]
    if pat.include is None or pat.regex is None:
        return None
    return bool(pat.include), str(pat.regex.pattern).replace("(?P<ps_d>", "(?:")


def _alternation(parts: list[tuple[int, str]]) -> re.Pattern[str] | None:
    """One regex whose leftmost matching alternative is the highest rule index (git: last rule wins)."""
    if not parts:
        return None
    ordered = sorted(parts, reverse=True)
    with warnings.catch_warnings():  # "[[]x]" (a class holding "[") makes re warn of nested sets
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile("|".join(f"(?P<r{i}>{body})" for i, body in ordered))


class IgnoreMatcher:
    """The patterns of one ignore file (or one list of exclusions), compiled for speed.

    Most gitignore lines name a basename (`node_modules/`, `*.log`, `.env*`); those are checked against
    the last path component only: literal names by dict lookup, `*<literal>` by suffix lookup, other
    globs by one combined regex. Lines with a slash inside are matched on the whole relative path.
    Within each group the highest rule index wins; across groups, the highest overall.
    """

    __slots__ = ("_base_re", "_by_ext", "_literal", "_odd_suffixes", "_path_re", "_rules")

    def __init__(self, rules: list[Rule], parts: list[tuple[int, str, str, bool]] | None = None) -> None:
        self._rules = rules
        self._literal: dict[str, list[_Entry]] = {}
        # `*<suffix>` rules indexed by the suffix's last ".ext" (one dict lookup per name);
        # suffixes without a dot (`*~`) are few and checked one by one.
        self._by_ext: dict[str, list[tuple[str, int, bool]]] = {}
        self._odd_suffixes: list[tuple[str, int, bool]] = []
        base: list[tuple[int, str]] = []
        path: list[tuple[int, str]] = []
        for idx, kind, body, dir_only in parts or []:
            if kind == "literal":
                self._literal.setdefault(body, []).append((idx, dir_only))
            elif kind == "suffix":
                dot = body.rfind(".")
                if dot >= 0:
                    self._by_ext.setdefault(body[dot:], []).append((body, idx, dir_only))
                else:
                    self._odd_suffixes.append((body, idx, dir_only))
            elif kind == "base":
                base.append((idx, body))
            else:
                path.append((idx, body))
        self._base_re = _alternation(base)
        self._path_re = _alternation(path)

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str) -> IgnoreMatcher:
        """Compile gitignore lines; `source` names the file (the line number is appended per rule)."""
        return cls.from_patterns((line, f"{source}:{n}") for n, line in enumerate(lines, 1))

    @classmethod
    def from_patterns(cls, items: Iterable[tuple[str, str]]) -> IgnoreMatcher:
        """Compile `(pattern, source)` pairs, in priority order (later wins, as in a gitignore file)."""
        rules: list[Rule] = []
        parts: list[tuple[int, str, str, bool]] = []
        for raw, source in items:
            line = raw.rstrip("\r\n")
            simple = _simple(line)
            if simple is not None:
                include, kind, body, dir_only = simple
            else:
                tr = _translate(line)
                if tr is None:
                    continue
                include, regex = tr
                kind, body, dir_only = _classify(line, regex)
            parts.append((len(rules), kind, body, dir_only))
            rules.append(Rule(line.strip(), include, source))
        return cls(rules, parts)

    def __bool__(self) -> bool:
        return bool(self._rules)

    @property
    def rules(self) -> list[Rule]:
        return list(self._rules)

    def match(self, rel: str, is_dir: bool) -> Match | None:
        """The rule that decides `rel` (relative to this file's directory), or None if none matches."""
        if not self._rules:
            return None
        best = -1
        name = rel[rel.rfind("/") + 1 :]
        hits = self._literal.get(name)
        if hits:
            for idx, dir_only in hits:
                if idx > best and (is_dir or not dir_only):
                    best = idx
        dot = name.rfind(".")
        if dot >= 0:
            cands = self._by_ext.get(name[dot:])
            if cands:
                for suffix, idx, dir_only in cands:
                    if idx > best and (is_dir or not dir_only) and name.endswith(suffix):
                        best = idx
        for suffix, idx, dir_only in self._odd_suffixes:
            if idx > best and (is_dir or not dir_only) and name.endswith(suffix):
                best = idx
        if self._base_re is not None:
            m = self._base_re.match(name + "/" if is_dir else name)
            if m is not None and m.lastgroup is not None:
                best = max(best, int(m.lastgroup[1:]))
        if self._path_re is not None:
            m = self._path_re.match(rel + "/" if is_dir else rel)
            if m is not None and m.lastgroup is not None:
                best = max(best, int(m.lastgroup[1:]))
        if best < 0:
            return None
        rule = self._rules[best]
        return Match(rule.include, rule)


def _simple(line: str) -> tuple[bool, str, str, bool] | None:
    """A plain name (`node_modules/`, `.env`) or `*<suffix>` (`*.log`) line, parsed without regexes:
    (excludes?, kind, body, dir_only); None for anything else (left to pathspec)."""
    if not line or line != line.strip() or line.startswith("#") or "\\" in line:
        return None
    include = not line.startswith("!")
    text = line if include else line[1:]
    if text.startswith("**/"):
        text = text[3:]
    dir_only = text.endswith("/")
    stem = text[:-1] if dir_only else text
    if not stem or "/" in stem or stem.startswith("!"):
        return None
    if not any(c in _GLOB_CHARS for c in stem):
        return include, "literal", stem, dir_only
    if len(stem) > 1 and stem[0] == "*" and not any(c in _GLOB_CHARS for c in stem[1:]):
        return include, "suffix", stem[1:], dir_only
    return None


def _classify(line: str, regex: str) -> tuple[str, str, bool]:
    """(kind, body, dir_only): kind "literal" | "suffix" (body = a name or a suffix), else "base" |
    "path" (body = a regex for the basename or for the whole relative path)."""
    text = line.strip()
    if text.startswith("!"):
        text = text[1:]
    if text.startswith("**/"):
        text = text[3:]
    dir_only = text.endswith("/")
    stem = text[:-1] if dir_only else text
    if regex.startswith(_BASENAME_PREFIX) and stem and "/" not in stem:
        if "\\" not in line and line == line.rstrip():
            if not any(c in _GLOB_CHARS for c in stem):
                return "literal", stem, dir_only
            if stem.startswith("*") and not any(c in _GLOB_CHARS for c in stem[1:]) and len(stem) > 1:
                return "suffix", stem[1:], dir_only
        return "base", "^" + regex[len(_BASENAME_PREFIX) :], dir_only
    return "path", regex, dir_only
