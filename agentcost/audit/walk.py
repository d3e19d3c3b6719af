"""One streaming walk of a directory tree that sorts every file into three views.

- view 1 `disk`: everything on disk (what an agent with a shell could reach), `.git/` included;
- view 2 `gitignore`: what survives `.gitignore` files (nested, negations, directory-only and anchored
  patterns), `.git/info/exclude` and git's global excludes file, never `.git/` itself;
- view 3 `included`: view 2 minus agentcost's recommended exclusions.

Each file is yielded once with the narrowest view it belongs to (3 means "in all three") and, when
it is excluded, the rule that excluded it and the directory or file where that happened.

Iterative `os.scandir`; memory holds one directory listing at a time plus the stack of pending
directories and the (st_dev, st_ino) of directories already visited. Symlinks are never followed
(content is counted where it really lives, and links out of the tree or into loops cannot mislead
the count); they are counted and reported. Unreadable directories are counted, never fatal.
"""

from __future__ import annotations

import os
import stat as stat_mod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from agentcost.audit.ignorematch import IgnoreMatcher
from agentcost.audit.subtree import IgnoredDir
from agentcost.errors import AgentcostError
from agentcost.gitutil import git_output, run_git
from agentcost.safepath import read_regular

VIEW_DISK = 1
VIEW_GITIGNORE = 2
VIEW_INCLUDED = 3
GIT_REASON = ".git/ (git's own data)"
EXAMPLES = 5  # how many example paths each problem list keeps


class FileInfo(NamedTuple):
    rel: str  # path relative to the root, "/" separators
    path: str  # absolute path
    size: int
    mtime_ns: int
    view: int  # VIEW_DISK / VIEW_GITIGNORE / VIEW_INCLUDED: the narrowest view holding the file
    rule: str | None  # the excluding pattern (None when included)
    source: str | None  # where the pattern comes from: ".gitignore:3", "agentcost:databases", ".git"
    root: str | None  # rel path of the directory (with "/") or file where the exclusion was decided


@dataclass
class WalkStats:
    dirs: int = 0
    unreadable_dirs: int = 0
    unreadable_examples: list[str] = field(default_factory=list)
    symlinks: int = 0
    symlinks_outside: int = 0
    symlinks_broken: int = 0
    symlink_examples: list[str] = field(default_factory=list)
    loops: int = 0
    special_files: int = 0
    unstatable_files: int = 0
    gitignore_files: int = 0
    git_repo: bool = False

    def note_unreadable(self, rel: str) -> None:
        self.unreadable_dirs += 1
        if len(self.unreadable_examples) < EXAMPLES:
            self.unreadable_examples.append(rel)


# One ignore file in the chain of a directory: (matcher, prefix, strip): the path tested is
# prefix + rel[strip:], i.e. the path relative to the ignore file's own directory.
_Frame = tuple[IgnoreMatcher, str, int]


class _Dir(NamedTuple):
    path: str
    rel: str  # "" for the root, else "a/b/"
    view: int
    rule: str | None
    source: str | None
    root: str | None
    chain: tuple[_Frame, ...]  # deepest ignore file first


@dataclass(frozen=True)
class GitContext:
    toplevel: Path
    git_dir: Path


def git_context(root: Path, env: Mapping[str, str] | None = None) -> GitContext | None:
    """The git work tree holding `root`, or None (not a repository, or git is not installed)."""
    out = git_output(["rev-parse", "--show-toplevel", "--absolute-git-dir"], root, env=env)
    lines = out.splitlines() if out else []
    if len(lines) < 2:
        return None
    return GitContext(Path(lines[0]), Path(lines[1]))


def _read_lines(path: Path) -> list[str] | None:
    # A repository's .gitignore may be a FIFO or a link to /dev/zero: regular files only, capped.
    try:
        data = read_regular(path)
    except (OSError, AgentcostError):
        return None
    return None if data is None else data.decode("utf-8", "replace").splitlines()


def _global_excludes_file(root: Path) -> Path | None:
    proc = run_git(["config", "--path", "--get", "core.excludesFile"], root)
    if proc is None:
        return None
    configured = proc.stdout.decode("utf-8", "surrogateescape").strip()
    if proc.returncode == 0 and configured:
        return Path(os.path.expanduser(configured))
    xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(xdg) if xdg else Path(os.path.expanduser("~")) / ".config"
    return base / "git" / "ignore"


def _outer_chain(root: Path, git: GitContext | None) -> tuple[_Frame, ...]:
    """Ignore files that apply to `root` from outside it: parents' .gitignore, info/exclude, global."""
    if git is None:
        return ()
    frames: list[_Frame] = []
    try:
        inside = root.resolve().relative_to(git.toplevel.resolve())
    except ValueError:
        return ()
    parts = inside.parts
    # Parents between the top level and root, deepest first.
    for depth in range(len(parts) - 1, -1, -1):
        anc = git.toplevel.joinpath(*parts[:depth])
        lines = _read_lines(anc / ".gitignore")
        if lines:
            prefix = "/".join(parts[depth:]) + "/"
            label = "/".join([*parts[:depth], ".gitignore"])
            frames.append((IgnoreMatcher.from_lines(lines, label), prefix, 0))
    top_prefix = "/".join(parts) + "/" if parts else ""
    lines = _read_lines(git.git_dir / "info" / "exclude")
    if lines:
        frames.append((IgnoreMatcher.from_lines(lines, ".git/info/exclude"), top_prefix, 0))
    glob_file = _global_excludes_file(root)
    if glob_file is not None:
        lines = _read_lines(glob_file)
        if lines:
            frames.append((IgnoreMatcher.from_lines(lines, str(glob_file)), top_prefix, 0))
    return tuple(f for f in frames if f[0])


