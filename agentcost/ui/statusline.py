"""Render the status line: plain text, ANSI colour unless NO_COLOR, fitted to a width (no rich:
this runs after every assistant message and must start fast)."""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from agentcost.formats import money  # the one money rule (no rich: fast to import)

if TYPE_CHECKING:
    from rich.console import Console as RichConsole

    from agentcost.statusline.install import Outcome

from agentcost.sanitize import sanitize

SEP = " · "
_RESET = "\x1b[0m"
_COLORS = {"green": "\x1b[32m", "yellow": "\x1b[33m", "red": "\x1b[31m", "dim": "\x1b[2m"}
_LABELS = {300: "5h", 10080: "7d"}


def duration(seconds: float) -> str:
    """2d4h, 3h05m, 12m (never seconds: the line is refreshed per message)."""
    m = int(seconds // 60)
    if m >= 48 * 60:
        return f"{m // 1440}d{(m % 1440) // 60}h"
    if m >= 60:
        return f"{m // 60}h{m % 60:02d}m"
    return f"{m}m"


def _pct(u: float) -> str:
    return f"{u:.0f}%" if float(u).is_integer() or u >= 10 else f"{u:.1f}%"


def _window_label(w: dict[str, Any]) -> str:
    m = w["minutes"]
    return _LABELS.get(m, f"{m // 60}h" if m % 60 == 0 else f"{m}m")


def _parts(info: dict[str, Any], level: int, paint: Callable[[str, str], str]) -> list[str]:
    parts: list[str] = []
    model = info.get("model")
    if model and level < 4:
        text = sanitize(model)  # Claude Code passes the name a settings file chose: never raw escapes
        parts.append(text if level < 3 or len(text) <= 14 else _cut(text, 13) + "…")
    if "session" in info and level < 5:
        s = money(info["session"])
        if info.get("session_fallback"):
            s = paint("dim", f"~{s}" + (" (Claude est.)" if level < 2 else ""))
        parts.append(f"session {s}" if level < 3 else s)
    if "today" in info:
        parts.append(f"today {money(info['today'])}" if level < 3 else f"day {money(info['today'])}")
    for w in info.get("windows", []):
        used = float(w["used"])
        color = "green" if used < 50 else "yellow" if used < 80 else "red"
        text = f"{_window_label(w)} {paint(color, _pct(used))}"
        if w.get("allowance") and level < 1:
            with contextlib.suppress(ArithmeticError):
                text += f" of ~${Decimal(w['allowance']).quantize(Decimal(1)):,}"
        if w.get("reset_in") is not None and level < 3:
            text += f" ↻{duration(w['reset_in'])}"
        if used >= 100:
            text += " " + paint("red", "⚠ limit reached" if level < 2 else "⚠")
        elif w.get("runs_out_in") is not None:
            mark = f"⚠ out in {duration(w['runs_out_in'])}" if level < 2 else "⚠"
            text += " " + paint("red", mark)
        parts.append(text)
    return parts


def _char_cells(c: str) -> int:
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def _visible(s: str) -> int:
    """Terminal cells `s` takes: ANSI colour codes take none, wide (CJK) characters two."""
    n, i = 0, 0
    while i < len(s):
        if s[i] == "\x1b":
            j = s.find("m", i)
            i = j + 1 if j != -1 else len(s)
            continue
        n += _char_cells(s[i])
        i += 1
    return n


def _cut(s: str, cells: int) -> str:
    """The longest prefix of plain text `s` that fits in `cells` terminal cells."""
    n = 0
    for i, c in enumerate(s):
        n += _char_cells(c)
        if n > cells:
            return s[:i]
    return s


def render(info: dict[str, Any], width: int = 120, color: bool = True) -> str:
    """One line, at most `width` visible characters: details drop out as the width shrinks."""

    def paint(name: str, text: str) -> str:
        return f"{_COLORS[name]}{text}{_RESET}" if color else text

    line = ""
    for level in range(6):
        line = SEP.join(_parts(info, level, paint))
        if _visible(line) <= width:
            return line
    plain = SEP.join(_parts(info, 5, lambda _n, t: t))
    return plain if _visible(plain) <= width else _cut(plain, max(1, width - 1)) + "…"


def render_outcome(outcome: Outcome, con: RichConsole) -> None:
    """`statusline install|uninstall` for people (rich is imported only here, not on the hot path)."""
    from rich.markup import escape

    w = outcome.write
    dry = bool(w and w.dry_run)
    p = escape(str(outcome.path))
    done, todo = {
        "installed": ("Installed the status line in", "Would install the status line in"),
        "updated": ("Updated the status line's command in", "Would update the status line's command in"),
        "already": ("Already configured:", "Already configured:"),
        "replaced": (
            "Replaced the previous statusLine (kept; `uninstall` restores it) in",
            "Would replace the previous statusLine (kept; `uninstall` restores it) in",
        ),
        "removed": ("Removed the status line from", "Would remove the status line from"),
        "restored": ("Restored the previous statusLine in", "Would restore the previous statusLine in"),
        "absent": ("No statusLine to remove in", "No statusLine to remove in"),
    }[outcome.action]
    con.print(f"{todo if dry else done} {p}")
    if w and dry and w.diff:
        con.print(escape(w.diff), end="")
    if w and w.backup:
        con.print(f"[dim]backup: {escape(str(w.backup))}[/]")
    if outcome.command and not dry and outcome.action in ("installed", "updated", "replaced"):
        con.print(f"command: {escape(outcome.command)}  (Claude Code picks it up on its next message)")
