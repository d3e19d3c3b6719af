"""Regressions from the QA pass on `recommend` / `upgrade-cost`."""

from __future__ import annotations

import json
from datetime import date, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from agentcost.billing.demand import money_text, pattern_demand, pattern_requests
from agentcost.billing.plans import load_plans
from agentcost.billing.recommend import recommend, usd

PATTERN = ("recommend", "--pattern", "steady", "--start", "2026-06-01", "--tz", "UTC")


def test_size_limit_counts_the_real_requests(cli: Any) -> None:
    # $100 a day in $0.05 calls = 2,000 a day; 70 days = 140,000 (under the limit: it runs)
    r = cli(*PATTERN, "--spend-per-day", "100", "--horizon", "70", "--plan", "api", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["demand"]["requests"] == 140_000
    # 2,000 x 260 days = 520,000: over, and the message says 520,000 (not 4x that)
    r = cli(*PATTERN, "--spend-per-day", "100", "--horizon", "260", "--plan", "api")
    assert r.exit_code == 2 and "makes 520,000 requests over 260 days" in r.stderr


def test_pattern_requests_matches_pattern_demand() -> None:
    for pattern, extra in (
        ("steady", {"active_days": 7, "heavy_days": 2, "heavy_factor": Decimal("3.5")}),
        ("weekday", {"heavy_days": 3}),
        ("bursty", {}),
    ):
        kw: dict[str, Any] = {"spend_per_day": Decimal("2.37"), "request_usd": Decimal("0.07"), **extra}
        d = pattern_demand(pattern, date(2026, 6, 1), timezone.utc, horizon_days=45, **kw)
        assert pattern_requests(pattern, date(2026, 6, 1), 45, **kw) == len(d.requests)


def test_max_blocked_over_100_percent_is_refused(cli: Any) -> None:
    r = cli(*PATTERN, "--spend-per-day", "1", "--max-blocked", "150%")
    assert r.exit_code == 2 and "150% is more than all requests" in r.stderr
    assert cli(*PATTERN, "--spend-per-day", "1", "--max-blocked", "100%", "--plan", "api").exit_code == 0


def test_pattern_options_without_pattern_grammar(cli: Any) -> None:
    r = cli("recommend", "--spend-per-day", "3")
    assert r.exit_code == 2 and "--spend-per-day describes a pattern" in r.stderr
    r = cli("recommend", "--spend-per-day", "3", "--start", "2026-06-01")
    assert "--spend-per-day and --start describe a pattern" in r.stderr


def test_blocked_strategies_are_marked_with_a_legend(cli: Any) -> None:
    # $15/day: the $10/day cap refuses requests every day, so it is not acceptable however cheap
    r = cli(*PATTERN, "--spend-per-day", "15", "--plan", "api", "--plan", "api-cap-10")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "api-cap-10 ✗ blocked" in out
    assert "✗ blocked: refuses requests (--max-blocked 0 accepts none)" in out
    assert "more than any request" not in out
    assert out.index("│ api ") < out.index("api-cap-10 ✗")
    r = cli(*PATTERN, "--spend-per-day", "5", "--plan", "api", "--plan", "api-cap-10")
    assert "✗" not in r.stdout  # nothing blocked, no marker, no legend


def test_a_plan_that_does_not_serve_the_models_does_not_compete(tmp_path: Path) -> None:
    # Before issue 16 Alibaba's Qwen-only plan won Sonnet-class demand with a caveat; now it does not
    # compete: it is listed under "if you switch models".
    plans = load_plans()
    cheap = {k: plans[k] for k in ("api", "alibaba-coding-pro")}
    d = pattern_demand("steady", date(2026, 6, 1), timezone.utc, spend_per_day=Decimal("20"), model=None)
    rec = recommend(cheap, d)
    assert rec.winner is not None and rec.winner.strategy.id == "api"
    assert rec.eligibility is not None and rec.eligibility.switch == {
        "alibaba-coding-pro": ["claude-sonnet-4-5"]
    }
    assert "assumed to run on claude-sonnet-4-5" in (rec.eligibility.assumed or "")
    assert [o.strategy.id for o in rec.outcomes] == ["api"]
    d.models = {"claude-sonnet-4-5": 500, "qwen3-coder-plus": 100}
    assert recommend(cheap, d).winner.strategy.id == "api"  # type: ignore[union-attr]
    d.models = {"Qwen/qwen3-coder-plus": 600}
    rec = recommend(cheap, d)
    assert rec.winner is not None and rec.winner.strategy.id == "alibaba-coding-pro" and rec.caveats == []
    # the 0.5x / 2x lines use the competing plans only
    d.models = {"claude-sonnet-4-5": 600}
    rec = recommend(cheap, d)
    assert {o.strategy.id for o in rec.sensitivity.values() if o} == {"api"}


def test_switch_section_is_printed_and_in_json(cli: Any) -> None:
    args = (*PATTERN, "--spend-per-day", "20", "--plan", "api", "--plan", "alibaba-coding-pro")
    out = cli(*args).stdout
    assert "If you switch models (not competing; --switch-models lets them):" in out
    assert "alibaba-coding-pro (Alibaba Cloud Coding Plan Pro): does not serve claude-sonnet-4-5" in out
    data = json.loads(cli(*args, "--json").stdout)
    assert data["recommendation"]["id"] == "api"
    assert data["eligibility"]["plans"]["alibaba-coding-pro"]["competes"] is False
    assert data["eligibility"]["plans"]["alibaba-coding-pro"]["models_source"].startswith(
        "https://help.aliyun.com"
    )


def test_bad_models_field_is_a_config_error(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text('[plans.api]\nmodels = "qwen"\n', encoding="utf-8")
    r = cli(*PATTERN, "--spend-per-day", "1", "--plans", str(f))
    assert r.exit_code == 1 and "models must be a list" in r.stderr


def test_sub_cent_amounts_are_not_zero(cli: Any) -> None:
    assert usd(30_000) == "$0.03" and usd(3_000) == "$0.003" and usd(40) == "<$0.0001"
    assert usd(0) == "$0.00" and usd(-3_000) == "-$0.003" and usd(1_234_567_890) == "$1,234.57"
    assert money_text(Decimal("0.002")) == "$0.002" and money_text(Decimal("3")) == "$3.00"
    out = cli(*PATTERN, "--spend-per-day", "0.002", "--plan", "api").stdout
    assert "steady pattern: $0.002 a day" in out
    assert (
        "at half your requests (every other one: $0.03 of work): Metered API (pay per token) ($0.03)" in out
    )
    assert "$0.002 " in out  # per active day in the table


def test_markup_in_user_plan_names_is_literal(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(
        '[plans.evil]\nname = "[/b]Evil[red]"\nkind = "metered"\nsource = "[bold]me"\nas_of = "2026"\n',
        encoding="utf-8",
    )
    r = cli(*PATTERN, "--spend-per-day", "1", "--plans", str(f), "--plan", "evil")
    assert r.exit_code == 0, r.stderr
    assert "[/b]Evil[red]" in r.stdout and "[bold]me" in r.stdout
    r = cli(*PATTERN, "--tokens-per-day", "100000", "--model", "claude-sonnet-4-5", "--plan", "api")
    assert r.exit_code == 0, r.stderr


def test_tz_metavar_and_help_have_no_internal_references(cli: Any) -> None:
    out = cli("recommend", "--help").stdout
    assert "--tz" in out and "ZONE" in out
    help_text = cli("upgrade-cost", "--help").stdout
    assert "seed" not in help_text and "Atlas Cloud" in help_text


def test_bundled_plans_cite_no_internal_files() -> None:
    text = Path(__file__).parents[2].joinpath("agentcost/data/plans.toml").read_text(encoding="utf-8")
    for word in ("seed 0", "facts/", "shared/"):
        assert word not in text


def test_upgrade_cost_prints_plan_names_literally(cli: Any, isolated_env: Path) -> None:
    from agentcost.billing.plans import user_plans_file

    f = user_plans_file()
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(
        '[plans.a]\nname = "[/b]Old"\nkind = "subscription"\nprice = 10\n'
        '[[plans.a.limits]]\nwindow = "daily"\nunit = "usd"\namount = 1\n',
        encoding="utf-8",
    )
    r = cli("upgrade-cost", "--from", "a", "--to", "20", "--days-left", "14")
    assert r.exit_code == 0, r.stderr
    assert "([/b]Old -> $20): $4.67" in r.stdout
