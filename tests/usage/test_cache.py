"""The per-file cache gives exactly what a cold read gives: after appends, truncation, replacement."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentcost.usage import ReadStats, iter_usage
from agentcost.usage.cache import cache_path

from .conftest import claude_line, codex_count, codex_meta, codex_record, codex_usage, write_lines
from .helpers import read


def _same(agents: tuple[str, ...] = ("claude", "codex")) -> ReadStats:
    """Warm result == cold result (records and counters); returns the warm stats."""
    warm_recs, warm_t, warm = read(agents, use_cache=True)
    cold_recs, cold_t, cold = read(agents, use_cache=False)
    assert sorted(map(repr, warm_recs)) == sorted(map(repr, cold_recs))
    assert warm_t == cold_t
    assert (warm.malformed_lines, warm.duplicates, warm.usage_lost) == (
        cold.malformed_lines,
        cold.duplicates,
        cold.usage_lost,
    )
    return warm


def _bump_mtime(p: Path) -> None:
    st_ = p.stat()
    os.utime(p, ns=(st_.st_atime_ns, st_.st_mtime_ns + 1_000_000_000))


def test_unchanged_files_are_not_read_again(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    _same()
    warm = _same()
    assert warm.cached_files == 1 and warm.bytes_parsed == 0
    assert cache_path().exists()


def test_append_parses_only_new_bytes(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    _same()
    size = f.stat().st_size
    with open(f, "a", encoding="utf-8") as fh:
        fh.write(claude_line("m1", "r1", inp=5) + "\n" + claude_line("m2", "r2", inp=7) + "\n")
    warm = _same()
    assert warm.bytes_parsed == f.stat().st_size - size
    recs, t, _ = read(("claude",), use_cache=True)
    assert len(recs) == 2 and t.input == 12


def test_append_completing_a_partial_last_line(claude_dir: Path) -> None:
    line = claude_line("m1", "r1", inp=5)
    f = claude_dir / "s.jsonl"
    f.write_text(line[:40], encoding="utf-8")  # the client is mid-write
    warm = _same()
    assert warm.malformed_lines == 1
    with open(f, "a", encoding="utf-8") as fh:
        fh.write(line[40:] + "\n")
    warm = _same()
    assert warm.malformed_lines == 0
    recs, _, _ = read(("claude",), use_cache=True)
    assert len(recs) == 1


def test_truncation_is_detected(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5), claude_line("m2", "r2", inp=7)])
    _same()
    write_lines(f, [claude_line("m1", "r1", inp=5)])
    _bump_mtime(f)
    _same()
    _, t, _ = read(("claude",), use_cache=True)
    assert t.input == 5


def test_replacement_with_same_size_is_detected(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    _same()
    write_lines(f, [claude_line("m1", "r1", inp=6)])  # same length, other content, in place
    _bump_mtime(f)
    _same()
    _, t, _ = read(("claude",), use_cache=True)
    assert t.input == 6


def test_replacement_that_grows_is_detected(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    _same()
    tmp = claude_dir / "new.tmp"
    write_lines(
        tmp, [claude_line("m9", "r9", inp=1), claude_line("m8", "r8", inp=2), claude_line("m7", "r7", inp=3)]
    )
    os.replace(tmp, f)  # a new inode
    _same()
    _, t, _ = read(("claude",), use_cache=True)
    assert t.input == 6


def test_rewrite_in_place_keeping_inode_but_changing_prefix(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    _same()
    with open(f, "r+b") as fh:  # same inode, grows, but the old bytes changed
        fh.write((claude_line("m1", "r1", inp=8) + "\n" + claude_line("m2", "r2", inp=1) + "\n").encode())
    _bump_mtime(f)
    _same()
    _, t, _ = read(("claude",), use_cache=True)
    assert t.input == 9


def test_cross_file_duplicates_stay_deduplicated_with_cache(claude_dir: Path, codex_dir: Path) -> None:
    old = claude_line("m1", "r1", inp=100)
    write_lines(claude_dir / "a.jsonl", [old])
    u = codex_usage(100, out=1)
    write_lines(codex_dir / "rollout-a.jsonl", [codex_meta("s1"), codex_record("resp1", u), codex_count(u)])
    _same()
    write_lines(claude_dir / "b.jsonl", [old, claude_line("m2", "r2", inp=1)])
    write_lines(codex_dir / "rollout-b.jsonl", [codex_meta("s2"), codex_record("resp1", u), codex_count(u)])
    _same()
    _, t, _ = read(use_cache=True)
    assert t.input == 100 + 1 + 100


def test_deleted_files_leave_the_totals(claude_dir: Path) -> None:
    f = write_lines(claude_dir / "a.jsonl", [claude_line("m1", "r1", inp=5)])
    write_lines(claude_dir / "b.jsonl", [claude_line("m2", "r2", inp=7)])
    _same()
    f.unlink()
    _same()
    _, t, _ = read(("claude",), use_cache=True)
    assert t.input == 7


def test_codex_state_survives_incremental_reads(codex_dir: Path) -> None:
    u1, u2 = codex_usage(100, out=10), codex_usage(50, out=5)
    t2 = codex_usage(150, out=15)
    f = write_lines(codex_dir / "rollout-a.jsonl", [codex_meta("s1", provider="p"), codex_count(u1)])
    _same()
    with open(f, "a", encoding="utf-8") as fh:
        fh.write(codex_count(u1) + "\n" + codex_count(t2, u2, ts="2026-11-26T10:00:09.000Z") + "\n")
    _same()
    recs, t, _ = read(("codex",), use_cache=True)
    assert len(recs) == 2 and t.input == 150
    assert {r.provider for r in recs} == {"p"}


def test_corrupt_or_foreign_cache_file_is_ignored(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    p = cache_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    for junk in (b"", b"\x00garbage", b"{}"):
        p.write_bytes(junk)
        _, t, _ = read(("claude",), use_cache=True)
        assert t.input == 5


def test_unwritable_cache_dir_still_reports(
    claude_dir: Path, monkeypatch: object, isolated_env: Path
) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=5)])
    blocker = isolated_env / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    recs = list(iter_usage(env={**os.environ, "AGENTCOST_CACHE_DIR": str(blocker / "cache")}))
    assert len(recs) == 1


LINES = [
    claude_line("m1", "r1", inp=1),
    claude_line("m1", "r1", inp=1),
    claude_line("m2", "r2", inp=2, flat=10, b5=0, b1=0),
    "garbage",
    claude_line("m3", "r3", inp=4, spaces=True),
    claude_line("m2", "r2", inp=2, flat=10, b5=0, b1=0),
    claude_line("m4", "r4", inp=8),
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=4))
def test_any_sequence_of_appends_equals_a_cold_read(claude_dir: Path, cuts: list[int]) -> None:
    """Write the file in pieces (cuts may fall mid-line), reading through the cache after each piece."""
    data = ("\n".join(LINES) + "\n").encode()
    f = claude_dir / "h.jsonl"
    f.write_bytes(b"")
    cache_path().unlink(missing_ok=True)
    pos = 0
    for cut in [*sorted(c % (len(data) + 1) for c in cuts), len(data)]:
        if cut < pos:
            continue
        with open(f, "ab") as fh:
            fh.write(data[pos:cut])
        pos = cut
        _bump_mtime(f)
        _same(("claude",))
    _, t, stats = read(("claude",), use_cache=True)
    assert t.input == 15 and t.cache_write_5m == 10
    assert stats.malformed_lines == 1


def test_partial_last_line_that_looks_like_an_object(claude_dir: Path) -> None:
    """A line cut just after an inner `}` passes a shape check; it must not be taken as complete."""
    line = claude_line("m1", "r1", inp=5)
    cut = line.index('"hi"}') + len('"hi"}')
    f = claude_dir / "s.jsonl"
    f.write_text(line[:cut], encoding="utf-8")
    warm = _same()
    assert warm.malformed_lines == 1
    with open(f, "a", encoding="utf-8") as fh:
        fh.write(line[cut:] + "\n")
    _bump_mtime(f)
    warm = _same()
    assert warm.malformed_lines == 0
    recs, t, _ = read(("claude",), use_cache=True)
    assert len(recs) == 1 and t.input == 5
