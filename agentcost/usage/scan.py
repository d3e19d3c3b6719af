"""Find the log files, read each one (through the per-file cache) and merge into one de-duplicated stream.

Per-file cache entries are keyed by agent + absolute path and validated by inode, size and mtime:
unchanged -> no read at all; grown (logs are append-only) -> only the bytes after the stored offset are
parsed, after checking that the first 4 KiB and the 256 bytes before the offset are unchanged;
anything else (shrunk, replaced, rewritten) -> parsed again from the start. Each entry keeps the
file's rows *with their de-duplication keys*, so the cross-file merge gives exactly what a cold read gives.
"""

from __future__ import annotations

import os
import stat as stat_mod
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.errors import AgentcostError
from agentcost.safepath import kind, open_regular
from agentcost.usage import cache as cache_mod
from agentcost.usage.parse import KEY, PARSERS, TS, LineParser, Row, loads
from agentcost.usage.stats import ReadStats

AGENTS = ("claude", "codex", "openclaw")
HEAD = 4096
TAIL = 256
MAX_UNREADABLE_PATHS = 20
CWD_NOT_LOGGED = "(cwd not logged) log folder"

Progress = Callable[[int, int], None]


def _jsonl_under(root: Path) -> list[Path]:
    out: list[Path] = []
    if not root.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        dirnames.sort()
        for name in filenames:
            if name.endswith(".jsonl"):
                out.append(Path(dirpath) / name)
    return out


def log_roots(agent: str, env: Mapping[str, str] | None = None) -> list[Path]:
    """The directories an agent's logs are looked for in (whether they exist or not)."""
    if agent == "claude":
        return [d / "projects" for d in paths.claude_log_dirs(env)]
    if agent == "codex":
        home = paths.codex_home(env)
        return [home / "sessions", home / "archived_sessions"]
    if agent == "openclaw":
        from agentcost.usage.openclaw import log_root

        return [log_root(env)]
    return []


def log_files(agent: str, env: Mapping[str, str] | None = None) -> list[Path]:
    """All log files of one agent, sorted (the order fixes which copy of a duplicate is kept)."""
    roots = log_roots(agent, env)
    seen: set[str] = set()
    files: list[Path] = []
    for root in roots:
        try:
            real = os.path.realpath(root)
        except OSError:
            continue
        if real in seen:
            continue
        seen.add(real)
        files.extend(sorted(_jsonl_under(root)))
    return files


def _fallbacks(agent: str, path: Path) -> tuple[str, str | None]:
    """Session and project when the lines do not say (file / directory names)."""
    if agent == "claude":
        parts = path.parts
        project = None
        if "projects" in parts:
            i = len(parts) - 1 - parts[::-1].index("projects")
            if i + 1 < len(parts) - 1:
                # Claude Code's folder name is the cwd with "/" and "." turned into "-" (lossy, so not
                # decoded); labelled so it is never mistaken for a path.
                project = f"{CWD_NOT_LOGGED} {parts[i + 1]}"
        session = path.parent.parent.name if path.parent.name == "subagents" else path.stem
        return session, project
    stem = path.stem
    return (stem[-36:] if len(stem) >= 36 else stem), None


def _crc(b: bytes) -> int:
    return zlib.crc32(b) & 0xFFFFFFFF


# Cache entry layout (a list, marshal-friendly). A file is unchanged when inode, size, mtime_ns AND
# ctime_ns are: a rewrite can keep the size and restore the mtime (`touch -r`, os.utime), but any write
# or utime sets the ctime to now, and nothing short of changing the clock sets it back.
(
    E_INO,
    E_SIZE,
    E_MTIME,
    E_OFFSET,
    E_HEAD,
    E_TAIL,
    E_MALFORMED,
    E_TAIL_BAD,
    E_DUPS,
    E_LOST,
    E_STATE,
    E_ROWS,
    E_LIMITS,
    E_CTIME,
) = range(14)


def _complete(line: bytes) -> bool:
    try:
        return isinstance(loads(line), dict)
    except ValueError:
        return False


