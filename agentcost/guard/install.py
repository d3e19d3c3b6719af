"""Install / uninstall the guard's hooks in the clients' *user* settings (never a project's).

Claude Code: `~/.claude/settings.json` (or `$CLAUDE_CONFIG_DIR/settings.json`), member `hooks`: one
matcher group per event whose command is `<this python> -m agentcost guard hook <Event>`. Only the
`hooks` member is rewritten (every other byte stays; minimal-diff editor, backup, atomic write);
other tools' hook groups in it are kept as they are. Uninstall removes exactly our groups (and an
event list, or the whole member, left empty by that).

Codex (0.171.0, observed): hooks run from `$CODEX_HOME/hooks.json` (`{"hooks": {<Event>: [groups]}}`,
the Claude Code shape) once *trusted*: `config.toml` must hold `[hooks.state."<key>"] trusted_hash
= "sha256:…"` for each hook, where key and hash are what `codex app-server`'s `hooks/list` reports.
`install` writes hooks.json, asks the installed `codex app-server` for the keys and hashes of our
hooks, and records exactly those in config.toml (tomlkit: comments and order kept). Without a
`codex` binary the hooks are written but stay untrusted (Codex then does not run them), and we say so.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentcost import paths
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import WriteResult, read_json_object, read_toml, write_atomic
from agentcost.jsonedit import remove_member, render_object, set_member

MARK = "-m agentcost guard hook"
CLAUDE_EVENTS = (
    "SessionStart",
    "UserPromptSubmit",
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "PostToolBatch",
    "Stop",
    "StopFailure",
)
TOOL_EVENTS = frozenset({"PreToolUse", "PostToolUse", "PostToolUseFailure"})
CODEX_EVENTS = ("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop")
HOOK_TIMEOUT = 30  # seconds; the hook fails open long before


def command_line(event: str, agent: str = "claude", python: str | None = None) -> str:
    py = shlex.quote(python or sys.executable)
    return f"{py} {MARK} {event}" if agent == "claude" else f"{py} {MARK} --agent {agent} {event}"


def is_ours(hook: object) -> bool:
    return isinstance(hook, dict) and isinstance(hook.get("command"), str) and MARK in hook["command"]


def interpreter_of(command: str) -> str | None:
    """The interpreter path of one of our hook commands."""
    try:
        parts = shlex.split(command)
    except ValueError:
        return None
    return parts[0] if parts else None


def _group(event: str, agent: str) -> dict[str, Any]:
    hook = {"type": "command", "command": command_line(event, agent), "timeout": HOOK_TIMEOUT}
    g: dict[str, Any] = {"hooks": [hook]}
    if agent == "claude" and event in TOOL_EVENTS:
        g = {"matcher": "", **g}
    return g


def _strip_ours(hooks: Mapping[str, Any]) -> dict[str, Any]:
    """`hooks` without our hook entries; groups and event lists left empty by that are dropped."""
    out: dict[str, Any] = {}
    for event, groups in hooks.items():
        if not isinstance(groups, list):
            out[event] = groups
            continue
        kept = []
        for g in groups:
            if isinstance(g, dict) and isinstance(g.get("hooks"), list):
                inner = [h for h in g["hooks"] if not is_ours(h)]
                if not inner and g["hooks"]:
                    continue
                if len(inner) != len(g["hooks"]):
                    g = {**g, "hooks": inner}
            kept.append(g)
        if kept or not groups:
            out[event] = kept
    return out


def _with_ours(hooks: Mapping[str, Any], events: tuple[str, ...], agent: str) -> dict[str, Any]:
    out = _strip_ours(hooks)
    for event in events:
        out[event] = [*(out.get(event) or []), _group(event, agent)]
    return out


def ours_in(hooks: object) -> dict[str, str]:
    """event -> command of our hooks found in a `hooks` object."""
    found: dict[str, str] = {}
    if not isinstance(hooks, dict):
        return found
    for event, groups in hooks.items():
        for g in groups if isinstance(groups, list) else []:
            for h in g.get("hooks", []) if isinstance(g, dict) and isinstance(g.get("hooks"), list) else []:
                if is_ours(h):
                    found[event] = h["command"]
    return found


@dataclass
class Outcome:
    agent: str
    path: Path
    action: str  # installed | updated | already | removed | absent
    write: WriteResult | None = None
    trust: str | None = None  # Codex: trusted | untrusted: <why> | None
    extra_writes: list[WriteResult] = field(default_factory=list)


# Claude Code ------------------------------------------------------------------------------------


def claude_settings(env: Mapping[str, str] | None = None) -> Path:
    return paths.claude_config_dir(env) / "settings.json"


def _edit_member(
    path: Path, data: dict[str, Any], text: str | None, value: Any, dry_run: bool
) -> WriteResult:
    expected = dict(data)
    if value is None:
        expected.pop("hooks", None)
        new = remove_member(text, "hooks", expected) if text and text.strip() else None
    else:
        expected["hooks"] = value
        new = set_member(text, "hooks", value, expected) if text and text.strip() else None
    if new is None:
        new = render_object(expected, text)
    return write_atomic(path, new, dry_run=dry_run, old_text=text)


def _hooks_value(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict):
        raise ConfigError("`hooks` is not an object; nothing was changed", path=path)
    return hooks


def install_claude(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Outcome:
    path = claude_settings(env)
    data, text = read_json_object(path)
    data = data if data is not None else {}
    hooks = _hooks_value(data, path)
    new = _with_ours(hooks, CLAUDE_EVENTS, "claude")
    if new == hooks:
        return Outcome("claude", path, "already")
    action = "updated" if ours_in(hooks) else "installed"
    return Outcome("claude", path, action, _edit_member(path, data, text, new, dry_run))


def uninstall_claude(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Outcome:
    path = claude_settings(env)
    data, text = read_json_object(path)
    if data is None or not ours_in(data.get("hooks")):
        return Outcome("claude", path, "absent")
    hooks = _hooks_value(data, path)
    new = _strip_ours(hooks)
    return Outcome("claude", path, "removed", _edit_member(path, data, text, new or None, dry_run))


# Codex -----------------------------------------------------------------------------------------


def codex_hooks_file(env: Mapping[str, str] | None = None) -> Path:
    return paths.codex_home(env) / "hooks.json"


def codex_config(env: Mapping[str, str] | None = None) -> Path:
    return paths.codex_home(env) / "config.toml"


def _codex_bin(env: Mapping[str, str] | None) -> str | None:
    e = os.environ if env is None else env
    explicit = e.get("AGENTCOST_CODEX_BIN", "").strip()
    if explicit:
        return explicit
    return shutil.which("codex", path=e.get("PATH"))


def codex_hook_list(env: Mapping[str, str] | None = None, timeout: float = 30.0) -> list[dict[str, Any]]:
    """The hooks `codex app-server` reports (`hooks/list`): key, command, currentHash, trustStatus."""
    binary = _codex_bin(env)
    if binary is None:
        raise AgentcostError("no `codex` on PATH to ask for the hooks' trust hashes")
    e = dict(os.environ if env is None else env)
    msgs = [
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {"clientInfo": {"name": "agentcost", "version": "guard"}},
        },
        {"jsonrpc": "2.0", "method": "initialized"},
        {"jsonrpc": "2.0", "id": 1, "method": "hooks/list", "params": {"cwds": [str(paths.home(env))]}},
    ]
    try:
        # --disable plugins / analytics off: no connection to chatgpt.com or github.com for a listing
        proc = subprocess.Popen(
            [binary, "app-server", "--disable", "plugins", "-c", "analytics.enabled=false"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=e,
            text=True,
        )
    except OSError as err:
        raise AgentcostError(f"cannot run {binary} app-server: {err.strerror or err}") from None
    assert proc.stdin is not None and proc.stdout is not None
    import queue
    import threading

    lines: queue.Queue[str] = queue.Queue()

    def pump(stream: Any) -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, args=(proc.stdout,), daemon=True).start()
    try:
        for m in msgs:
            proc.stdin.write(json.dumps(m) + "\n")
        proc.stdin.flush()
        import time

        deadline = time.monotonic() + timeout
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AgentcostError("codex app-server did not answer hooks/list in time") from None
            if not line:
                raise AgentcostError("codex app-server ended without answering hooks/list")
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict) and doc.get("id") == 1:
                if "error" in doc:
                    raise AgentcostError(f"codex app-server: hooks/list failed: {doc['error']}")
                hooks: list[dict[str, Any]] = []
                for entry in doc.get("result", {}).get("data", []):
                    hooks += [h for h in entry.get("hooks", []) if isinstance(h, dict)]
                return hooks
    finally:
        proc.kill()
        proc.wait()


def _write_trust(
    env: Mapping[str, str] | None, trusted: dict[str, str], remove: set[str], dry_run: bool
) -> WriteResult | None:
    """Set `[hooks.state."<key>"] trusted_hash` for `trusted`, drop the keys in `remove`."""
    import tomlkit

    path = codex_config(env)
    doc, text = read_toml(path)
    if doc is None:
        doc = tomlkit.document()
    hooks = doc.get("hooks")
    if hooks is None:
        if not trusted:
            return None
        hooks = tomlkit.table(is_super_table=True)
        doc["hooks"] = hooks
    state = hooks.get("state")
    if state is None:
        if not trusted:
            return None
        state = tomlkit.table(is_super_table=True)
        hooks["state"] = state
    for key in remove:
        if key in state and key not in trusted:
            del state[key]
    for key, h in trusted.items():
        if key in state and isinstance(state[key], dict):
            state[key]["trusted_hash"] = h
        else:
            t = tomlkit.table()
            t["trusted_hash"] = h
            state[key] = t
    if not len(state):
        del hooks["state"]
    if not len(hooks):
        del doc["hooks"]
    new = tomlkit.dumps(doc)
    if text is not None and not text.endswith("\n\n"):
        new = new.rstrip("\n") + ("\n" if text.endswith("\n") else "")  # tomlkit leaves blank lines
    return write_atomic(path, new, dry_run=dry_run, old_text=text)


def install_codex(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Outcome:
    path = codex_hooks_file(env)
    if not paths.codex_home(env).is_dir():
        raise AgentcostError(
            f"{paths.codex_home(env)} does not exist (is Codex installed?); nothing was changed"
        )
    data, text = read_json_object(path)
    data = data if data is not None else {}
    hooks = _hooks_value(data, path)
    new = _with_ours(hooks, CODEX_EVENTS, "codex")
    write = None
    action = "already"
    if new != hooks:
        action = "updated" if ours_in(hooks) else "installed"
        write = _edit_member(path, data, text, new, dry_run)
    if dry_run:
        return Outcome("codex", path, action, write, "not checked (dry run)")
    try:
        listed = codex_hook_list(env)
    except AgentcostError as e:
        return Outcome("codex", path, action, write, f"untrusted: {e.message}")
    ours = {
        h["key"]: h["currentHash"]
        for h in listed
        if MARK in str(h.get("command", ""))
        and isinstance(h.get("key"), str)
        and isinstance(h.get("currentHash"), str)
        and str(h.get("sourcePath", "")) == str(path)
    }
    if len(ours) < len(CODEX_EVENTS):
        return Outcome(
            "codex",
            path,
            action,
            write,
            f"untrusted: codex listed {len(ours)} of our {len(CODEX_EVENTS)} hooks",
        )
    stale = {h["key"] for h in listed if MARK in str(h.get("command", "")) and h.get("key") not in ours}
    tw = _write_trust(env, ours, stale | (_remembered_trust(env) - set(ours)), dry_run)
    _remember_trust(env, list(ours))
    out = Outcome(
        "codex",
        path,
        action if action != "already" or not (tw and tw.changed) else "updated",
        write,
        "trusted",
    )
    if tw is not None:
        out.extra_writes.append(tw)
    return out


def _trust_memo(env: Mapping[str, str] | None) -> Path:
    return paths.data_dir(env) / "guard-codex-trust.json"


def _remember_trust(env: Mapping[str, str] | None, keys: list[str]) -> None:
    p = _trust_memo(env)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps({"keys": sorted(keys)}), encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"cannot record the trusted hook keys: {e.strerror}", path=p) from None


def _remembered_trust(env: Mapping[str, str] | None) -> set[str]:
    try:
        doc = json.loads(_trust_memo(env).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    keys = doc.get("keys") if isinstance(doc, dict) else None
    return {k for k in keys if isinstance(k, str)} if isinstance(keys, list) else set()


def uninstall_codex(env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> Outcome:
    """Remove our groups from hooks.json (the file itself if nothing else is left in it) and exactly
    the `[hooks.state]` entries `install` wrote."""
    path = codex_hooks_file(env)
    data, text = read_json_object(path)
    keys = _remembered_trust(env)
    if data is None or not ours_in(data.get("hooks")):
        return Outcome("codex", path, "absent")
    hooks = _hooks_value(data, path)
    new = _strip_ours(hooks)
    out = Outcome("codex", path, "removed")
    if not new and set(data) == {"hooks"}:
        # the file is ours alone: remove it rather than leave `{}` behind
        if not dry_run:
            path.unlink()
        out.write = WriteResult(path=path, changed=True, dry_run=dry_run)
    else:
        out.write = _edit_member(path, data, text, new or None, dry_run)
    if keys:
        tw = _write_trust(env, {}, keys, dry_run)
        if tw is not None:
            out.extra_writes.append(tw)
        if not dry_run:
            _trust_memo(env).unlink(missing_ok=True)
    return out


def _trusted(env: Mapping[str, str] | None) -> bool:
    """Every trust entry install recorded is still in config.toml (hashes as Codex computed them)."""
    keys = _remembered_trust(env)
    if not keys:
        return False
    try:
        doc, _ = read_toml(codex_config(env))
    except ConfigError:
        return False
    hooks = doc.get("hooks") if doc is not None else None
    state = hooks.get("state") if isinstance(hooks, dict) else None
    return isinstance(state, dict) and all(k in state for k in keys)


def installed(env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Per client: where, which events, and whether the interpreter of each hook exists."""
    out = []
    for agent, path in (("claude", claude_settings(env)), ("codex", codex_hooks_file(env))):
        try:
            data, _ = read_json_object(path)
        except ConfigError as e:
            out.append({"agent": agent, "path": str(path), "events": {}, "live": False, "problem": e.message})
            continue
        found = ours_in((data or {}).get("hooks"))
        interpreters = {interpreter_of(c) for c in found.values()}
        missing = sorted(p for p in interpreters if p and not os.access(p, os.X_OK))
        problem = None
        if missing:
            problem = f"the hook's interpreter does not exist or cannot run: {', '.join(missing)}"
        elif agent == "codex" and found and not _trusted(env):
            missing = ["(untrusted)"]
            problem = (
                "the hooks are not trusted in config.toml, so Codex does not run them: "
                "`agentcost guard install --client codex` with `codex` on PATH"
            )
        out.append(
            {
                "agent": agent,
                "path": str(path),
                "events": sorted(found),
                "live": bool(found) and not missing,
                "problem": problem,
                "interpreters": sorted(p for p in interpreters if p),
            }
        )
    return out
