"""The walk's .gitignore view agrees with git itself (`git ls-files -o` and `git check-ignore`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from agentcost.audit.walk import VIEW_DISK, VIEW_GITIGNORE, WalkStats, walk
from agentcost.gitutil import git_context
from tests.audit.conftest import git

pytestmark = pytest.mark.usefixtures("have_git")

TREE = {
    ".gitignore": "\n".join(
        [
            "# comment",
            "*.log",
            "!keep.log",
            "build/",  # directory-only: a file named build elsewhere stays
            "/top-only.txt",  # anchored
            "docs/**/*.tmp",
            "a?c.txt",
            "[Tt]emp*",
            "nested/deep/",
            "\\#hash.txt",
            "trailing-space.txt   ",
            "cache",
        ]
    )
    + "\n",
    "app.log": "x",
    "keep.log": "x",
    "src/keep.log": "x",
    "src/debug.log": "x",
    "build/out.js": "x",
    "src/build": "a file named build is not a directory",
    "src/build2/x.js": "x",
    "top-only.txt": "x",
    "src/top-only.txt": "not anchored here",
    "docs/a/b/c.tmp": "x",
    "docs/c.tmp": "x",
    "abc.txt": "x",
    "abbc.txt": "x",
    "Temp1.txt": "x",
    "temp/x.txt": "x",
    "nested/deep/x.txt": "x",
    "nested/deeper/x.txt": "x",
    "#hash.txt": "x",
    "trailing-space.txt": "x",
    "cache/x": "x",
    "src/cache": "x",
    # a nested .gitignore overrides its parent, with negation and anchoring relative to itself
    "pkg/.gitignore": "!debug.log\n/local-only\n*.gen.py\n!important.gen.py\n",
    "pkg/debug.log": "re-included by the nested file",
    "pkg/local-only": "x",
    "pkg/sub/local-only": "anchored to pkg/, so kept",
    "pkg/sub/x.gen.py": "x",
    "pkg/sub/important.gen.py": "x",
    "pkg/sub/.gitignore": "*.py\n",
    "pkg/sub/mod.py": "x",
    # a file inside an excluded directory cannot be re-included
    "vendor/.gitignore": "!*.log\n",
    "excluded-dir/x.txt": "x",
    "excluded-dir/.gitignore": "!x.txt\n",
    "private.key": "x",
    "README.md": "x",
}


def _views(root: Path) -> tuple[set[str], set[str]]:
    kept, ignored = set(), set()
    for f in walk(root, None, git=git_context(root)):
        if f.rel == ".git" or f.rel.startswith(".git/"):
            continue
        (kept if f.view >= VIEW_GITIGNORE else ignored).add(f.rel)
    return kept, ignored


def _git_kept(root: Path) -> set[str]:
    out = git(root, "ls-files", "-o", "--exclude-standard", "-z").stdout.decode()
    return {p for p in out.split("\0") if p}


def _git_check_ignore(root: Path, paths: set[str]) -> set[str]:
    data = "\0".join(sorted(paths)).encode() + b"\0"
    out = git(root, "check-ignore", "--stdin", "-z", "--no-index", input=data).stdout.decode()
    return {p for p in out.split("\0") if p}


def test_matches_git_on_nested_negated_dir_only_and_anchored_patterns(make_tree) -> None:
    tree = dict(TREE)
    tree[".gitignore"] += "excluded-dir/\n"
    root = make_tree(tree)
    assert git(root, "init", "-q").returncode == 0
    (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (root / ".git" / "info" / "exclude").write_text("private.key\n")
    kept, ignored = _views(root)
    assert kept == _git_kept(root)
    # hand-checked expectations, so that a shared bug in both readings cannot pass silently
    assert {"keep.log", "src/keep.log", "src/build", "src/top-only.txt", "pkg/debug.log"} <= kept
    assert {"pkg/sub/local-only", "abbc.txt", "nested/deeper/x.txt"} <= kept
    # `**/` matches zero directories; the deeper .gitignore (`*.py`) beats its parent's negation
    assert {"docs/c.tmp", "pkg/sub/important.gen.py", "src/cache"} <= ignored
    assert {"app.log", "build/out.js", "top-only.txt", "docs/a/b/c.tmp", "abc.txt", "Temp1.txt"} <= ignored
    assert {
        "pkg/local-only",
        "pkg/sub/x.gen.py",
        "pkg/sub/mod.py",
        "excluded-dir/x.txt",
        "private.key",
    } <= ignored
    assert {"#hash.txt", "trailing-space.txt", "cache/x", "nested/deep/x.txt"} <= ignored


def test_check_ignore_agrees_on_every_file(make_tree) -> None:
    root = make_tree(TREE)
    assert git(root, "init", "-q").returncode == 0
    kept, ignored = _views(root)
    # check-ignore --no-index applies the patterns to each path, including paths in excluded dirs
    assert _git_check_ignore(root, kept | ignored) == ignored


NAMES = ["a", "b", "build", "x.log", "y.py", "z.tmp", "Keep.md", "data", "out"]
PATTERNS = ["*.log", "!x.log", "build/", "/a", "b/", "*.py", "!y.py", "data/**", "**/out", "a/*.tmp",
            "z.*", "!z.tmp", "K*", "/b/build", "[ab]/y.py", "*/out/"]  # fmt: skip


@pytest.mark.parametrize("seed", range(6))
def test_random_trees_agree_with_git(make_tree, seed: int) -> None:
    rng = random.Random(seed)
    files: dict[str, str | bytes] = {}
    for _ in range(60):
        depth = rng.randint(1, 4)
        parts = [rng.choice(["a", "b", "build", "out", "data", "c"]) for _ in range(depth - 1)]
        files["/".join([*parts, rng.choice(NAMES)])] = "x"
    # drop paths that would need a name to be both a file and a directory
    dirs = {"/".join(k.split("/")[:i]) for k in files for i in range(1, k.count("/") + 1)}
    files = {k: v for k, v in files.items() if k not in dirs}
    files[".gitignore"] = "\n".join(rng.sample(PATTERNS, 7)) + "\n"
    sub = next((d for d in sorted(dirs) if d.count("/") == 0), None)
    if sub:
        files[f"{sub}/.gitignore"] = "\n".join(rng.sample(PATTERNS, 4)) + "\n"
    root = make_tree(files)
    assert git(root, "init", "-q").returncode == 0
    kept, _ = _views(root)
    assert kept == _git_kept(root), files[".gitignore"]


def test_git_dir_is_on_disk_only(make_tree) -> None:
    root = make_tree({"a.py": "print(1)\n"})
    assert git(root, "init", "-q").returncode == 0
    stats = WalkStats()
    views = {f.rel: f for f in walk(root, None, stats=stats, git=git_context(root))}
    git_files = [f for rel, f in views.items() if rel.startswith(".git/")]
    assert git_files and all(f.view == VIEW_DISK and f.rule == ".git/" for f in git_files)
    assert views["a.py"].view == 3
    assert stats.git_repo


def test_parent_gitignore_applies_when_auditing_a_subdirectory(make_tree) -> None:
    root = make_tree({".gitignore": "*.tmp\n", "sub/a.tmp": "x", "sub/b.py": "x"})
    assert git(root, "init", "-q").returncode == 0
    sub = root / "sub"
    views = {f.rel: f.view for f in walk(sub, None, git=git_context(sub))}
    assert views == {"a.tmp": VIEW_DISK, "b.py": 3}