def _decide(chain: tuple[_Frame, ...], rel: str, is_dir: bool) -> tuple[str, str] | None:
    """(pattern, source) if git's rules exclude `rel`, else None. The deepest ignore file decides."""
    for matcher, prefix, strip in chain:
        m = matcher.match(prefix + rel[strip:], is_dir)
        if m is not None:
            return (m.rule.pattern, m.rule.source) if m.excluded else None
    return None


def walk(
    root: Path,
    exclusions: IgnoreMatcher | None = None,
    *,
    stats: WalkStats | None = None,
    git: GitContext | None = None,
    on_ignored_dir: Callable[[IgnoredDir], None] | None = None,
) -> Iterator[FileInfo]:
    """Yield every regular file under `root` once, sorted into views (see module docstring).

    `exclusions` holds agentcost's recommended patterns (relative to `root`); `git` the repository
    context (from `git_context(root)`) used for `.git/info/exclude` and parents' `.gitignore`.
    With `on_ignored_dir`, a directory that is only on disk (`.git/`, git-ignored) is handed to it
    instead of being walked (see `subtree.summarize`).
    """
    st = stats if stats is not None else WalkStats()
    st.git_repo = git is not None
    root_path = os.path.abspath(root)
    root_real = os.path.realpath(root_path)
    excl = exclusions if exclusions else None
    visited: set[tuple[int, int]] = set()
    try:
        s = os.stat(root_path)
        visited.add((s.st_dev, s.st_ino))
    except OSError:
        st.note_unreadable(".")
        return
    stack: list[_Dir] = [_Dir(root_path, "", VIEW_INCLUDED, None, None, None, _outer_chain(root, git))]
    while stack:
        d = stack.pop()
        st.dirs += 1
        try:
            with os.scandir(d.path) as it:
                entries = list(it)
        except OSError:
            st.note_unreadable(d.rel or ".")
            continue
        chain = d.chain
        if d.view >= VIEW_GITIGNORE and any(e.name == ".gitignore" for e in entries):
            lines = _read_lines(Path(d.path) / ".gitignore")
            if lines is not None:
                st.gitignore_files += 1
                m = IgnoreMatcher.from_lines(lines, d.rel + ".gitignore")
                if m:
                    chain = ((m, "", len(d.rel)), *chain)
        for e in entries:
            rel = d.rel + e.name
            try:
                if e.is_symlink():
                    _note_symlink(st, e.path, rel, root_real)
                    continue
                is_dir = e.is_dir(follow_symlinks=False)
                s = e.stat(follow_symlinks=False)
            except OSError:
                st.unstatable_files += 1
                continue
            if not is_dir and not stat_mod.S_ISREG(s.st_mode):
                st.special_files += 1
                continue
            view, rule, source, where = d.view, d.rule, d.source, d.root
            if view >= VIEW_GITIGNORE:
                if e.name == ".git":
                    view, rule, source, where = VIEW_DISK, ".git/", GIT_REASON, rel + ("/" if is_dir else "")
                else:
                    hit = _decide(chain, rel, is_dir)
                    if hit is not None:
                        view, (rule, source), where = VIEW_DISK, hit, rel + ("/" if is_dir else "")
                    elif view == VIEW_INCLUDED and excl is not None:
                        em = excl.match(rel, is_dir)
                        if em is not None and em.excluded:
                            view, rule, source = VIEW_GITIGNORE, em.rule.pattern, em.rule.source
                            where = rel + ("/" if is_dir else "")
            if is_dir:
                if on_ignored_dir is not None and view == VIEW_DISK and d.view >= VIEW_GITIGNORE:
                    on_ignored_dir(IgnoredDir(e.path, rel + "/", rule or "", source or ""))
                    continue
                key = (s.st_dev, s.st_ino)
                if key in visited:
                    st.loops += 1
                    continue
                visited.add(key)
                stack.append(_Dir(e.path, rel + "/", view, rule, source, where, chain))
            else:
                yield FileInfo(rel, e.path, s.st_size, s.st_mtime_ns, view, rule, source, where)


def _note_symlink(st: WalkStats, path: str, rel: str, root_real: str) -> None:
    st.symlinks += 1
    target = os.path.realpath(path)
    if not os.path.exists(target):
        st.symlinks_broken += 1
        kind = "broken"
    elif target != root_real and not target.startswith(root_real + os.sep):
        st.symlinks_outside += 1
        kind = "points outside the tree"
    else:
        kind = "inside the tree"
    if len(st.symlink_examples) < EXAMPLES:
        st.symlink_examples.append(f"{rel} ({kind})")
