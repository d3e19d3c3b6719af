"""The guard's small state files under `<cache dir>/guard/` (hot path: json, fcntl, os only).

- `sessions/<agent>-<session>.json`: per-session loop counters (the last tool calls, consecutive
  failures), the pending stop, soft warnings already given, the project root. Read-modify-write
  under an exclusive `flock` of the file itself, so two hooks of one session (Claude Code runs the
  hooks of parallel tool calls at once) never lose an update. Sessions do not share a file.
- `events.jsonl`: what the guard did (blocks, warnings, API errors, internal errors), one line per
  event, appended with one `write()` on an O_APPEND descriptor (lines never interleave). `guard
  status` counts today's loops from it. Past 1 MB the older half is dropped.
- `pause.json`: `{"until": <epoch s> | null}` while the guard is paused.
- `errors.log`: tracebacks of internal errors (the hook then let the agent go on).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from typing import Any

from agentcost import paths

EVENTS_MAX = 1 << 20


def guard_dir(env: Mapping[str, str] | None = None) -> str:
    return os.path.join(str(paths.cache_dir(env)), "guard")


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120] or "_"


def session_path(agent: str, session: str, env: Mapping[str, str] | None = None) -> str:
    return os.path.join(guard_dir(env), "sessions", f"{_safe(agent)}-{_safe(session)}.json")


@contextlib.contextmanager
def session_state(agent: str, session: str, env: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
    """The session's state dict, locked; written back when the block ends without an exception."""
    import fcntl

    path = session_path(agent, session, env)
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        raw = b""
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            raw += chunk
        try:
            doc = json.loads(raw) if raw.strip() else {}
        except ValueError:
            doc = {}
        if not isinstance(doc, dict):
            doc = {}
        before = json.dumps(doc, sort_keys=True)
        yield doc
        after = json.dumps(doc, sort_keys=True)
        if after != before:
            data = after.encode()
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, data)
    finally:
        os.close(fd)  # releases the lock


def read_session(agent: str, session: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    try:
        with open(session_path(agent, session, env), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    return doc if isinstance(doc, dict) else {}


def record_event(event: dict[str, Any], env: Mapping[str, str] | None = None) -> None:
    """Append one event line (never raises: the record is secondary to the decision)."""
    path = os.path.join(guard_dir(env), "events.jsonl")
    line = (json.dumps(event, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > EVENTS_MAX:
            _trim(path)
    except OSError:
        pass


def _trim(path: str) -> None:
    import fcntl

    with open(path, "rb+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        data = f.read()
        if len(data) <= EVENTS_MAX:
            return
        keep = data[len(data) // 2 :]
        keep = keep[keep.find(b"\n") + 1 :]
        f.seek(0)
        f.truncate()
        f.write(keep)


def events(env: Mapping[str, str] | None = None, since: float = 0.0) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    try:
        with open(os.path.join(guard_dir(env), "events.jsonl"), encoding="utf-8") as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if isinstance(e, dict) and isinstance(e.get("t"), (int, float)) and e["t"] >= since:
                    out.append(e)
    except OSError:
        pass
    return out


# Pause -----------------------------------------------------------------------------------------


def pause_path(env: Mapping[str, str] | None = None) -> str:
    return os.path.join(guard_dir(env), "pause.json")


def paused_until(env: Mapping[str, str] | None = None, now: float | None = None) -> float | None:
    """None: not paused; inf: paused until `resume`; else the epoch second the pause ends."""
    now = time.time() if now is None else now
    try:
        with open(pause_path(env), encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    until = doc.get("until")
    if until is None:
        return float("inf")
    if isinstance(until, (int, float)) and until > now:
        return float(until)
    return None


def set_pause(until: float | None, env: Mapping[str, str] | None = None) -> None:
    from agentcost.spend.recent import write_atomic

    if not write_atomic(pause_path(env), json.dumps({"until": until, "set_at": time.time()}).encode()):
        from agentcost.errors import ConfigError

        raise ConfigError("cannot write the pause file", path=pause_path(env))


def clear_pause(env: Mapping[str, str] | None = None) -> bool:
    try:
        os.unlink(pause_path(env))
        return True
    except FileNotFoundError:
        return False


# Internal errors -------------------------------------------------------------------------------


def log_error(env: Mapping[str, str] | None, where: str) -> None:
    """The current exception's traceback into errors.log (kept under 256 KB) and an event."""
    try:
        import traceback

        d = guard_dir(env)
        os.makedirs(d, mode=0o700, exist_ok=True)
        path = os.path.join(d, "errors.log")
        with contextlib.suppress(OSError):
            if os.path.getsize(path) > 256 * 1024:
                os.replace(path, path + ".1")
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S%z')} {where}\n{traceback.format_exc()}")
        record_event({"t": time.time(), "kind": "error", "where": where}, env)
    except Exception:
        pass


def error_log_path(env: Mapping[str, str] | None = None) -> str:
    return os.path.join(guard_dir(env), "errors.log")
