"""Walk + read + count: turns a directory into an `Aggregate`, streaming, in one pass.

Estimate mode reads at most 8 KiB of each file (to tell text from binary) and divides its size by
the ratio of its type. Exact mode counts o200k tokens for every file `.gitignore` keeps (views 2-3),
looking them up first in the content-addressed cache; misses are tokenised in worker processes
(started only when there is enough work to repay them) while the walk goes on. Files only on disk
(view 1: `.git/`, git-ignored trees) are always estimated, and labelled so.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from agentcost.audit import binary as binmod
from agentcost.audit import tokens as tokmod
from agentcost.audit.cache import BINARY, GitBlobIds, TokenCache, stat_key
from agentcost.audit.report import Aggregate
from agentcost.audit.subtree import IgnoredDir, SubtreeSummary, summarize
from agentcost.audit.walk import VIEW_GITIGNORE, FileInfo, WalkStats, walk
from agentcost.gitignore import Matcher
from agentcost.gitutil import git_context

if TYPE_CHECKING:  # imported lazily: multiprocessing costs start-up time that small trees never repay
    from concurrent.futures import Future, ProcessPoolExecutor

UNREADABLE = -2
LOOKUP_BATCH = 512
TASK_BYTES = 2 << 20  # bytes of source per task sent to a worker
POOL_AFTER_BYTES = 4 << 20  # tokenise in-process until this much work has queued up
Progress = Callable[[int, int], None]


@dataclass
class ScanResult:
    root: Path
    aggregate: Aggregate
    walk: WalkStats
    exact: bool
    seconds: float
    cache_hits: int = 0
    tokenized_files: int = 0
    tokenized_bytes: int = 0
    jobs: int = 1
    cache_path: str | None = None
    notes: list[str] = field(default_factory=list)


def _count_paths(paths: list[str]) -> list[int]:
    """Worker: per path, -1 binary, -2 unreadable, else exact o200k tokens."""
    counter = tokmod.exact_counter()
    out: list[int] = []
    for p in paths:
        try:
            if binmod.sniff(p):
                out.append(BINARY)
            else:
                out.append(tokmod.count_file(p, counter))
        except OSError:
            out.append(UNREADABLE)
    return out


class _Pool:
    """Worker processes, started on first use (small trees never pay for them)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.jobs)
        return self._pool

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


class _Exact:
    """The exact-count pipeline: cache lookups in batches, misses counted in-process or in a pool."""

    def __init__(
        self, scan: ScanResult, agg: Aggregate, cache: TokenCache, blobs: GitBlobIds | None, pool: _Pool
    ) -> None:
        self.scan, self.agg, self.cache = scan, agg, cache
        self.git_ids = blobs
        self.blobs: dict[str, bytes] | None = None if blobs is not None else {}
        self.workers = pool
        self.jobs = pool.jobs
        self.lookup_buf: list[tuple[FileInfo, str]] = []  # (file, its type name)
        self.task: list[tuple[FileInfo, bytes, str]] = []  # (file, cache key, type name)
        self.task_bytes = 0
        self.queued_bytes = 0
        self.inflight: deque[tuple[Future[list[int]], list[tuple[FileInfo, bytes, str]]]] = deque()

    def add(self, f: FileInfo, type_name: str) -> None:
        self.lookup_buf.append((f, type_name))  # the key is computed at lookup time, once git has answered
        n = len(self.lookup_buf)
        # While git lists blob ids, keep walking (up to a bounded buffer) instead of waiting.
        if n % LOOKUP_BATCH == 0 and (self.blobs is not None or n >= 40 * LOOKUP_BATCH or self._git_ready()):
            self._lookup()

    def _git_ready(self) -> bool:
        return self.git_ids is None or self.git_ids.ready

    def _lookup(self) -> None:
        if self.blobs is None:
            self.blobs = self.git_ids.get() if self.git_ids is not None else {}
        blobs = self.blobs
        buf = [(f, blobs.get(f.rel) or stat_key(f.path, f.size, f.mtime_ns), t) for f, t in self.lookup_buf]
        self.lookup_buf = []
        found = self.cache.lookup(k for _, k, _ in buf)
        add = self.agg.add
        for f, key, type_name in buf:
            n = found.get(key)
            if n is None:
                self._queue(f, key, type_name)
            else:
                self.scan.cache_hits += 1
                add(f, n == BINARY, max(n, 0), True, type_name)

    def _queue(self, f: FileInfo, key: bytes, type_name: str) -> None:
        self.task.append((f, key, type_name))
        self.task_bytes += f.size
        self.queued_bytes += f.size
        if self.task_bytes >= TASK_BYTES or len(self.task) >= 256:
            self._submit()

    def _submit(self) -> None:
        task, self.task, self.task_bytes = self.task, [], 0
        if not task:
            return
        use_pool = self.jobs > 1 and (self.workers.started or self.queued_bytes >= POOL_AFTER_BYTES)
        if not use_pool:
            self._done(task, _count_paths([f.path for f, _, _ in task]))
            return
        self.inflight.append((self.workers.get().submit(_count_paths, [f.path for f, _, _ in task]), task))
        while len(self.inflight) > 2 * self.jobs:
            fut, t = self.inflight.popleft()
            self._done(t, fut.result())

    def _done(self, task: list[tuple[FileInfo, bytes, str]], counts: list[int]) -> None:
        for (f, key, type_name), n in zip(task, counts, strict=True):
            if n == UNREADABLE:
                self.agg.add_unreadable(f)
                continue
            self.scan.tokenized_files += 1
            self.scan.tokenized_bytes += f.size
            self.cache.put(key, n)
            self.agg.add(f, n == BINARY, max(n, 0), True, type_name)

    def finish(self) -> None:
        try:
            self._lookup()
            self._submit()
            while self.inflight:
                fut, t = self.inflight.popleft()
                self._done(t, fut.result())
        finally:
            self.cache.close()


