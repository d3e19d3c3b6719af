"""`agentcost usage` end to end through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.usage.conftest import claude_line, dumps, write_lines


def _json(cli: Any, *args: str) -> dict[str, Any]:
    r = cli("usage", "--json", *args)
    assert r.exit_code == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


def test_json_on_real_logs(cli: Any, real_logs: Path, truth: dict[str, Any]) -> None:
    doc = _json(cli)
    assert doc["schema_version"] == 1
    assert set(doc) == {
        "schema_version",
        "query",
        "rows",
        "totals",
        "unpriced",
        "prices",
        "notes",
        "routing",
        "stats",
    }
    t = doc["totals"]
    c, x = truth["all"]["claude"], truth["all"]["codex"]
    assert t["requests"] == c["responses"] + x["responses"]
    assert t["tokens"]["input"] == c["input_tokens"] + x["uncached_input_tokens"]
    assert t["tokens"]["cache_write"] == c["cache_creation_input_tokens"]
    assert t["tokens"]["cache_read"] == c["cache_read_input_tokens"] + x["cached_input_tokens"]
    assert t["tokens"]["output"] == c["output_tokens"] + x["output_tokens"]
    assert t["tokens"]["reasoning"] == x["reasoning_output_tokens"]
    # the stub models have no price: reported apart, never as $0
    unpriced = {u["model"] for u in doc["unpriced"]}
    assert {"stub-main-model", "stub-codex-model"} <= unpriced
    assert t["cost_complete"] is False and t["unpriced_tokens"] > 0
    assert doc["stats"]["files"] == 9 and doc["stats"]["malformed_lines"] == 0
    assert doc["query"]["agents"] == ["claude", "codex", "openclaw"]


def test_agent_and_by_session(cli: Any, real_logs: Path) -> None:
    doc = _json(cli, "--agent", "codex", "--by", "session")
    assert [r["agent"] for r in doc["rows"]] == ["codex"] * 3
    rich = next(r for r in doc["rows"] if r["session"] == "01a2178c-dadc-7390-b5fb-ad3c9bf1adbb")
    assert rich["requests"] == 3 and rich["tokens"]["input"] == 2400
    assert rich["project"] == "/home/dev/webapp"


def test_table_shows_unpriced_as_such(cli: Any, real_logs: Path) -> None:
    r = cli("usage", "--by", "model")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    lines = [ln for ln in out.splitlines() if "stub-main-model" in ln]
    assert lines and all("n/a (unpriced" in ln for ln in lines)
    assert "$0.00 " not in out
    assert "could not be priced" in out
    assert "9 file(s)" in out and "0 malformed" in out


def test_since_until_and_tz(cli: Any, claude_dir: Path) -> None:
    write_lines(
        claude_dir / "s.jsonl",
        [
            claude_line("m1", "r1", inp=1, ts="2026-11-01T12:00:00.000Z"),
            claude_line("m2", "r2", inp=2, ts="2026-11-02T23:30:00.000Z"),  # 2026-11-03 in Paris (UTC+1)
            claude_line("m3", "r3", inp=4, ts="2026-11-05T12:00:00.000Z"),
        ],
    )
    assert _json(cli, "--tz", "UTC", "--since", "2026-11-02")["totals"]["tokens"]["input"] == 6
    assert _json(cli, "--tz", "UTC", "--until", "2026-11-02")["totals"]["tokens"]["input"] == 3  # whole day
    assert (
        _json(cli, "--tz", "UTC", "--since", "20261102", "--until", "20261102")["totals"]["tokens"]["input"]
        == 2
    )
    doc = _json(cli, "--tz", "Europe/Paris", "--since", "2026-11-03", "--until", "2026-11-03")
    assert doc["totals"]["tokens"]["input"] == 2
    assert doc["rows"][0]["key"] == "2026-11-03"
    assert doc["rows"][0]["first"] == "2026-11-03T00:30:00+01:00"
    assert _json(cli, "--tz", "UTC", "--since", "2026-11-02T23:00")["totals"]["tokens"]["input"] == 6
    assert _json(cli, "--tz", "UTC", "--by", "month")["rows"][0]["key"] == "2026-11"
    assert _json(cli, "--tz", "UTC", "--by", "week")["rows"][0] == {
        **_json(cli, "--tz", "UTC", "--by", "week")["rows"][0],
        "key": "2026-W44",
        "start": "2026-10-26",
    }


def test_bad_arguments_exit_2(cli: Any) -> None:
    for args in (("--tz", "Mars/Olympus"), ("--since", "yesterday-ish"), ("--since", "2026-13-45")):
        r = cli("usage", *args)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
    r = cli("usage", "--since", "2026-11-05", "--until", "2026-11-01")
    assert r.exit_code == 2 and "--since" in r.stderr
    assert cli("usage", "--by", "year").exit_code == 2


def test_no_logs(cli: Any) -> None:
    r = cli("usage")
    assert r.exit_code == 0
    assert "No log files found. Looked in:" in r.stdout
    assert _json(cli)["rows"] == []


def test_no_cache_flag_and_help(cli: Any, real_logs: Path) -> None:
    doc = _json(cli, "--no-cache")
    assert doc["stats"]["cached_files"] == 0
    assert _json(cli)["stats"]["files"] == 9
    assert _json(cli)["stats"]["cached_files"] == 9
    h = cli("usage", "--help")
    assert h.exit_code == 0 and "--since" in h.stdout and "agentcost usage --by model" in h.stdout


def test_relative_since(cli: Any, claude_dir: Path) -> None:
    from datetime import datetime, timedelta, timezone

    now = datetime.now(timezone.utc)
    iso = lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # noqa: E731
    write_lines(
        claude_dir / "s.jsonl",
        [
            claude_line("m1", "r1", inp=1, ts=iso(now - timedelta(days=10))),
            claude_line("m2", "r2", inp=2, ts=iso(now - timedelta(hours=30))),
            claude_line("m3", "r3", inp=4, ts=iso(now - timedelta(hours=1))),
        ],
    )
    assert _json(cli, "--since", "7d")["totals"]["tokens"]["input"] == 6
    assert _json(cli, "--since", "12h")["totals"]["tokens"]["input"] == 4
    assert _json(cli, "--since", "2w")["totals"]["tokens"]["input"] == 7


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


def test_json_tz_is_a_zone_not_a_label(cli: Any, real_logs: Path, monkeypatch: Any) -> None:
    # `usage --json` said "tz": "UTC, local": neither a zone name nor something --tz accepts back
    monkeypatch.setenv("TZ", "Europe/Paris")
    q = _json(cli)["query"]
    assert q["tz"] == "Europe/Paris" and q["tz_local"] is True
    q = _json(cli, "--tz", "UTC+8")["query"]
    assert q["tz"] == "UTC+8" and q["tz_local"] is False


def test_no_logs_says_where_it_looked(cli: Any, isolated_env: Path) -> None:
    r = cli("usage", "--agent", "codex")
    assert r.exit_code == 0, r.stderr
    assert "No log files found. Looked in:" in r.stdout
    assert "sessions" in r.stdout and "archived_sessions" in r.stdout


def test_compact_token_totals_use_the_token_units() -> None:
    from agentcost.formats import tokens

    assert tokens(2_400_000_000, compact=True) == "2.40B"  # was "2.4G": G reads as a size
    assert tokens(12_345_678, compact=True) == "12.3M"
    assert "G" not in tokens(999_000_000_000, compact=True)


def test_relative_since_too_far_back_is_a_usage_error(cli: Any) -> None:
    """QA: `--since 999999999d` crashed with OverflowError (exit 3)."""
    for value in ("999999999d", "99999999999999w"):
        r = cli("usage", "--since", value)
        assert r.exit_code == 2, r.output
        assert "too far back" in r.output or "before year 1" in r.output
