"""Named cases where matchers commonly disagree with git, each checked against git itself."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from agentcost.audit.walk import VIEW_GITIGNORE, walk
from agentcost.gitignore import GitIgnores, Matcher, read_ignore_lines
from agentcost.gitignore.pattern import parse_line, trim_trailing_spaces
from agentcost.gitutil import git_context


def _git_list(root: Path) -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=root, capture_output=True, check=True
    ).stdout
    return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}


def _build(root: Path, files: list[str], gitignore: str) -> None:
    for rel in files:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"x\n")
    (root / ".gitignore").write_bytes(gitignore.encode("utf-8"))


def _all_agree(root: Path, files: list[str]) -> set[str]:
    """git's list, after checking that the engine and audit-repo's walk give the same one."""
    want = _git_list(root)
    engine = GitIgnores(root)
    kept = {p for p in [*files, ".gitignore"] if not engine.ignored(p)}
    view = {f.rel for f in walk(root, None, git=git_context(root)) if f.view >= VIEW_GITIGNORE}
    assert kept == want
    assert view == want
    return want


def test_logs_double_star_keeps_gitkeep(repo: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """`logs/**` + `!logs/.gitkeep`: git keeps logs/.gitkeep (the directory itself is not matched by
    `logs/**`, so the negation can re-include the file). audit-repo used to count it as excluded."""
    files = ["logs/.gitkeep", "logs/a.log", "logs/deep/b.log", "src/app.py"]
    _build(repo, files, "logs/**\n!logs/.gitkeep\n")
    assert _all_agree(repo, files) == {".gitignore", "logs/.gitkeep", "src/app.py"}
    assert Matcher(["logs/**", "!logs/.gitkeep"]).ignored("logs/.gitkeep") is False
    r = cli("audit-repo", str(repo), "--json")
    assert r.exit_code in (0, 1), r.stderr
    assert json.loads(r.stdout)["views"]["gitignore"]["files"] == 3


@pytest.mark.parametrize(
    ("gitignore", "files"),
    [
        # "a/b**": git compares the literal head "a/b" then wildmatches "**" alone, which crosses "/"
        ("a/b**\n!a/bx/\n", ["a/bx/c", "a/bx/d/e", "a/by", "a/c"]),
        # "**" is special only between slashes; elsewhere it is "*"
        ("x**y\n**z\nq/**w/r\n", ["x/y", "xay", "a/bz", "q/w/r", "q/aw/r", "q/a/w/r"]),
        # matching is per byte: "?" is one byte of a two-byte "é"
        ("?\n!??\né?\n", ["é", "a", "éa", "ab"]),
        # classes: "]" first is literal, ranges, [:alpha:], a reversed range holds its first char only
        ("[]a]\n[[:digit:]]x\n[c-a]y\n[!b]z\n[^b]w\n", ["]", "a", "1x", "cy", "by", "bz", "az", "bw", "aw"]),
        # unclosed "[" and unknown classes match nothing; a trailing backslash matches nothing
        ("[ab\n[[:nope:]]\nfoo\\\n", ["[ab", "a", "foo", "foo\\"]),
        # trailing spaces are trimmed unless escaped; tabs are kept
        ("sp  \nesc\\ \ntab\t\n", ["sp", "sp ", "esc", "esc ", "tab", "tab\t"]),
        # escapes of "#", "!" and glob characters
        ("\\#h\n\\!b\nst\\*r\n", ["#h", "!b", "st*r", "star"]),
        # a directory-only pattern does not match a file of that name; a re-included directory
        ("build/\n!src/build/\n", ["build/x", "lib/build", "src/build/y"]),
        # nothing below an excluded directory can be re-included
        ("out/\n!out/keep\n", ["out/keep", "out/x"]),
        # CRLF line ends and a BOM at the start of the file
        ("\ufeffa\r\nb\r\n", ["a", "b", "c"]),
    ],
)
def test_corner_cases_agree_with_git(repo: Path, gitignore: str, files: list[str]) -> None:
    _build(repo, files, gitignore)
    _all_agree(repo, files)


def test_core_ignorecase(repo: Path) -> None:
    """With core.ignorecase git folds ASCII letters, except a bracket member or an escaped letter
    written in upper case (wildmatch lowers the text byte, not those)."""
    subprocess.run(["git", "config", "core.ignorecase", "true"], cwd=repo, check=True)
    files = ["A", "a", "Bx", "bx", "cY", "x.log", "Build/f", "dé", "DÉ", "q/R/s"]
    _build(repo, files, "\\A\n\\b*\n[B]x\n[a-c]y\n*.LOG\nbuild/\nd??\nQ/r/\n")
    assert _all_agree(repo, files) == {".gitignore", "A", "a"}


def test_nested_gitignore_and_info_exclude_and_global(repo: Path, isolated_env: Path) -> None:
    files = ["a.tmp", "sub/a.tmp", "sub/keep.tmp", "sub/deep/x.log", "local.txt", "g.bak", "sub/g.bak"]
    _build(repo, files, "*.tmp\n")
    (repo / "sub" / ".gitignore").write_text("!keep.tmp\n*.log\n")
    (repo / ".git" / "info" / "exclude").write_text("local.txt\n")
    xdg = isolated_env / ".config" / "git"
    xdg.mkdir(parents=True)
    (xdg / "ignore").write_text("*.bak\n!sub/g.bak\n")
    want = _all_agree(repo, [*files, "sub/.gitignore"])
    assert want == {".gitignore", "sub/.gitignore", "sub/keep.tmp", "sub/g.bak"}
    engine = GitIgnores(repo)
    reasons = {p: engine.which(p) for p in ("a.tmp", "sub/deep/x.log", "local.txt", "g.bak")}
    sources = {p: m.source for p, m in reasons.items() if m is not None}
    assert sources["a.tmp"] == ".gitignore:1"
    assert sources["sub/deep/x.log"] == "sub/.gitignore:2"
    assert sources["local.txt"] == ".git/info/exclude:1"
    assert sources["g.bak"].endswith("git/ignore:1")


def test_linked_worktree_reads_the_common_info_exclude(repo: Path, tmp_path: Path) -> None:
    """In a linked worktree (`git worktree add`), info/exclude is the main repository's."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x"}  # fmt: skip
    (repo / "f").write_text("x")
    subprocess.run(["git", "add", "f"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "f"], cwd=repo, check=True, env=env)
    wt = tmp_path / "wt"
    subprocess.run(["git", "worktree", "add", "-q", str(wt)], cwd=repo, check=True, env=env)
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("*.local\n")
    (wt / "a.local").write_text("x")
    (wt / "b.txt").write_text("x")
    want = _git_list(wt)
    assert want == {"f", "b.txt"}
    rule = GitIgnores(wt).which("a.local")
    assert rule is not None and rule.source == ".git/info/exclude:1"
    view = {f.rel for f in walk(wt, None, git=git_context(wt)) if f.view >= VIEW_GITIGNORE}
    assert view == want


