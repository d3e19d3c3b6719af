"""Running git: one place that turns "git missing / failed / hung" into None instead of an exception,
and the git helpers built on it (work tree root, `check-ignore`, `ls-files --error-unmatch`,
info/exclude, the settings that decide what git ignores)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def run_git(
    args: Sequence[str],
    cwd: Path,
    *,
    timeout: float = 30,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes] | None:
    """`git -C cwd ARGS` with output captured (bytes), or None when git is missing, can't start or hangs.

    The exit status is the caller's to interpret (`check-ignore` uses 1 for "not ignored").
    """
    try:
        return subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            timeout=timeout,
            check=False,
            env=None if env is None else dict(env),
        )
    except (OSError, subprocess.SubprocessError):
        return None


def git_output(
    args: Sequence[str], cwd: Path, *, timeout: float = 30, env: Mapping[str, str] | None = None
) -> str | None:
    """stdout of a successful `git -C cwd ARGS` (decoded, stripped), else None."""
    proc = run_git(args, cwd, timeout=timeout, env=env)
    if proc is None or proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "surrogateescape").strip()


def git_root(start: Path) -> Path | None:
    """The work tree root containing `start`, or None (no git, not a repository)."""
    out = git_output(["rev-parse", "--show-toplevel"], start, timeout=10)
    return Path(out) if out else None


def _dotgit_root(start: Path) -> Path | None:
    cur = start.resolve()
    for d in (cur, *cur.parents):
        if (d / ".git").exists():
            return d
    return None


def git_ignored(path: Path) -> bool | None:
    """Is `path` git-ignored (`git check-ignore`)? None when not in a git work tree or git is unavailable.

    A tracked (already committed) file counts as not ignored, as git has it.
    """
    root = _dotgit_root(path.parent)
    if root is None:
        return None
    proc = run_git(["check-ignore", "-q", str(path)], root, timeout=10)
    if proc is None:
        return None
    if proc.returncode == 0:
        return True
    if proc.returncode == 1:
        return False
    return None


def git_tracked(path: Path) -> bool | None:
    """Does git track `path` (it came with the clone)? None when not in a git work tree / no git."""
    root = _dotgit_root(path.parent)
    if root is None:
        return None
    proc = run_git(["ls-files", "--error-unmatch", "--", str(path)], root, timeout=10)
    if proc is None:
        return None
    if proc.returncode == 0:
        return True
    return False if proc.returncode == 1 and b"did not match" in (proc.stderr or b"") else None


def git_exclude_file(root: Path) -> Path | None:
    """The repository's `info/exclude` (per clone, never committed), via `git rev-parse --git-path`.

    Works when `.git` is a file (worktrees, submodules). None when git is unavailable or fails.
    """
    out = git_output(["rev-parse", "--git-path", "info/exclude"], root, timeout=10)
    if not out:
        return None
    path = Path(out)
    return path if path.is_absolute() else root / path


@dataclass(frozen=True)
class GitContext:
    """A git work tree, with the settings that decide what git ignores there."""

    toplevel: Path
    git_dir: Path
    excludes_file: Path | None = None  # core.excludesFile, else the XDG default (may not exist)
    ignorecase: bool = False  # core.ignorecase
    info_exclude: Path | None = None  # $GIT_COMMON_DIR/info/exclude (shared by linked worktrees)


_TRUE = ("true", "yes", "on")


def _config_bool(value: str | None) -> bool:
    if value is None:  # "[core] ignorecase" without "=": true
        return True
    v = value.strip().lower()
    if v in _TRUE:
        return True
    try:
        return int(v, 0) != 0
    except ValueError:
        return False


def git_context(root: Path, env: Mapping[str, str] | None = None) -> GitContext | None:
    """The git work tree holding `root`, or None (not a repository, or git is not installed)."""
    out = git_output(
        ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-path", "info/exclude"], root, env=env
    )
    lines = out.splitlines() if out else []
    if len(lines) < 2:
        return None
    info_exclude = Path(lines[2]) if len(lines) > 2 else Path(lines[1]) / "info" / "exclude"
    if not info_exclude.is_absolute():
        info_exclude = root / info_exclude
    excludes, ignorecase = None, False
    proc = run_git(["config", "-z", "--get-regexp", r"^core\.(excludesfile|ignorecase)$"], root, env=env)
    for item in (proc.stdout if proc is not None else b"").split(b"\0"):
        key, nl, raw = item.decode("utf-8", "surrogateescape").partition("\n")
        if key == "core.excludesfile" and raw.strip():
            excludes = Path(os.path.expanduser(raw.strip()))
        elif key == "core.ignorecase":
            ignorecase = _config_bool(raw if nl else None)
    if excludes is None:
        environ = os.environ if env is None else env
        xdg = environ.get("XDG_CONFIG_HOME", "").strip()
        home = environ.get("HOME") or os.path.expanduser("~")
        excludes = (Path(xdg) if xdg else Path(home) / ".config") / "git" / "ignore"
    return GitContext(Path(lines[0]), Path(lines[1]), excludes, ignorecase, info_exclude)
