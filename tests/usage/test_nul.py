"""NUL bytes (crash padding, a corrupted byte) never cost a file its valid usage."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import claude_line, codex_count, codex_meta, codex_turn, codex_usage, write_lines
from .helpers import read

PAD = b"\x00" * 64


def _claude(claude_dir: Path) -> Path:
    return write_lines(
        claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5), claude_line("m2", "r2", inp=7)]
    )


def _codex(codex_dir: Path) -> Path:
    return write_lines(
        codex_dir / "rollout-2026-11-26T10-00-00-0199aaaa-bbbb-cccc-dddd-eeeeeeeeeeee.jsonl",
        [
            codex_meta("0199aaaa-bbbb-cccc-dddd-eeeeeeeeeeee"),
            codex_turn("gpt-5"),
            codex_count(codex_usage(100, out=20)),
        ],
    )


@pytest.mark.parametrize("use_cache", [False, True])
def test_claude_nul_padded_tail_keeps_valid_lines(claude_dir: Path, use_cache: bool) -> None:
    p = _claude(claude_dir)
    p.write_bytes(p.read_bytes() + PAD)
    for _ in range(2):  # second pass: served from the cache when enabled; must agree
        recs, t, stats = read(("claude",), use_cache=use_cache)
        assert (len(recs), t.input, stats.unreadable_files, stats.malformed_lines) == (2, 12, 0, 1)


@pytest.mark.parametrize("use_cache", [False, True])
def test_codex_nul_padded_tail_keeps_valid_lines(codex_dir: Path, use_cache: bool) -> None:
    p = _codex(codex_dir)
    p.write_bytes(p.read_bytes() + PAD + b"\n")  # padding ending in a newline: a whole junk line
    for _ in range(2):
        recs, t, stats = read(("codex",), use_cache=use_cache)
        assert (len(recs), t.input, t.output, stats.unreadable_files, stats.malformed_lines) == (
            1,
            100,
            20,
            0,
            1,
        )


def test_nul_in_the_middle(claude_dir: Path, codex_dir: Path) -> None:
    p = _claude(claude_dir)
    a, b = p.read_bytes().split(b"\n", 1)
    # a NUL inside line 1 (it is skipped), a padding line, then line 2 glued after a NUL run
    p.write_bytes(a[:20] + b"\x00" + a[21:] + b"\n" + PAD + b"\n" + PAD + b)
    recs, t, stats = read(("claude",))
    assert (len(recs), t.input, stats.unreadable_files, stats.malformed_lines) == (1, 7, 0, 3)
    c = _codex(codex_dir)
    lines = c.read_bytes().split(b"\n")
    c.write_bytes(b"\n".join([lines[0], PAD, *lines[1:]]))
    recs, t, stats = read(("codex",))
    assert (len(recs), t.input, stats.unreadable_files, stats.malformed_lines) == (1, 100, 0, 1)


def test_appending_after_padding_is_read_incrementally(claude_dir: Path) -> None:
    p = _claude(claude_dir)
    p.write_bytes(p.read_bytes() + PAD)
    _, t, stats = read(("claude",), use_cache=True)
    assert (t.input, stats.malformed_lines) == (12, 1)
    with p.open("ab") as f:  # the client resumes writing after the padding
        f.write((claude_line("m3", "r3", inp=100) + "\n").encode())
    warm = read(("claude",), use_cache=True)
    cold = read(("claude",), use_cache=False)
    assert (warm[1].input, warm[2].malformed_lines) == (cold[1].input, cold[2].malformed_lines) == (112, 1)


def test_all_nul_file_is_malformed_not_binary(claude_dir: Path) -> None:
    (claude_dir / "zero.jsonl").write_bytes(PAD * 4)
    _, _, stats = read(("claude",))
    assert (stats.unreadable_files, stats.malformed_lines) == (0, 1)
