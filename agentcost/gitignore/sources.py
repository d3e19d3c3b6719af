"""Where git's exclude rules come from, and which file decides.

git reads, for a path: the `.gitignore` of every directory from the work tree's top down to the
path's directory, `$GIT_DIR/info/exclude`, and the global excludes file (`core.excludesFile`, else
`$XDG_CONFIG_HOME/git/ignore`). The deepest `.gitignore` that has a matching line decides (its last
matching line), then shallower ones, then info/exclude, then the global file. A directory that is
excluded is not entered, so nothing below it can be re-included, and its `.gitignore` is never read.

A `Chain` is that list of files for one directory, deepest first; `Frame.prefix`/`strip` turn a path
relative to the walk's root into a path relative to each file's own directory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from agentcost.gitignore.matcher import Match, Matcher, Rule
from agentcost.gitutil import GitContext, git_context

MAX_IGNORE_BYTES = 8 << 20  # git itself reads any size; a bigger file is not an ignore file


def read_ignore_lines(path: Path | str, *, follow_symlinks: bool = True) -> list[str] | None:
    """The lines of an ignore file as git splits them ("\\n" only; a UTF-8 BOM skipped), or None.

    Undecodable bytes are kept as surrogates, so patterns match the same bytes git matches.
    git refuses a `.gitignore` that is a symbolic link inside the work tree: `follow_symlinks=False`.
    """
    try:
        # O_NONBLOCK: a FIFO named .gitignore must not hang the walk; only regular files are read
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        flags |= 0 if follow_symlinks else getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            data = fh.read(MAX_IGNORE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_IGNORE_BYTES:  # not an ignore file: skipped whole rather than cut mid-line
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "surrogateescape").split("\n")


@dataclass(frozen=True, slots=True)
class Frame:
    """One ignore file in a chain: the path tested is `prefix + rel[strip:]`."""

    matcher: Matcher
    prefix: str
    strip: int


Chain = tuple[Frame, ...]


def decide(chain: Chain, rel: str, is_dir: bool) -> Match | None:
    """The match that decides `rel` (relative to the walk's root): the deepest file with a matching
    line wins, exclusion or negation. None: no rule matches (the path is kept)."""
    for f in chain:
        m = f.matcher.match(f.prefix + rel[f.strip :], is_dir)
        if m is not None:
            return m
    return None


def push(chain: Chain, dir_path: str, dir_rel: str, *, ignorecase: bool = False) -> Chain:
    """`chain` with the `.gitignore` of the directory at `dir_path` (`dir_rel`: "" or "a/b/") added."""
    lines = read_ignore_lines(os.path.join(dir_path, ".gitignore"), follow_symlinks=False)
    if not lines:
        return chain
    m = Matcher.from_lines(lines, dir_rel + ".gitignore", ignorecase=ignorecase)
    return (Frame(m, "", len(dir_rel)), *chain) if m else chain


def outer_chain(root: Path, git: GitContext | None) -> Chain:
    """Ignore files that apply to `root` from outside it: the `.gitignore` of its parents up to the
    work tree's top, info/exclude and the global excludes file (deepest first)."""
    if git is None:
        return ()
    try:
        inside = root.resolve().relative_to(git.toplevel.resolve())
    except ValueError:
        return ()
    parts = inside.parts
    fold = git.ignorecase
    frames: list[Frame] = []
    for depth in range(len(parts) - 1, -1, -1):
        anc = git.toplevel.joinpath(*parts[:depth])
        lines = read_ignore_lines(anc / ".gitignore", follow_symlinks=False)
        if lines:
            label = "/".join([*parts[:depth], ".gitignore"])
            m = Matcher.from_lines(lines, label, ignorecase=fold)
            frames.append(Frame(m, "/".join(parts[depth:]) + "/", 0))
    top_prefix = "/".join(parts) + "/" if parts else ""
    lines = read_ignore_lines(git.info_exclude or git.git_dir / "info" / "exclude")
    if lines:
        frames.append(Frame(Matcher.from_lines(lines, ".git/info/exclude", ignorecase=fold), top_prefix, 0))
    if git.excludes_file is not None:
        lines = read_ignore_lines(git.excludes_file)
        if lines:
            m = Matcher.from_lines(lines, str(git.excludes_file), ignorecase=fold)
            frames.append(Frame(m, top_prefix, 0))
    return tuple(f for f in frames if f.matcher)


class GitIgnores:
    """git's verdict for any path under `root`, from the same files git reads (loaded on demand).

    `GitIgnores(root).which("a/b/c.txt")` is the rule that excludes the path (the path itself or
    a parent directory), or None when git keeps it; `ignored(...)` says the same as a bool.
    Paths are relative to `root`, "/"-separated. `.git` is always excluded, as git has it.
    """

    def __init__(
        self, root: Path, git: GitContext | None = None, *, env: Mapping[str, str] | None = None
    ) -> None:
        self.root = root
        self.git = git if git is not None else git_context(root, env)
        self._fold = self.git.ignorecase if self.git is not None else False
        self._chains: dict[str, Chain] = {
            "": push(outer_chain(root, self.git), str(root), "", ignorecase=self._fold)
        }
        # `root` may itself lie in a directory the enclosing work tree ignores
        self._dirs: dict[str, Match | None] = {"": excluded_root(root, self.git)}

    def _dir(self, rel: str) -> Match | None:
        """The excluding match of directory `rel` ("a/b") or of a parent; loads `.gitignore`s."""
        if rel in self._dirs:
            return self._dirs[rel]
        parent = rel[: rel.rfind("/")] if "/" in rel else ""
        hit = self._dir(parent)
        if hit is None:
            if rel.rpartition("/")[2] == ".git":
                hit = Match(True, _GIT_RULE)
            else:
                m = decide(self._chains[parent], rel, True)
                hit = m if m is not None and m.excluded else None
            if hit is None:
                path = os.path.join(self.root, rel)
                self._chains[rel] = push(self._chains[parent], path, rel + "/", ignorecase=self._fold)
        self._dirs[rel] = hit
        return hit

    def which(self, rel: str, is_dir: bool = False) -> Rule | None:
        rel = rel.strip("/")
        if is_dir:
            hit = self._dir(rel)
            return None if hit is None else hit.rule
        parent = rel[: rel.rfind("/")] if "/" in rel else ""
        hit = self._dir(parent)
        if hit is not None:
            return hit.rule
        if rel.rpartition("/")[2] == ".git":
            return _GIT_RULE
        m = decide(self._chains[parent], rel, False)
        return m.rule if m is not None and m.excluded else None

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        return self.which(rel, is_dir) is not None


_GIT_RULE = Rule(".git", True, "git", 0)


def excluded_root(root: Path, git: GitContext | None) -> Match | None:
    """The match that makes git ignore the directory `root` itself (or a parent of it inside the
    work tree), or None: a walk starting there must treat everything below as ignored."""
    if git is None:
        return None
    try:
        inside = root.resolve().relative_to(git.toplevel.resolve())
    except ValueError:
        return None
    if not inside.parts:
        return None
    return GitIgnores(git.toplevel, git)._dir(inside.as_posix())
