"""One --tz parser for usage and recommend."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from agentcost.timezones import resolve_tz


@pytest.mark.parametrize(
    ("name", "offset"),
    [("UTC", 0), ("Z", 0), ("UTC+8", 8 * 60), ("UTC-03:30", -(3 * 60 + 30)), ("Asia/Tokyo", 9 * 60)],
)
def test_resolve_tz(name: str, offset: int) -> None:
    tz = resolve_tz(name)
    assert datetime(2026, 11, 26, tzinfo=tz).utcoffset() == timedelta(minutes=offset)


def test_resolve_tz_rejects_unknown() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        resolve_tz("Mars/Olympus")


@pytest.mark.parametrize("command", [["usage"], ["recommend", "--pattern", "steady", "--spend-per-day", "1"]])
def test_both_commands_accept_offsets(cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    r = cli(*command, "--tz", "UTC+8")
    assert r.exit_code == 0, r.stderr
    bad = cli(*command, "--tz", "Mars/Olympus")
    assert bad.exit_code == 2
    assert "unknown time zone" in bad.stderr


def test_fixed_offset_is_utc_based() -> None:
    assert resolve_tz("UTC+0") == timezone(timedelta(0))
