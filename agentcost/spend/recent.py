"""The recent part of the spend index: per-file entries for the logs written in the last few days.

The status line (and the guard) must answer "what was spent since T" in milliseconds, after every
assistant message, over any amount of log history. The full per-file cache (`usage`) holds every row
ever logged — loading it takes longer than the whole status-line budget — so the files modified in
the last `HORIZON` seconds are also kept here, in a small file of their own
(`<cache dir>/spend-recent.marshal`), with exactly the entry layout of `agentcost.usage.scan`
(`read_file` maintains both: one parser, one set of rules, appended bytes only).

A row logged at time t is in a file modified at or after t, so every request since T is in a file
whose modification time is >= T: for T inside the horizon the recent files give the same rows as the
full read (copies of one response share its time stamp, so de-duplication agrees too).

Finding the files means walking the log folders (a stat per file, ~10 ms per 2,000 files): done at
most every `walk_every` seconds (60 s on the hot path); in between only the files already known plus
the `extra` paths (the status line's own transcript and its subagents) are looked at.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.errors import ConfigError
from agentcost.usage.parse import Row
from agentcost.usage.scan import E_LIMITS, E_ROWS, read_file
from agentcost.usage.stats import ReadStats

FILENAME = "spend-recent.marshal"
FORMAT = 1
HORIZON = 8 * 86400  # a weekly window and the guard's "this week" fit in it
WALK_EVERY = 60.0  # seconds between two walks of the log folders on the hot path


def _tag() -> list[int]:
    from agentcost.usage.cache import FORMAT as USAGE_FORMAT

    return [FORMAT, USAGE_FORMAT, sys.version_info[0], sys.version_info[1]]


def store_path(env: Mapping[str, str] | None = None, filename: str = FILENAME) -> Path:
    return paths.cache_dir(env) / filename


# The agents whose JSON-lines logs this store follows. OpenClaw keeps its usage in SQLite
# (agentcost.usage.openclaw), which `usage` reads whole; it is not in the recent store (yet).
AGENTS = ("claude", "codex")


def roots(agent: str, env: Mapping[str, str] | None = None) -> list[str]:
    if agent == "claude":
        return [str(d / "projects") for d in paths.claude_log_dirs(env)]
    home = paths.codex_home(env)
    return [str(home / "sessions"), str(home / "archived_sessions")]


def _walk(root: str, since: float, out: list[tuple[str, os.stat_result]]) -> None:
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            it = os.scandir(d)
        except OSError:
            continue
        with it:
            for e in it:
                try:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif e.name.endswith(".jsonl"):
                        st = e.stat()
                        if st.st_mtime >= since:
                            out.append((e.path, st))
                except OSError:
                    continue


def load(env: Mapping[str, str] | None = None, filename: str = FILENAME) -> dict[str, Any]:
    try:
        with open(store_path(env, filename), "rb") as f:
            doc = marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        doc = None
    if not isinstance(doc, dict) or doc.get("tag") != _tag() or not isinstance(doc.get("files"), dict):
        return {"tag": _tag(), "walked": {}, "files": {}}
    return doc


def write_atomic(target: str, data: bytes) -> bool:
    """Temp file beside `target` + rename (no `tempfile`: ~5 ms of imports on the hot path)."""
    tmp = f"{target}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False


def save(doc: dict[str, Any], env: Mapping[str, str] | None = None, filename: str = FILENAME) -> None:
    """Write the store (a cache: an unwritable cache dir only costs speed)."""
    try:
        data = marshal.dumps(doc)
    except ValueError:
        return
    write_atomic(str(store_path(env, filename)), data)


class Recent:
    """Per-file entries of the recently written logs, refreshed incrementally."""

    def __init__(
        self, env: Mapping[str, str] | None = None, *, filename: str = FILENAME, horizon: float = HORIZON
    ) -> None:
        """`filename` / `horizon`: a store of its own with a shorter horizon loads faster (the guard
        keeps two days in `guard-recent.marshal`: today and its burst window)."""
        self.env = env
        self.filename = filename
        self.horizon = horizon
        self.doc = load(env, filename)
        self.files: dict[str, list[Any]] = self.doc["files"]
        self.stats = ReadStats()
        self.changed = False

    def refresh(
        self,
        agents: Iterable[str] = AGENTS,
        *,
        extra: Iterable[tuple[str, str]] = (),
        walk_every: float = 0.0,
        since: float | None = None,
        now: float | None = None,
    ) -> None:
        """Bring the entries of `agents` up to date for queries from `since` on.

        since: only files modified at or after it are read (default: the whole horizon); files the
            store does not know yet and that are older are left for a later, wider refresh.
        extra: (agent, path) pairs always looked at (e.g. the status line's transcript).
        walk_every: walk the log folders only if the last walk is older than this (0 = always).
        """
        now = time.time() if now is None else now
        horizon = now - self.horizon
        since = horizon if since is None else max(since, horizon)
        walked: dict[str, float] = self.doc["walked"]
        # per agent: the store holds every file modified since this time (as of the last walk)
        covered: dict[str, float] = self.doc.setdefault("covered", {})
        listing: dict[str, tuple[str, str, os.stat_result]] = {}
        for agent in agents:
            prefix = f"{agent}\0"
            if now - walked.get(agent, 0.0) >= walk_every or since < covered.get(agent, now):
                found: list[tuple[str, os.stat_result]] = []
                for root in roots(agent, self.env):
                    _walk(root, horizon, found)
                seen = set()
                for p, st in found:
                    key = prefix + p
                    seen.add(key)
                    if st.st_mtime >= since or key in self.files:
                        listing[key] = (agent, p, st)
                # entries of files gone or now older than the horizon leave the store
                for key in [k for k in self.files if k.startswith(prefix) and k not in seen]:
                    del self.files[key]
                    self.changed = True
                walked[agent] = now
                covered[agent] = max(horizon, min(covered.get(agent, since), since))
                self.changed = True
            else:
                for key in list(self.files):
                    if key.startswith(prefix):
                        p = key[len(prefix) :]
                        try:
                            listing[key] = (agent, p, os.stat(p))
                        except OSError:
                            del self.files[key]
                            self.changed = True
        for agent, p in extra:
            key = f"{agent}\0{p}"
            if key not in listing:
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode):  # a FIFO or device as transcript_path is never opened
                    listing[key] = (agent, p, st)
        for key, (agent, p, st) in listing.items():
            old = self.files.get(key)
            try:
                entry = read_file(agent, Path(p), st, old, self.stats)
            except (OSError, ConfigError):  # ConfigError: a FIFO/device refused by the safe reader
                entry = None
            if entry is None:
                if old is not None:
                    del self.files[key]
                    self.changed = True
                continue
            if entry is not old:
                self.files[key] = entry
                self.changed = True

    def save(self) -> None:
        if self.changed:
            save(self.doc, self.env, self.filename)
            self.changed = False

    def per_file(self, agents: Iterable[str] = AGENTS, since: float | None = None) -> list[list[Row]]:
        """Row lists in merge order (agent, then path), only files that can hold rows >= since."""
        wanted = tuple(f"{a}\0" for a in AGENTS if a in set(agents))
        out: list[list[Row]] = []
        for key in sorted(k for k in self.files if k.startswith(wanted)):
            rows = self.files[key][E_ROWS]
            if since is not None and rows and max(r[0] for r in rows) < since:
                continue
            out.append(rows)
        return out

    def limits(self, agents: Iterable[str] = AGENTS) -> list[list[Any]]:
        wanted = tuple(f"{a}\0" for a in AGENTS if a in set(agents))
        return [e[E_LIMITS] for k, e in sorted(self.files.items()) if k.startswith(wanted)]
