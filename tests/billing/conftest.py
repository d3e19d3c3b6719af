"""Helpers for the billing tests: UTC timestamps, micro-dollars, the seed's constructed plans."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from agentcost.billing.plans import Plan, parse_plans

UTC = timezone.utc
T0 = datetime(2026, 6, 1, tzinfo=UTC)  # a Monday
FIXTURES = Path(__file__).parent.parent / "fixtures" / "billing"


def at(day: int, hour: float = 0.0) -> datetime:
    return T0 + timedelta(days=day, hours=hour)


def m(usd: str | float) -> int:
    """Dollars -> micro-dollars."""
    return int(Decimal(str(usd)) * 1_000_000)


@pytest.fixture
def seed_plans_path() -> Path:
    return FIXTURES / "seed-plans.toml"


@pytest.fixture
def seed_plans(seed_plans_path: Path) -> dict[str, Plan]:
    return parse_plans(seed_plans_path.read_text(encoding="utf-8"), str(seed_plans_path))
