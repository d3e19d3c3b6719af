"""`limits` recovers window sizes (in API dollars) from generated client logs within ±10 %."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost.limits.estimate import WindowEstimate
from agentcost.limits.measure import measured_allowances

from .gen import World, write_claude, write_codex, write_codex_api_key_session

DAY = 86400.0


def _codex_home() -> Path:
    return Path(os.environ["CODEX_HOME"])


def _by_minutes(ws: list[WindowEstimate], agent: str) -> dict[int | None, WindowEstimate]:
    return {w.window_minutes: w for w in ws if w.agent == agent}


def _within(est: Decimal | None, true: Decimal, tol: float = 0.10) -> bool:
    return est is not None and abs(est - true) <= true * Decimal(repr(tol))


@pytest.mark.parametrize(
    ("rounding", "new_style"), [("round", False), ("floor", True), ("exact", False), ("round", True)]
)
def test_codex_sizes_recovered(rounding: str, new_style: bool) -> None:
    world = World(seed=3, rounding=rounding)
    events = world.run(days=15)
    write_codex(_codex_home(), events, new_style=new_style)
    ws = _by_minutes(measured_allowances(("codex",), now=world.t0 + 15 * DAY), "codex")
    assert set(ws) == {300, 10080}
    for minutes, true in world.sizes.items():
        w = ws[minutes]
        assert _within(w.allowance_usd, true), (minutes, w.allowance_usd, true)
        assert w.low_usd is not None and w.high_usd is not None
        assert w.low_usd <= w.allowance_usd <= w.high_usd  # type: ignore[operator]
        assert w.low_usd <= true * Decimal("1.02") and w.high_usd >= true * Decimal("0.98")
        assert w.plan == "plus"
        assert w.windows_used >= 2 and w.snapshots > 100
        assert w.whole_percent is (rounding != "exact")


def test_limit_hits_are_reported_and_bound_the_size() -> None:
    world = World(seed=4, gap=(2, 6), sizes={300: Decimal(12), 10080: Decimal(120)})
    events = world.run(days=10, session_len=200)
    assert world.hits > 0
    write_codex(_codex_home(), events)
    ws = _by_minutes(measured_allowances(("codex",), now=world.t0 + 10 * DAY), "codex")
    for minutes, true in world.sizes.items():
        w = ws[minutes]
        assert _within(w.allowance_usd, true)
        assert w.limit_hits, minutes
        for h in w.limit_hits:
            assert h.used >= 100
            # what was spent before the hit is (about) the whole window
            assert h.spent_usd is not None and _within(h.spent_usd, true, 0.02)
            assert h.bound_usd is not None and h.bound_usd >= true * Decimal("0.99")
        assert w.high_usd is not None and w.high_usd <= min(h.bound_usd for h in w.limit_hits)  # type: ignore[type-var]


def test_api_key_sessions_do_not_count() -> None:
    """A heavy API-key session (null windows) in the middle of the subscription's windows."""
    world = World(seed=3)
    events = world.run(days=15)
    write_codex(_codex_home(), events)
    write_codex_api_key_session(_codex_home(), world.t0 + 2 * DAY, 200)
    ws = _by_minutes(measured_allowances(("codex",), now=world.t0 + 15 * DAY), "codex")
    for minutes, true in world.sizes.items():
        assert _within(ws[minutes].allowance_usd, true)


def test_only_api_key_sessions_means_no_windows(cli: Any) -> None:
    write_codex_api_key_session(_codex_home(), 1_796_000_000.0, 20)
    assert measured_allowances(("codex",)) == []
    res = cli("limits", "--json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == {
        "schema_version": 1,
        "generated_at": json.loads(res.stdout)["generated_at"],
        "windows": [],
    }
    assert "No subscription windows found" in cli("limits").stdout


def test_single_reading_per_window_gives_no_estimate() -> None:
    """Sessions of one request each, hours apart: every window has one reading."""
    world = World(seed=9, gap=(6 * 3600, 7 * 3600))
    events = world.run(days=4, session_len=1)
    write_codex(_codex_home(), events)
    ws = _by_minutes(measured_allowances(("codex",), now=world.t0 + 4 * DAY), "codex")
    w5 = ws[300]
    assert w5.allowance_usd is None and w5.low_usd is None
    assert w5.reason is not None and "one reading" in w5.reason
    assert w5.windows_seen == w5.snapshots  # each window is its own reset


def test_claude_sizes_recovered_from_statusline_readings() -> None:
    world = World(seed=5, model="claude-sonnet-4-5-20250929", sizes={300: Decimal(30), 10080: Decimal(250)})
    events = world.run(days=15)
    write_claude(Path(os.environ["CLAUDE_CONFIG_DIR"]), Path(os.environ["AGENTCOST_DATA_DIR"]), events)
    ws = _by_minutes(measured_allowances(("claude",), now=world.t0 + 15 * DAY), "claude")
    assert set(ws) == {300, 10080}
    for minutes, true in world.sizes.items():
        assert _within(ws[minutes].allowance_usd, true), (minutes, ws[minutes].allowance_usd)
    assert ws[300].name == "five_hour" and ws[10080].name == "seven_day"
    assert ws[300].plan is None


def test_claude_plan_from_claude_json() -> None:
    from agentcost.limits.measure import claude_plan

    cfg = Path(os.environ["CLAUDE_CONFIG_DIR"])
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / ".claude.json").write_text(
        json.dumps(
            {
                "oauthAccount": {
                    "organizationType": "claude_max",
                    "organizationRateLimitTier": "default_claude_max_20x",
                    "emailAddress": "someone@example.com",
                }
            }
        )
    )
    assert claude_plan() == "claude_max / default_claude_max_20x"


def test_limits_json_contract(cli: Any) -> None:
    """On Codex logs of a ChatGPT-plan user, `limits --json` gives both allowances within ±10 %."""
    world = World(seed=3)
    write_codex(_codex_home(), world.run(days=15))
    res = cli("limits", "--json", "--agent", "codex")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == 1
    by = {w["window_minutes"]: w for w in doc["windows"]}
    for minutes, true in world.sizes.items():
        w = by[minutes]
        for k in ("allowance_usd", "low_usd", "high_usd"):
            assert isinstance(w[k], str) and Decimal(w[k]) == Decimal(w[k]).quantize(Decimal("0.000001"))
        assert _within(Decimal(w["allowance_usd"]), true)
        assert w["agent"] == "codex" and w["plan"] == "plus"
        assert isinstance(w["windows_used"], int) and isinstance(w["snapshots"], int)
        assert w["current"]["used_percent"] >= 0
        assert set(w) >= {"limit_hits", "reason", "notes", "windows_seen", "whole_percent"}
    # the status line's copy of the allowances
    from agentcost.limits.latest import read_latest

    latest = read_latest()["codex"]
    assert _within(Decimal(latest["300"]), world.sizes[300])
    human = cli("limits", "--agent", "codex")
    assert human.exit_code == 0 and "Subscription windows" in human.stdout and "weekly" in human.stdout
