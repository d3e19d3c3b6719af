"""Codex CLI: a permission profile that denies reads of secrets to the commands Codex runs (opt-in).

Codex has no ignore file. Its permission profiles (beta) take deny globs per workspace root:

    default_permissions = "agentcost"

    [permissions.agentcost]
    extends = ":workspace"

    [permissions.agentcost.filesystem.":workspace_roots"]
    "**/.env" = "deny"

Checked with `codex sandbox cat ...` on Codex 0.171.0 (Linux): denied files fail with "Permission
denied", the rest read. Glob entries accept only "deny" (a "read" glob stops Codex from starting), so
exceptions such as `.env.example` are impossible. The merge adds missing entries only, never changes
the user's values, and selects the profile (`default_permissions`) only when nothing else is
selected and `sandbox_mode` is not set (Codex ignores profiles then).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from agentcost.errors import ConfigError
from agentcost.fileio import detect_newline, parse_toml, with_newlines

ROOTS_KEY = ":workspace_roots"


@dataclass
class CodexMerge:
    text: str
    added: list[str] = field(default_factory=list)
    selected: bool = False  # default_permissions now names our profile (set by us or before)
    notes: list[str] = field(default_factory=list)


def _table(container: Any, key: str, where: Path | str, *, super_table: bool = False) -> Table:
    if key not in container:
        container[key] = tomlkit.table(is_super_table=super_table)
    value = container[key]
    if not isinstance(value, Table):
        raise ConfigError(f"`{key}` must be a table", path=where, hint="fix it by hand; nothing was written")
    return value


def merge_codex_profile(
    old_text: str | None,
    path: Path | str,
    *,
    profile: str,
    extends: str,
    deny: Sequence[str],
) -> CodexMerge:
    """`old_text` (config.toml, or None) with the profile's deny entries added."""
    doc = parse_toml(old_text, path) if old_text else tomlkit.document()
    perms = _table(doc, "permissions", path, super_table=True)
    prof = _table(perms, profile, path)
    extends_added = "extends" not in prof
    if extends_added:
        prof["extends"] = extends
    fs = _table(prof, "filesystem", path, super_table=True)
    roots = _table(fs, ROOTS_KEY, path)
    added: list[str] = []
    notes: list[str] = []
    for glob in deny:
        if glob not in roots:
            roots[glob] = "deny"
            added.append(glob)
        elif roots[glob] != "deny":
            notes.append(f"kept your value {glob!r} = {roots[glob]!r} in [permissions.{profile}]")
    selected = False
    current = doc.get("default_permissions")
    if "sandbox_mode" in doc:
        notes.append(
            "`sandbox_mode` is set in config.toml: Codex ignores permission profiles then; remove it "
            f'and set default_permissions = "{profile}" to use this one'
        )
    elif current is None:
        doc["default_permissions"] = profile  # tomlkit places a top-level key before the first table
        selected = True
        notes.append(f'selected the profile for every project: default_permissions = "{profile}"')
    elif current == profile:
        selected = True
    else:
        notes.append(
            f"default_permissions is {current!r}: left as is; use this profile with "
            f"`codex -c default_permissions='\"{profile}\"'` or by setting it in config.toml"
        )
    changed = bool(added) or extends_added or (selected and current is None)
    if old_text is not None and not changed:
        return CodexMerge(text=old_text, selected=selected, notes=notes)
    text = with_newlines(tomlkit.dumps(doc), detect_newline(old_text))
    return CodexMerge(text=text, added=added, selected=selected, notes=notes)
