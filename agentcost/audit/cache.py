"""Exact token counts cached by content, in one SQLite file under agentcost's cache directory.

Keys (bytes): b"g" + the 20-byte git blob id for files git tracks and that are unmodified in the work
tree (the blob id *is* a hash of the content, so the entry survives a fresh clone or checkout);
otherwise b"s" + a 16-byte BLAKE2b of (absolute path, size, mtime in ns). The value is the o200k
token count, or -1 for a file found to be binary. One table per tokenizer.
"""

from __future__ import annotations

import binascii
import hashlib
import sqlite3
import subprocess
from collections.abc import Iterable
from pathlib import Path

BINARY = -1
_BATCH = 500


def stat_key(path: str, size: int, mtime_ns: int) -> bytes:
    h = hashlib.blake2b(f"{path}\0{size}\0{mtime_ns}".encode("utf-8", "surrogateescape"), digest_size=16)
    return b"s" + h.digest()


def blob_key(sha_hex: str) -> bytes:
    return b"g" + bytes.fromhex(sha_hex)


class GitBlobIds:
    """Cache keys for tracked files of the repository at `root` that are unmodified in the work tree.

    `git ls-files -s` and `git ls-files -m -d` start at construction and run while the walk goes on;
    `ready` says whether they finished, `get()` waits for them. Paths are relative to `root`; empty
    when `root` is not in a git repository or git fails.
    """

    def __init__(self, root: Path) -> None:
        self._result: dict[str, bytes] | None = None
        self._procs: list[subprocess.Popen[bytes]] = []
        try:
            for args in (["ls-files", "-s", "-z"], ["ls-files", "-m", "-d", "-z"]):
                self._procs.append(
                    subprocess.Popen(
                        ["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
                    )
                )
        except OSError:
            self._result = {}

    @property
    def ready(self) -> bool:
        return self._result is not None or all(p.poll() is not None for p in self._procs)

    def get(self) -> dict[str, bytes]:
        if self._result is None:
            try:
                outs = [p.communicate(timeout=120)[0] for p in self._procs]
                ok = all(p.returncode == 0 for p in self._procs)
            except subprocess.SubprocessError:
                for p in self._procs:
                    p.kill()
                outs, ok = [], False
            self._result = _parse_blob_ids(outs[0], outs[1]) if ok else {}
        return self._result


def _parse_blob_ids(listed: bytes, modified: bytes) -> dict[str, bytes]:
    changed = set(modified.split(b"\0"))
    out: dict[str, bytes] = {}
    for rec in listed.split(b"\0"):
        # "<mode> <sha> <stage>\t<path>"; regular files only (not symlinks, submodules, conflicts)
        if len(rec) < 50 or not rec.startswith(b"100") or rec[48:50] != b"0\t":
            continue
        path = rec[50:]
        if path in changed:
            continue
        out[path.decode("utf-8", "surrogateescape")] = b"g" + binascii.unhexlify(rec[7:47])
    return out


def git_blob_ids(root: Path) -> dict[str, bytes]:
    """`GitBlobIds(root).get()`: the keys, waiting for git."""
    return GitBlobIds(root).get()


class TokenCache:
    """A small persistent map from content keys to token counts (one table per tokenizer)."""

    def __init__(self, path: Path, tokenizer: str) -> None:
        self.path = path
        self.table = "counts_" + "".join(ch for ch in tokenizer if ch.isalnum())
        self._pending: list[tuple[bytes, int]] = []
        self._db: sqlite3.Connection | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=10)
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (k BLOB PRIMARY KEY, n INTEGER) WITHOUT ROWID"
            )
            self._db = db
        except (OSError, sqlite3.Error):
            self._db = None  # a broken or read-only cache only costs speed

    @property
    def usable(self) -> bool:
        return self._db is not None

    def lookup(self, keys: Iterable[bytes]) -> dict[bytes, int]:
        """The cached counts among `keys`."""
        found: dict[bytes, int] = {}
        if self._db is None:
            return found
        keys = list(keys)
        try:
            for i in range(0, len(keys), _BATCH):
                part = keys[i : i + _BATCH]
                q = f"SELECT k, n FROM {self.table} WHERE k IN ({','.join('?' * len(part))})"
                found.update(self._db.execute(q, part).fetchall())
        except sqlite3.Error:
            return {}
        return found

    def put(self, key: bytes, count: int) -> None:
        self._pending.append((key, count))
        if len(self._pending) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            self._pending.clear()
            return
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", self._pending)
        except sqlite3.Error:
            pass
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
