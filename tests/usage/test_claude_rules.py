"""Claude Code counting rules, each on a constructed log with hand-computed totals."""

from __future__ import annotations

import json
from pathlib import Path

from agentcost.tokens import TokenCounts

from .conftest import claude_line, tool_use_result_line, write_lines
from .helpers import read


def test_multi_block_lines_count_once(claude_dir: Path) -> None:
    line = claude_line("m1", "r1", inp=10, out=5, cache_read=100)
    write_lines(claude_dir / "s.jsonl", [line, line, line])
    recs, t, stats = read(("claude",))
    assert len(recs) == 1
    assert t == TokenCounts(input=10, cache_read=100, output=5)
    assert stats.duplicates == 2


def test_same_message_id_different_request_id_are_two_responses(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=10), claude_line("m1", "r2", inp=20)])
    recs, t, _ = read(("claude",))
    assert len(recs) == 2
    assert t.input == 30


def test_lines_without_ids_are_not_merged(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line(None, None, inp=7), claude_line(None, None, inp=7)])
    recs, t, _ = read(("claude",))
    assert len(recs) == 2
    assert t.input == 14


def test_subagent_counted_once_and_tool_use_result_ignored(claude_dir: Path) -> None:
    parent = claude_dir / "sess-1.jsonl"
    write_lines(parent, [claude_line("m1", "r1", inp=100, out=10), tool_use_result_line(inp=30, out=3)])
    write_lines(
        claude_dir / "sess-1" / "subagents" / "agent-a1.jsonl", [claude_line("m2", "r2", inp=30, out=3)]
    )
    recs, t, _ = read(("claude",))
    assert len(recs) == 2
    assert (t.input, t.output) == (130, 13)
    assert {r.session for r in recs} == {"sess-1"}


def test_resumed_session_copy_in_another_file_counts_once(claude_dir: Path) -> None:
    old = claude_line("m1", "r1", inp=100, session="old")
    write_lines(claude_dir / "a-old.jsonl", [old])
    write_lines(claude_dir / "b-new.jsonl", [old, claude_line("m2", "r2", inp=1, session="new")])
    recs, t, stats = read(("claude",))
    assert len(recs) == 2
    assert t.input == 101
    assert stats.duplicates == 1


def test_zero_filled_breakdown_takes_the_flat_figure_as_5m(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", flat=2000, b5=0, b1=0)])
    _, t, _ = read(("claude",))
    assert (t.cache_write_5m, t.cache_write_1h) == (2000, 0)


def test_matching_breakdown_is_kept(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", flat=1000, b5=600, b1=400)])
    _, t, _ = read(("claude",))
    assert (t.cache_write_5m, t.cache_write_1h) == (600, 400)


def test_breakdown_larger_than_flat_wins(claude_dir: Path) -> None:
    # max(flat=100, 5m+1h=500) = 500
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", flat=100, b5=300, b1=200)])
    _, t, _ = read(("claude",))
    assert (t.cache_write_5m, t.cache_write_1h, t.cache_write) == (300, 200, 500)


def test_partial_breakdown_remainder_goes_to_5m(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", flat=1000, b5=0, b1=300)])
    _, t, _ = read(("claude",))
    assert (t.cache_write_5m, t.cache_write_1h) == (700, 300)


def test_absent_breakdown(claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1", flat=1234)])
    _, t, _ = read(("claude",))
    assert (t.cache_write_5m, t.cache_write_1h) == (1234, 0)


def test_spaces_in_json_are_parsed(claude_dir: Path) -> None:
    line = claude_line("m1", "r1", inp=42, spaces=True)
    assert '"type": "assistant"' in line
    write_lines(claude_dir / "s.jsonl", [line])
    recs, t, _ = read(("claude",))
    assert len(recs) == 1 and t.input == 42


def test_key_order_does_not_matter(claude_dir: Path) -> None:
    d = json.loads(claude_line("m1", "r1", inp=9))
    write_lines(claude_dir / "s.jsonl", [json.dumps(d, sort_keys=True)])
    _, t, _ = read(("claude",))
    assert t.input == 9


def test_only_assistant_lines_count(claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl", [claude_line("m1", "r1", inp=50, kind="user"), claude_line("m2", "r2", inp=5)]
    )
    recs, t, _ = read(("claude",))
    assert len(recs) == 1 and t.input == 5


def test_synthetic_placeholder_is_skipped(claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [claude_line("m1", "r1", inp=0, out=0, model="<synthetic>"), claude_line("m2", "r2")],
    )
    recs, _, _ = read(("claude",))
    assert [r.model for r in recs] == ["stub-model"]


def test_malformed_lines_are_skipped_and_counted(claude_dir: Path) -> None:
    good = claude_line("m1", "r1", inp=10)
    write_lines(
        claude_dir / "s.jsonl",
        [
            good[: len(good) // 2],
            "not json at all",
            "[1, 2, 3]",
            "",
            '{"type":"user","message":{}}',
            good,
            "{broken",
        ],
    )
    recs, t, stats = read(("claude",))
    assert len(recs) == 1 and t.input == 10
    assert stats.malformed_lines == 4  # half line, text, array, "{broken"; the blank line is not malformed


def test_fields_of_the_record(claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl", [claude_line("m1", "r1", model="glm-5.1", ts="2026-11-26T10:00:00.250Z")]
    )
    (rec,), _, _ = read(("claude",))
    assert rec.agent == "claude"
    assert rec.session == "sess-1"
    assert rec.project == "/home/dev/app"
    assert rec.model == "glm-5.1"
    assert rec.provider is None
    assert rec.timestamp.isoformat() == "2026-11-26T10:00:00.250000+00:00"


def test_comma_separated_config_dirs_and_xdg_default(isolated_env: Path) -> None:
    a = isolated_env / "a" / "projects" / "p"
    b = isolated_env / "b" / "projects" / "p"
    write_lines(a / "s.jsonl", [claude_line("m1", "r1", inp=1)])
    write_lines(b / "s.jsonl", [claude_line("m2", "r2", inp=2)])
    env = {
        "CLAUDE_CONFIG_DIR": f"{isolated_env / 'a'}, {isolated_env / 'b'},{isolated_env / 'a'}",
        "HOME": str(isolated_env),
    }
    _, t, stats = read(("claude",), env=env)
    assert t.input == 3 and stats.files == 2  # the repeated directory is read once
    c = isolated_env / ".config" / "claude" / "projects" / "p"
    write_lines(c / "s.jsonl", [claude_line("m3", "r3", inp=4)])
    _, t, _ = read(("claude",), env={"HOME": str(isolated_env)})
    assert t.input == 4
