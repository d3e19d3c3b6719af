"""Install / uninstall the status line in Claude Code's *user* settings (`~/.claude/settings.json`,
or `$CLAUDE_CONFIG_DIR/settings.json`).

User scope only: the subscribers who have windows are the ones not on an API provider, and a status
line is personal. The edit is minimal (only the `statusLine` member changes; every other byte stays),
with a timestamped backup, through `fileio.write_atomic`.

An existing statusLine that is not agentcost's is never replaced silently: `install` refuses
(exit 1, naming the command). `--replace` replaces it and keeps the previous value in
`<data dir>/statusline-previous.json`; `uninstall` puts it back. (Chaining — running the previous
command too on every refresh — was not chosen: it would add that command's whole run time to every
status-line refresh and make a failure of it ours.)

The command written is `<this interpreter> -m agentcost statusline`, an absolute path, so it works
whatever PATH Claude Code runs with and whichever virtualenv agentcost lives in.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import WriteResult, read_json_object, read_text, write_atomic
from agentcost.jsonedit import remove_member, render_object, set_member

MARK = "-m agentcost statusline"
PREVIOUS = "statusline-previous.json"


def command_line(python: str | None = None) -> str:
    return f"{shlex.quote(python or sys.executable)} {MARK}"


def is_ours(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("command"), str) and MARK in value["command"]


def settings_file(env: Mapping[str, str] | None = None) -> Path:
    return paths.claude_config_dir(env) / "settings.json"


def _previous_path(env: Mapping[str, str] | None) -> Path:
    return paths.data_dir(env) / PREVIOUS


@dataclass(frozen=True)
class Outcome:
    """What install / uninstall did: action is one of installed, updated, already, replaced,
    removed, restored, absent."""

    path: Path
    action: str
    command: str | None = None
    previous: Any = None
    write: WriteResult | None = None


def _edit(path: Path, data: dict[str, Any], text: str | None, value: Any, dry_run: bool) -> WriteResult:
    expected = dict(data)
    if value is None:
        expected.pop("statusLine", None)
        new = remove_member(text, "statusLine", expected) if text and text.strip() else None
    else:
        expected["statusLine"] = value
        new = set_member(text, "statusLine", value, expected) if text and text.strip() else None
    if new is None:
        new = render_object(expected, text)
    return write_atomic(path, new, dry_run=dry_run, old_text=text)


def install(env: Mapping[str, str] | None = None, *, replace: bool = False, dry_run: bool = False) -> Outcome:
    path = settings_file(env)
    data, text = read_json_object(path)
    data = data if data is not None else {}
    cmd = command_line()
    existing = data.get("statusLine")
    if is_ours(existing):
        assert isinstance(existing, dict)
        if existing.get("command") == cmd:
            return Outcome(path, "already", cmd)
        value = {**existing, "command": cmd}  # another interpreter: keep padding etc.
        return Outcome(path, "updated", cmd, existing, _edit(path, data, text, value, dry_run))
    value = {"type": "command", "command": cmd}
    if existing is not None:
        shown = existing.get("command") if isinstance(existing, dict) else existing
        if not replace:
            raise AgentcostError(
                f"{path} already has a statusLine ({json.dumps(shown)}); nothing was changed",
                hint="`agentcost statusline install --replace` replaces it and keeps it for "
                "`agentcost statusline uninstall` to restore",
            )
        if not dry_run:
            prev = _previous_path(env)
            try:
                prev.parent.mkdir(parents=True, exist_ok=True)
                prev.write_text(json.dumps({"settings": str(path), "statusLine": existing}), encoding="utf-8")
            except OSError as e:
                raise ConfigError(f"cannot keep the previous statusLine: {e.strerror}", path=prev) from None
        return Outcome(path, "replaced", cmd, existing, _edit(path, data, text, value, dry_run))
    return Outcome(path, "installed", cmd, None, _edit(path, data, text, value, dry_run))


def uninstall(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Outcome:
    path = settings_file(env)
    data, text = read_json_object(path)
    existing = (data or {}).get("statusLine")
    if data is None or existing is None:
        return Outcome(path, "absent")
    if not is_ours(existing):
        shown = existing.get("command") if isinstance(existing, dict) else existing
        raise AgentcostError(
            f"the statusLine in {path} is not agentcost's ({json.dumps(shown)}); left as it is"
        )
    prev_path = _previous_path(env)
    previous = None
    raw = read_text(prev_path)
    if raw:
        try:
            doc = json.loads(raw)
            if isinstance(doc, dict) and doc.get("settings") == str(path):
                previous = doc.get("statusLine")
        except ValueError:
            previous = None
    result = _edit(path, data, text, previous, dry_run)
    if not dry_run and previous is not None:
        prev_path.unlink(missing_ok=True)
    return Outcome(path, "restored" if previous is not None else "removed", None, previous, result)
