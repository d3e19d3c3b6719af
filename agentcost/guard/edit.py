"""Edits of guard.toml for `agentcost guard set / unset` (tomlkit: comments and order survive).

The file is validated before (a broken file is never rewritten) and the result after the edit (a
value the hook would refuse is never written).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import tomlkit

from agentcost.errors import UsageError
from agentcost.fileio import WriteResult, read_toml, write_atomic
from agentcost.guard import config

HEADER = (
    "# agentcost guard: budgets in API-priced US dollars and loop stops (docs/guard.md).\n"
    "# Edit by hand or with `agentcost guard set` / `unset`;\n"
    "# `agentcost guard status` shows where each cap stands.\n"
)


def _num(d: Decimal) -> Any:
    """A TOML number: an integer when whole, else a float (what a person would type)."""
    return int(d) if d == d.to_integral_value() else float(d)


def _load() -> tuple[Any, str | None]:
    path = config.config_path()
    doc, text = read_toml(path)
    if text is not None:
        config.parse(text, path)  # refuse to edit a file the hook cannot read
    return (doc if doc is not None else tomlkit.parse(HEADER)), text


def _save(doc: Any, text: str | None, dry_run: bool) -> WriteResult:
    path = config.config_path()
    new = tomlkit.dumps(doc)
    config.parse(new, path)
    return write_atomic(path, new, dry_run=dry_run, old_text=text)


def set_value(
    name: str,
    value: Decimal,
    *,
    soft: Decimal | None = None,
    period: str | None = None,
    dry_run: bool = False,
) -> WriteResult:
    """`name` is a budget scope (value = hard cap) or a `[loops]` key."""
    doc, text = _load()
    if name in config.LOOP_DEFAULTS:
        if soft is not None or period is not None:
            raise UsageError("--soft and --period are for budgets, not loop settings")
        if name != "burst_usd" and value != value.to_integral_value():
            raise UsageError(f"{name} is a whole number")
        loops = doc.get("loops")
        if loops is None:
            loops = tomlkit.table()
            doc["loops"] = loops
        loops[name] = _num(value)
        return _save(doc, text, dry_run)
    if name not in config.SCOPES:
        known = ", ".join((*config.SCOPES, *config.LOOP_DEFAULTS))
        raise UsageError(f"unknown budget or setting {name!r} (known: {known})")
    if period is not None and name != "project":
        raise UsageError("--period is for the project budget (day, week or month)")
    if period is not None and period not in config.PERIODS:
        raise UsageError(f"--period must be one of {', '.join(config.PERIODS)}")
    budgets = doc.get("budgets")
    if budgets is None:
        budgets = tomlkit.table(is_super_table=True)
        doc["budgets"] = budgets
    table = budgets.get(name)
    if table is None:
        table = tomlkit.table()
        budgets[name] = table
    if soft is not None:
        table["soft"] = _num(soft)
    elif "soft" in table and Decimal(str(table["soft"])) > value:
        raise UsageError(f"the soft level ({table['soft']}) is above {value}; give --soft too")
    table["hard"] = _num(value)
    if period is not None:
        table["period"] = period
    return _save(doc, text, dry_run)


def unset(name: str, level: str | None = None, *, dry_run: bool = False) -> WriteResult:
    """Remove a budget (both levels, or only `level`) or a `[loops]` key (back to its default)."""
    doc, text = _load()
    if name in config.LOOP_DEFAULTS:
        loops = doc.get("loops")
        if loops is not None and name in loops:
            del loops[name]
            if not len(loops):
                del doc["loops"]
        return _save(doc, text, dry_run)
    if name not in config.SCOPES:
        raise UsageError(f"unknown budget or setting {name!r}")
    budgets = doc.get("budgets")
    if budgets is not None and name in budgets:
        if level is None:
            del budgets[name]
        elif level in budgets[name]:
            del budgets[name][level]
            if not any(k in budgets[name] for k in ("soft", "hard")):
                del budgets[name]
        if not len(budgets):
            del doc["budgets"]
    return _save(doc, text, dry_run)


def set_strict(on: bool, *, dry_run: bool = False) -> WriteResult:
    doc, text = _load()
    doc["strict"] = on
    return _save(doc, text, dry_run)


def describe(cfg: config.GuardConfig) -> Mapping[str, Any]:
    return {
        "budgets": [b.as_dict() for b in cfg.budgets.values()],
        "loops": {k: str(v) if isinstance(v, Decimal) else v for k, v in cfg.loops.items()},
        "strict": cfg.strict,
        "week_starts": cfg.week_starts,
    }
