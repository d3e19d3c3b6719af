"""Report aggregation and pricing, with prices constructed here (hand-computed dollars)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from agentcost.pricing import Price
from agentcost.pricing.model import Peak, Tier
from agentcost.usage.report import build_report, report_dict, week_start, zone_converter

UTC = timezone.utc
SONNET = Price(
    model="sonnet",
    input=Decimal(3),
    output=Decimal(15),
    cache_write_5m=Decimal("3.75"),
    cache_write_1h=Decimal(6),
    cache_read=Decimal("0.3"),
    tiers=(
        Tier(
            above=200_000,
            input=Decimal(6),
            output=Decimal("22.5"),
            cache_write_5m=Decimal("7.5"),
            cache_write_1h=Decimal(12),
            cache_read=Decimal("0.6"),
        ),
    ),
)
FLASH = Price(
    model="flash",
    input=Decimal("0.14"),
    output=Decimal("0.28"),
    cache_read=Decimal("0.0028"),
    peak=Peak(multiplier=Decimal(2), windows=("09:00-12:00", "14:00-18:00"), utc_offset="+08:00"),
)
PRICES = {"sonnet": SONNET, "flash": FLASH}


def row(
    ts: str, model: str | None, inp: int = 0, cw5: int = 0, cw1: int = 0, cr: int = 0, out: int = 0, **kw: Any
):  # type: ignore[no-untyped-def]
    t = datetime.fromisoformat(ts).replace(tzinfo=UTC).timestamp()
    return (t, kw.get("agent", "claude"), kw.get("session", "s1"), kw.get("project", "/p"), model, None, None,
            inp, cw5, cw1, cr, out, kw.get("reas", 0))  # fmt: skip


def build(rows: list[Any], by: str = "day", zone: Any = UTC) -> Any:
    return build_report(rows, by, zone_converter(zone), PRICES.get, lambda m: f"n/a (unpriced: {m})")


def test_long_context_tier_is_chosen_per_request() -> None:
    rows = [
        row("2026-11-26T10:00:00", "sonnet", inp=1000, cw5=2000, cw1=1000, cr=10000, out=500),  # $0.027
        row("2026-11-26T11:00:00", "sonnet", inp=150000, cr=60000, out=1000),  # > 200k prompt: $0.9585
    ]
    rep = build(rows)
    assert rep.total.cost == Decimal("0.9855")  # pricing the sum at once would give 1.00875
    assert rep.total.unpriced_tokens == 0


def test_peak_hours_are_applied_per_request_time() -> None:
    rows = [
        row("2026-11-26T02:00:00", "flash", inp=1_000_000),  # 10:00 Beijing: peak, x2 -> $0.28
        row("2026-11-26T05:00:00", "flash", inp=1_000_000),  # 13:00 Beijing: off-peak -> $0.14
    ]
    assert build(rows).total.cost == Decimal("0.42")


def test_unpriced_model_is_never_zero() -> None:
    rows = [
        row("2026-11-26T10:00:00", "sonnet", inp=1000),
        row("2026-11-26T10:00:00", "mystery", inp=700, out=300),
    ]
    rep = build(rows, by="model")
    doc = report_dict(rep, zone_converter(UTC))
    by_key = {r["key"]: r for r in doc["rows"]}
    assert by_key["mystery"]["cost_usd"] is None
    assert by_key["mystery"]["unpriced_tokens"] == 1000
    assert by_key["sonnet"]["cost_usd"] == "0.003"
    assert doc["totals"]["cost_usd"] == "0.003"
    assert doc["totals"]["cost_complete"] is False
    assert doc["totals"]["unpriced_tokens"] == 1000
    assert doc["totals"]["priced_tokens"] == 1000
    assert doc["unpriced"] == [
        {
            "model": "mystery",
            "requests": 1,
            "tokens": {
                "input": 700,
                "cache_write_5m": 0,
                "cache_write_1h": 0,
                "cache_write": 0,
                "cache_read": 0,
                "output": 300,
                "reasoning": 0,
                "total": 1000,
            },
            "label": "n/a (unpriced: mystery)",
        }
    ]


def test_missing_model_is_unpriced() -> None:
    rep = build([row("2026-11-26T10:00:00", None, inp=5)], by="model")
    assert rep.groups[0].key == "(model not logged)"
    assert rep.total.unpriced_tokens == 5 and not rep.total.priced


def test_groupings_and_time_zone() -> None:
    from zoneinfo import ZoneInfo

    rows = [
        row("2026-11-29T23:30:00", "sonnet", inp=1, session="a", project="/x"),  # Sunday UTC; Monday in Paris
        row("2026-11-30T08:00:00", "sonnet", inp=2, session="b", project="/y", agent="codex"),
        row("2026-12-01T08:00:00", "sonnet", inp=4, session="b", project="/y", agent="codex"),
    ]
    keys = lambda rep: [(g.key, g.tokens.input) for g in rep.groups]  # noqa: E731
    assert keys(build(rows, "day")) == [("2026-11-29", 1), ("2026-11-30", 2), ("2026-12-01", 4)]
    assert keys(build(rows, "day", ZoneInfo("Europe/Paris"))) == [("2026-11-30", 3), ("2026-12-01", 4)]
    assert keys(build(rows, "week")) == [("2026-W48", 1), ("2026-W49", 6)]
    assert keys(build(rows, "week", ZoneInfo("Europe/Paris"))) == [("2026-W49", 7)]
    assert keys(build(rows, "month")) == [("2026-11", 3), ("2026-12", 4)]
    assert sorted(keys(build(rows, "session"))) == [("claude:a", 1), ("codex:b", 6)]
    assert sorted(keys(build(rows, "project"))) == [("/x", 1), ("/y", 6)]
    assert week_start("2026-W49") == date(2026, 11, 30)


def test_json_rows_have_the_documented_fields() -> None:
    rep = build([row("2026-11-26T10:00:00", "sonnet", inp=10, session="abc")], by="session")
    doc = report_dict(rep, zone_converter(UTC))
    r = doc["rows"][0]
    assert set(r) == {
        "key", "agent", "session", "project", "agents", "models", "first", "last", "requests", "tokens",
        "cost_usd", "cost_complete", "cost_estimated", "unpriced_tokens", "unpriced_models",
    }  # fmt: skip
    assert (r["agent"], r["session"], r["project"], r["first"]) == (
        "claude",
        "abc",
        "/p",
        "2026-11-26T10:00:00+00:00",
    )
    assert set(doc) == {"rows", "totals", "unpriced", "prices", "notes"}


def test_report_usd_handles_large_sums() -> None:
    from decimal import Decimal

    from agentcost.formats import money_json

    assert money_json(Decimal("123456789012345678901234.5")) == "123456789012345678901234.50"
