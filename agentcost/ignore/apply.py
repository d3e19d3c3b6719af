"""Plan and apply `agentcost ignore`: one change per agent, computed first, written only on apply.

Planning reads files and never writes; `apply_plan` writes through `fileio.write_atomic`
(no write when unchanged, temp file + fsync + rename, mode and line endings kept).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agentcost.errors import ConfigError, UsageError
from agentcost.fileio import WriteResult, read_text, write_atomic
from agentcost.gitignore.block import (
    IGNORE_FILES,
    apply_block,
    previous_additions,
    render_block,
    sections_for,
    user_lines_preserved,
)
from agentcost.gitutil import git_root
from agentcost.ignore.claude import Skipped, claude_rules, merge_deny_rules
from agentcost.ignore.codex import merge_codex_profile
from agentcost.ignore.defaults import ExclusionGroup, default_catalog
from agentcost.ignore.detect import Listing
from agentcost.paths import codex_home
from agentcost.safepath import check_write_target

AGENTS = ("claude", "cursor", "aider", "gemini", "codex", "rg")
DEFAULT_AGENTS = ("claude", "cursor", "aider", "gemini", "codex")
SCOPES = {"project": "settings.json", "local": "settings.local.json"}
SHELL_CAVEAT = (
    "None of these stops an agent that runs a shell command (`cat`, `grep` through Bash or a sandboxed "
    "command): they only steer the agent's own file tools and search."
)
CODEX_CAVEAT = (
    "The Codex permission profile is the exception for its secrets: it applies to the commands Codex "
    "runs in its sandbox, not to commands you let it run outside the sandbox."
)


def shell_caveat(plan: IgnorePlan | None = None) -> str:
    """The caveat to print, with the Codex exception when a profile was planned."""
    if plan is not None and any(c.agent == "codex" and c.path is not None for c in plan.changes):
        return f"{SHELL_CAVEAT} {CODEX_CAVEAT}"
    return SHELL_CAVEAT


@dataclass
class AgentChange:
    agent: str
    display: str
    path: Path | None  # None: nothing to write (Codex)
    old_text: str | None = None
    new_text: str | None = None
    rules_added: list[str] = field(default_factory=list)
    rules_total: int = 0  # Claude: rules agentcost wants present; ignore files: patterns in the block
    skipped: list[Skipped] = field(default_factory=list)
    note: str = ""
    notes: list[str] = field(default_factory=list)  # things the user should know (Codex selection, ...)
    backup: bool = True
    result: WriteResult | None = None

    @property
    def changed(self) -> bool:
        return self.new_text is not None and self.new_text != self.old_text


@dataclass
class IgnorePlan:
    root: Path
    scope: str
    changes: list[AgentChange]


def parse_agents(value: str | None, rg: bool = False) -> list[str]:
    """`claude,cursor` -> ["claude", "cursor"]; unknown names are a usage error."""
    if value is None or not value.strip():
        agents = list(DEFAULT_AGENTS)
    else:
        agents = []
        for a in (x.strip().lower() for x in value.split(",")):
            if not a:
                continue
            if a not in AGENTS:
                raise UsageError(f"unknown agent {a!r}", hint=f"choose from: {', '.join(AGENTS)}")
            if a not in agents:
                agents.append(a)
    if rg and "rg" not in agents:
        agents.append("rg")
    return agents


def resolve_root(path: Path | None, cwd: Path) -> Path:
    """PATH as given, else the git work tree root of `cwd`, else `cwd`."""
    if path is not None:
        root = path if path.is_absolute() else cwd / path
        if not root.is_dir():
            raise UsageError(f"not a directory: {path}")
        return root.resolve()
    return (git_root(cwd) or cwd).resolve()


def claude_settings_path(root: Path, scope: str) -> Path:
    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}", hint="use --scope project or --scope local")
    return root / ".claude" / SCOPES[scope]


def build_plan(
    root: Path,
    agents: Sequence[str],
    *,
    scope: str = "project",
    groups: Sequence[ExclusionGroup] | None = None,
    extra: Sequence[str] = (),
    detected: Sequence[str] = (),
    listing: Listing | None = None,
    reset: bool = False,
    codex_profile: bool = False,
    env: Mapping[str, str] | None = None,
) -> IgnorePlan:
    """What each agent's file would become. Reads, never writes; refuses malformed files."""
    catalog = default_catalog()
    groups = list(groups) if groups is not None else list(catalog.groups)
    extra_all = [*extra, *(d for d in detected if d not in extra)]
    changes: list[AgentChange] = []
    for agent in agents:
        if agent == "claude":
            path = claude_settings_path(root, scope)
            repo_files: list[str] = []
            if listing is not None:
                repo_files = [rel for rel, _ in listing.files] + list(listing.ignored)
            rules = claude_rules(groups, extra_all, repo_files)
            check_write_target(path, root=root)  # before reading: `.claude -> /elsewhere` is refused
            old = read_text(path)
            merged = merge_deny_rules(old, rules.rules, path)
            notes = []
            if scope == "local" and _would_be_committed(path):
                notes.append(
                    f"{path.relative_to(root)} is not git-ignored: add it to .gitignore if it is meant to "
                    "stay personal (Claude Code ignores it in git only when it creates the file itself)"
                )
            changes.append(
                AgentChange(
                    agent="claude",
                    display="Claude Code",
                    path=path,
                    old_text=old,
                    new_text=merged.text,
                    rules_added=merged.added,
                    rules_total=len(rules.rules),
                    skipped=rules.skipped,
                    note="permissions.deny Read(...) rules (there is no .claudeignore)",
                    notes=notes,
                )
            )
        elif agent == "codex" and codex_profile:
            path = codex_home(env) / "config.toml"
            check_write_target(path)  # user scope: the user's own symlink, to a regular file they own
            old = read_text(path)
            cm = merge_codex_profile(
                old,
                path,
                profile=catalog.codex_profile,
                extends=catalog.codex_extends,
                deny=catalog.codex_deny,
            )
            changes.append(
                AgentChange(
                    agent="codex",
                    display="Codex CLI",
                    path=path,
                    old_text=old,
                    new_text=cm.text,
                    rules_added=cm.added,
                    rules_total=len(catalog.codex_deny),
                    note=f"permission profile [permissions.{catalog.codex_profile}]: reads of secrets denied "
                    "to the commands Codex runs (global: every project)",
                    notes=cm.notes,
                )
            )
        elif agent == "codex":
            changes.append(
                AgentChange(agent="codex", display="Codex CLI", path=None, note=catalog.codex_note)
            )
        else:
            name, display = IGNORE_FILES[agent]
            path = root / name
            check_write_target(path, root=root)  # a committed `.cursorignore -> ~/.bashrc` is refused
            old = read_text(path)
            prev_extra, prev_detected = ([], []) if reset else previous_additions(old)
            file_extra = _union(prev_extra, extra)
            file_detected = [d for d in _union(prev_detected, detected) if d not in file_extra]
            block = render_block(sections_for(groups, file_extra, file_detected))
            new = apply_block(old, block, path)
            if not user_lines_preserved(old, new):
                raise AssertionError(f"{path}: lines outside the agentcost block would change")
            n_patterns = sum(1 for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#"))
            changes.append(
                AgentChange(
                    agent=agent,
                    display=display,
                    path=path,
                    old_text=old,
                    new_text=new,
                    rules_total=n_patterns,
                    note=f"{name} (gitignore syntax, fenced agentcost block)",
                    # only agentcost's own block changes (checked above): a backup in the repository
                    # root would be clutter someone commits by mistake
                    backup=False,
                )
            )
    return IgnorePlan(root=root, scope=scope, changes=changes)


def _would_be_committed(path: Path) -> bool:
    """True when `path` is inside a git work tree and not ignored there (no git, no repo: False)."""
    from agentcost.gitutil import git_ignored

    return git_ignored(path) is False


def _union(a: Sequence[str], b: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*a, *b]))


def _preflight(plan: IgnorePlan) -> None:
    """Refuse before writing anything when one of the files cannot be written."""
    for ch in plan.changes:
        if ch.path is None or not ch.changed:
            continue
        target = Path(os.path.realpath(ch.path))
        if target.exists():
            if not os.access(target, os.W_OK):
                raise ConfigError(
                    "file is read-only; nothing was written", path=ch.path, hint="check its mode"
                )
            continue
        parent = target.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            raise ConfigError(f"cannot create the file in {parent}; nothing was written", path=ch.path)


def apply_plan(plan: IgnorePlan, *, dry_run: bool = False) -> IgnorePlan:
    """Write every change (or, with dry_run, compute its diff). Unchanged files are not touched."""
    if not dry_run:
        _preflight(plan)
    for ch in plan.changes:
        if ch.path is None or ch.new_text is None:
            continue
        ch.result = write_atomic(
            ch.path,
            ch.new_text,
            backup=ch.backup,
            dry_run=dry_run,
            old_text=ch.old_text,
            within=None if ch.agent == "codex" else plan.root,  # Codex's profile: user scope
        )
    return plan
