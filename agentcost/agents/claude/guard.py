"""Safety nets run by `setup claude` after it writes (or, with --dry-run, would write).

* `protect_local()` — the key file `.claude/settings.local.json` must not be committable: when git
  does not ignore it, `.claude/settings.local.json` is appended to the clone's `info/exclude` (local
  to this clone, never committed, the team's .gitignore untouched).
* `overridden_here()` — pure: which of the variables just written a higher-precedence settings file
  overrides for the current directory (e.g. a user-scope set-up run inside a repository whose
  `.claude/settings.local.json` sets another ANTHROPIC_BASE_URL), so setup can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from agentcost.agents.claude.settings import (
    CRED_VARS,
    LOCAL_PATTERN,
    SCOPES,
    SettingsFile,
    add_git_exclude,
    effective_env,
    project_root,
)
from agentcost.gitutil import git_exclude_file, git_ignored
from agentcost.secrets import looks_like_key, mask


@dataclass(frozen=True)
class Protection:
    """Outcome of `protect_local`: `ok` False means the key file stays committable."""

    ok: bool
    notice: str | None = None
    warning: str | None = None


def protect_local(key_path: Path, *, dry_run: bool) -> Protection:
    """Make sure git ignores `key_path` (in a git work tree); add it to `info/exclude` if needed."""
    if git_ignored(key_path) is not False:
        return Protection(ok=True)  # ignored already, or not in a git work tree
    root = project_root(key_path.parent)
    team = "add `.claude/settings.local.json` to .gitignore to protect the whole team"
    exclude = git_exclude_file(root)
    unprotected = (
        f"{key_path} is NOT git-ignored and could not be excluded automatically: `git add .` would "
        "commit the key; add `.claude/settings.local.json` to .gitignore (or .git/info/exclude) now"
    )
    if exclude is None:
        return Protection(ok=False, warning=f"{unprotected} (git could not locate info/exclude)")
    if dry_run:
        return Protection(
            ok=True,
            notice=f"{key_path} is not git-ignored: would add `{LOCAL_PATTERN}` to {exclude} "
            f"(this clone only); {team}",
        )
    try:
        add_git_exclude(exclude)
    except OSError as e:
        return Protection(ok=False, warning=f"{unprotected} ({exclude}: {e.strerror or e})")
    if git_ignored(key_path) is not True:
        return Protection(
            ok=False,
            warning=f"{key_path} is still not git-ignored with `{LOCAL_PATTERN}` listed in {exclude}: "
            "git already tracks it (then `git commit -a` commits the key: run `git rm --cached "
            f"{LOCAL_PATTERN}` and rotate the key if it was ever pushed), or a .gitignore negates it "
            f"(`!{LOCAL_PATTERN}`: remove that line)",
        )
    return Protection(
        ok=True,
        notice=f"{key_path} was not git-ignored: added `{LOCAL_PATTERN}` to {exclude} (this clone "
        f"only, never committed); {team}",
    )


@dataclass(frozen=True)
class Override:
    var: str
    value: str  # display value: masked for credentials and key-like values
    path: Path  # the file whose value wins here
    written_to: Path

    def as_dict(self) -> dict[str, str]:
        return {
            "var": self.var,
            "value": self.value,
            "file": str(self.path),
            "written_to": str(self.written_to),
        }


def _display(var: str, value: str) -> str:
    if var in CRED_VARS or ("://" not in value and looks_like_key(value)):
        return mask(value) if value else '""'
    return value or '""'


def overridden_here(
    written: Iterable[tuple[str, Path, Mapping[str, str]]],
    files: list[SettingsFile],
    shell: Mapping[str, str],
) -> list[Override]:
    """Variables just written (scope, path, vars) whose effective value here comes from a
    higher-precedence file with a different value. Pure."""
    eff = effective_env(files, shell)
    out: list[Override] = []
    for scope, path, set_vars in written:
        for var, val in set_vars.items():
            v = eff.get(var)
            if v is None or v.path is None or v.path == path or v.value == val:
                continue
            if v.origin in SCOPES and SCOPES.index(v.origin) > SCOPES.index(scope):
                out.append(Override(var, _display(var, v.value), v.path, path))
    return out


def override_warnings(overrides: list[Override], cwd: Path) -> list[str]:
    """One warning per overriding file, listing its variables (credentials masked)."""
    by_file: dict[Path, list[Override]] = {}
    for o in overrides:
        by_file.setdefault(o.path, []).append(o)
    out = []
    for path, items in by_file.items():
        listed = ", ".join(f"{o.var}={o.value}" for o in items)
        out.append(
            f"in {cwd}, {path} overrides what was written to {items[0].written_to}: {listed} — Claude Code "
            "run here uses those values, not the new ones (elsewhere the new ones apply); edit or remove "
            "them there, or run `agentcost setup claude --scope local` here"
        )
    return out
