"""Fixtures for the usage tests: the real client logs copied into a fake home."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "usage"


@pytest.fixture
def truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "TRUTH.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def real_logs(isolated_env: Path) -> Path:
    """Copy the real Claude Code and Codex logs to $HOME/.claude and $HOME/.codex; returns HOME."""
    shutil.copytree(FIXTURES / "claude", isolated_env / ".claude")
    shutil.copytree(FIXTURES / "codex", isolated_env / ".codex")
    return isolated_env


# ---- builders for constructed logs (compact JSON like the clients write, unless `spaces`) ----------


def dumps(obj: dict[str, Any], spaces: bool = False) -> str:
    return json.dumps(obj) if spaces else json.dumps(obj, separators=(",", ":"))


def claude_line(
    mid: str | None,
    rid: str | None,
    *,
    inp: int = 10,
    out: int = 5,
    cache_read: int = 0,
    flat: int = 0,
    b5: int | None = None,
    b1: int | None = None,
    model: str = "stub-model",
    ts: str = "2026-11-26T10:00:00.000Z",
    session: str = "sess-1",
    cwd: str = "/home/dev/app",
    kind: str = "assistant",
    spaces: bool = False,
) -> str:
    usage: dict[str, Any] = {
        "input_tokens": inp,
        "cache_creation_input_tokens": flat,
        "cache_read_input_tokens": cache_read,
        "output_tokens": out,
    }
    if b5 is not None or b1 is not None:
        usage["cache_creation"] = {"ephemeral_5m_input_tokens": b5 or 0, "ephemeral_1h_input_tokens": b1 or 0}
    msg: dict[str, Any] = {
        "role": kind,
        "model": model,
        "content": [{"type": "text", "text": "hi"}],
        "usage": usage,
    }
    if mid is not None:
        msg["id"] = mid
    d: dict[str, Any] = {"type": kind, "sessionId": session, "cwd": cwd, "timestamp": ts, "message": msg}
    if rid is not None:
        d["requestId"] = rid
    return dumps(d, spaces)


def tool_use_result_line(inp: int, out: int, session: str = "sess-1") -> str:
    """A parent's user line repeating a subagent's usage (must never be counted)."""
    return dumps(
        {
            "type": "user",
            "sessionId": session,
            "timestamp": "2026-11-26T10:00:05.000Z",
            "message": {"role": "user", "content": [{"type": "tool_result", "content": "done"}]},
            "toolUseResult": {"status": "completed", "usage": {"input_tokens": inp, "output_tokens": out}},
        }
    )


def codex_usage(inp: int, cached: int = 0, write: int = 0, out: int = 0, reas: int = 0) -> dict[str, int]:
    return {
        "input_tokens": inp,
        "cached_input_tokens": cached,
        "cache_write_input_tokens": write,
        "output_tokens": out,
        "reasoning_output_tokens": reas,
        "total_tokens": inp + out,
    }


def codex_meta(
    sid: str, provider: str = "prov", cwd: str = "/home/dev/app", ts: str = "2026-11-26T10:00:00.000Z"
) -> str:
    return dumps(
        {
            "timestamp": ts,
            "type": "session_meta",
            "payload": {"id": sid, "cwd": cwd, "model_provider": provider},
        }
    )


def codex_turn(model: str, ts: str = "2026-11-26T10:00:00.100Z") -> str:
    return dumps(
        {"timestamp": ts, "type": "turn_context", "payload": {"cwd": "/home/dev/app", "model": model}}
    )


def codex_record(rid: str, usage: dict[str, int], ts: str = "2026-11-26T10:00:01.000Z") -> str:
    return dumps(
        {"timestamp": ts, "type": "token_usage_record", "payload": {"response_id": rid, "usage": usage}}
    )


def codex_count(
    total: dict[str, int] | None, last: dict[str, int] | None = None, ts: str = "2026-11-26T10:00:01.500Z"
) -> str:
    info = None if total is None else {"total_token_usage": total, "last_token_usage": last or total}
    return dumps({"timestamp": ts, "type": "event_msg", "payload": {"type": "token_count", "info": info}})


def write_lines(path: Path, lines: list[str], newline_at_end: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + ("\n" if newline_at_end else ""), encoding="utf-8")
    return path


@pytest.fixture
def claude_dir(isolated_env: Path) -> Path:
    """$CLAUDE_CONFIG_DIR/projects/-home-dev-app (the conftest points CLAUDE_CONFIG_DIR at ~/.claude)."""
    d = isolated_env / ".claude" / "projects" / "-home-dev-app"
    d.mkdir(parents=True)
    return d


@pytest.fixture
def codex_dir(isolated_env: Path) -> Path:
    d = isolated_env / ".codex" / "sessions" / "2026" / "11" / "26"
    d.mkdir(parents=True)
    return d
