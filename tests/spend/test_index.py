"""The spend index gives what `usage` gives; per-request prices equal agentcost.pricing.cost."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost import spend
from agentcost.spend import recent
from agentcost.spend.rates import Rates, price_from_data, price_to_data

FIXTURES = Path(__file__).parent.parent / "fixtures" / "usage"


def test_total_equals_usage_on_the_real_client_logs(cli: Any) -> None:
    import shutil

    home = Path(os.environ["HOME"])
    shutil.copytree(FIXTURES / "claude", home / ".claude", dirs_exist_ok=True)
    shutil.copytree(FIXTURES / "codex", home / ".codex", dirs_exist_ok=True)
    usage = json.loads(cli("usage", "--json").stdout)["totals"]
    s = spend.total()
    assert s.requests == usage["requests"]
    assert s.unpriced_tokens == usage["unpriced_tokens"]
    if usage["cost_usd"] is not None:
        assert s.cost == Decimal(usage["cost_usd"])  # usage --json is exact (the money rule)
    reqs = spend.requests()
    assert len(reqs) == s.requests and [r.ts for r in reqs] == sorted(r.ts for r in reqs)


def _claude(p: Path, sid: str, t0: float, n: int, model: str = "claude-sonnet-4-5-20250929") -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        ts = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t0 + 60 * i))
        lines.append(
            json.dumps(
                {
                    "type": "assistant",
                    "sessionId": sid,
                    "cwd": f"/p/{sid}",
                    "timestamp": ts,
                    "requestId": f"{sid}-r{i}",
                    "message": {
                        "id": f"{sid}-m{i}",
                        "model": model,
                        "usage": {"input_tokens": 100 + i, "output_tokens": 50},
                    },
                }
            )
        )
    p.write_text("\n".join(lines) + "\n")
    os.utime(p, (t0 + 60 * n, t0 + 60 * n))


def test_recent_store_agrees_with_the_full_read() -> None:
    projects = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "-p"
    now = time.time()
    _claude(projects / "old.jsonl", "old", now - 30 * 86400, 10)
    _claude(projects / "week.jsonl", "week", now - 3 * 86400, 10)
    _claude(projects / "today.jsonl", "today", now - 3600, 10)
    since = now - 4 * 86400
    hot = spend.total(since=since, hot=True)  # the recent store
    rows, _ = spend.load_rows()  # the full cache
    full = [r for r in rows if r[0] >= since]
    assert hot.requests == len(full) == 20
    assert spend.total(since=since, session="today").requests == 10
    assert spend.total(since=since, project="/p/week").requests == 10
    assert spend.total(since=since, until=now - 86400).requests == 10
    assert spend.total().requests == 30  # older than the horizon: the full read
    doc = recent.load()
    assert sorted(Path(k.split("\0")[1]).name for k in doc["files"]) == ["today.jsonl", "week.jsonl"]
    # an append is seen, only the new bytes are read
    with (projects / "today.jsonl").open("a") as f:
        f.write(
            json.dumps(
                {
                    "type": "assistant",
                    "sessionId": "today",
                    "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - 10)),
                    "message": {
                        "id": "x1",
                        "model": "claude-sonnet-4-5-20250929",
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    },
                }
            )
            + "\n"
        )
    rec = recent.Recent()
    rec.refresh(walk_every=3600)
    assert rec.stats.bytes_parsed < 400
    assert spend.total(since=since, hot=True).requests == 21


def test_row_cost_equals_pricing_cost_for_every_bundled_price() -> None:
    from agentcost.errors import AgentcostError
    from agentcost.pricing import cost, price_for
    from agentcost.pricing.catalog import bundled_layer
    from agentcost.tokens import TokenCounts

    rng = random.Random(1)
    rates = Rates(memo=False)
    checked = 0
    for model in sorted(bundled_layer().prices):
        p = price_for(model)
        if p is None or not p.usable():
            continue
        # what pricing needs survives the memo (the lookup's own query/resolution/note are not kept)
        assert price_from_data(price_to_data(p)) == dataclasses.replace(
            p, query=None, resolution="exact", note=None
        )
        for _ in range(4):
            counts = [rng.choice([0, rng.randint(1, 400_000)]) for _ in range(5)]
            ts = 1_796_000_000 + rng.randint(0, 86400 * 7)
            row = (float(ts), "claude", "s", None, model, None, None, *counts, 0)
            try:
                want = cost(TokenCounts(*counts), _narrow(p, counts), when=_dt(ts)).total
            except AgentcostError:  # an unusable price: None on both sides
                want = None
            assert rates.row_cost(row) == want, model  # type: ignore[arg-type]
            checked += 1
    assert checked > 100


def _dt(ts: float) -> Any:
    from datetime import datetime, timezone

    # peak hours are decided per quarter hour, like `usage`
    return datetime.fromtimestamp(ts - ts % 900, timezone.utc)


def _narrow(p: Any, counts: list[int]) -> Any:
    return p  # cost() picks the tier from this request's own prompt size


def test_memo_is_used_and_invalidated(tmp_path: Path) -> None:
    row = (
        1_796_000_000.0,
        "claude",
        "s",
        None,
        "claude-sonnet-4-5-20250929",
        None,
        None,
        1000,
        0,
        0,
        0,
        1000,
        0,
    )
    first = Rates()
    c1 = first.row_cost(row)  # type: ignore[arg-type]
    first.save()
    second = Rates()
    assert "claude-sonnet-4-5-20250929" in second.memo
    assert second.row_cost(row) == c1  # type: ignore[arg-type]
    override = Path(os.environ["AGENTCOST_CONFIG_DIR"]) / "prices.toml"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('[models."claude-sonnet-4-5"]\ninput = 1\noutput = 1\n')
    third = Rates()
    assert third.memo == {}  # the catalog changed: the memo is stale
    assert third.row_cost(row) == Decimal("0.002")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [None, "", "   ", "/x/y"])
def test_user_dirs_equal_platformdirs(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    import platformdirs

    from agentcost import paths

    for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    assert str(paths._user_dir("cache")) == platformdirs.user_cache_dir("agentcost")
    assert str(paths._user_dir("data")) == platformdirs.user_data_dir("agentcost")
    assert str(paths._user_dir("config")) == platformdirs.user_config_dir("agentcost")


def test_a_wider_query_after_the_status_line_reads_the_older_files() -> None:
    """The status line fills the store from midnight on; a hot "this week" query must still see
    the files of the days before (it walks although the last walk is recent)."""
    projects = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "-p"
    now = time.time()
    _claude(projects / "week.jsonl", "week", now - 3 * 86400, 10)
    _claude(projects / "today.jsonl", "today", now - 600, 5)
    rec = recent.Recent()
    rec.refresh(walk_every=60, since=now - 1200)
    rec.save()
    assert len(recent.load()["files"]) == 1
    assert spend.total(since=now - 4 * 86400, hot=True).requests == 15
