"""guard.toml: validation with file:line:col, edits that keep comments, CLI set/unset/pause."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost.errors import ConfigError
from agentcost.guard import config, state


def _cfg_path() -> Path:
    return Path(os.environ["AGENTCOST_CONFIG_DIR"]) / "guard.toml"


def _write(text: str) -> Path:
    p = _cfg_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_defaults_without_a_file() -> None:
    cfg = config.load()
    assert cfg.budgets == {} and cfg.loops["repeat"] == 8 and cfg.loops["failures"] == 8
    assert cfg.strict is False


def test_full_file_parses() -> None:
    _write(
        'strict = true\nweek_starts = "sunday"\n[budgets.day]\nsoft = 15\nhard = "20.50"\n'
        '[budgets.project]\nhard = 40\nperiod = "week"\n[loops]\nrepeat = 3\nburst_usd = 2.5\n'
    )
    cfg = config.load()
    assert cfg.budgets["day"].hard == Decimal("20.50") and cfg.budgets["day"].soft == Decimal(15)
    assert cfg.budgets["project"].period == "week"
    assert cfg.loops["repeat"] == 3 and cfg.loops["burst_usd"] == Decimal("2.5")
    assert cfg.strict and cfg.week_starts == "sunday"


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("[budgets.day]\nhard = 20\nsoft = 30\n", 3, 8, "above hard"),
        ("[budgets.day]\n\nhard = -1\n", 3, 8, ">= 0"),
        ('[budgets.day]\nhard = "lots"\n', 2, 8, "dollar amount"),
        ("[budgets.year]\nhard = 1\n", None, None, "unknown scope"),
        ("[loops]\nrepeat = 2.5\n", 2, 10, "whole number"),
        ("[loops]\nrepat = 2\n", 2, 9, "unknown key"),
        ("[budgets.day]\nhard = 1\nhard = 2\n", 3, None, "invalid TOML"),
        ("strict = 1\n", 1, 10, "true or false"),
        ("budgets.day = { hard = 1, sof = 2 }\n", None, None, "unknown key"),
    ],
)
def test_bad_values_name_file_line_and_column(
    text: str, line: int | None, col: int | None, words: str
) -> None:
    p = _write(text)
    with pytest.raises(ConfigError) as e:
        config.load()
    msg = str(e.value)
    assert msg.startswith(str(p)) and words in msg
    if line is not None:
        assert e.value.line == line
    if col is not None:
        assert e.value.column == col


def test_cli_reports_a_bad_file_without_traceback(cli: Any) -> None:
    p = _write('[budgets.day]\nhard = "x"\n')
    res = cli("guard", "set", "week", "50")
    assert res.exit_code == 1
    assert f"{p}:2:8" in res.output and "Traceback" not in res.output
    assert p.read_text() == '[budgets.day]\nhard = "x"\n'  # never rewritten


def test_set_unset_keep_comments(cli: Any) -> None:
    _write("# mine\n[budgets.day]  # daily\nhard = 10\n\n[loops]\nrepeat = 4 # tight\n")
    assert cli("guard", "set", "day", "20", "--soft", "15").exit_code == 0
    assert cli("guard", "set", "project", "40", "--period", "week").exit_code == 0
    assert cli("guard", "set", "failures", "3").exit_code == 0
    text = _cfg_path().read_text()
    assert "# mine" in text and "# daily" in text and "# tight" in text
    cfg = config.load()
    assert cfg.budgets["day"].hard == 20 and cfg.budgets["day"].soft == 15
    assert cfg.budgets["project"].period == "week" and cfg.loops["failures"] == 3
    assert cli("guard", "unset", "day", "--level", "soft").exit_code == 0
    assert config.load().budgets["day"].soft is None
    assert cli("guard", "unset", "day").exit_code == 0
    assert "day" not in config.load().budgets
    res = cli("guard", "set", "year", "5")
    assert res.exit_code == 2 and "unknown budget" in res.output
    res = cli("guard", "set", "week", "5", "--soft", "9")
    assert res.exit_code == 1 and "above hard" in res.output


def test_pause_and_resume(cli: Any) -> None:
    assert state.paused_until() is None
    assert cli("guard", "pause", "--for", "1h30m").exit_code == 0
    until = state.paused_until()
    assert until is not None and 5300 < until - __import__("time").time() <= 5400
    assert cli("guard", "resume").exit_code == 0 and state.paused_until() is None
    assert cli("guard", "pause").exit_code == 0 and state.paused_until() == float("inf")
    assert cli("guard", "pause", "--for", "soon").exit_code == 2
