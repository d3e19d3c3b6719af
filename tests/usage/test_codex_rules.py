"""Codex counting rules, each on a constructed log with hand-computed totals."""

from __future__ import annotations

from pathlib import Path

from .conftest import codex_count, codex_meta, codex_record, codex_turn, codex_usage, write_lines
from .helpers import read

U1 = codex_usage(1000, cached=200, write=50, out=40, reas=4)  # uncached 750
U2 = codex_usage(1500, cached=1000, out=60, reas=6)  # uncached 500
T1 = U1
T2 = codex_usage(2500, cached=1200, write=50, out=100, reas=10)  # U1 + U2


def test_record_and_token_count_count_once(codex_dir: Path) -> None:
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [
            codex_meta("s1"),
            codex_turn("gpt-x"),
            codex_record("resp1", U1),
            codex_count(T1, U1),
            codex_record("resp2", U2),
            codex_count(T2, U2),
        ],
    )
    recs, t, _ = read(("codex",))
    assert len(recs) == 2
    assert t.input == 750 + 500
    assert t.cache_read == 1200
    assert t.cache_write_5m == 50
    assert t.output == 100
    assert t.reasoning == 10


def test_token_count_only_uses_increases_and_skips_repeats(codex_dir: Path) -> None:
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [
            codex_meta("s1"),
            codex_turn("gpt-x"),
            codex_count(T1, U1),
            codex_count(T1, U1),
            codex_count(T2, U2),
        ],
    )
    recs, t, stats = read(("codex",))
    assert len(recs) == 2
    assert t.input == 1250 and t.output == 100
    assert stats.duplicates == 1


def test_response_without_usage_repeats_total_and_is_not_counted(codex_dir: Path) -> None:
    # fixture-like turn 3: no record, a token_count repeating the previous total and a stale last usage
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [
            codex_meta("s1"),
            codex_record("resp1", U1),
            codex_count(T1, U1),
            codex_record("resp2", U2),
            codex_count(T2, U2),
            codex_count(T2, U2),
        ],
    )
    recs, t, _ = read(("codex",))
    assert len(recs) == 2 and t.output == 100


def test_resume_in_same_file_continues_running_totals(codex_dir: Path) -> None:
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [
            codex_meta("s1"),
            codex_turn("gpt-x"),
            codex_count(T1, U1),
            codex_turn("gpt-x", ts="2026-11-26T11:00:00.000Z"),  # `codex exec resume --last`
            codex_count(T2, U2, ts="2026-11-26T11:00:01.000Z"),
        ],
    )
    recs, t, _ = read(("codex",))
    assert len(recs) == 2 and t.input == 1250


def test_forked_file_replaying_token_counts_is_not_double_counted(codex_dir: Path) -> None:
    parent = [codex_meta("s1"), codex_turn("gpt-x"), codex_count(T1, U1, ts="2026-11-26T10:00:01.000Z")]
    u3 = codex_usage(300, out=30)
    t3 = codex_usage(1300, cached=200, write=50, out=70, reas=4)
    write_lines(codex_dir / "rollout-a.jsonl", parent)
    write_lines(
        codex_dir / "rollout-b.jsonl",
        [codex_meta("s2"), *parent[1:], codex_count(t3, u3, ts="2026-11-26T10:05:00.000Z")],
    )
    recs, t, _ = read(("codex",))
    assert len(recs) == 2
    assert t.input == 750 + 300 and t.output == 70


def test_forked_file_replaying_records_is_deduplicated_by_response_id(codex_dir: Path) -> None:
    parent = [codex_meta("s1"), codex_record("resp1", U1), codex_count(T1, U1)]
    write_lines(codex_dir / "rollout-a.jsonl", parent)
    write_lines(
        codex_dir / "rollout-b.jsonl",
        [codex_meta("s2"), *parent[1:], codex_record("resp2", U2), codex_count(T2, U2)],
    )
    recs, t, stats = read(("codex",))
    assert len(recs) == 2 and t.input == 1250
    assert stats.duplicates >= 1


def test_first_event_with_copied_history_counts_only_its_last_usage(codex_dir: Path) -> None:
    # A file whose first token_count already carries an earlier history in its running total.
    write_lines(codex_dir / "rollout-a.jsonl", [codex_meta("s1"), codex_count(T2, U2)])
    recs, t, _ = read(("codex",))
    assert len(recs) == 1 and t.input == 500 and t.cache_read == 1000


def test_info_null_is_lost_usage_not_zero(codex_dir: Path) -> None:
    write_lines(codex_dir / "rollout-a.jsonl", [codex_meta("s1"), codex_count(None), codex_count(T1, U1)])
    recs, _, stats = read(("codex",))
    assert len(recs) == 1
    assert stats.usage_lost == 1


def test_older_prefix_then_records(codex_dir: Path) -> None:
    # an old client wrote response 1 (token_count only), a newer one resumed and wrote records
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [codex_meta("s1"), codex_count(T1, U1), codex_record("resp2", U2), codex_count(T2, U2)],
    )
    recs, t, _ = read(("codex",))
    assert len(recs) == 2 and t.input == 1250


def test_fields_model_provider_project_and_archived(isolated_env: Path, codex_dir: Path) -> None:
    write_lines(
        isolated_env / ".codex" / "archived_sessions" / "rollout-z.jsonl",
        [codex_meta("s9", provider="atlas", cwd="/srv/x"), codex_turn("deepseek-v4"), codex_record("r9", U1)],
    )
    (rec,), _, _ = read(("codex",))
    assert (rec.agent, rec.session, rec.project, rec.model, rec.provider) == (
        "codex",
        "s9",
        "/srv/x",
        "deepseek-v4",
        "atlas",
    )
    assert rec.tokens.input == 750


def test_model_changes_between_turns(codex_dir: Path) -> None:
    write_lines(
        codex_dir / "rollout-a.jsonl",
        [
            codex_meta("s1"),
            codex_turn("m-a"),
            codex_record("r1", U1),
            codex_turn("m-b"),
            codex_record("r2", U2),
        ],
    )
    recs, _, _ = read(("codex",))
    assert [r.model for r in recs] == ["m-a", "m-b"]
