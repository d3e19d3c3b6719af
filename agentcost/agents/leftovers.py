"""Files agentcost itself wrote or left behind that could expose a key to other users (for `doctor`).

Backups (`*.agentcost-backup-*`, beside a config file or in the cache dir), temp files a killed write
left (`.*.agentcost-tmp`) and crash reports. A finding for each one that holds something secret and is
readable by group/others, or that sits in a git work tree where `git add .` would commit it, or that
is a temp file (never meant to outlive its write), with the shell command that fixes it.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path

from agentcost.agents.findings import Finding, Severity
from agentcost.fileio import TMP_SUFFIX
from agentcost.paths import cache_dir, claude_config_dir, codex_home
from agentcost.secrets import mask_secret_fields, scrub

_READ_CAP = 4 * 1024 * 1024  # enough to find a key in any config file; bounds the cost of a huge one


def _holds_secret(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read(_READ_CAP)
    except OSError:
        return False
    return mask_secret_fields(text) != text or scrub(text) != text


def _in_git_work_tree(path: Path) -> bool:
    return any((parent / ".git").exists() for parent in path.parents)


def _candidates(dirs: Iterable[Path], cache: Path) -> list[Path]:
    found: list[Path] = []
    for d in dirs:
        try:
            for p in d.iterdir():
                n = p.name
                if (
                    ".agentcost-backup-" in n
                    or (n.startswith(".") and n.endswith(TMP_SUFFIX))
                    or (d == cache_dir() and n.startswith("crash-"))
                ):
                    found.append(p)
        except OSError:
            continue
    return sorted(set(found))


def _dirs(env: Mapping[str, str], cwd: Path) -> list[Path]:
    dirs = [claude_config_dir(env), codex_home(env), cache_dir(env), cache_dir(env) / "backups"]
    for parent in (cwd, *cwd.parents):
        if (parent / ".claude").is_dir():
            dirs.append(parent / ".claude")
        if (parent / ".git").exists():
            break
    return dirs


def check_leftovers(env: Mapping[str, str], cwd: Path) -> list[Finding]:
    findings: list[Finding] = []
    backups = cache_dir(env) / "backups"
    try:
        mode = stat.S_IMODE(os.stat(backups).st_mode)
        if mode & 0o077:
            findings.append(
                Finding(
                    "AGENTCOST_BACKUP_DIR_MODE",
                    Severity.WARNING,
                    f"agentcost's backup directory is open to other users (mode {mode:04o})",
                    f"chmod 700 {shlex.quote(str(backups))}",
                    str(backups),
                )
            )
    except OSError:
        pass
    for p in _candidates(_dirs(env, cwd), cache_dir(env)):
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        q = shlex.quote(str(p))
        if p.name.endswith(TMP_SUFFIX):
            findings.append(
                Finding(
                    "AGENTCOST_LEFTOVER_TEMP",
                    Severity.WARNING,
                    f"a temp file left by an interrupted agentcost write (it may hold a key): {p}",
                    f"rm {q}",
                    str(p),
                )
            )
            continue
        if not _holds_secret(p):
            continue
        if _in_git_work_tree(p):
            findings.append(
                Finding(
                    "AGENTCOST_BACKUP_IN_REPO",
                    Severity.WARNING,
                    f"an agentcost backup holding a key sits in a git work tree (`git add .` would commit "
                    f"it): {p}",
                    f"rm {q}",
                    str(p),
                )
            )
        elif stat.S_IMODE(st.st_mode) & 0o077:
            findings.append(
                Finding(
                    "AGENTCOST_BACKUP_READABLE",
                    Severity.WARNING,
                    f"an agentcost {'crash report' if p.name.startswith('crash-') else 'backup'} holding a "
                    f"key is readable by other users (mode {stat.S_IMODE(st.st_mode):04o}): {p}",
                    f"chmod 600 {q}",
                    str(p),
                )
            )
    return findings
