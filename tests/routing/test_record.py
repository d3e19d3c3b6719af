"""The routing record (concurrent appends) and how usage attributes routed requests."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from agentcost.shim import routelog
from agentcost.usage.routed import Attributor, summary_dict

WHEN = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
USAGE = {
    "input_tokens": 1000,
    "input_tokens_details": {"cached_tokens": 200},
    "output_tokens": 100,
    "output_tokens_details": {"reasoning_tokens": 30},
}


def _line(rid: str, dry: bool = False) -> dict[str, object]:
    return routelog.make_line(
        response_id=rid,
        asked="deepseek-v4-pro",
        routed="deepseek-v4-flash",
        upstream="api.example.com",
        rule="r",
        dry_run=dry,
        usage=USAGE,
        now=WHEN,
    )


def test_line_prices_both_models() -> None:
    line = _line("resp_1")
    assert line["tokens"] == {"input": 1000, "cached": 200, "output": 100, "reasoning": 30}
    assert Decimal(str(line["cost_asked"])) > Decimal(str(line["cost_routed"])) > 0
    unpriced = routelog.make_line(
        response_id="x", asked="no-such-model-zz", routed="deepseek-v4-flash", upstream="h", rule="r",
        dry_run=False, usage=USAGE, now=WHEN,
    )  # fmt: skip
    assert unpriced["cost_asked"] is None


def _writer(path: str, n: int, tag: int) -> None:
    for i in range(n):
        line = dict(_line(f"resp_{tag}_{i}"))
        line["rule"] = "x" * 5000  # longer than a pipe buffer: interleaving would show
        routelog.append(line, Path(path))


def test_concurrent_appends_never_interleave(tmp_path: Path) -> None:
    path = tmp_path / "d" / "routing.jsonl"
    procs = [multiprocessing.Process(target=_writer, args=(str(path), 50, t)) for t in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    lines = path.read_text().splitlines()
    assert len(lines) == 200 and all(json.loads(x)["response_id"].startswith("resp_") for x in lines)
    assert len(list(routelog.read_records(path))) == 200
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_torn_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "routing.jsonl"
    routelog.append(_line("resp_a"), path)
    with path.open("a") as f:
        f.write('{"v": 1, "ts": "2026')
    assert [r.response_id for r in routelog.read_records(path)] == ["resp_a"]


def _row(key: str | None, model: str = "deepseek-v4-pro") -> tuple[object, ...]:
    return (WHEN.timestamp(), "codex", "s1", "/p", model, "deepseek", key, 800, 0, 0, 200, 100, 30)


def test_attribution_once_by_response_id(tmp_path: Path) -> None:
    path = tmp_path / "routing.jsonl"
    routelog.append(_line("resp_routed"), path)
    routelog.append(_line("resp_dry", dry=True), path)
    routelog.append(_line("resp_gone"), path)  # no Codex row: adds nothing
    att = Attributor(routelog.read_records(path))
    rows = [_row("x:resp_routed"), _row("x:resp_routed"), _row("x:resp_dry"), _row("x:other"), _row(None)]
    out = list(att.rows(rows))  # type: ignore[arg-type]
    assert [r[4] for r in out] == [
        "deepseek-v4-flash",  # re-attributed to the model that answered
        "deepseek-v4-flash",  # a repeated row keeps the same model; its saving is counted once
        "deepseek-v4-pro",  # dry-run: billed at the asked model
        "deepseek-v4-pro",
        "deepseek-v4-pro",
    ]
    s = att.finish()
    assert (s.requests, s.dry_run, s.unmatched) == (1, 1, 1)
    (pair,) = s.pairs.values()
    assert pair.tokens.input == 800 and pair.tokens.cache_read == 200
    assert pair.saved == pair.cost_asked - pair.cost_routed and pair.saved is not None and pair.saved > 0
    d = summary_dict(s)
    assert d["routed_requests"] == 1 and d["routes"][0]["asked"] == "deepseek-v4-pro"
    assert Decimal(d["saved_usd"]) > 0


def test_period_filter_keeps_outside_records_out_of_unmatched(tmp_path: Path) -> None:
    path = tmp_path / "routing.jsonl"
    routelog.append(_line("resp_old"), path)
    att = Attributor(routelog.read_records(path), since=WHEN.timestamp() + 3600)
    list(att.rows([]))
    assert att.finish().unmatched == 0