def test_symlinked_gitignore_is_not_read(repo: Path) -> None:
    """git refuses a .gitignore that is a symbolic link inside the work tree."""
    (repo / "rules").write_text("a\n")
    (repo / "sub").mkdir()
    (repo / "sub" / "a").write_text("x")
    (repo / "sub" / ".gitignore").symlink_to(repo / "rules")
    want = _git_list(repo)
    assert "sub/a" in want
    assert not GitIgnores(repo).ignored("sub/a")


def test_fifo_or_directory_named_gitignore_is_skipped(repo: Path) -> None:
    """A FIFO named .gitignore would block a plain open(); a directory cannot be read."""
    (repo / "a").mkdir()
    os.mkfifo(repo / "a" / ".gitignore")
    (repo / "a" / "x").write_text("x")
    (repo / "b" / ".gitignore").mkdir(parents=True)
    (repo / "b" / ".gitignore" / "y").write_text("y")
    assert read_ignore_lines(repo / "a" / ".gitignore") is None
    assert read_ignore_lines(repo / "b" / ".gitignore") is None
    view = {f.rel for f in walk(repo, None, git=git_context(repo)) if f.view >= VIEW_GITIGNORE}
    assert view == {"a/x", "b/.gitignore/y"}


def test_parse_line_basics() -> None:
    assert trim_trailing_spaces("a \\  ") == "a \\ "
    assert parse_line("# c") is None and parse_line("") is None and parse_line("!") is None
    p = parse_line("!/a/b/")
    assert p is not None and (p.negated, p.dir_only, p.kind) == (True, True, "path")
    lit = parse_line("node_modules/")
    assert lit is not None and (lit.kind, lit.body) == ("literal", "node_modules")
    suf = parse_line("*.log")
    assert suf is not None and (suf.kind, suf.body) == ("suffix", ".log")
