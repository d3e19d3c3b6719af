"""Window allowances measured from the user's own logs fill a plan's unknown window sizes.

`agentcost limits` (issue 15) measures, per agent and plan type, how many API-priced dollars one
rate-limit window holds: between two snapshots of a window, the API-priced cost of the requests in
between divided by the change in used percent. This module takes those measurements as plain values
(`MeasuredAllowance`) and fills the matching `"unknown"` limits of the plan the user holds
(`apply_measured`). A number already known — from a `--plans` file, the user's plans.toml or the bundled
data — is kept: the measurement only replaces "unknown". Pure: no files except the bundled mapping of
plan types to plan ids (agentcost/data/plan_types.toml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any

from agentcost.billing.plans import Fact, LimitSpec, Plan
from agentcost.fileio import parse_toml

PLAN_TYPES = "agentcost/data/plan_types.toml"


@dataclass(frozen=True)
class MeasuredAllowance:
    """One window's size as measured from the logs (what `agentcost limits` reports).

    agent: "codex" | "claude"; plan_type: as the client writes it ("plus", "pro", ...);
    window_minutes: 300 (5 h), 10080 (7 days); allowance_usd: API-priced dollars a full window holds
    (the best estimate), low_usd / high_usd its range; windows_used: windows the estimate comes from;
    snapshots: rate-limit snapshots behind it.
    """

    agent: str
    plan_type: str
    window_minutes: int
    allowance_usd: Decimal
    low_usd: Decimal
    high_usd: Decimal
    windows_used: int
    snapshots: int

    @property
    def label(self) -> str:
        n = self.windows_used
        return (
            f"measured from your logs: {n:,} window{'' if n == 1 else 's'}, range "
            f"${self.low_usd:,.2f}-${self.high_usd:,.2f} ({self.snapshots:,} snapshots, "
            f"{self.agent} plan {self.plan_type})"
        )


@dataclass(frozen=True)
class MeasuredUse:
    """What became of one measurement: used for plan `plan`'s limit `limit`, or why not."""

    measured: MeasuredAllowance
    plan: str | None
    limit: int | None
    used: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        m = self.measured
        return {
            "agent": m.agent,
            "plan_type": m.plan_type,
            "window_minutes": m.window_minutes,
            "allowance_usd": str(m.allowance_usd),
            "low_usd": str(m.low_usd),
            "high_usd": str(m.high_usd),
            "windows_used": m.windows_used,
            "snapshots": m.snapshots,
            "plan": self.plan,
            "limit": self.limit,
            "used": self.used,
            "reason": self.reason,
        }


def load_plan_types(text: str | None = None) -> dict[str, dict[str, str]]:
    """agent -> {plan_type: plan id} from agentcost/data/plan_types.toml ("" = no bundled plan)."""
    if text is None:
        text = resources.files("agentcost.data").joinpath("plan_types.toml").read_text(encoding="utf-8")
    doc = parse_toml(text, PLAN_TYPES).unwrap()
    return {
        agent: {k: str(v) for k, v in table.items() if not k.startswith("_")}
        for agent, table in doc.items()
        if isinstance(table, dict)
    }


def plan_for(agent: str, plan_type: str, types: Mapping[str, Mapping[str, str]]) -> str | None:
    """The bundled plan id for a reported plan type; "a / b" (Claude's organization type / rate-limit
    tier, as `agentcost limits` reports them) is looked up whole, then part by part."""
    table = types.get(agent, {})
    for key in (plan_type, *(p.strip() for p in plan_type.split(" / "))):
        if table.get(key):
            return table[key]
    return None


def from_limits(estimates: Iterable[Any]) -> list[MeasuredAllowance]:
    """Convert what `agentcost limits` measures (its per-window estimates: objects with agent, plan,
    window_minutes, allowance_usd, low_usd, high_usd, windows_used, snapshots) to MeasuredAllowance,
    leaving out windows without a plan type, a length or a measured allowance."""
    out: list[MeasuredAllowance] = []
    for e in estimates:
        plan, minutes, value = getattr(e, "plan", None), getattr(e, "window_minutes", None), getattr(
            e, "allowance_usd", None
        )  # fmt: skip
        if not plan or not minutes or value is None:
            continue
        low = getattr(e, "low_usd", None)
        high = getattr(e, "high_usd", None)
        out.append(
            MeasuredAllowance(
                str(e.agent),
                str(plan),
                int(minutes),
                Decimal(value),
                Decimal(low if low is not None else value),
                Decimal(high if high is not None else value),
                int(getattr(e, "windows_used", 0)),
                int(getattr(e, "snapshots", 0)),
            )
        )
    return out


