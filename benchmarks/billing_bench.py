"""Benchmark the billing simulator behind `agentcost recommend` (pure: no corpus on disk).

    python benchmarks/billing_bench.py                  # 100, 1,000 and 3,000 requests a day for 30 days
    python benchmarks/billing_bench.py --per-day 5000

Demand: N calls a day, evenly spread over 09:00-17:00 UTC, $0.04-$0.10 each (deterministic), 50,000
tokens each. Plans: the bundled ones (metered, capped metered, Alibaba's three request windows) plus
tests/fixtures/billing/seed-plans.toml (daily allowance, packs, allowance + packs): 6 strategies.
Measured: one simulation per strategy, and a whole `recommend` (all strategies + the 0.5x and 2x
sensitivity re-runs), wall time, best of 3.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from agentcost.billing.demand import Demand
from agentcost.billing.plans import load_plans
from agentcost.billing.recommend import build_strategies, recommend
from agentcost.billing.simulate import Request, simulate

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 6, 1, tzinfo=timezone.utc)


def demand(per_day: int) -> Demand:
    reqs = [
        Request(
            T0 + timedelta(days=d, hours=9, seconds=i * 28800 / per_day), 40_000 + (i * 7919) % 60_000, 50_000
        )
        for d in range(30)
        for i in range(per_day)
    ]
    return Demand(reqs, T0, T0 + timedelta(days=30), timezone.utc, "benchmark", "logs")


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-day", type=int, action="append", help="calls a day (repeatable)")
    args = ap.parse_args()
    plans = load_plans([ROOT / "tests" / "fixtures" / "billing" / "seed-plans.toml"])
    strategies, _, _ = build_strategies(plans, timezone.utc)
    print(f"{'requests':>9}  {'recommend':>9}  " + "  ".join(f"{s.id:>18}" for s in strategies))
    for per_day in args.per_day or [100, 1000, 3000]:
        d = demand(per_day)
        whole = best(lambda d=d: recommend(plans, d))  # type: ignore[misc]
        each = [best(lambda s=s, d=d: simulate(s, d.requests, d.start, d.end)) for s in strategies]  # type: ignore[misc]
        print(f"{len(d.requests):>9,}  {whole:>8.2f}s  " + "  ".join(f"{t:>17.3f}s" for t in each))


if __name__ == "__main__":
    main()
