"""Odd files never crash a read: they are counted as unreadable or malformed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import claude_line, write_lines
from .helpers import read


def test_empty_binary_and_weird_files(claude_dir: Path) -> None:
    write_lines(claude_dir / "good.jsonl", [claude_line("m1", "r1", inp=5)])
    (claude_dir / "empty.jsonl").write_bytes(b"")
    (claude_dir / "binary.jsonl").write_bytes(b"\x00\x01\x02\xff" * 100)
    (claude_dir / "latin1.jsonl").write_bytes(b'{"type":"assistant","usage":"\xe9"}\n')
    (claude_dir / "dir.jsonl").mkdir()
    (claude_dir / "dangling.jsonl").symlink_to(claude_dir / "missing")
    recs, t, stats = read(("claude",))
    assert len(recs) == 1 and t.input == 5
    assert stats.unreadable_files == 2  # binary + dangling symlink
    assert stats.malformed_lines == 1  # the invalid UTF-8 line
    assert any(p.endswith("binary.jsonl") for p in stats.unreadable_paths)


def test_permission_denied_is_unreadable(claude_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_lines(claude_dir / "good.jsonl", [claude_line("m1", "r1", inp=5)])
    locked = write_lines(claude_dir / "locked.jsonl", [claude_line("m2", "r2", inp=7)])
    real_open = os.open  # logs are opened with os.open (safepath.open_regular: O_NONBLOCK)

    def fake_open(file: Any, *a: Any, **kw: Any) -> Any:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr(os, "open", fake_open)
    _recs, t, stats = read(("claude",))
    assert t.input == 5 and stats.unreadable_files == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_mode_000_is_unreadable(claude_dir: Path) -> None:
    locked = write_lines(claude_dir / "locked.jsonl", [claude_line("m2", "r2", inp=7)])
    locked.chmod(0)
    _, _, stats = read(("claude",))
    assert stats.unreadable_files == 1


def test_no_log_directories_at_all() -> None:
    recs, _, stats = read()
    assert recs == [] and stats.files == 0


def test_wrong_types_inside_usage_do_not_crash(claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [
            '{"type":"assistant","timestamp":"2026-11-26T10:00:00Z","message":{"id":"m","usage":'
            '{"input_tokens":"12","output_tokens":null,"cache_creation":[1],"cache_read_input_tokens":-5}}}',
            '{"type":"assistant","timestamp":"not a time","message":{"id":"m2","usage":{"input_tokens":3}}}',
            '{"type":"assistant","message":"usage"}',
        ],
    )
    recs, t, stats = read(("claude",))
    # a string count and a negative count make the first line malformed; the second has a bad time
    assert recs == [] and t.total == 0
    assert stats.malformed_lines == 2


def test_unknown_agent_is_an_error() -> None:
    from agentcost.usage import iter_usage

    with pytest.raises(ValueError, match="unknown agent"):
        list(iter_usage(agents=("claude", "gemini")))


def test_crlf_line_endings(claude_dir: Path) -> None:
    lines = [claude_line("m1", "r1", inp=5), '{"type":"user"}', claude_line("m2", "r2", inp=7)]
    (claude_dir / "s.jsonl").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    recs, t, stats = read(("claude",))
    assert len(recs) == 2 and t.input == 12 and stats.malformed_lines == 0
