"""`usage --agent openclaw`: OpenClaw's SQLite transcripts (events from the real client in fixtures)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from backports import zstd  # type: ignore[import-not-found,unused-ignore]

from agentcost.usage import ReadStats, iter_usage

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "openclaw"


def make_db(
    home: Path, *, compress: bool = False, agent: str = "main", extra: list[dict[str, Any]] | None = None
) -> Path:
    db = home / ".openclaw" / "agents" / agent / "agent" / "openclaw-agent.sqlite"
    db.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db)
    con.executescript((FIX / "transcript_events.sql").read_text())
    events = [json.loads(line) for line in (FIX / "transcript_events.jsonl").read_text().splitlines()]
    for e in events + (extra or []):
        text = e["event_json"]
        if compress and '"usage"' in text:
            con.execute(
                "insert into transcript_events(session_id, seq, event_json, created_at, event_zstd, "
                "event_utf8_bytes, navigation_json) values (?, ?, NULL, 0, ?, ?, ?)",
                (e["session_id"], e["seq"], zstd.compress(text.encode()), len(text.encode()), _NAV),
            )
        else:
            con.execute(
                "insert into transcript_events(session_id, seq, event_json, created_at, event_utf8_bytes) "
                "values (?, ?, ?, 0, ?)",
                (e["session_id"], e["seq"], text, len(text.encode())),
            )
    con.commit()
    con.close()
    return db


_NAV = json.dumps(
    {
        "version": 1,
        "report": {"kind": "canonical"},
        "navigation": {},
        "reset": {},
        "model": {},
        "modelBytes": 0,
        "modelWithoutCheckpointBytes": 0,
        "withoutCustomDataBytes": 0,
    }
)


@pytest.mark.parametrize("compress", [False, True])
def test_reads_both_sessions_exactly(isolated_env: Path, compress: bool) -> None:
    make_db(isolated_env, compress=compress)
    stats = ReadStats()
    recs = sorted(iter_usage(["openclaw"], stats=stats, use_cache=False), key=lambda r: r.timestamp)
    assert [(r.model, r.provider) for r in recs] == [("stub-model", "stub"), ("stub-model", "stub")]
    a, o = recs
    assert (a.tokens.input, a.tokens.cache_write, a.tokens.cache_read, a.tokens.output) == (101, 13, 29, 17)
    assert (o.tokens.input, o.tokens.cache_read, o.tokens.output, o.tokens.reasoning) == (174, 37, 43, 5)
    assert a.project and a.project.endswith("/.openclaw/workspace")
    assert stats.usage_lost == 0 and stats.malformed_lines == 0


def test_a_copied_session_counts_once(isolated_env: Path) -> None:
    make_db(isolated_env)
    make_db(isolated_env, agent="copy")  # same entry ids in another agent's database
    stats = ReadStats()
    recs = list(iter_usage(["openclaw"], stats=stats, use_cache=False))
    assert len(recs) == 2 and stats.duplicates == 2


def test_bad_counts_are_malformed_not_zero(isolated_env: Path) -> None:
    bad = {
        "type": "message",
        "id": "x1",
        "timestamp": "2026-12-05T08:00:00.000Z",
        "message": {"role": "assistant", "model": "m", "usage": {"input": -5, "output": 1}},
    }
    make_db(isolated_env, extra=[{"session_id": "s-bad", "seq": 0, "event_json": json.dumps(bad)}])
    stats = ReadStats()
    assert len(list(iter_usage(["openclaw"], stats=stats, use_cache=False))) == 2
    assert stats.malformed_lines == 1


def test_usage_cli_lists_openclaw(cli: Any, isolated_env: Path) -> None:
    make_db(isolated_env)
    r = cli("usage", "--agent", "openclaw", "--since", "2026-12-01", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    text = json.dumps(doc)
    assert "stub-model" in text and '"openclaw"' in text
