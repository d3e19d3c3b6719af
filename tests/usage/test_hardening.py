"""Regressions from the QA pass: hostile strings in logs, absurd counts, labels and widths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import claude_line, codex_meta, codex_record, codex_turn, codex_usage, dumps, write_lines
from .helpers import read


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


def test_usage_json_survives_huge_counts(cli: Any, claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [
            _claude_raw({"input_tokens": 1e30, "output_tokens": 1}, "a"),
            _claude_raw({"input_tokens": 10**30, "output_tokens": 1}, "b"),
            _claude_raw({"input_tokens": 1000, "output_tokens": 1000}, "c"),
        ],
    )
    r = cli("usage", "--json", "--tz", "UTC")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["stats"]["malformed_lines"] == 2
    assert doc["totals"]["tokens"]["input"] == 1000
    # sonnet 4.5: 1000 x $3/M + 1000 x $15/M = $0.018
    assert doc["totals"]["cost_usd"] == "0.018"  # exact decimal string (the money rule)
    r = cli("usage", "--tz", "UTC")
    assert r.exit_code == 0, r.stderr
    assert "2026-11-26" in r.stdout and "2 malformed line(s) skipped" in r.stdout


def test_report_usd_handles_large_sums() -> None:
    from decimal import Decimal

    from agentcost.formats import money_json

    assert money_json(Decimal("123456789012345678901234.5")) == "123456789012345678901234.50"


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


def test_markup_in_model_project_and_session_is_printed_literally(cli: Any, claude_dir: Path) -> None:
    evil = "[/b]evil[red]"
    write_lines(
        claude_dir / "s.jsonl",
        [claude_line("m1", "r1", model=evil, cwd="/tmp/[bold]x[/]", session="[/]s")],
    )
    for by in ("day", "model", "project", "session"):
        r = cli("usage", "--by", by, "--tz", "UTC")
        assert r.exit_code == 0, (by, r.stderr)
        if by in ("day", "model"):
            assert evil in r.stdout, by  # the unpriced-models table, and the row label
        if by == "project":
            assert "/tmp/[bold]x[/]" in r.stdout
        if by == "session":
            assert "[/]s" in r.stdout


def test_project_prefers_cwd_and_labels_the_log_folder(
    cli: Any, isolated_env: Path, claude_dir: Path
) -> None:
    no_cwd = json.loads(claude_line("m2", "r2", inp=3, session="s2"))
    del no_cwd["cwd"]
    later = json.loads(claude_line("m4", "r4", inp=4, session="s3"))
    del later["cwd"]
    write_lines(claude_dir / "a.jsonl", [claude_line("m1", "r1", inp=5, cwd="/home/dev/app"), dumps(later)])
    other = isolated_env / ".claude" / "projects" / "-home-qa-neg"
    write_lines(other / "b.jsonl", [dumps(no_cwd)])
    doc = json.loads(cli("usage", "--json", "--by", "project").stdout)
    keys = {row["key"]: row["tokens"]["input"] for row in doc["rows"]}
    # a line without cwd takes the file's logged cwd; a file with none is labelled, never a bare name
    assert keys == {"/home/dev/app": 9, "(cwd not logged) log folder -home-qa-neg": 3}


def test_time_zone_label(cli: Any, claude_dir: Path) -> None:
    write_lines(claude_dir / "s.jsonl", [claude_line("m1", "r1")])
    out = cli("usage", "--tz", "UTC").stdout
    assert "Usage by day (time zone: UTC)" in out
    out = cli("usage").stdout
    assert "(time zone: " in out and ", local)" in out


def test_narrow_terminal_keeps_model_names_whole(cli: Any, claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [
            claude_line("m1", "r1", model="claude-sonnet-4-5-20250929"),
            claude_line("m2", "r2", model="gpt-5.1-codex-mini"),
        ],
    )
    r = cli("usage", "--by", "model", env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.split("Input = uncached")[0].splitlines()  # the table (prose is not wrapped in a pipe)
    assert all(len(ln) <= 80 for ln in lines)
    # one line per model, the name whole (never cut, never folded, never an ellipsis)
    rows = [ln for ln in lines if ln.strip().startswith(("claude-sonnet", "gpt-5.1"))]
    assert len(rows) == 2 and "claude-sonnet-4-5-20250929 " in rows[0] and "gpt-5.1-codex-mini" in rows[1]
    assert "…" not in r.stdout
    assert not any(ln.strip().startswith(("0929", "20250929")) for ln in lines)
    # the numbers are never cut
    assert rows[0].rstrip().endswith("$0.00011") and rows[1].rstrip().endswith("$0.000013")
