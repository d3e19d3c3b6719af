"""An advisory lock per config file, across agentcost processes.

`locked(paths)` holds an exclusive `fcntl.flock` on one lock file per path (in the cache dir's
`locks/`, 0700; named after a hash of the file's real path, so two spellings of one file share a
lock) for the duration of a read-modify-write. Locks are taken in sorted order (no deadlock between
two commands editing the same two files), are re-entrant within the process, and are released when
the block ends or the process dies (the kernel drops flocks with the descriptor). A lock that stays
taken longer than the timeout ($AGENTCOST_LOCK_TIMEOUT seconds, default 15) is an error, not a hang.
Lock files are never deleted: unlinking one while another process waits on it would split the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from agentcost.errors import ConfigError

DEFAULT_TIMEOUT = 15.0
_held: dict[str, tuple[int, int]] = {}  # lock-file path -> (fd, depth)


def lock_dir() -> Path:
    from agentcost.paths import cache_dir

    d = cache_dir() / "locks"
    d.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        os.chmod(d, 0o700)
    return d


def lock_path(path: Path) -> Path:
    real = os.path.realpath(path)
    digest = hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return lock_dir() / f"{Path(real).name[:40]}-{digest}.lock"


def _timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("AGENTCOST_LOCK_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def _acquire(lock: Path, shown: Path, timeout: float) -> None:
    import fcntl

    key = str(lock)
    if key in _held:
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
        return
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as e:
        raise ConfigError(f"cannot create the lock file {lock}: {e.strerror}", path=shown) from None
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise ConfigError(
                    f"another agentcost process has been editing this file for over {timeout:g} s; "
                    "nothing was written",
                    path=shown,
                    hint=f"wait for it to finish and run the command again (lock: {lock})",
                ) from None
            time.sleep(0.02)
        except OSError:
            break  # a file system without flock: go on unlocked rather than refuse to work
    _held[key] = (fd, 1)


def _release(lock: Path) -> None:
    key = str(lock)
    fd, depth = _held[key]
    if depth > 1:
        _held[key] = (fd, depth - 1)
        return
    del _held[key]
    os.close(fd)  # closing the descriptor drops the flock


@contextlib.contextmanager
def locked(paths: Iterable[Path], *, timeout: float | None = None) -> Iterator[None]:
    """Hold the advisory lock of every path (sorted, re-entrant) for the block."""
    if os.name != "posix":
        yield
        return
    wait = _timeout() if timeout is None else timeout
    pairs = sorted({lock_path(p): p for p in paths}.items())
    taken: list[Path] = []
    try:
        for lock, shown in pairs:
            _acquire(lock, shown, wait)
            taken.append(lock)
        yield
    finally:
        for lock in reversed(taken):
            _release(lock)
