"""Odd files never crash a read: they are counted as unreadable or malformed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import claude_line, codex_meta, codex_record, codex_turn, codex_usage, dumps, write_lines
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


def _claude_raw(usage: dict[str, Any], mid: str = "m1") -> str:
    return dumps(
        {
            "type": "assistant",
            "sessionId": "s1",
            "cwd": "/home/dev/app",
            "timestamp": "2026-11-26T10:00:00.000Z",
            "message": {"id": mid, "model": "claude-sonnet-4-5", "usage": usage},
        }
    )


@pytest.mark.parametrize(
    "bad",
    [1e30, 10**30, -5, 1.5, "12", True, 10**12 + 1],
)
def test_impossible_claude_counts_are_malformed(claude_dir: Path, bad: object) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [
            _claude_raw({"input_tokens": bad, "output_tokens": 5}, "bad"),
            claude_line("ok", "r", inp=7, out=3),
        ],
    )
    recs, t, stats = read(("claude",))
    assert len(recs) == 1 and t.input == 7 and t.output == 3
    assert stats.malformed_lines == 1


def test_whole_float_and_limit_are_accepted(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [_claude_raw({"input_tokens": 12.0, "output_tokens": 10**12})])
    _, t, stats = read(("claude",))
    assert t.input == 12 and t.output == 10**12 and stats.malformed_lines == 0


def test_codex_cached_above_input_is_malformed(codex_dir: Path) -> None:
    write_lines(
        codex_dir / "rollout-2026-11-26T10-00-00-0199aaaa-bbbb-cccc-dddd-eeeeffff0000.jsonl",
        [
            codex_meta("0199aaaa-bbbb-cccc-dddd-eeeeffff0000"),
            codex_turn("gpt-5"),
            codex_record("r1", codex_usage(100, cached=500, out=10)),
            codex_record("r2", codex_usage(100, cached=40, out=10), ts="2026-11-26T10:00:02.000Z"),
            codex_record("r3", codex_usage(10**13, out=10), ts="2026-11-26T10:00:03.000Z"),
        ],
    )
    recs, t, stats = read(("codex",))
    assert len(recs) == 1 and t.input == 60 and t.cache_read == 40
    assert stats.malformed_lines == 2
