"""The estimator's rules on hand-made readings (pure)."""

from __future__ import annotations

from decimal import Decimal

from agentcost.limits.estimate import CostCurve, Snapshot, estimate, sample, windows_of

H = 3600.0


def snap(t: float, used: float, resets: float | None = 10 * H, minutes: int = 300) -> Snapshot:
    return Snapshot("codex", "primary", minutes, t, used, resets, "s1")


def linear_curve(per_second: Decimal, until: float) -> CostCurve:
    """$per_second of spend at every whole second."""
    return CostCurve((float(t), per_second) for t in range(int(until)))


def test_whole_percent_steps_give_a_tight_range() -> None:
    # size $100: $1 per percent; 1 cent per second -> one percent per 100 s
    curve = linear_curve(Decimal("0.01"), 20_000)
    true = [t / 100 for t in range(0, 5000, 37)]  # true used % at readings every 37 s
    snaps = [snap(t, float(round(u))) for t, u in zip(range(0, 5000, 37), true, strict=True)]
    s, _ = sample(snaps, curve)
    assert s is not None
    assert s.cost_low <= Decimal(repr(s.points)) <= s.cost_high
    e = estimate("codex", "primary", snaps, curve, now=6000)
    assert e.allowance_usd is not None and abs(e.allowance_usd - 100) < 1
    assert e.low_usd is not None and e.high_usd is not None and e.low_usd <= 100 <= e.high_usd


def test_fall_without_reset_splits_the_window() -> None:
    snaps = [snap(0, 0), snap(10, 5), snap(20, 9), snap(30, 1), snap(40, 4)]
    wins = windows_of(snaps)
    assert [[s.used for s in w] for w in wins] == [[0, 5, 9], [1, 4]]


def test_small_fall_is_an_out_of_order_reading() -> None:
    snaps = [snap(0, 3), snap(10, 5), snap(11, 4), snap(20, 6)]
    assert [[s.used for s in w] for w in windows_of(snaps)] == [[3, 5, 6]]


def test_new_resets_at_starts_a_new_window() -> None:
    snaps = [snap(0, 10, resets=5 * H), snap(10, 12, resets=5 * H + 2), snap(6 * H, 0, resets=11 * H)]
    assert [len(w) for w in windows_of(snaps)] == [2, 1]


def test_reasons() -> None:
    curve = linear_curve(Decimal("0.01"), 100)
    assert sample([snap(0, 3)], curve) == (None, "one reading")
    assert sample([snap(0, 3), snap(50, 3)], curve)[1] == "used % did not change"
    assert "only once" in sample([snap(0, 3), snap(50, 4), snap(60, 4)], curve)[1]
    e = estimate("codex", "primary", [snap(0, 3)], curve, now=100)
    assert e.allowance_usd is None and e.reason is not None and "one reading" in e.reason


def test_current_and_pace() -> None:
    # 5 h window resetting at 5 h; at 1 h, 40 % used -> 200 % at reset, out at 2.5 h
    e = estimate(
        "codex", "primary", [snap(0.5 * H, 10, resets=5 * H), snap(H, 40, resets=5 * H)], CostCurve([]), now=H
    )
    assert e.current is not None
    assert e.current.projected is not None and round(e.current.projected) == 200
    assert e.current.runs_out_at is not None and abs(e.current.runs_out_at - 2.5 * H) < 1
    later = estimate("codex", "primary", [snap(H, 40, resets=5 * H)], CostCurve([]), now=6 * H)
    assert later.current is not None and later.current.reset
