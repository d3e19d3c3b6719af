"""Pure aggregation of walked files into the audit's figures (no I/O here).

Memory is bounded whatever the tree size: totals per view, per file type and per directory down to
`DIR_DEPTH` levels (included files only), a heap of the biggest files and binaries, and exclusion
totals per rule (with a capped set of the directories where each rule applied).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from agentcost.audit.subtree import SubtreeSummary
from agentcost.audit.walk import GIT_REASON, VIEW_DISK, VIEW_GITIGNORE, VIEW_INCLUDED, FileInfo
from agentcost.filetypes import is_code

DIR_DEPTH = 3
MAX_ROOTS_PER_RULE = 200
VIEW_NAMES = {VIEW_DISK: "disk", VIEW_GITIGNORE: "gitignore", VIEW_INCLUDED: "included"}


@dataclass
class Totals:
    files: int = 0
    bytes: int = 0
    tokens: int = 0
    text_files: int = 0
    binary_files: int = 0
    binary_bytes: int = 0
    exact_files: int = 0  # text files whose tokens are exact counts (the rest are estimates)

    def add(self, size: int, binary: bool, tokens: int, exact: bool) -> None:
        self.files += 1
        self.bytes += size
        if binary:
            self.binary_files += 1
            self.binary_bytes += size
        else:
            self.text_files += 1
            self.tokens += tokens
            if exact:
                self.exact_files += 1


@dataclass
class RuleTotals:
    """What one exclusion rule removed: `layer` is "gitignore", "agentcost" or "git"."""

    rule: str
    source: str
    layer: str
    totals: Totals = field(default_factory=Totals)
    roots: dict[str, int] = field(default_factory=dict)  # where the rule applied -> tokens there


@dataclass
class Aggregate:
    top: int = 10
    # Totals per *narrowest* view of a file; `views` sums them into the three nested views.
    buckets: dict[int, Totals] = field(default_factory=lambda: {v: Totals() for v in VIEW_NAMES})
    # Included files by type and by directory ("a/", "a/b/" ...), as Totals fields in a list (cheaper
    # to update per file than dataclass instances); read them through `by_type` and `dirs`.
    _types: dict[str, list[int]] = field(default_factory=dict)
    _dirs: dict[str, list[int]] = field(default_factory=dict)
    _dir_code: dict[str, list[int]] = field(default_factory=dict)  # included dir -> [code files, code tokens]
    rules: dict[tuple[str, str], RuleTotals] = field(default_factory=dict)
    unreadable_files: int = 0
    unreadable_examples: list[str] = field(default_factory=list)
    _top_files: list[tuple[int, str]] = field(default_factory=list)
    # Biggest binaries per narrowest view; those inside `.git/` are only totalled (in `rules`): the
    # object store would otherwise crowd out the binaries that matter.
    _top_binaries: dict[int, list[tuple[int, str, int]]] = field(
        default_factory=lambda: {v: [] for v in VIEW_NAMES}
    )
    # Patterns proposed for exclusion: `probe(rel)` names those matching an included file; what each
    # would remove from the included view is totalled on the same counts as the views (a binary adds
    # no tokens). The matcher comes from the caller (the ignore feature owns gitignore semantics).
    probe: Callable[[str], list[str]] | None = None
    probe_totals: dict[str, Totals] = field(default_factory=dict)

    @property
    def views(self) -> dict[int, Totals]:
        """Totals of each view: view 1 holds every file, view 2 the files of buckets 2-3, view 3 bucket 3."""
        out: dict[int, Totals] = {}
        for v in VIEW_NAMES:
            t = Totals()
            for b in range(v, VIEW_INCLUDED + 1):
                for k, val in asdict(self.buckets[b]).items():
                    setattr(t, k, getattr(t, k) + val)
            out[v] = t
        return out

    def add(self, f: FileInfo, binary: bool, tokens: int, exact: bool, type_name: str) -> None:
        self.buckets[f.view].add(f.size, binary, tokens, exact)
        if binary and f.source != GIT_REASON:
            _push(self._top_binaries[f.view], (f.size, f.rel, f.view), self.top)
        if f.view == VIEW_INCLUDED:
            size = f.size
            if not binary:
                _push(self._top_files, (tokens, f.rel), self.top)
            if self.probe is not None:
                for pattern in self.probe(f.rel):
                    t = self.probe_totals.get(pattern)
                    if t is None:
                        t = self.probe_totals[pattern] = Totals()
                    t.add(size, binary, tokens, exact)
            c = self._types.get(type_name)
            if c is None:
                c = self._types[type_name] = [0] * 7
            _bump(c, size, binary, tokens, exact)
            rel = f.rel
            dirs = self._dirs
            code = not binary and is_code(rel)
            start = 0
            for _ in range(DIR_DEPTH):
                slash = rel.find("/", start)
                if slash < 0:
                    break
                key = rel[: slash + 1]
                c = dirs.get(key)
                if c is None:
                    c = dirs[key] = [0] * 7
                _bump(c, size, binary, tokens, exact)
                if code:
                    cc = self._dir_code.get(key)
                    if cc is None:
                        cc = self._dir_code[key] = [0, 0]
                    cc[0] += 1
                    cc[1] += tokens
                start = slash + 1
        else:
            rkey = (f.source or "", f.rule or "")
            rt = self.rules.get(rkey)
            if rt is None:
                layer = (
                    "agentcost"
                    if f.view == VIEW_GITIGNORE
                    else ("git" if f.source == GIT_REASON else "gitignore")
                )
                rt = self.rules[rkey] = RuleTotals(f.rule or "", f.source or "", layer)
            rt.totals.add(f.size, binary, tokens, exact)
            where = f.root or f.rel
            if where in rt.roots:
                rt.roots[where] += 0 if binary else tokens
            elif len(rt.roots) < MAX_ROOTS_PER_RULE:
                rt.roots[where] = 0 if binary else tokens

    @property
    def by_type(self) -> dict[str, Totals]:
        return {k: Totals(*v) for k, v in self._types.items()}

    def mostly_code(self, d: str) -> bool:
        """Whether included directory `d` ("a/b/") is mostly the project's own code (agentcost.filetypes):
        by file count or by tokens (code files at least half of either)."""
        t = self._dirs.get(d)
        if t is None:
            return False
        files, tokens = self._dir_code.get(d, (0, 0))
        return files >= 0.5 * t[0] or (t[2] > 0 and tokens >= 0.5 * t[2])

    @property
    def dirs(self) -> dict[str, Totals]:
        return {k: Totals(*v) for k, v in self._dirs.items()}

    def add_subtree(self, s: SubtreeSummary) -> None:
        """Merge a directory summarised by `subtree.summarize` (every file in it is view 1)."""
        b = self.buckets[VIEW_DISK]
        rkey = (s.where.source, s.where.rule)
        rt = self.rules.get(rkey)
        if rt is None:
            layer = "git" if s.where.source == GIT_REASON else "gitignore"
            rt = self.rules[rkey] = RuleTotals(s.where.rule, s.where.source, layer)
        for t in (b, rt.totals):
            t.files += s.files
            t.bytes += s.bytes
            t.tokens += s.tokens
            t.text_files += s.text_files
            t.binary_files += s.binary_files
            t.binary_bytes += s.binary_bytes
        if len(rt.roots) < MAX_ROOTS_PER_RULE or s.where.rel in rt.roots:
            rt.roots[s.where.rel] = rt.roots.get(s.where.rel, 0) + s.tokens
        if s.where.source != GIT_REASON:
            for size, rel in s.top_binaries:
                _push(self._top_binaries[VIEW_DISK], (size, rel, VIEW_DISK), self.top)
        self.unreadable_files += s.unreadable_files
        for ex in s.unreadable_examples:
            if len(self.unreadable_examples) < 5:
                self.unreadable_examples.append(ex)

    def add_unreadable(self, f: FileInfo) -> None:
        self.unreadable_files += 1
        if len(self.unreadable_examples) < 5:
            self.unreadable_examples.append(f.rel)

    def top_files(self) -> list[tuple[str, int]]:
        return [(rel, tok) for tok, rel in sorted(self._top_files, key=lambda t: (-t[0], t[1]))]

    def top_binaries(self) -> list[tuple[str, int, int]]:
        """Up to `top` biggest binaries outside `.git/`: included ones first, then those agentcost's
        exclusions remove, then git-ignored ones; biggest first within each view."""
        out: list[tuple[str, int, int]] = []
        for v in (VIEW_INCLUDED, VIEW_GITIGNORE, VIEW_DISK):
            for size, rel, view in sorted(self._top_binaries[v], key=lambda t: (-t[0], t[1])):
                out.append((rel, size, view))
        return out[: self.top]

    def root_files(self) -> Totals:
        """Included files directly at the root (not under any directory)."""
        vals = list(asdict(self.buckets[VIEW_INCLUDED]).values())  # same field order as `_bump`'s lists
        for d, c in self._dirs.items():
            if d.count("/") == 1:
                vals = [a - b for a, b in zip(vals, c, strict=True)]
        return Totals(*vals)

    def top_dirs(self, depth: int = 1) -> list[tuple[str, Totals]]:
        """Included directories `depth` levels deep, biggest token count first."""
        rows = [(d, Totals(*c)) for d, c in self._dirs.items() if d.count("/") == depth]
        rows.sort(key=lambda r: (-r[1].tokens, r[0]))
        return rows[: self.top]

    def children(self, parent: str) -> list[tuple[str, Totals]]:
        """Included subdirectories directly under `parent` ("a/"), biggest first."""
        depth = parent.count("/") + 1
        rows = [
            (d, Totals(*c)) for d, c in self._dirs.items() if d.startswith(parent) and d.count("/") == depth
        ]
        rows.sort(key=lambda r: (-r[1].tokens, r[0]))
        return rows


def _bump(c: list[int], size: int, binary: bool, tokens: int, exact: bool) -> None:
    """Add one file to a Totals-shaped list [files, bytes, tokens, text, binary, binary_bytes, exact]."""
    c[0] += 1
    c[1] += size
    if binary:
        c[4] += 1
        c[5] += size
    else:
        c[2] += tokens
        c[3] += 1
        if exact:
            c[6] += 1


_T = TypeVar("_T", tuple[int, str], tuple[int, str, int])


def _push(heap: list[_T], item: _T, n: int) -> None:
    if len(heap) < n:
        heapq.heappush(heap, item)
    elif item > heap[0]:
        heapq.heapreplace(heap, item)