def _strip_nul(raw: bytes) -> tuple[bytes, bool]:
    """Drop the NUL bytes around a line's text (newline kept); (b"", True) when NULs are inside it.

    A raw NUL is never valid inside JSON text, so NULs at a line's edges are padding (what a crash
    or a pre-allocated file leaves) and the JSON next to them is still read.
    """
    nl = raw.endswith(b"\n")
    core = (raw[:-1] if nl else raw).strip(b"\x00")
    if b"\x00" in core:
        return b"", True
    return core + b"\n" if nl else core, False


def _same(entry: list[Any], st: os.stat_result) -> bool:
    return bool(
        entry[E_INO] == st.st_ino
        and entry[E_SIZE] == st.st_size
        and entry[E_MTIME] == st.st_mtime_ns
        and len(entry) > E_CTIME
        and entry[E_CTIME] == st.st_ctime_ns
    )


def read_file(
    agent: str, path: Path, st: os.stat_result, entry: list[Any] | None, stats: ReadStats
) -> list[Any] | None:
    """Return the file's cache entry, parsing only what is new; None when unreadable."""
    if entry is not None and _same(entry, st):
        stats.cached_files += 1
        return entry
    session, project = _fallbacks(agent, path)
    parser: LineParser = PARSERS[agent](session, project)
    with open_regular(path) as f:  # never blocks: a FIFO swapped in after the listing is refused
        offset = 0
        # Only an append (the file grew) keeps the parsed prefix, after its head and tail check out; a
        # same-size change is a rewrite: parsed again from the start.
        if entry is not None and entry[E_INO] == st.st_ino and st.st_size > entry[E_SIZE]:
            off = entry[E_OFFSET]
            head = f.read(min(HEAD, off))
            f.seek(max(0, off - TAIL))
            tail = f.read(off - max(0, off - TAIL))
            if _crc(head) == entry[E_HEAD] and _crc(tail) == entry[E_TAIL]:
                parser.restore(entry[E_ROWS], entry[E_STATE])
                parser.malformed = entry[E_MALFORMED]
                parser.duplicates = entry[E_DUPS]
                parser.usage_lost = entry[E_LOST]
                parser.limits = list(entry[E_LIMITS])
                offset = off
                stats.cached_files += 1
        f.seek(offset)
        tail_bad = 0
        start = offset
        has_object = False  # some line starts like a JSON object
        foreign = False  # some line has NUL bytes inside it (not just around it)
        for raw in f:
            line = raw
            nul = b"\x00" in raw
            if nul:
                line, inner = _strip_nul(raw)
                foreign = foreign or inner
                if not line.strip():
                    # NUL padding (a crash can leave it) or a line with NULs inside: skipped, malformed.
                    if raw.endswith(b"\n"):
                        parser.lines += 1
                        parser.malformed += 1
                        offset += len(raw)
                    else:
                        tail_bad = 1  # re-read next time: the client may append after the padding
                    continue
            if not has_object and line[:1] == b"{":
                has_object = True
            if raw.endswith(b"\n"):
                parser.feed(line)
                parser.malformed += int(nul)  # the NUL run before/after the JSON on this line
                offset += len(raw)
                continue
            # Last line without a newline: maybe still being written. It is taken only if it is a
            # whole JSON object (fully parsed: a cut line can still look like `{...}`); otherwise it
            # is reported as malformed for now and re-read next time from the offset before it.
            if _complete(line):
                parser.feed(line)
                parser.malformed += int(nul)
                offset += len(raw)
            elif raw.strip():
                tail_bad = 1
        if start == 0 and foreign and not has_object:
            raise OSError("binary file (NUL bytes, no JSON line), not a JSON-lines log")
        stats.bytes_parsed += f.tell() - start
        f.seek(0)
        head = f.read(min(HEAD, offset))
        f.seek(max(0, offset - TAIL))
        tail = f.read(offset - max(0, offset - TAIL))
    stats.lines += parser.lines
    return [
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
        offset,
        _crc(head),
        _crc(tail),
        parser.malformed,
        tail_bad,
        parser.duplicates,
        parser.usage_lost,
        parser.state(),
        parser.rows,
        parser.limits,
        st.st_ctime_ns,
    ]


