"""The guard's settings: `<config dir>/guard.toml` (budgets in API-priced USD, loop rules, strict mode).

    strict = false            # true: an internal error of the hook blocks instead of letting the agent on
    week_starts = "monday"    # or "sunday"

    [budgets.day]             # session | day | week | month | project
    soft = 15                 # warn from here (optional)
    hard = 20                 # block from here (optional)

    [budgets.project]         # each project (git root, else the working directory) on its own
    hard = 40
    period = "month"          # day | week | month (project budgets only; default month)

    [loops]
    repeat = 8                # the same tool call (name + normalised input) this many times ...
    repeat_window = 20        # ... among the session's last N tool calls -> stop (0 = off)
    failures = 8              # this many failing tool calls in a row -> stop (0 = off)
    burst_usd = 0             # more than this many dollars (0 = off) ...
    burst_minutes = 10        # ... within this many minutes (<= 1440), all agents together -> stop

Read on the hook's hot path: no dataclasses, typer or tomlkit there (stdlib `tomllib`; tomlkit on
Python 3.10). Every value is checked; a bad one is a `ConfigError` with file:line:col. Writing
(`set_budget`, `unset_budget`) goes through tomlkit so comments and unknown keys survive.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from agentcost import paths

FILENAME = "guard.toml"
SCOPES = ("session", "day", "week", "month", "project")
PERIODS = ("day", "week", "month")
LOOP_DEFAULTS: dict[str, int | Decimal] = {
    "repeat": 8,
    "repeat_window": 20,
    "failures": 8,
    "burst_usd": Decimal(0),
    "burst_minutes": 10,
}
_LOOP_INTS = ("repeat", "repeat_window", "failures", "burst_minutes")


class Budget:
    """One scope's levels (None = not set)."""

    __slots__ = ("hard", "period", "scope", "soft")

    def __init__(self, scope: str, soft: Decimal | None, hard: Decimal | None, period: str | None) -> None:
        self.scope = scope
        self.soft = soft
        self.hard = hard
        self.period = period  # project budgets: day | week | month; others: None

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "soft_usd": None if self.soft is None else str(self.soft),
            "hard_usd": None if self.hard is None else str(self.hard),
            "period": self.period,
        }


class GuardConfig:
    __slots__ = ("budgets", "loops", "path", "strict", "week_starts")

    def __init__(
        self,
        path: Path,
        budgets: dict[str, Budget],
        loops: dict[str, Any],
        strict: bool,
        week_starts: str,
    ) -> None:
        self.path = path
        self.budgets = budgets
        self.loops = loops
        self.strict = strict
        self.week_starts = week_starts


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return paths.config_dir(env) / FILENAME


def _where(text: str, table: str | None, key: str | None) -> tuple[int | None, int | None]:
    """Line and column (1-based) of `key = …` in `[table]` (or of the table header), best effort."""
    current: str | None = None
    header_line: int | None = None
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        m = re.match(r"\[\s*([^\]]+?)\s*\]", s)
        if m and not s.startswith("[["):
            current = m.group(1).replace(" ", "").replace('"', "")
            if current == table:
                header_line = n
            continue
        if key is None or current != table:
            # dotted keys at the top level (`budgets.day.hard = 1`) are not located: fall back
            continue
        km = re.match(r"\s*\"?([A-Za-z0-9_-]+)\"?\s*=\s*", line)
        if km and km.group(1) == key:
            return n, km.end() + 1
        im = re.search(r"(?:^|[{,])\s*" + re.escape(key) + r"\s*=\s*", line)
        if im and "{" in line:
            return n, im.end() + 1
    if table is not None and key is not None and header_line is None:
        # an inline table (`day = { hard = 1 }`) under [budgets]
        parent, _, child = table.rpartition(".")
        line_no, _col = _where(text, parent or None, child) if parent else (None, None)
        if line_no is not None:
            lines = text.splitlines()
            i = lines[line_no - 1].find(key)
            return line_no, (i + 1) if i >= 0 else 1
    return header_line, 1 if header_line else None


def _err(path: Path, text: str, table: str | None, key: str | None, message: str) -> Exception:
    from agentcost.errors import ConfigError

    line, col = _where(text, table, key)
    return ConfigError(
        message,
        path=path,
        line=line,
        column=col,
        hint="fix the file, or set it with `agentcost guard set` / `agentcost guard unset`",
    )


