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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from agentcost.audit.subtree import IgnoredDir
from agentcost.gitignore import Chain, Frame, Matcher, decide, outer_chain, read_ignore_lines
from agentcost.gitignore.sources import excluded_root
from agentcost.gitutil import GitContext

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


class _Dir(NamedTuple):
    path: str
    rel: str  # "" for the root, else "a/b/"
    view: int
    rule: str | None
    source: str | None
    root: str | None
    chain: Chain  # deepest ignore file first


def walk(
    root: Path,
    exclusions: Matcher | None = None,
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
    fold = git.ignorecase if git is not None else False
    top = _Dir(root_path, "", VIEW_INCLUDED, None, None, None, outer_chain(root, git))
    hidden = excluded_root(root, git)
    if hidden is not None:  # root lies inside a directory the enclosing repository ignores
        top = top._replace(view=VIEW_DISK, rule=hidden.rule.pattern, source=hidden.rule.source, root="")
    stack: list[_Dir] = [top]
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
            # git never follows a .gitignore that is a symbolic link inside the work tree
            lines = read_ignore_lines(os.path.join(d.path, ".gitignore"), follow_symlinks=False)
            if lines is not None:
                st.gitignore_files += 1
                m = Matcher.from_lines(lines, d.rel + ".gitignore", ignorecase=fold)
                if m:
                    chain = (Frame(m, "", len(d.rel)), *chain)
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
                    hit = decide(chain, rel, is_dir)
                    if hit is not None and hit.excluded:
                        view, rule, source = VIEW_DISK, hit.rule.pattern, hit.rule.source
                        where = rel + ("/" if is_dir else "")
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
