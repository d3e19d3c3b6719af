"""Running git: one place that turns "git missing / failed / hung" into None instead of an exception."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
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