def _money(v: Any, path: Path, text: str, table: str, key: str) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise _err(path, text, table, key, f"{table}.{key}: expected a dollar amount, got {v!r}")
    try:
        d = Decimal(str(v).strip().lstrip("$"))
    except InvalidOperation:
        raise _err(path, text, table, key, f"{table}.{key}: expected a dollar amount, got {v!r}") from None
    if not d.is_finite() or d < 0:
        raise _err(path, text, table, key, f"{table}.{key}: must be a dollar amount >= 0, got {v!r}")
    return d


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    import importlib

    try:
        tomllib: Any = importlib.import_module("tomllib")  # 3.11+ (mypy checks against 3.10)
    except ImportError:
        from agentcost.fileio import parse_toml

        doc: dict[str, Any] = parse_toml(text, path).unwrap()
        return doc
    try:
        out: dict[str, Any] = tomllib.loads(text)
        return out
    except tomllib.TOMLDecodeError as e:
        from agentcost.errors import ConfigError

        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        reason = msg.split(" (at line")[0]
        raise ConfigError(
            f"invalid TOML: {reason}",
            path=path,
            line=int(m.group(1)) if m else None,
            column=int(m.group(2)) if m else None,
            hint="fix the file by hand; nothing was written",
        ) from None


def parse(text: str, path: Path) -> GuardConfig:
    """Validate the file's text; ConfigError (file:line:col) for anything wrong."""
    doc = _parse_toml(text, path)
    known = {"strict", "week_starts", "budgets", "loops"}
    for k in doc:
        if k not in known:
            raise _err(path, text, None, None, f"unknown setting {k!r} (known: {', '.join(sorted(known))})")
    strict = doc.get("strict", False)
    if not isinstance(strict, bool):
        raise _err(path, text, None, "strict", f"strict: expected true or false, got {strict!r}")
    week = doc.get("week_starts", "monday")
    if week not in ("monday", "sunday"):
        raise _err(
            path, text, None, "week_starts", f'week_starts: expected "monday" or "sunday", got {week!r}'
        )
    budgets: dict[str, Budget] = {}
    raw_b = doc.get("budgets", {})
    if not isinstance(raw_b, dict):
        raise _err(path, text, None, "budgets", "budgets: expected a table ([budgets.day] …)")
    for scope, b in raw_b.items():
        table = f"budgets.{scope}"
        if scope not in SCOPES:
            raise _err(
                path, text, "budgets", scope, f"budgets: unknown scope {scope!r} (known: {', '.join(SCOPES)})"
            )
        if not isinstance(b, dict):
            raise _err(path, text, "budgets", scope, f"{table}: expected a table with soft / hard")
        for k in b:
            if k not in ("soft", "hard", "period") or (k == "period" and scope != "project"):
                raise _err(path, text, table, k, f"{table}: unknown key {k!r}")
        soft = _money(b["soft"], path, text, table, "soft") if "soft" in b else None
        hard = _money(b["hard"], path, text, table, "hard") if "hard" in b else None
        if soft is not None and hard is not None and soft > hard:
            raise _err(path, text, table, "soft", f"{table}: soft ({soft}) is above hard ({hard})")
        period = None
        if scope == "project":
            period = b.get("period", "month")
            if period not in PERIODS:
                raise _err(
                    path, text, table, "period", f"{table}.period: expected one of {', '.join(PERIODS)}"
                )
        if soft is not None or hard is not None:
            budgets[scope] = Budget(scope, soft, hard, period)
    loops: dict[str, Any] = dict(LOOP_DEFAULTS)
    raw_l = doc.get("loops", {})
    if not isinstance(raw_l, dict):
        raise _err(path, text, None, "loops", "loops: expected a table")
    for k, v in raw_l.items():
        if k not in LOOP_DEFAULTS:
            raise _err(
                path, text, "loops", k, f"loops: unknown key {k!r} (known: {', '.join(LOOP_DEFAULTS)})"
            )
        if k == "burst_usd":
            loops[k] = _money(v, path, text, "loops", k)
        elif isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise _err(path, text, "loops", k, f"loops.{k}: expected a whole number >= 0, got {v!r}")
        elif k == "burst_minutes" and v > 1440:
            raise _err(path, text, "loops", k, "loops.burst_minutes: at most 1440 (a day; use a day budget)")
        else:
            loops[k] = v
    if loops["repeat"] and loops["repeat_window"] and loops["repeat"] > loops["repeat_window"]:
        raise _err(path, text, "loops", "repeat", "loops.repeat is larger than loops.repeat_window")
    if loops["burst_usd"] and not loops["burst_minutes"]:
        raise _err(
            path, text, "loops", "burst_minutes", "loops.burst_minutes must be > 0 when burst_usd is set"
        )
    return GuardConfig(path, budgets, loops, strict, week)


def load(env: Mapping[str, str] | None = None) -> GuardConfig:
    """The settings (defaults when the file does not exist)."""
    path = config_path(env)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return GuardConfig(path, {}, dict(LOOP_DEFAULTS), False, "monday")
    except (OSError, UnicodeDecodeError) as e:
        from agentcost.errors import ConfigError

        raise ConfigError(f"cannot read: {e}", path=path) from None
    return parse(text, path)


def mtime_key(env: Mapping[str, str] | None = None) -> list[int] | None:
    try:
        st = os.stat(config_path(env))
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]
