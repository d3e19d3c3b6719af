"""OpenClaw's usage: every assistant message in its per-agent SQLite transcripts carries usage.

Observed with OpenClaw 2026.9.6 (tests/e2e/test_openclaw.py): `<state dir>/agents/<agentId>/agent/
openclaw-agent.sqlite`, table `transcript_events(session_id, seq, event_json, event_zstd,
event_utf8_bytes, …)`; an event of 1 KiB or more is stored zstd-compressed in `event_zstd` instead of
`event_json`. An assistant message event:

    {"type": "message", "id": "<entry id>", "timestamp": "…Z",
     "message": {"role": "assistant", "provider": "p", "model": "m", "api": "…",
                 "usage": {"input", "output", "cacheRead", "cacheWrite", "reasoningTokens", "cost": {…}}}}

OpenClaw already normalises every api to agentcost's convention: `input` excludes cache reads
(OpenAI's cached tokens are moved to `cacheRead`), `output` includes reasoning. The `cost` it logged
is ignored: agentcost prices tokens itself (and an unpriced model is never $0). Each entry is counted
once by its entry id (a forked/copied session keeps the ids). The session's `cwd` comes from its
`session` header event.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.usage.parse import MAX_TOKENS, Row, parse_ts
from agentcost.usage.stats import ReadStats

DB_NAME = "openclaw-agent.sqlite"
MAX_EVENT_BYTES = 4 * 1024 * 1024  # OpenClaw's own bound on a stored event


def log_root(env: Mapping[str, str] | None = None) -> Path:
    return paths.openclaw_state_dir(env) / "agents"


def databases(env: Mapping[str, str] | None = None) -> list[Path]:
    root = log_root(env)
    if not root.is_dir():
        return []
    return sorted(p for p in root.glob(f"*/agent/{DB_NAME}") if p.is_file())


def _zstd() -> Any:
    try:
        from compression import zstd  # type: ignore[import-not-found,unused-ignore]  # Python 3.14+
    except ImportError:
        try:
            from backports import zstd  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ImportError:
            return None
    return zstd


def _connect(db: Path) -> sqlite3.Connection:
    # read-only; a live OpenClaw keeps a WAL next to the database, which mode=ro still reads
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    con.execute("select 1 from transcript_events limit 1").fetchall()
    return con


def _count(v: object) -> int:
    if v is None:
        return 0
    if type(v) is int and 0 <= v <= MAX_TOKENS:
        return v
    if type(v) is float and v.is_integer() and 0 <= v <= MAX_TOKENS:
        return int(v)
    return -1


def read_db(db: Path, stats: ReadStats) -> list[Row]:
    """Rows (see agentcost.usage.parse) of one OpenClaw agent database; OSError when unreadable."""
    try:
        con = _connect(db)
    except sqlite3.Error as e:
        raise OSError(str(e)) from None
    zstd = None
    rows: list[Row] = []
    cwd: dict[str, str] = {}
    try:
        cur = con.execute(
            "select session_id, seq, event_json, event_zstd, event_utf8_bytes from transcript_events "
            "order by session_id, seq"
        )
        for sid, _seq, text, blob, nbytes in cur:
            stats.lines += 1
            if text is None and blob is not None:
                zstd = zstd or _zstd()
                if zstd is None:
                    stats.usage_lost += 1  # compressed and no zstd decoder: unknown, never zero
                    continue
                try:
                    text = zstd.decompress(bytes(blob)).decode("utf-8")
                except Exception:
                    stats.malformed_lines += 1
                    continue
                if nbytes is not None and len(text.encode("utf-8")) != nbytes:
                    stats.malformed_lines += 1
                    continue
            if not isinstance(text, str):
                stats.malformed_lines += 1
                continue
            stats.bytes_parsed += len(text)
            if '"usage"' not in text and '"session"' not in text:
                continue
            try:
                ev = json.loads(text)
            except ValueError:
                stats.malformed_lines += 1
                continue
            if not isinstance(ev, dict):
                stats.malformed_lines += 1
                continue
            if ev.get("type") == "session" and isinstance(ev.get("cwd"), str):
                cwd[sid] = ev["cwd"]
                continue
            msg = ev.get("message")
            if ev.get("type") != "message" or not isinstance(msg, dict) or msg.get("role") != "assistant":
                continue
            usage = msg.get("usage")
            if not isinstance(usage, dict):
                continue
            ts = parse_ts(ev.get("timestamp"))
            counts = [
                _count(usage.get(k))
                for k in ("input", "cacheWrite", "cacheRead", "output", "reasoningTokens")
            ]
            if ts is None or min(counts) < 0:
                stats.malformed_lines += 1
                continue
            inp, cw, cr, out, reas = counts
            entry = ev.get("id")
            key = f"openclaw:{entry}" if isinstance(entry, str) and entry else None
            model = msg.get("model") if isinstance(msg.get("model"), str) else None
            provider = msg.get("provider") if isinstance(msg.get("provider"), str) else None
            rows.append((ts, "openclaw", sid, cwd.get(sid), model, provider, key, inp, cw, 0, cr, out, reas))
    except sqlite3.Error as e:
        raise OSError(str(e)) from None
    finally:
        con.close()
    return rows
