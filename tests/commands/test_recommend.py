"""`agentcost recommend` and `agentcost upgrade-cost` end to end (CliRunner, fake HOME)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from agentcost.billing.recommend import usd

SEED = ("--plan", "sub", "--plan", "pack", "--plan", "api")
STEADY = (
    "recommend",
    "--pattern",
    "steady",
    "--spend-per-day",
    "0.90",
    "--start",
    "2026-06-01",
    "--tz",
    "UTC",
)


def as_json(result: Any) -> dict[str, Any]:
    assert result.exit_code == 0, result.stderr + result.stdout
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_pattern_end_to_end_text(cli: Any, seed_plans_path: Path) -> None:
    r = cli(*STEADY, "--plans", str(seed_plans_path), *SEED)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Demand: steady pattern: $0.90 a day, every day, as $0.05 calls spread over 09:00-17:00." in out
    assert "540 requests, $27.00 at API prices, 30 active days" in out
    assert (
        "Recommendation: Sub $20 ($1/day) (wait when out): $20.00 for 30 days; the allowance covers every "
        "request ($3.00 of allowance unused); metered API would cost $27.00. "
        "Runner-up: Metered API at $27.00."
    ) in out
    assert (
        "Sensitivity: at half your requests (every other one: $13.50 of work): Metered API ($13.50); "
        "at twice your requests (each one twice: $54.00 of work): Metered API ($54.00)." in out
    )


def test_pattern_json_is_stable(cli: Any, seed_plans_path: Path) -> None:
    data = as_json(cli(*STEADY, "--plans", str(seed_plans_path), *SEED, "--json"))
    assert data["schema_version"] == 1
    assert data["recommendation"] == {
        "id": "sub",
        "label": "Sub $20 ($1/day) (wait when out)",
        "total_usd": "20.00",
    }
    assert data["runner_up"]["id"] == "api"
    assert data["sensitivity"]["0.5"]["id"] == "api"
    assert data["demand"]["requests"] == 540 and data["demand"]["api_usd"] == "27.00"
    ids = [s["id"] for s in data["strategies"]]
    assert ids == ["sub", "sub+pack", "api", "pack"]
    pack = data["strategies"][3]
    assert pack == {
        "id": "pack",
        "label": "$20 pack",
        "overflow": "packs",
        "estimate": False,
        "total_usd": "40.00",
        "per_active_day_usd": "1.333333",  # a micro-dollar average: exact to the simulator
        "fees_usd": "0.00",
        "packs_bought": 2,
        "packs_usd": "40.00",
        "metered_usd": "0.00",
        "work_usd": {"allowance": "0.00", "packs": "27.00", "metered": "0.00", "blocked": "0.00"},
        "requests": {"served": 540, "blocked": 0},
        "blocked_hours": 0.0,
        "blocked_days": 0,
        "days_over_allowance": 0,
        "allowance_unused": [],
        "pack_credit_expired_usd": "0.00",
        "pack_credit_left_usd": "13.00",
        "daily_cap_usd": None,
        "priced_as": None,  # added in issue 16: the model a switch strategy was re-priced at
    }
    assert data["strategies"][0]["allowance_unused"] == [{"window": "daily", "unit": "usd", "amount": "3.00"}]


def test_unknown_number_plans_are_listed_as_skipped(cli: Any) -> None:
    data = as_json(cli(*STEADY, "--json"))
    skipped = {s["plan"]: s for s in data["skipped"]}
    assert skipped["atlas-lite"]["missing"] == ["limits[0].amount (daily usd)"]
    assert skipped["atlas-payg"]["missing"] == ["price", "pack_credit"]
    assert "claude-pro" in skipped and "chatgpt-plus" in skipped
    # Alibaba's plan serves Qwen models only: the pattern's assumed Sonnet-class model sends it to
    # the "if you switch models" section, not the comparison.
    assert {s["id"] for s in data["strategies"]} == {"api", "api-cap-10"}
    assert "alibaba-coding-pro" in {p["plan"] for p in data["switch"]["plans"]}
    text = cli(*STEADY).stdout
    assert "atlas-lite (Atlas Cloud Lite) - numbers unknown: needs limits[0].amount (daily usd)" in text


def test_user_plan_file_supplies_atlas_numbers(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "atlas.toml"
    f.write_text(
        '[[plans.atlas-lite.limits]]\nwindow = "daily"\nunit = "usd"\namount = 1\n'
        "[plans.atlas-payg]\nprice = 20\npack_credit = 20\n",
        encoding="utf-8",
    )
    data = as_json(cli(*STEADY, "--plans", str(f), "--plan", "atlas-lite", "--plan", "api", "--json"))
    assert [s["id"] for s in data["strategies"]] == ["atlas-lite", "atlas-lite+atlas-payg", "api"]
    assert data["recommendation"]["id"] == "atlas-lite"


def test_user_plan_with_a_new_offer(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "offer.toml"
    f.write_text(
        '[plans.my-offer]\nname = "My offer"\nkind = "subscription"\nprice = 15\noverflow = "metered"\n'
        'source = "sales email"\nas_of = "2026-11-20"\n'
        '[[plans.my-offer.limits]]\nwindow = "5h"\nunit = "requests"\namount = 10\n',
        encoding="utf-8",
    )
    data = as_json(cli(*STEADY, "--plans", str(f), "--plan", "my-offer", "--plan", "api", "--json"))
    mine = next(s for s in data["strategies"] if s["id"] == "my-offer")
    # 18 calls a day, one 5h window a day (09:00-14:00 then 14:00-...): the window starts at 09:13:20,
    # 10 calls fit, the rest of the window's calls are metered; a new window opens after 14:13:20.
    assert mine["requests"]["blocked"] == 0 and mine["fees_usd"] == "15.00"
    assert float(mine["metered_usd"]) > 0


def test_bad_plans_file_is_a_clean_error(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text('[plans.x]\nkind = "packs"\nprice = 20\npack_credit = "twenty"\n', encoding="utf-8")
    r = cli(*STEADY, "--plans", str(f))
    assert r.exit_code == 1
    assert f"{f}:4:1: plan 'x': pack_credit must be a number or \"unknown\"" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    f.write_text("[plans.x\n", encoding="utf-8")
    r = cli(*STEADY, "--plans", str(f))
    assert r.exit_code == 1 and f"{f}:1:" in r.stderr and "invalid TOML" in r.stderr


def test_usage_errors(cli: Any) -> None:
    assert cli("recommend", "--pattern", "steady").exit_code == 2
    r = cli("recommend", "--spend-per-day", "3")
    assert r.exit_code == 2 and "add --pattern" in r.stderr
    r = cli("recommend", "--pattern", "bursty", "--spend-per-day", "3", "--active-days", "5")
    assert r.exit_code == 2 and "steady only" in r.stderr
    r = cli(*STEADY, "--plan", "nope")
    assert r.exit_code == 2 and "unknown plan id" in r.stderr
    r = cli("recommend", "--pattern", "steady", "--spend-per-day", "1", "--tz", "Mars/Olympus")
    assert r.exit_code == 2 and "unknown time zone" in r.stderr
    r = cli("recommend", "--pattern", "steady", "--tokens-per-day", "100000", "--model", "mystery-model-x")
    assert r.exit_code == 1 and "unpriced" in r.stderr


def test_tokens_pattern_prices_calls_with_the_model(cli: Any) -> None:
    data = as_json(
        cli(
            "recommend",
            "--pattern",
            "weekday",
            "--tokens-per-day",
            "1000000",
            "--model",
            "claude-sonnet-4-5",
            "--start",
            "2026-06-01",
            "--tz",
            "UTC",
            "--plan",
            "api",
            "--json",
        )
    )
    # 20 calls of 50,000 tokens a weekday (22 weekdays from Mon 2026-06-01): 440 calls.
    # One call at Sonnet 4.5 list prices: 1,000 x $3 + 4,000 x $3.75 + 44,000 x $0.30 + 1,000 x $15
    # per million = $0.0462; 440 x $0.0462 = $20.33 (each call rounded to the micro-dollar).
    assert data["demand"]["requests"] == 440
    assert data["demand"]["api_usd"] == "20.328"


def _claude_line(ts: datetime, model: str, n: int) -> str:
    return json.dumps(
        {
            "type": "assistant",
            "timestamp": ts.isoformat().replace("+00:00", "Z"),
            "sessionId": "s1",
            "cwd": "/home/dev/p",
            "requestId": f"req_{n}",
            "uuid": f"u{n}",
            "message": {
                "id": f"msg_{n}",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [{"type": "text", "text": "ok"}],
                "usage": {
                    "input_tokens": 1000,
                    "cache_creation_input_tokens": 0,
                    "cache_read_input_tokens": 0,
                    "output_tokens": 1000,
                },
            },
        }
    )


def test_logs_mode_on_a_constructed_claude_log(cli: Any, isolated_env: Path) -> None:
    d = isolated_env / ".claude" / "projects" / "-home-dev-p"
    d.mkdir(parents=True)
    noon = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    lines = [_claude_line(noon + timedelta(minutes=i), "claude-sonnet-4-5", i) for i in range(10)]
    lines.append(_claude_line(noon + timedelta(minutes=30), "mystery-model-x", 99))
    (d / "s1.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = as_json(cli("recommend", "--tz", "UTC", "--days", "7", "--plan", "api", "--json"))
    dem = data["demand"]
    # 10 priced calls, each 1,000 x $3 + 1,000 x $15 per million = $0.018, yesterday. --days 7 asks
    # for 7 days but the logs start yesterday: the history is yesterday and today (2 days, not 5
    # empty days and 2), repeated to fill 30 days: 15 copies, 150 calls, $2.70.
    assert dem["source"] == "logs" and dem["history_days"] == 2
    assert dem["notes"] == [
        f"--days 7: your logs start on {noon:%Y-%m-%d}, so the history is the 2 days from then"
    ]
    assert dem["unpriced_requests"] == {"mystery-model-x": 1}
    assert dem["requests"] == 150 and dem["api_usd"] == "2.70"
    assert data["recommendation"]["id"] == "api"
    text = cli("recommend", "--tz", "UTC", "--days", "7", "--plan", "api").stdout
    assert "Left out: 1 request on unpriced models: mystery-model-x (1). They are not counted as $0" in text
    # Re-priced at another model: Haiku 4.5 is $1 / $5: $0.006 a call, all 11 calls x 15 = 165 calls.
    data = as_json(cli("recommend", "--tz", "UTC", "--days", "7", "--as-model", "claude-haiku-4-5", "--json"))
    assert data["demand"]["unpriced_requests"] == {}
    assert data["demand"]["requests"] == 165 and data["demand"]["api_usd"] == "0.99"


def test_logs_mode_without_logs_is_a_zero_demand_answer(cli: Any) -> None:
    # Before issue 16: exit 1. No usage is an answer: each plan's fixed cost, metered $0.
    r = cli("recommend", "--plan", "api", "--plan", "alibaba-coding-pro")
    assert r.exit_code == 0, r.stderr
    assert "no priced usage in the last 30 days" in r.stdout and "--pattern" in r.stdout
    assert "Recommendation: Metered API (pay per token): $0.00 for 30 days" in r.stdout
    data = as_json(cli("recommend", "--plan", "api", "--plan", "alibaba-coding-pro", "--json"))
    assert data["demand"]["requests"] == 0
    totals = {s["id"]: s["total_usd"] for s in data["strategies"]}
    assert totals == {"api": "0.00", "alibaba-coding-pro": "50.00"}


def test_upgrade_cost(cli: Any) -> None:
    r = cli("upgrade-cost", "--from", "10", "--to", "20", "--days-left", "14")
    assert r.exit_code == 0 and "Upgrade cost ($10 -> $20): $4.67" in r.stdout
    r = cli("upgrade-cost", "--from", "atlas-starter", "--to", "atlas-lite", "--today", "2026-05-14",
            "--expires", "2026-05-28", "--json")  # fmt: skip
    data = as_json(r)
    assert data["upgrade_usd"] == "4.67" and data["days_left"] == 14
    r = cli("upgrade-cost", "--from", "20", "--to", "10", "--days-left", "3")
    assert r.exit_code == 1 and "downgrades are not possible" in r.stderr
    r = cli("upgrade-cost", "--from", "10", "--to", "20")
    assert r.exit_code == 2


def test_json_carries_each_plans_sources(cli: Any) -> None:
    data = as_json(cli(*STEADY, "--model", "qwen3-coder-plus", "--plan", "alibaba-coding-pro", "--json"))
    ali = data["plans"]["alibaba-coding-pro"]
    assert ali["price"] == {
        "value": "50",
        "source": "https://help.aliyun.com/zh/model-studio/coding-plan; "
        "https://developer.aliyun.com/ask/699052",
        "as_of": "2026-02",
        "estimate": False,
    }
    assert [lim["amount"]["value"] for lim in ali["limits"]] == ["6000", "45000", "90000"]


def test_estimates_are_marked(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "zai.toml"
    f.write_text(
        '[plans.zai-glm-lite]\n[[plans.zai-glm-lite.limits]]\nwindow = "5h"\nunit = "requests"\n'
        "amount = 120\n"
        'calls_per_unit = 15\nestimate = true\nsource = "docs.z.ai: ~120 prompts; my guess of 15 calls"\n',
        encoding="utf-8",
    )
    glm = (*STEADY, "--model", "glm-5.1", "--plans", str(f), "--plan", "zai-glm-lite")
    data = as_json(cli(*glm, "--json"))
    assert data["strategies"][0]["id"] == "zai-glm-lite" and data["strategies"][0]["estimate"] is True
    text = cli(*glm).stdout
    assert "* rests on numbers the vendor gives only as estimates." in text


def test_max_blocked_as_a_percentage(cli: Any, seed_plans_path: Path) -> None:
    bursty = (
        "recommend",
        "--pattern",
        "bursty",
        "--spend-per-day",
        "0.90",
        "--start",
        "2026-06-01",
        "--tz",
        "UTC",
    )
    # The subscription alone refuses 364 of 540 requests (67%).
    data = as_json(
        cli(*bursty, "--plans", str(seed_plans_path), "--plan", "sub", "--max-blocked", "70%", "--json")
    )
    assert data["max_blocked"] == 378 and data["recommendation"]["id"] == "sub"
    data = as_json(
        cli(*bursty, "--plans", str(seed_plans_path), "--plan", "sub", "--max-blocked", "60%", "--json")
    )
    assert data["recommendation"]["id"] == "sub+pack"
    assert cli(*bursty, "--max-blocked", "lots").exit_code == 2


def test_local_midnight_follows_tz_env(cli: Any, monkeypatch: Any, seed_plans_path: Path) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    args = ("recommend", "--pattern", "steady", "--spend-per-day", "1", "--start", "2026-06-01", "--json")
    data = as_json(cli(*args, "--plans", str(seed_plans_path), "--plan", "api"))
    assert data["demand"]["start"] == "2026-06-01T00:00:00+09:00"


def test_steady_base_with_heavy_days_from_the_cli(cli: Any, seed_plans_path: Path) -> None:
    args = (
        "recommend",
        "--pattern",
        "steady",
        "--spend-per-day",
        "1",
        "--heavy-days",
        "3",
        "--heavy-factor",
        "5",
    )
    data = as_json(
        cli(*args, "--start", "2026-06-01", "--tz", "UTC", "--plans", str(seed_plans_path), *SEED, "--json")
    )
    # $1 x 27 days + $5 x 3 heavy days = $42; the allowance covers $30, one pack the other $12.
    assert data["demand"]["api_usd"] == "42.00"
    assert data["recommendation"] == {
        "id": "sub+pack",
        "label": "Sub $20 ($1/day) + packs",
        "total_usd": "40.00",
    }
    r = cli("recommend", "--pattern", "bursty", "--spend-per-day", "1", "--heavy-days", "2")
    assert r.exit_code == 2 and "--heavy-days applies to --pattern steady or weekday" in r.stderr


def test_only_unknown_plans_gives_no_recommendation(cli: Any) -> None:
    r = cli(*STEADY, "--plan", "claude-pro")
    assert r.exit_code == 0
    assert "No recommendation: No plan serving your models has the numbers needed to simulate it" in r.stdout
    assert "Strategies over" not in r.stdout
    assert "claude-pro (Claude Pro) - numbers unknown: needs limits[0].amount (5h usd)" in r.stdout
    assert "Break-even: no fully-known strategy to compare the skipped plans with (add one" in r.stdout
    data = as_json(cli(*STEADY, "--plan", "claude-pro", "--json"))
    assert data["recommendation"] is None and data["strategies"] == []


def test_logs_mode_on_a_constructed_codex_log(cli: Any, isolated_env: Path) -> None:
    noon = datetime.now(timezone.utc).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    d = isolated_env / ".codex" / "sessions" / f"{noon:%Y}" / f"{noon:%m}" / f"{noon:%d}"
    d.mkdir(parents=True)
    sid = "01a21753-2516-7ec2-aea3-84b4210817d5"

    def ts(t: datetime) -> str:
        return t.isoformat().replace("+00:00", "Z")

    lines: list[dict[str, Any]] = [
        {
            "timestamp": ts(noon),
            "type": "session_meta",
            "payload": {"id": sid, "cwd": "/p", "timestamp": ts(noon)},
        },
        {
            "timestamp": ts(noon),
            "type": "turn_context",
            "payload": {"turn_id": "t1", "cwd": "/p", "model": "gpt-5"},
        },
    ]
    total = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_output_tokens": 0}
    for i in range(3):
        last = {
            "input_tokens": 10_000,
            "cached_input_tokens": 8_000,
            "output_tokens": 1_000,
            "reasoning_output_tokens": 0,
        }
        total = {k: total[k] + last[k] for k in total}
        info = {"total_token_usage": dict(total), "last_token_usage": last, "model_context_window": 258400}
        payload = {"type": "token_count", "info": info, "rate_limits": None}
        lines.append(
            {"timestamp": ts(noon + timedelta(minutes=i + 1)), "type": "event_msg", "payload": payload}
        )
    f = d / f"rollout-{noon:%Y-%m-%dT%H-%M-%S}-{sid}.jsonl"
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    data = as_json(
        cli("recommend", "--agent", "codex", "--tz", "UTC", "--days", "7", "--plan", "api", "--json")
    )
    # OpenAI-style usage: 2,000 uncached x $1.25 + 8,000 cached x $0.125 + 1,000 out x $10 per million
    # = $0.0135 a call; 3 calls yesterday: a 2-day history (the logs start yesterday) repeated 15
    # times: 45 calls, $0.6075 (exact in JSON: the money rule).
    assert data["demand"]["requests"] == 45 and data["demand"]["api_usd"] == "0.6075"


def test_text_output_names_the_sources_of_the_numbers(cli: Any, tmp_path: Path) -> None:
    f = tmp_path / "atlas.toml"
    f.write_text(
        '[[plans.atlas-lite.limits]]\nwindow = "daily"\nunit = "usd"\n'
        'amount = { value = 1, source = "my dashboard", as_of = "2026-11-20" }\n'
        '[plans.atlas-payg]\nprice = 20\npack_credit = 20\nsource = "my invoice"\nas_of = "2026-11-01"\n',
        encoding="utf-8",
    )
    out = cli(*STEADY, "--plans", str(f), "--plan", "atlas-lite").stdout
    assert (
        "  atlas-lite (user-override): Atlas Cloud article 'Coding Plan Subscription vs Pay As You Go', "
        "citing the Atlas Cloud Coding Plan documentation (May 2026) (as of 2026-05); "
        "my dashboard (as of 2026-11-20)"
    ) in out
    assert "  atlas-payg (user-override): my invoice (as of 2026-11-01)" in out


def test_pattern_sizes_are_validated(cli: Any) -> None:
    base = ("recommend", "--pattern", "steady", "--spend-per-day", "1")
    r = cli(*base, "--request-usd", "0")
    assert r.exit_code == 2 and "--request-usd must be at least 0.001" in r.stderr
    r = cli(*base, "--heavy-days", "2", "--heavy-factor", "0")
    assert r.exit_code == 2 and "--heavy-factor must be more than 0" in r.stderr
    r = cli("recommend", "--pattern", "steady", "--spend-per-day", "5000")
    # $5,000 a day in $0.05 calls for 30 days: 100,000 x 30 = 3,000,000 requests.
    assert r.exit_code == 2 and "makes 3,000,000 requests over 30 days (limit 500,000)" in r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


PATTERN = ("recommend", "--pattern", "steady", "--start", "2026-06-01", "--tz", "UTC")


def test_json_and_text_agree_on_sub_cent_totals(cli: Any) -> None:
    # The issue: `recommend --json` said "total_usd": "0.00" where the text said $0.0006.
    args = (*PATTERN, "--days", "1", "--spend-per-day", "0.0006", "--request-usd", "0.001", "--plan", "api")
    doc = json.loads(cli(*args, "--json").stdout)
    total = Decimal(doc["recommendation"]["total_usd"])
    assert total != 0 and Decimal(doc["demand"]["api_usd"]) == total
    text = cli(*args).stdout
    assert usd(int(total * 1_000_000)) in text and "$0.00 " not in text


def test_size_limit_counts_the_real_requests(cli: Any) -> None:
    # $100 a day in $0.05 calls = 2,000 a day; 70 days = 140,000 (under the limit: it runs)
    r = cli(*PATTERN, "--spend-per-day", "100", "--horizon", "70", "--plan", "api", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["demand"]["requests"] == 140_000
    # 2,000 x 260 days = 520,000: over, and the message says 520,000 (not 4x that)
    r = cli(*PATTERN, "--spend-per-day", "100", "--horizon", "260", "--plan", "api")
    assert r.exit_code == 2 and "makes 520,000 requests over 260 days" in r.stderr


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
    assert usd(30_000) == "$0.03" and usd(3_000) == "$0.003" and usd(40) == "$0.00004"
    assert usd(0) == "$0.00" and usd(-3_000) == "-$0.003" and usd(1_234_567_890) == "$1,234.57"
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


def test_one_active_day_is_singular(cli: Any) -> None:
    # "1 days in 30" and "1 active days"
    r = cli("recommend", "--pattern", "steady", "--spend-per-day", "0.05", "--active-days", "1")
    assert r.exit_code == 0, r.stderr
    assert "1 day in 30, evenly spaced" in r.stdout
    assert "1 request, $0.05 at API prices, 1 active day;" in r.stdout
    assert "1 days" not in r.stdout and "1 active days" not in r.stdout