_ROLLING = re.compile(r"^(\d+)h$")


def window_minutes(window: str, period_days: int = 30) -> int | None:
    """A plan limit's window length in minutes: 5h -> 300, daily -> 1440, weekly -> 10080."""
    m = _ROLLING.match(window)
    if m:
        return int(m.group(1)) * 60
    return {"daily": 1440, "weekly": 10080, "monthly": period_days * 1440}.get(window)


def apply_measured(
    plans: Mapping[str, Plan],
    measured: Sequence[MeasuredAllowance],
    *,
    as_of: str = "",
    plan_types: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[dict[str, Plan], list[MeasuredUse]]:
    """Fill the unknown dollar limits of the plans the measurements name; say what became of each.

    A measurement maps to a plan through `plan_types` (agent -> plan type -> plan id; default: the
    bundled agentcost/data/plan_types.toml), and to the plan's `usd` limit whose window has the same
    length (300 minutes = "5h", 10080 = "weekly" or "168h"). It fills that limit only while its
    amount is "unknown"; the filled number is an estimate whose source reads "measured from your
    logs: N windows, range $low-$high". When two measurements name the same limit, the one from more
    windows wins. Returns new plans (the input is not changed) and one MeasuredUse per measurement.
    """
    types = plan_types if plan_types is not None else load_plan_types()
    out = dict(plans)
    uses: list[MeasuredUse] = []
    # The best measurement per (plan, limit): most windows, then most snapshots.
    best: dict[tuple[str, int], MeasuredAllowance] = {}
    for m in measured:
        pid = plan_for(m.agent, m.plan_type, types)
        if pid is None:
            uses.append(
                MeasuredUse(m, None, None, False, f"no bundled plan for {m.agent} plan type {m.plan_type!r}")
            )
            continue
        plan = plans.get(pid)
        if plan is None:
            uses.append(MeasuredUse(m, pid, None, False, f"plan {pid!r} is not loaded"))
            continue
        if m.allowance_usd <= 0 or m.windows_used <= 0:
            uses.append(MeasuredUse(m, pid, None, False, "no full window measured"))
            continue
        idx = next(
            (
                i
                for i, lim in enumerate(plan.limits)
                if lim.unit == "usd" and window_minutes(lim.window, plan.period_days) == m.window_minutes
            ),
            None,
        )
        if idx is None:
            uses.append(
                MeasuredUse(
                    m, pid, None, False, f"{plan.name} has no dollar limit of {m.window_minutes} minutes"
                )
            )
            continue
        lim = plan.limits[idx]
        if lim.amount.known:
            uses.append(
                MeasuredUse(
                    m, pid, idx, False,
                    f"kept ${lim.amount.value} from {lim.amount.source} (a stated number wins)",
                )
            )  # fmt: skip
            continue
        key = (pid, idx)
        prev = best.get(key)
        if prev is None or (m.windows_used, m.snapshots) > (prev.windows_used, prev.snapshots):
            if prev is not None:
                uses.append(MeasuredUse(prev, pid, idx, False, "another measurement covers more windows"))
            best[key] = m
        else:
            uses.append(MeasuredUse(m, pid, idx, False, "another measurement covers more windows"))
    for (pid, idx), m in best.items():
        plan = out[pid]
        lim = plan.limits[idx]
        fact = Fact(m.allowance_usd, m.label, as_of or "measured", estimate=True)
        limits = list(plan.limits)
        limits[idx] = LimitSpec(lim.window, lim.unit, fact, lim.calls_per_unit)
        out[pid] = replace(plan, limits=tuple(limits))
        uses.append(MeasuredUse(m, pid, idx, True, m.label))
    return out, uses
