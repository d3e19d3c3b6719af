"""The plans schema: bundled data, overrides, provenance, and errors that point at file:line:col."""

from __future__ import annotations

from datetime import date, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from agentcost.billing.demand import pattern_demand
from agentcost.billing.plans import load_plans, parse_plans
from agentcost.billing.recommend import recommend
from agentcost.errors import ConfigError


def test_bundled_plans_cite_sources_and_mark_unknowns() -> None:
    plans = load_plans()
    ids = "claude-pro claude-max claude-ultra chatgpt-plus chatgpt-pro atlas-starter atlas-lite atlas-payg"
    ids += " zai-glm-lite zai-glm-pro minimax-20 minimax-50 minimax-120 alibaba-coding-pro api api-cap-10"
    for pid in ids.split():
        assert pid in plans, pid
        assert plans[pid].source and plans[pid].as_of, pid
    # Atlas's daily credit sizes and pack numbers are not published: unknown, never invented.
    assert plans["atlas-lite"].missing() == ["limits[0].amount (daily usd)"]
    assert plans["atlas-payg"].missing() == ["price", "pack_credit"]
    assert plans["atlas-lite"].price is not None and plans["atlas-lite"].price.value == Decimal(20)
    # Alibaba's caps are published: nothing missing, three nested windows.
    ali = plans["alibaba-coding-pro"]
    assert ali.missing() == []
    assert [(lim.window, lim.amount.value) for lim in ali.limits] == [
        ("5h", 6000),
        ("weekly", 45000),
        ("monthly", 90000),
    ]
    # Z.ai's prompt counts are the vendor's estimates.
    assert plans["zai-glm-lite"].limits[0].amount.estimate
    assert plans["minimax-20"].limits[0].calls_per_unit.value == 15


def test_field_level_provenance_and_override(tmp_path: Path) -> None:
    f = tmp_path / "mine.toml"
    f.write_text(
        """
[plans.atlas-lite]
source = "my invoice"
as_of = "2026-11-01"

[[plans.atlas-lite.limits]]
window = "daily"
unit = "usd"
amount = { value = 1.25, source = "Atlas dashboard", as_of = "2026-11-20", estimate = true }

[plans.atlas-payg]
price = 20
pack_credit = 20
""",
        encoding="utf-8",
    )
    plans = load_plans([f])
    lite = plans["atlas-lite"]
    assert lite.origin == "user-override"
    assert lite.price is not None and lite.price.value == 20  # kept from the bundled plan
    amount = lite.limits[0].amount
    assert (amount.value, amount.source, amount.as_of, amount.estimate) == (
        Decimal("1.25"),
        "Atlas dashboard",
        "2026-11-20",
        True,
    )
    assert lite.missing() == [] and plans["atlas-payg"].missing() == []


def test_config_dir_plans_file_is_read(isolated_env: Path) -> None:
    d = isolated_env / ".config" / "agentcost"
    d.mkdir(parents=True)
    (d / "plans.toml").write_text('[plans.mine]\nkind = "metered"\ndaily_cap = 5\n', encoding="utf-8")
    plans = load_plans()
    assert plans["mine"].origin == "user" and plans["mine"].daily_cap is not None


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('[plans.x]\nkind = "metered"\nprice = "lots"\n', ":3:1", "price must be a number"),
        ('[plans.x]\nkind = "subscription"\nprice = 20\n', ":1:1", "at least one"),
        ('[plans.x]\nkind = "rental"\n', ":2:1", "kind must be one of"),
        ('[plans.x]\nkind = "metered"\n  colour = "red"\n', ":3:3", "unknown field(s) colour"),
        (
            '[plans.x]\nkind = "subscription"\nprice = 5\n[[plans.x.limits]]\nwindow = "fortnight"\n'
            'unit = "usd"\namount = 1\n',
            ":5:1",
            "window must be",
        ),
        (
            '[plans.x]\nkind = "subscription"\nprice = 5\noverflow = "packs"\n[[plans.x.limits]]\n'
            'window = "daily"\nunit = "usd"\namount = 1\n',
            ":4:1",
            'needs packs = "<id of a packs plan>"',
        ),
        (
            '[plans.x]\nkind = "subscription"\nprice = 5\n[[plans.x.limits]]\nwindow = "0h"\n'
            'unit = "usd"\namount = 1\n',
            ":5:1",
            "window must be",
        ),
        (
            '[plans.x]\nkind = "packs"\nprice = 20\npack_credit = -1\n',
            ":4:1",
            "pack_credit must be a positive",
        ),
        ('[plans.x]\nkind = "packs"\nprice = 20\npack_credit = 5\nvalid_days = 0\n', ":5:1", "valid_days"),
        ("[plans.x\n", ":1:", "invalid TOML"),
        ('title = "mine"\n', "", "unknown top-level key"),
    ],
)
def test_bad_plans_file_names_file_line_and_field(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_plans([f])
    assert str(f) + where in e.value.message
    assert message in e.value.message


def test_packs_reference_must_exist(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(
        '[plans.s]\nkind = "subscription"\nprice = 5\noverflow = "packs"\npacks = "nope"\n'
        '[[plans.s.limits]]\nwindow = "daily"\nunit = "usd"\namount = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="'nope' is not a packs plan"):
        load_plans([f])


def test_missing_plans_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_plans([tmp_path / "nope.toml"])


def test_parse_round_trip_as_dict() -> None:
    plans = parse_plans('[plans.api]\nkind = "metered"\ndaily_cap = "unknown"\n', "x.toml")
    d = plans["api"].as_dict()
    assert d["daily_cap"]["value"] == "unknown" and d["kind"] == "metered"
    assert plans["api"].missing() == ["daily_cap"]  # an unknown cap is not "no cap": it is skipped


def test_error_in_a_second_limit_points_at_that_limit(tmp_path: Path) -> None:
    f = tmp_path / "two.toml"
    f.write_text(
        '[plans.x]\nkind = "subscription"\nprice = 5\n'
        '[[plans.x.limits]]\nwindow = "5h"\nunit = "requests"\namount = 100\n'
        '[[plans.x.limits]]\nwindow = "weekly"\nunit = "requests"\namount = "lots"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as e:
        load_plans([f])
    assert e.value.message.startswith(f"{f}:11:1: plan 'x': amount must be a number")


def test_a_new_source_without_a_date_is_undated(tmp_path: Path) -> None:
    f = tmp_path / "o.toml"
    f.write_text('[plans.api]\nsource = "my notes"\n', encoding="utf-8")
    api = load_plans([f])["api"]
    assert (api.source, api.as_of) == ("my notes", "unknown")
    f.write_text('[plans.api]\nnote = "same facts"\n', encoding="utf-8")
    api = load_plans([f])["api"]
    bundled = "API list prices (see `agentcost prices` for each model's source)"
    assert (api.source, api.as_of) == (bundled, "2026")


def test_a_free_tier_is_allowed(tmp_path: Path) -> None:
    f = tmp_path / "free.toml"
    f.write_text(
        '[plans.free]\nkind = "subscription"\nprice = 0\n[[plans.free.limits]]\nwindow = "daily"\n'
        'unit = "requests"\namount = 50\n',
        encoding="utf-8",
    )
    free = load_plans([f])["free"]
    assert free.price is not None and free.price.value == 0 and free.missing() == []


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