def _suffix(rel: str) -> str:
    """ ".py" for "a/b.py"; "" without one (a leading dot, as in ".gitignore", is not a suffix)."""
    slash = rel.rfind("/")
    dot = rel.rfind(".")
    return rel[dot:].lower() if dot > slash + 1 else ""


def _estimate(agg: Aggregate, f: FileInfo, suffix: str, ftype: tokmod.FileType) -> None:
    if suffix in binmod.KNOWN_BINARY_SUFFIXES:
        agg.add(f, True, 0, False, ftype.name)
        return
    try:
        is_bin = binmod.sniff(f.path) if f.size else False
    except OSError:
        agg.add_unreadable(f)
        return
    agg.add(f, is_bin, 0 if is_bin else round(f.size / ftype.ratio), False, ftype.name)


def scan(
    root: Path,
    *,
    exclusions: Matcher | None = None,
    exact: bool = False,
    jobs: int | None = None,
    top: int = 10,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    probe: Callable[[str], list[str]] | None = None,
) -> ScanResult:
    """Audit the tree at `root`. `exact` needs bpe-openai (AgentcostError with the install hint if not).
    `probe`: names the proposed patterns an included file matches; their share of the included view
    is totalled too (`Aggregate.probe_totals`)."""
    started = time.perf_counter()
    agg = Aggregate(top=top, probe=probe)
    stats = WalkStats()
    result = ScanResult(root, agg, stats, exact, 0.0)
    git = git_context(root)
    table = tokmod.ratio_table()
    n_jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    result.jobs = n_jobs
    pool = _Pool(n_jobs)
    root_real = os.path.realpath(root)
    subtrees: list[Future[SubtreeSummary]] = []

    def on_ignored_dir(d: IgnoredDir) -> None:
        # `.git/` is usually small (packed); big git-ignored trees go to a worker beside the walk.
        if n_jobs > 1 and d.rule != ".git/":
            subtrees.append(pool.get().submit(summarize, d, root_real, top))
        else:
            _merge_subtree(result, summarize(d, root_real, top))

    pipeline: _Exact | None = None
    try:
        if exact:
            tokmod.require_exact()  # fail early, with the install hint; the tokenizer loads on first miss
            cache_path = (cache_dir or Path(".")) / "token-counts.sqlite3"
            cache = TokenCache(cache_path, tokmod.ENCODING)
            result.cache_path = str(cache_path) if cache.usable else None
            if not cache.usable:
                result.notes.append(f"token cache unavailable at {cache_path}: every file is tokenised")
            pipeline = _Exact(result, agg, cache, GitBlobIds(root) if git else None, pool)
        seen = 0
        seen_bytes = 0
        by_suffix, default_type = table.by_suffix, table.default
        known_binary = binmod.KNOWN_BINARY_SUFFIXES
        try:
            for f in walk(root, exclusions, stats=stats, git=git, on_ignored_dir=on_ignored_dir):
                suffix = _suffix(f.rel)
                ftype = by_suffix.get(suffix, default_type)
                if pipeline is not None and f.view >= VIEW_GITIGNORE:
                    if suffix in known_binary:
                        agg.add(f, True, 0, True, ftype.name)
                    else:
                        pipeline.add(f, ftype.name)
                else:
                    _estimate(agg, f, suffix, ftype)
                seen += 1
                seen_bytes += f.size
                if progress is not None and seen % 1000 == 0:
                    progress(seen, seen_bytes)
        finally:
            if pipeline is not None:
                pipeline.finish()
        for fut in subtrees:
            summary = fut.result()
            _merge_subtree(result, summary)
            seen += summary.files
            seen_bytes += summary.bytes
    finally:
        pool.shutdown()
    if progress is not None:
        progress(seen, seen_bytes)
    result.seconds = time.perf_counter() - started
    return result


def _merge_subtree(result: ScanResult, s: SubtreeSummary) -> None:
    result.aggregate.add_subtree(s)
    w = result.walk
    w.dirs += s.dirs
    w.unreadable_dirs += s.unreadable_dirs
    for ex in s.unreadable_examples:
        if len(w.unreadable_examples) < 5 and ex.endswith("/"):
            w.unreadable_examples.append(ex)
    w.symlinks += s.symlinks
    w.symlinks_outside += s.symlinks_outside
    w.symlinks_broken += s.symlinks_broken
    w.loops += s.loops
    w.special_files += s.special_files
