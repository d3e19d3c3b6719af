"""Claude Code's rate-limit snapshots, recorded by the status line: an append-only JSON-lines file.

Claude Code passes `rate_limits.five_hour` / `rate_limits.seven_day` ({used_percentage, resets_at})
to a statusLine command only; they are in no log. Each status-line run appends what it saw to
`<data dir>/limits/claude.jsonl`, one compact line:

    {"v":1,"t":<time written>,"asof":<see below>,"s":"<session id>",
     "w":{"five_hour":[used_percentage, resets_at], "seven_day":[used_percentage, resets_at]}}

`asof`: the percentages come from the headers of the session's latest response, read before that
response was counted; so they count the requests logged strictly before that response's time stamp.

Several Claude sessions run status lines at once. A line is written with ONE `write()` on a file
opened with O_APPEND, under a shared `flock` on `claude.lock`; lines are far below PIPE_BUF, so
concurrent appends never interleave. A line identical (values and session) to the last one is not
written again. When the file passes `MAX_BYTES`, the writer that notices compacts it under the
exclusive lock (writers wait a few ms): runs of equal readings are cut to their first and last line,
lines older than `KEEP_DAYS` dropped, then the oldest until it is half of `MAX_BYTES`; the result
is written to a temp file and renamed over, so a
reader sees the old or the new file, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping
from typing import Any

from agentcost import paths

FILENAME = "claude.jsonl"
LOCKNAME = "claude.lock"
MAX_BYTES = 2_000_000
KEEP_DAYS = 120
WINDOWS = {"five_hour": 300, "seven_day": 10080}  # Claude Code's names -> window minutes


def store_dir(env: Mapping[str, str] | None = None) -> str:
    return str(paths.data_dir(env) / "limits")


def _num(v: object) -> float | None:
    if type(v) is int or type(v) is float:
        f = float(v)
        return f if f == f and abs(f) < 1e12 else None
    return None


def windows_from_stdin(rate_limits: object) -> dict[str, list[float | None]]:
    """`rate_limits` of the status-line input -> {"five_hour": [used, resets_at], ...} (valid ones only).

    resets_at may be epoch seconds or an ISO date-time (both seen in public scripts); kept as seconds.
    """
    out: dict[str, list[float | None]] = {}
    if not isinstance(rate_limits, dict):
        return out
    for name in WINDOWS:
        w = rate_limits.get(name)
        if not isinstance(w, dict):
            continue
        used = _num(w.get("used_percentage"))
        if used is None:
            used = _num(w.get("used_percent"))
        if used is None or used < 0:
            continue
        out[name] = [used, _resets(w.get("resets_at"))]
    return out


def _resets(v: object) -> float | None:
    n = _num(v) if not (type(v) is int or type(v) is float) or abs(v) < 1e12 else _num(v / 1000)
    if n is not None:
        return n / 1000 if n > 1e11 else n  # milliseconds, if that is what was sent
    if isinstance(v, str) and v:
        from agentcost.usage.parse import parse_ts

        return parse_ts(v)
    return None


def _lock(d: str, kind: int) -> int | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: appends are still single writes
        return None
    try:
        fd = os.open(os.path.join(d, LOCKNAME), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, kind)
    except OSError:
        os.close(fd)
        return None
    return fd


def _last_line(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 4096))
            tail = f.read()
    except OSError:
        return b""
    lines = tail.rstrip(b"\n").rsplit(b"\n", 1)
    return lines[-1] if lines else b""


def append(
    session: str,
    windows: dict[str, list[float | None]],
    asof: float,
    env: Mapping[str, str] | None = None,
    now: float | None = None,
) -> bool:
    """Record one snapshot; False when nothing was written (no windows, a repeat, or an I/O error)."""
    if not windows:
        return False
    import fcntl

    d = store_dir(env)
    path = os.path.join(d, FILENAME)
    now = time.time() if now is None else now
    body = {"s": session, "w": windows}
    key = json.dumps(body, separators=(",", ":"), sort_keys=True)
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
    except OSError:
        return False
    last = _last_line(path)
    if last:
        try:
            prev = json.loads(last)
            if (
                json.dumps({"s": prev.get("s"), "w": prev.get("w")}, separators=(",", ":"), sort_keys=True)
                == key
            ):
                return False
        except (ValueError, AttributeError):
            pass
    line = json.dumps({"v": 1, "t": round(now, 3), "asof": round(asof, 3), **body}, separators=(",", ":"))
    data = (line + "\n").encode()
    if len(data) > 4000:
        return False  # keeps every append a single atomic write (PIPE_BUF)
    lock = _lock(d, fcntl.LOCK_SH)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
    except OSError:
        return False
    finally:
        if lock is not None:
            os.close(lock)
    if size > MAX_BYTES:
        compact(env, now=now)
    return True


def read(env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every valid snapshot line (malformed lines are skipped)."""
    path = os.path.join(store_dir(env), FILENAME)
    out: list[dict[str, Any]] = []
    try:
        with open(path, "rb") as f:
            for raw in f:
                try:
                    d = json.loads(raw)
                except ValueError:
                    continue
                if (
                    isinstance(d, dict)
                    and isinstance(d.get("s"), str)
                    and isinstance(d.get("w"), dict)
                    and _num(d.get("asof")) is not None
                ):
                    out.append(d)
    except OSError:
        pass
    return out


def _reduce(lines: list[dict[str, Any]], keep_after: float) -> list[dict[str, Any]]:
    """Drop old lines; per session, keep the first and last of each run of equal readings."""
    out: list[dict[str, Any]] = []
    last_by_session: dict[str, int] = {}
    run_len: dict[str, int] = {}
    for d in lines:
        if (_num(d.get("t")) or 0) < keep_after:
            continue
        s = d["s"]
        i = last_by_session.get(s)
        if i is not None and out[i]["w"] == d["w"]:
            if run_len[s] >= 2:
                out[i] = d  # replace the last of the run
                continue
            run_len[s] += 1
        else:
            run_len[s] = 1
        out.append(d)
        last_by_session[s] = len(out) - 1
    return out


def compact(env: Mapping[str, str] | None = None, now: float | None = None) -> None:
    """Shrink the store under the exclusive lock (see the module docstring)."""
    import fcntl

    d = store_dir(env)
    path = os.path.join(d, FILENAME)
    now = time.time() if now is None else now
    lock = _lock(d, fcntl.LOCK_EX)
    if lock is None:
        return
    tmp = path + ".compact"
    try:
        kept = _reduce(read(env), now - KEEP_DAYS * 86400)
        size = sum(len(json.dumps(x, separators=(",", ":"))) + 1 for x in kept)
        while kept and size > MAX_BYTES // 2:  # still too big: the oldest readings go first
            size -= len(json.dumps(kept.pop(0), separators=(",", ":"))) + 1
        with open(tmp, "w", encoding="utf-8") as f:
            for x in kept:
                f.write(json.dumps(x, separators=(",", ":")) + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    finally:
        os.close(lock)
