"""The status line's snapshot store: concurrent appends, repeats, compaction, bad lines."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from agentcost.limits import store


def _path() -> Path:
    return Path(store.store_dir()) / store.FILENAME


def _writer(args: tuple[str, int, str]) -> None:
    data_dir, n, session = args
    os.environ["AGENTCOST_DATA_DIR"] = data_dir
    for i in range(n):
        assert store.append(session, {"five_hour": [float(i), 1e9], "seven_day": [1.0, 2e9]}, asof=1000.0 + i)


def test_concurrent_writers_lose_nothing_and_never_interleave() -> None:
    data_dir = os.environ["AGENTCOST_DATA_DIR"]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        pool.map(_writer, [(data_dir, 150, f"session-{k}") for k in range(4)])
    lines = _path().read_text().splitlines()
    assert len(lines) == 600
    docs = [json.loads(x) for x in lines]  # every line whole
    for k in range(4):
        mine = [d["w"]["five_hour"][0] for d in docs if d["s"] == f"session-{k}"]
        assert mine == [float(i) for i in range(150)]
    assert oct(_path().stat().st_mode & 0o777) == "0o600"


def test_a_repeat_is_not_written_again() -> None:
    w = {"five_hour": [10.0, 1e9]}
    assert store.append("s", w, asof=1.0)
    assert not store.append("s", w, asof=2.0)
    assert store.append("s", {"five_hour": [11.0, 1e9]}, asof=3.0)
    assert not store.append("s", {}, asof=4.0)
    assert len(store.read()) == 2


def test_malformed_lines_are_skipped() -> None:
    store.append("s", {"five_hour": [10.0, 1e9]}, asof=1.0)
    with _path().open("a") as f:
        f.write('{"half": \n[1,2]\n{"v":1,"s":3}\n')
    store.append("s", {"five_hour": [12.0, 1e9]}, asof=2.0)
    assert [d["w"]["five_hour"][0] for d in store.read()] == [10.0, 12.0]


def test_compaction_keeps_the_file_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "MAX_BYTES", 20_000)
    now = 2_000_000_000.0
    for i in range(600):  # runs of three equal readings, then a change
        store.append(f"s{i % 2}", {"five_hour": [float(i // 6), now + 1e4]}, asof=now + i, now=now + i)
    size = _path().stat().st_size
    assert size <= 20_000
    docs = store.read()
    # the newest readings are kept; every kept line is whole
    assert docs[-1]["w"]["five_hour"][0] == 99.0
    assert not list(Path(store.store_dir()).glob("*.compact"))


def test_reduce_keeps_first_and_last_of_a_run() -> None:
    lines = [{"t": 10.0 + i, "s": "a", "w": {"x": [1, 2]}} for i in range(5)]
    lines.append({"t": 20.0, "s": "a", "w": {"x": [2, 2]}})
    kept = store._reduce(lines, keep_after=0)
    assert [d["t"] for d in kept] == [10.0, 14.0, 20.0]


def test_windows_from_stdin() -> None:
    got = store.windows_from_stdin(
        {
            "five_hour": {"used_percentage": 42, "resets_at": 1_800_000_000},
            "seven_day": {"used_percentage": 7.5, "resets_at": "2027-01-15T10:00:00Z"},
            "other": {"used_percentage": 1},
        }
    )
    assert got["five_hour"] == [42.0, 1_800_000_000.0]
    assert got["seven_day"][0] == 7.5 and got["seven_day"][1] is not None
    assert store.windows_from_stdin(None) == {}
    assert store.windows_from_stdin({"five_hour": {"used_percentage": "x"}}) == {}
    ms = store.windows_from_stdin({"five_hour": {"used_percentage": 1, "resets_at": 1_800_000_000_000}})
    assert ms["five_hour"][1] == 1_800_000_000.0
