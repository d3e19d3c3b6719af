"""The engine's Matcher with agentcost's default patterns against git itself on a generated tree."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pathspec
import pytest

from agentcost.gitignore import Matcher
from agentcost.ignore.defaults import all_patterns

NAMES = [
    "node_modules", "src", "a.py", ".env", ".env.example", ".env.local", "x.sqlite", "build", "keep",
    "keep.json", "fixtures", "docs", "b.pdf", "img.png", "dist", "lib", "yarn.lock", "app.min.js", "c.js",
]  # fmt: skip
EXTRA = [
    "fixtures/",
    "!fixtures/keep.json",
    "/build/keep/",
    "docs/**/*.pdf",
    "!dist/",
    "lib/*.js",
    "!*.min.js",
]


def make_tree(root: Path, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    wanted = {"/".join(rng.choice(NAMES) for _ in range(rng.randint(1, 4))) for _ in range(n)}
    files: list[str] = []
    dirs: set[str] = set()
    for p in sorted(wanted, key=lambda s: -s.count("/")):  # deepest first: a name is a dir or a file
        parts = p.split("/")
        if p in dirs or any("/".join(parts[:i]) in files for i in range(1, len(parts))):
            continue
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
        files.append(p)
    for f in files:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        (root / f).touch()
    return files


def test_same_answers_as_git_check_ignore(repo: Path) -> None:
    patterns = all_patterns() + EXTRA
    (repo / ".gitignore").write_text("\n".join(patterns) + "\n")
    files = make_tree(repo, 600, seed=7)
    out = subprocess.run(
        ["git", "check-ignore", "--stdin", "-z"],
        cwd=repo,
        input="\0".join(files).encode(),
        capture_output=True,
    ).stdout
    ignored = {p.decode() for p in out.split(b"\0") if p}
    assert 50 < len(ignored) < len(files)  # the sample exercises both answers
    spec = Matcher(patterns)
    assert [f for f in files if spec.ignored(f) != (f in ignored)] == []


def test_which_names_the_deciding_line() -> None:
    spec = Matcher(["*.py", "build/", "!keep.py", "*_pb2.py"])

    def index(path: str) -> int | None:
        rule = spec.which(path)
        return None if rule is None else rule.index

    assert index("a/b_pb2.py") == 3
    assert index("src/x.py") == 0
    assert index("keep.py") is None
    assert index("build/keep.py") == 1  # an excluded directory cannot be re-entered


def test_agrees_with_pathspec_on_simple_paths() -> None:
    patterns = all_patterns()
    spec, ref = Matcher(patterns), pathspec.GitIgnoreSpec.from_lines(patterns)
    for p in ["node_modules/a/b.js", "src/app.py", ".env", ".env.example", "a/b/c.sqlite", "dist/x", "x.log"]:
        assert spec.ignored(p) == ref.match_file(p), p


PATTERN_ATOMS = ["a", "b", "x.db", "*.db", "c*", "?", "[ab]", "**"]


def random_patterns(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        segs = [rng.choice(PATTERN_ATOMS) for _ in range(rng.randint(1, 3))]
        p = "/".join(segs)
        if rng.random() < 0.3:
            p = "/" + p
        if rng.random() < 0.3:
            p += "/"
        if rng.random() < 0.25:
            p = "!" + p
        if p.strip("/!*") or "**" not in p:
            out.append(p)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_pattern_sets_agree_with_git(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    repo = tmp_path / f"r{seed}"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    names = ["a", "b", "c1", "x.db", "y.db", "z"]
    wanted = {"/".join(rng.choice(names) for _ in range(rng.randint(1, 4))) for _ in range(300)}
    files: list[str] = []
    dirs: set[str] = set()
    for p in sorted(wanted, key=lambda s: -s.count("/")):
        parts = p.split("/")
        if p in dirs or any("/".join(parts[:i]) in files for i in range(1, len(parts))):
            continue
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
        files.append(p)
    for f in files:
        (repo / f).parent.mkdir(parents=True, exist_ok=True)
        (repo / f).touch()
    patterns = random_patterns(rng, 12)
    (repo / ".gitignore").write_text("\n".join(patterns) + "\n")
    out = subprocess.run(
        ["git", "check-ignore", "--stdin", "-z"],
        cwd=repo,
        input="\0".join(files).encode(),
        capture_output=True,
    ).stdout
    ignored = {p.decode() for p in out.split(b"\0") if p}
    spec = Matcher(patterns)
    assert [f for f in files if spec.ignored(f) != (f in ignored)] == [], patterns
