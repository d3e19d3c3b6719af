"""Issue 16: eligibility, measured allowances, break-even, and the verification's defects."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost.billing.breakeven import busiest, describe
from agentcost.billing.demand import logs_demand, pattern_demand
from agentcost.billing.measured import MeasuredAllowance, apply_measured, load_plan_types
from agentcost.billing.plans import load_plans, parse_plans
from agentcost.billing.recommend import MaxBlocked, recommend, usd
from agentcost.errors import ConfigError
from agentcost.tokens import TokenCounts
from agentcost.usage.records import UsageRecord
from tests.billing.conftest import FIXTURES, T0, UTC, at, m

JUNE_1 = date(2026, 6, 1)  # a Monday
PATTERN = ("recommend", "--pattern", "steady", "--start", "2026-06-01", "--tz", "UTC")


def steady(spend: str, model: str | None = None) -> Any:
    return pattern_demand("steady", JUNE_1, UTC, spend_per_day=Decimal(spend), model=model)


def plus_measured(**kw: Any) -> list[MeasuredAllowance]:
    five = dict(
        agent="codex", plan_type="plus", window_minutes=300, allowance_usd=Decimal("5.00"),
        low_usd=Decimal("4.50"), high_usd=Decimal("5.60"), windows_used=12, snapshots=80,
    )  # fmt: skip
    week = {**five, "window_minutes": 10080, "allowance_usd": Decimal("40"), "low_usd": Decimal("35")}
    week |= {"high_usd": Decimal("45"), "windows_used": 3, "snapshots": 200}
    return [MeasuredAllowance(**{**five, **kw}), MeasuredAllowance(**week)]  # type: ignore[arg-type]


# ---------------------------------------------------------------- measured beats unknown


def test_codex_plan_types_map_to_bundled_plans_with_a_source() -> None:
    types = load_plan_types()
    assert types["codex"]["plus"] == "chatgpt-plus" and types["codex"]["pro"] == "chatgpt-pro"
    assert types["codex"]["prolite"] == ""  # the $100 tier has no bundled plan
    assert set(types["codex"].values()) <= {*load_plans(), ""}
    text = (Path(__file__).parents[2] / "agentcost" / "data" / "plan_types.toml").read_text()
    assert "openai/codex" in text  # the values' source


def test_measured_allowance_fills_the_unknown_windows_with_a_label() -> None:
    plans, uses = apply_measured(load_plans(), plus_measured(), as_of="2026-12-05")
    plus = plans["chatgpt-plus"]
    assert not plus.missing()
    five, week = plus.limits
    assert (five.amount.value, week.amount.value) == (Decimal("5.00"), Decimal("40"))
    assert five.amount.source == (
        "measured from your logs: 12 windows, range $4.50-$5.60 (80 snapshots, codex plan plus)"
    )
    assert five.amount.estimate and five.amount.as_of == "2026-12-05"
    assert [(u.plan, u.limit, u.used) for u in uses] == [("chatgpt-plus", 0, True), ("chatgpt-plus", 1, True)]
    assert load_plans()["chatgpt-plus"].missing()  # the input plans are not changed


def test_a_codex_plus_user_gets_the_plan_simulated_not_skipped() -> None:
    # Codex work on gpt-5-codex, $3 a day in $0.05 calls. Measured: $5 per 5 h (the busiest 5 hours
    # hold $1.90) and $40 a week (the busiest holds $21): the plan covers everything for $20.
    d = steady("3", model="gpt-5-codex")
    rec = recommend(load_plans(), d, measured=plus_measured())
    assert rec.winner is not None and rec.winner.strategy.id == "chatgpt-plus"
    assert rec.winner.total == m(20) and rec.winner.metered == 0
    assert "chatgpt-plus" not in {s.plan for s in rec.skipped}
    assert rec.estimates >= {"chatgpt-plus"}  # measured numbers are estimates, marked *
    # without the measurements the plan is skipped and gets a break-even instead
    rec = recommend(load_plans(), d)
    assert "chatgpt-plus" in {s.plan for s in rec.skipped}
    assert "chatgpt-plus" in {b.plan for b in rec.break_even}


def test_a_plans_file_still_overrides_a_measurement(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text(
        '[[plans.chatgpt-plus.limits]]\nwindow = "5h"\nunit = "usd"\namount = 2\nsource = "my dashboard"\n'
        '[[plans.chatgpt-plus.limits]]\nwindow = "weekly"\nunit = "usd"\namount = "unknown"\n',
        encoding="utf-8",
    )
    plans, uses = apply_measured(load_plans([f]), plus_measured())
    five, week = plans["chatgpt-plus"].limits
    assert five.amount.value == 2 and five.amount.source == "my dashboard"
    assert week.amount.value == 40
    kept = next(u for u in uses if u.limit == 0)
    assert not kept.used and kept.reason == "kept $2 from my dashboard (a stated number wins)"


def test_measurements_that_cannot_be_used_say_why() -> None:
    ms = [
        *plus_measured(plan_type="prolite"),
        MeasuredAllowance("codex", "plus", 60, Decimal(1), Decimal(1), Decimal(1), 2, 3),
        MeasuredAllowance("codex", "plus", 300, Decimal(0), Decimal(0), Decimal(0), 0, 1),
        MeasuredAllowance("codex", "plus", 300, Decimal(7), Decimal(6), Decimal(8), 2, 9),
        MeasuredAllowance("codex", "plus", 300, Decimal(6), Decimal(6), Decimal(8), 30, 9),
    ]
    plans, uses = apply_measured(load_plans(), ms)
    reasons = [(u.measured.window_minutes, u.used, u.reason) for u in uses]
    assert (300, False, "no bundled plan for codex plan type 'prolite'") in reasons
    assert (60, False, "ChatGPT Plus (Codex) has no dollar limit of 60 minutes") in reasons
    assert (300, False, "no full window measured") in reasons
    assert (300, False, "another measurement covers more windows") in reasons
    assert plans["chatgpt-plus"].limits[0].amount.value == 6  # 30 windows beat 2


def test_measured_uses_are_in_json_and_text() -> None:
    from rich.console import Console

    from agentcost.ui.recommend import recommendation_dict, render

    plans = load_plans()
    rec = recommend(plans, steady("3", model="gpt-5-codex"), measured=plus_measured())
    data = recommendation_dict(rec, plans)
    assert data["measured"][0] | {"reason": ""} == {
        "agent": "codex", "plan_type": "plus", "window_minutes": 300, "allowance_usd": "5.00",
        "low_usd": "4.50", "high_usd": "5.60", "windows_used": 12, "snapshots": 80,
        "plan": "chatgpt-plus", "limit": 0, "used": True, "reason": "",
    }  # fmt: skip
    con = Console(record=True, width=300)
    render(rec, con, plans)
    out = con.export_text()
    assert "Measured: codex plan plus, 300-minute window: $5.00 (measured from your logs: 12 windows" in out


# ---------------------------------------------------------------- eligibility


def test_on_a_claude_only_history_no_plan_that_cannot_serve_claude_wins() -> None:
    # Even when the Qwen-only plan would be cheapest on price ($50 against $600 metered).
    d = steady("20", model="claude-sonnet-4-5")
    rec = recommend(load_plans(), d)
    assert rec.winner is not None and rec.winner.strategy.id == "api"
    assert rec.eligibility is not None
    assert sorted(rec.eligibility.switch) == [
        "alibaba-coding-pro", "chatgpt-plus", "chatgpt-pro", "minimax-120", "minimax-20", "minimax-50",
        "zai-glm-lite", "zai-glm-pro",
    ]  # fmt: skip
    assert all(o.strategy.id.split("+")[0] not in rec.eligibility.switch for o in rec.outcomes)
    for o in rec.sensitivity.values():
        assert o is not None and o.strategy.id not in rec.eligibility.switch


def test_switching_is_priced_at_a_served_model_and_wins_only_when_asked(cli: Any, tmp_path: Path) -> None:
    # A tokens pattern can be re-priced: 1,000,000 tokens a day on Sonnet 4.5 in 50,000-token calls.
    # The switch section re-prices the same tokens at glm-5.1 for a made-up GLM plan with numbers.
    f = tmp_path / "glm.toml"
    f.write_text(
        '[plans.glm-flat]\nkind = "subscription"\nprice = 1\nmodels = ["glm-*"]\nprice_as = "glm-5.1"\n'
        'source = "test"\n[[plans.glm-flat.limits]]\nwindow = "daily"\nunit = "usd"\namount = 1000\n',
        encoding="utf-8",
    )
    args = (*PATTERN, "--tokens-per-day", "1000000", "--model", "claude-sonnet-4-5", "--plans", str(f))
    args = (*args, "--plan", "api", "--plan", "glm-flat")
    data = json.loads(cli(*args, "--json").stdout)
    assert data["recommendation"]["id"] == "api"
    assert data["switch"]["competes"] is False
    (sw,) = data["switch"]["strategies"]
    assert sw["id"] == "glm-flat" and sw["priced_as"] == "glm-5.1" and sw["total_usd"] == "1.00"
    assert data["switch"]["plans"][0]["priced_as"] == "glm-5.1"
    data = json.loads(cli(*args, "--switch-models", "--json").stdout)
    assert data["recommendation"]["id"] == "glm-flat" and data["switch"]["competes"] is True
    assert any("needs your work moved to glm-5.1" in c for c in data["caveats"])


def test_a_pattern_without_a_model_states_its_assumption(cli: Any) -> None:
    out = cli(*PATTERN, "--spend-per-day", "3", "--plan", "api").stdout
    assert (
        "Assumed: the pattern names no model (--model), so it is assumed to run on claude-sonnet-4-5" in out
    )
    data = json.loads(cli(*PATTERN, "--spend-per-day", "3", "--plan", "api", "--json").stdout)
    assert data["eligibility"]["demand_models"] == {"claude-sonnet-4-5": 1800}
    assert data["eligibility"]["assumed"].startswith("the pattern names no model")


def test_models_may_carry_their_own_source() -> None:
    p = load_plans()["claude-pro"]
    assert p.models == ("claude-*",) and p.models_source.startswith("Claude Code on a Claude.ai plan")
    with pytest.raises(ConfigError, match="models as a table takes value, source, as_of"):
        parse_plans('[plans.x]\nkind = "metered"\nmodels = { list = ["a"] }\n', "f.toml")


# ---------------------------------------------------------------- break-even


BE_PLANS = """
[plans.api]
kind = "metered"
[plans.sub]
kind = "subscription"
price = 20
overflow = "metered"
[[plans.sub.limits]]
window = "5h"
unit = "usd"
amount = "unknown"
[[plans.sub.limits]]
window = "weekly"
unit = "usd"
amount = "unknown"
[plans.big]
kind = "subscription"
price = 100
overflow = "metered"
[[plans.big.limits]]
window = "weekly"
unit = "usd"
amount = "unknown"
"""


def test_break_even_is_computed_from_the_demand() -> None:
    # $3 a day as 60 calls of $0.05 at 09:04, 09:12, ... 16:56, June 1-30 (June 1 is a Monday).
    # Metered: $90. The $20 plan beats it when its allowance covers more than $20 of work.
    # 5-hour windows open at 09:04 (38 calls to 14:04: $1.90) and 14:08 (22 calls: $1.10), so with
    # X per window it covers 30 x (min(X, 1.90) + min(X, 1.10)) > 20 -> X > 0.333: $0.34.
    # Weeks hold $21, $21, $21, $21 and $6 (June 29-30): 4 min(Y, 21) + min(Y, 6) > 20 -> $4.01.
    plans = parse_plans(BE_PLANS, "be.toml")
    d = steady("3")
    rec = recommend(plans, d)
    assert rec.winner is not None and rec.winner.total == m(90)
    be = {b.plan: b for b in rec.break_even}
    sub = be["sub"]
    assert [(n.window, n.amount, n.busiest) for n in sub.needs] == [
        ("5h", m("0.34"), m("1.90")),
        ("weekly", m("4.01"), m(21)),
    ]
    assert describe(sub, usd) == (
        "sub beats api ($90.00) only if its 5-hour window covers >= $0.34 and its week covers >= $4.01; "
        "your busiest 5-hour window $1.90, busiest week $21.00."
    )
    assert describe(be["big"], usd) == (
        "big cannot beat api ($90.00): its fee alone ($100.00 over 30 days) is not below $90.00."
    )
    assert busiest("5h", "usd", d, UTC) == m("1.90") and busiest("daily", "requests", d, UTC) == 60


def test_break_even_in_json_and_text(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "be.toml"
    f.write_text(BE_PLANS, encoding="utf-8")
    args = (*PATTERN, "--spend-per-day", "3", "--plans", str(f), "--plan", "api", "--plan", "sub")
    data = json.loads(cli(*args, "--json").stdout)
    (b,) = data["break_even"]
    assert b["plan"] == "sub" and b["beat"] == {
        "id": "api",
        "label": "Metered API (pay per token)",
        "total_usd": "90.00",
    }
    assert b["needs"] == [
        {"limit": 0, "window": "5h", "unit": "usd", "needed": "0.34", "busiest": "1.90"},
        {"limit": 1, "window": "weekly", "unit": "usd", "needed": "4.01", "busiest": "21.00"},
    ]
    out = cli(*args).stdout
    assert "Break-even (what each skipped plan would need, from your demand):" in out
    assert (
        "sub: sub beats Metered API (pay per token) ($90.00) only if its 5-hour window covers >= $0.34" in out
    )


def test_every_skipped_bundled_plan_gets_a_break_even() -> None:
    rec = recommend(load_plans(), steady("3", model="claude-sonnet-4-5"))
    skipped = {s.plan for s in rec.skipped if "+" not in s.plan}
    assert skipped == {b.plan for b in rec.break_even}


# ---------------------------------------------------------------- defects


def test_max_blocked_percentage_is_recomputed_for_each_sensitivity_run() -> None:
    # $1.20 a day in 24 calls; a $20 plan with $2 a day that waits when out. At 2x: 48 calls a day,
    # 40 covered, 8 refused: 240 of 1,440 (16.7%). --max-blocked 20% of 1,440 is 288: acceptable,
    # so it still wins at $20. (The old code reused 20% of 720 = 144 and named metered, $72.)
    plans = parse_plans(
        '[plans.api]\nkind = "metered"\n[plans.sub]\nkind = "subscription"\nprice = 20\n'
        '[[plans.sub.limits]]\nwindow = "daily"\nunit = "usd"\namount = 2\n',
        "p.toml",
    )
    rec = recommend(plans, steady("1.20"), max_blocked=MaxBlocked(percent=Decimal(20)))
    assert rec.max_blocked == 144 and rec.winner is not None and rec.winner.strategy.id == "sub"
    two = rec.sensitivity[2.0]
    assert two is not None and (two.strategy.id, two.blocked, two.total) == ("sub", 240, m(20))


def test_ties_say_how_they_were_broken(tmp_path: Path) -> None:
    plans = parse_plans('[plans.b]\nkind = "metered"\n[plans.a]\nkind = "metered"\n', "p.toml")
    rec = recommend(plans, steady("1"))
    assert rec.winner is not None and rec.winner.strategy.id == "a"
    assert rec.tie == (
        "tied at $30.00 with b: ties go to fewer refused requests, then to the alphabetically first "
        "strategy id"
    )


def test_zero_spend_pattern_gives_each_plans_fixed_cost(cli: Any) -> None:
    # Before issue 16: "--spend-per-day must be more than $0" (exit 2).
    r = cli(*PATTERN, "--spend-per-day", "0", "--model", "qwen3-coder-plus", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["demand"]["requests"] == 0 and data["recommendation"]["id"] == "api"
    totals = {s["id"]: s["total_usd"] for s in data["strategies"]}
    assert totals["api"] == "0.00" and totals["alibaba-coding-pro"] == "50.00"


def test_days_longer_than_the_logs_start_at_the_first_record_and_say_so() -> None:
    records = [
        UsageRecord(at(d, 10), "claude", "s", None, "x", None, TokenCounts(input=1)) for d in (20, 21, 27)
    ]
    d = logs_demand(records, lambda r: Decimal("1"), since=T0, history_days=28, horizon_days=30, tz=UTC)
    # The logs start on day 20: 8 days of history (days 20-27), not 28 with 20 empty ones.
    assert d.history_days == 8 and d.start == at(20)
    assert d.notes == ["--days 28: your logs start on 2026-06-21, so the history is the 8 days from then"]
    assert d.horizon_days == 30 and len(d.requests) == 3 * 3 + 2  # repeated at +8, +16, +24 days
    # a history longer than --horizon widens it, and says so
    d = logs_demand(records, lambda r: Decimal("1"), since=at(20), history_days=45, horizon_days=30, tz=UTC)
    assert d.horizon_days == 45
    assert d.notes == [
        "the horizon is the whole 45-day history, longer than --horizon 30 (fees are pro-rated to it)"
    ]
    assert d.end == at(20) + timedelta(days=45)


def test_the_seed_example_plans_ship_as_a_named_example(cli: Any) -> None:
    shipped = (Path(__file__).parents[2] / "agentcost" / "data" / "examples" / "seed.toml").read_text()
    assert shipped == (FIXTURES / "seed-plans.toml").read_text()
    args = (*PATTERN, "--spend-per-day", "0.90", "--plans", "example:seed", "--plan", "sub")
    data = json.loads(cli(*args, "--plan", "pack", "--plan", "api", "--json").stdout)
    assert data["recommendation"] == {
        "id": "sub",
        "label": "Sub $20 ($1/day) (wait when out)",
        "total_usd": "20.00",
    }
    r = cli(*PATTERN, "--spend-per-day", "1", "--plans", "example:nope")
    assert (
        r.exit_code == 1 and "no example plans file named 'nope'" in r.stderr and "example:seed" in r.stderr
    )


def test_upgrade_cost_rule_is_per_plan(cli: Any, tmp_path: Path) -> None:
    r = cli("upgrade-cost", "--from", "atlas-starter", "--to", "atlas-lite", "--days-left", "14", "--json")
    data = json.loads(r.stdout)
    assert data["upgrade_usd"] == "4.67" and data["caveat"] is None
    assert "Atlas Cloud" in data["rule_source"]
    data = json.loads(
        cli(
            "upgrade-cost", "--from", "claude-pro", "--to", "claude-max", "--days-left", "14", "--json"
        ).stdout
    )
    assert data["upgrade_usd"] == "37.33"
    assert (
        "upgrade rule of Claude Pro (claude-pro), Claude Max (5x) (claude-max) is not known" in data["caveat"]
    )
    out = cli("upgrade-cost", "--from", "10", "--to", "20", "--days-left", "14").stdout
    assert "$4.67" in out and "Caveat: the pro-rating rule is Atlas Cloud's" in out
    f = tmp_path / "p.toml"
    f.write_text(
        '[plans.claude-pro]\nupgrade = { value = "prorated", source = "my invoice", as_of = "2026-12" }\n'
        '[plans.claude-max]\nupgrade = { value = "prorated", source = "my invoice", as_of = "2026-12" }\n',
        encoding="utf-8",
    )
    args = ("upgrade-cost", "--from", "claude-pro", "--to", "claude-max", "--days-left", "14")
    data = json.loads(cli(*args, "--plans", str(f), "--json").stdout)
    assert data["caveat"] is None and data["rule_source"] == "my invoice (as of 2026-12)"
    r = cli("upgrade-cost", "--from", "claude-pro", "--to", "chatgpt-pro", "--days-left", "3")
    assert r.exit_code == 2 and "different vendors' plans" in r.stderr


@pytest.mark.parametrize("pattern", ["steady", "weekday", "bursty"])
def test_break_even_without_replay_equals_the_replayed_search(pattern: str) -> None:
    # The closed form (window totals) must give exactly what bisecting with full replays gives.
    from agentcost.billing.breakeven import break_even

    plans = load_plans()
    d = pattern_demand(pattern, JUNE_1, UTC, spend_per_day=Decimal("7.3"), model="claude-sonnet-4-5")
    rec = recommend(plans, d)
    assert rec.winner is not None
    for pid in ("claude-pro", "claude-max", "atlas-lite", "zai-glm-lite", "minimax-20"):
        fast = break_even(plans[pid], plans, d, rec.winner, MaxBlocked(), UTC)
        slow = break_even(plans[pid], plans, d, rec.winner, MaxBlocked(), UTC, fast=False)
        assert fast == slow and fast.needs, pid


def test_limits_estimates_convert_and_claude_tiers_map() -> None:
    from types import SimpleNamespace

    from agentcost.billing.measured import from_limits, plan_for

    est = [
        SimpleNamespace(
            agent="claude", plan="claude_max / default_claude_max_5x", window_minutes=300,
            allowance_usd=Decimal("12.5"), low_usd=Decimal("11"), high_usd=Decimal("14"),
            windows_used=4, snapshots=40, name="five_hour",
        ),
        SimpleNamespace(agent="codex", plan=None, window_minutes=300, allowance_usd=Decimal(3)),
        SimpleNamespace(agent="codex", plan="plus", window_minutes=300, allowance_usd=None),
    ]  # fmt: skip
    (m1,) = from_limits(est)
    assert m1 == MeasuredAllowance(
        "claude", "claude_max / default_claude_max_5x", 300, Decimal("12.5"), Decimal(11), Decimal(14), 4, 40
    )
    types = load_plan_types()
    assert plan_for("claude", m1.plan_type, types) == "claude-max"
    assert plan_for("claude", "default_claude_ai", types) == "claude-pro"
    assert plan_for("codex", "team", types) is None
    plans, uses = apply_measured(load_plans(), [m1])
    assert plans["claude-max"].limits[0].amount.value == Decimal("12.5") and uses[0].used


def test_a_request_limited_plan_that_waits_is_priced_without_re_pricing(cli: Any) -> None:
    # Alibaba's plan counts requests and waits when out: its cost is its fee whatever the model costs,
    # so the switch section prices it even for a spend pattern (Qwen has no API price here).
    args = (*PATTERN, "--spend-per-day", "4", "--model", "claude-sonnet-4-5", "--plan", "api")
    args = (*args, "--plan", "alibaba-coding-pro")
    data = json.loads(cli(*args, "--json").stdout)
    assert data["recommendation"]["id"] == "api"
    assert [(s["id"], s["total_usd"], s["priced_as"]) for s in data["switch"]["strategies"]] == [
        ("alibaba-coding-pro", "50.00", None)
    ]
    data = json.loads(cli(*args, "--switch-models", "--json").stdout)
    assert data["recommendation"]["id"] == "alibaba-coding-pro"
    assert "its cost counts your requests, whatever the model" in data["caveats"][0]


def test_codex_logs_of_a_plus_user_simulate_the_plan_with_measured_numbers(isolated_env: Path) -> None:
    # The "done when", from logs: a Codex session on gpt-5 (3 calls a day for 5 days, each
    # 2,000 uncached + 8,000 cached input + 1,000 output tokens = $0.0135 at gpt-5 prices).
    from datetime import datetime, timezone

    from agentcost.billing.inputs import demand_from_logs

    today = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0)
    sid = "01a21753-2516-7ec2-aea3-84b4210817d5"
    for k in range(1, 6):
        noon = today - timedelta(days=k)
        d = isolated_env / ".codex" / "sessions" / f"{noon:%Y}" / f"{noon:%m}" / f"{noon:%d}"
        d.mkdir(parents=True, exist_ok=True)
        ts = noon.isoformat().replace("+00:00", "Z")
        lines: list[dict[str, Any]] = [
            {"timestamp": ts, "type": "session_meta", "payload": {"id": sid, "cwd": "/p", "timestamp": ts}},
            {
                "timestamp": ts,
                "type": "turn_context",
                "payload": {"turn_id": "t", "cwd": "/p", "model": "gpt-5"},
            },
        ]
        last = {"input_tokens": 10_000, "cached_input_tokens": 8_000, "output_tokens": 1_000}
        last["reasoning_output_tokens"] = 0
        for i in range(3):
            total = {key: v * (i + 1) for key, v in last.items()}
            info = {"total_token_usage": total, "last_token_usage": last, "model_context_window": 258400}
            payload = {"type": "token_count", "info": info, "rate_limits": None}
            t = (noon + timedelta(minutes=i + 1)).isoformat().replace("+00:00", "Z")
            lines.append({"timestamp": t, "type": "event_msg", "payload": payload})
        (d / f"rollout-{noon:%Y-%m-%dT%H-%M-%S}-{sid}.jsonl").write_text(
            "\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8"
        )
    demand, reprice = demand_from_logs(["codex"], 30, 30, UTC, None)
    assert demand.models == {"gpt-5": 15} and demand.history_days == 6  # 5 days ago to today
    plans = load_plans()
    without = recommend(plans, demand, reprice=reprice)
    assert "chatgpt-plus" in {s.plan for s in without.skipped}
    assert "chatgpt-plus" in {b.plan for b in without.break_even}
    assert "claude-pro" in (without.eligibility.switch if without.eligibility else {})
    rec = recommend(plans, demand, reprice=reprice, measured=plus_measured(), measured_as_of="2026-12-05")
    plus = next(o for o in rec.outcomes if o.strategy.id == "chatgpt-plus")
    assert plus.covered == demand.total_usd and plus.metered == 0 and plus.fees == m(20)
    assert "chatgpt-plus" not in {s.plan for s in rec.skipped}
    # $0.0135 x 3 x (history repeated to 30 days) is far under $20: metered still wins, said with numbers
    assert rec.winner is not None and rec.winner.strategy.id == "api"
