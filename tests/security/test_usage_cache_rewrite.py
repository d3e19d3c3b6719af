"""The usage cache notices a same-size rewrite of a log whose mtime was put back (issue #11)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _line(req: str, tokens: int) -> str:
    usage = {"input_tokens": tokens, "output_tokens": 5}
    message = {"id": f"m-{req}", "model": "claude-sonnet-4-5", "usage": usage}
    obj = {"type": "assistant", "timestamp": "2026-12-01T10:00:00Z", "sessionId": "s", "requestId": req}
    return json.dumps({**obj, "message": message}) + "\n"


def test_same_size_rewrite_with_mtime_restored_is_reparsed(
    cli: Callable[..., Any], isolated_env: Path
) -> None:
    logs = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "p"
    logs.mkdir(parents=True)
    log = logs / "s.jsonl"
    log.write_text(_line("r1", 1000) + _line("r2", 2000))
    first = json.loads(cli("usage", "--json").stdout)
    st = log.stat()
    with open(log, "r+") as f:  # in place: same inode, same size, different numbers
        f.write(_line("r1", 9000) + _line("r2", 8000))
    os.utime(log, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert log.stat().st_size == st.st_size and log.stat().st_mtime_ns == st.st_mtime_ns
    second = json.loads(cli("usage", "--json").stdout)
    assert "17000" in json.dumps(second) or "17,000" in json.dumps(second)
    assert first != second