def collect(
    agents: Iterable[str] = AGENTS,
    env: Mapping[str, str] | None = None,
    stats: ReadStats | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    limits_out: list[list[Any]] | None = None,
) -> list[list[Row]]:
    """Read every file of `agents` (through the cache); returns per-file row lists in merge order.

    limits_out: if given, each file's Codex rate-limit snapshots (`parse.Limit`) are appended to it.
    """
    stats = stats if stats is not None else ReadStats()
    asked = set(agents)
    unknown = asked - set(AGENTS)
    if unknown:
        raise ValueError(f"unknown agent(s) {sorted(unknown)}; expected any of {list(AGENTS)}")
    wanted = [a for a in AGENTS if a in asked and a != "openclaw"]
    store = cache_mod.load(env) if use_cache else {}
    listing: list[tuple[str, str, Path, os.stat_result]] = []
    todo = 0
    for agent in wanted:
        for p in log_files(agent, env):
            key = f"{agent}\0{p}"
            try:
                st = p.stat()
            except OSError:
                stats.unreadable_files += 1
                if len(stats.unreadable_paths) < MAX_UNREADABLE_PATHS:
                    stats.unreadable_paths.append(str(p))
                continue
            if not stat_mod.S_ISREG(st.st_mode):
                # A FIFO or a device named *.jsonl would block the read or never end: skipped, noted.
                stats.special_files += 1
                if len(stats.special_paths) < MAX_UNREADABLE_PATHS:
                    stats.special_paths.append(f"{p} ({kind(st.st_mode)})")
                continue
            listing.append((agent, key, p, st))
            stats.bytes_total += st.st_size
            e = store.get(key)
            if e is None or not _same(e, st):
                todo += st.st_size - (e[E_OFFSET] if e is not None and st.st_size >= e[E_SIZE] else 0)
    stats.files = len(listing)
    changed = False
    done = 0
    out: list[list[Row]] = []
    fresh: dict[str, list[Any]] = {}
    for agent, key, p, st in listing:
        old = store.get(key)
        try:
            entry = read_file(agent, p, st, old, stats)
        except (OSError, AgentcostError):
            entry = None
        if entry is None:
            stats.unreadable_files += 1
            if len(stats.unreadable_paths) < MAX_UNREADABLE_PATHS:
                stats.unreadable_paths.append(str(p))
            changed = changed or old is not None
            continue
        if entry is not old:
            changed = True
            done += st.st_size - (old[E_OFFSET] if old is not None and st.st_size >= old[E_SIZE] else 0)
            if progress is not None:
                progress(done, todo)
        fresh[key] = entry
        stats.malformed_lines += entry[E_MALFORMED] + entry[E_TAIL_BAD]
        stats.duplicates += entry[E_DUPS]
        stats.usage_lost += entry[E_LOST]
        out.append(entry[E_ROWS])
        if limits_out is not None:
            limits_out.append(entry[E_LIMITS])
    if "openclaw" in asked:
        out += _openclaw(env, stats)
    if use_cache:
        prefixes = tuple(f"{a}\0" for a in wanted)
        for k, e in store.items():
            if not k.startswith(prefixes):
                fresh[k] = e  # entries of agents not read this time stay as they are
            elif k not in fresh:
                changed = True  # the file is gone
        if changed:
            cache_mod.save(fresh, env)
    return out


def _openclaw(env: Mapping[str, str] | None, stats: ReadStats) -> list[list[Row]]:
    """OpenClaw keeps usage in SQLite (agentcost.usage.openclaw), read whole each time: no per-file cache."""
    from agentcost.usage.openclaw import databases, read_db

    out: list[list[Row]] = []
    for db in databases(env):
        stats.files += 1
        try:
            stats.bytes_total += db.stat().st_size
            rows = read_db(db, stats)
        except OSError:
            stats.unreadable_files += 1
            if len(stats.unreadable_paths) < MAX_UNREADABLE_PATHS:
                stats.unreadable_paths.append(str(db))
            continue
        out.append(rows)
    return out


def merge(
    per_file: list[list[Row]], stats: ReadStats, since: float | None = None, until: float | None = None
) -> Iterator[Row]:
    """Rows of all files, each response once (first copy in file order), filtered to [since, until)."""
    seen: set[str] = set()
    for rows in per_file:
        for r in rows:
            k = r[KEY]
            if k is not None:
                if k in seen:
                    stats.duplicates += 1
                    continue
                seen.add(k)
            ts = r[TS]
            if (since is not None and ts < since) or (until is not None and ts >= until):
                continue
            stats.records += 1
            yield r
