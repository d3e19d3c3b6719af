"""The engine against git itself, on seeded generated repositories (see gen.py).

For every tree: the files `git ls-files -co --exclude-standard` lists must be exactly the files the
engine keeps (`GitIgnores`) and exactly audit-repo's "after .gitignore" view (`walk`), from the top
and from a subdirectory; and for every ignored file the deciding rule (file and line) must be the
one `git check-ignore -v` names. A failure prints the seed and the ignore files: re-run one tree
with `AGENTCOST_GI_SEED=<seed>`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from agentcost.audit.walk import VIEW_GITIGNORE, walk
from agentcost.gitignore import GitIgnores
from agentcost.gitutil import git_context
from tests.gitignore.gen import Tree, generate

SEEDS = int(os.environ.get("AGENTCOST_GI_SEEDS", "100"))
ONE = os.environ.get("AGENTCOST_GI_SEED")
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
    proc = subprocess.run(
        ["git", "-C", str(cwd), *args],
        input=input,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    return proc.stdout


def _paths(out: bytes) -> set[str]:
    return {p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p}


def write_tree(root: Path, t: Tree) -> None:
    root.mkdir()
    for rel in t.files:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x\n")
    _git(root, "init", "-q")
    for d, text in t.ignores.items():
        (root / d / ".gitignore").write_bytes(text.encode("utf-8"))
    if t.info_exclude:
        (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
        (root / ".git" / "info" / "exclude").write_bytes(t.info_exclude.encode("utf-8"))
    if t.global_excludes:
        xdg = Path(os.environ["XDG_CONFIG_HOME"]) / "git"
        xdg.mkdir(parents=True, exist_ok=True)
        (xdg / "ignore").write_bytes(t.global_excludes.encode("utf-8"))


def on_disk(root: Path) -> set[str]:
    out = set()
    for d, dirs, files in os.walk(root):
        rel_d = os.path.relpath(d, root)
        if rel_d == ".":
            dirs[:] = [x for x in dirs if x != ".git"]
            rel_d = ""
        for f in files:
            out.add(f"{rel_d}/{f}" if rel_d else f)
    return out


def _describe(seed: int, t: Tree) -> str:
    parts = [f"seed {seed} (AGENTCOST_GI_SEED={seed}){' core.ignorecase' if seed % 4 == 1 else ''}"]
    for d, text in sorted(t.ignores.items()):
        parts.append(f"--- {d or '.'}/.gitignore\n{text}")
    if t.info_exclude:
        parts.append(f"--- .git/info/exclude\n{t.info_exclude}")
    if t.global_excludes:
        parts.append(f"--- global excludes\n{t.global_excludes}")
    return "\n".join(parts)


def _check_view(seed: int, t: Tree, top: Path, where: Path) -> None:
    """Engine and walk from `where` (the top or a subdirectory) against git run there."""
    git_list = _paths(_git(where, "ls-files", "-co", "--exclude-standard", "-z"))
    disk = on_disk(where) if where == top else {p for p in on_disk(where) if not p.startswith(".git/")}
    ctx = git_context(where)
    engine = GitIgnores(where, ctx)
    kept = {p for p in disk if not engine.ignored(p)}
    info = _describe(seed, t)
    assert kept == git_list, (
        f"{info}\nonly engine: {sorted(kept - git_list)}\nonly git: {sorted(git_list - kept)}"
    )
    view = {f.rel for f in walk(where, None, git=ctx) if f.view >= VIEW_GITIGNORE}
    assert view == git_list, (
        f"{info}\nonly audit: {sorted(view - git_list)}\nonly git: {sorted(git_list - view)}"
    )
    if where != top:
        return
    ignored = sorted(disk - git_list)
    if not ignored:
        return
    out = _git(where, "check-ignore", "-v", "-z", "--stdin", input=b"\0".join(p.encode() for p in ignored))
    fields = out.split(b"\0")
    for i in range(0, len(fields) - 3, 4):
        source, line, pattern, path = (f.decode("utf-8", "surrogateescape") for f in fields[i : i + 4])
        m = engine.which(path)
        assert m is not None, f"{info}\n{path} ignored by git ({source}:{line}: {pattern}), not by the engine"
        src = m.source
        want = f"{source}:{line}"
        if not source.startswith(("/", ".git/")):
            want = f"{os.path.relpath(source, '.')}:{line}" if source else want
        assert src == want or (src.startswith("/") and src.endswith(f"git/ignore:{line}")), (
            f"{info}\n{path}: git says {want} ({pattern!r}), the engine {src} ({m.pattern!r})"
        )


@pytest.mark.parametrize("seed", [int(ONE)] if ONE else range(SEEDS))
def test_engine_and_audit_agree_with_git(seed: int, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    t = generate(seed)
    root = tmp_path / "repo"
    write_tree(root, t)
    if seed % 4 == 1:  # git's core.ignorecase: ASCII letters match either case (the macOS default)
        _git(root, "config", "core.ignorecase", "true")
    _check_view(seed, t, root, root)
    if seed % 10 == 0:  # the command itself, end to end: its "after .gitignore" file count
        r = cli("audit-repo", str(root), "--json")
        assert r.exit_code in (0, 1), r.stderr
        want = len(_paths(_git(root, "ls-files", "-co", "--exclude-standard", "-z")))
        assert json.loads(r.stdout)["views"]["gitignore"]["files"] == want, _describe(seed, t)
    subs = sorted(d for d in t.dirs if "/" not in d and (root / d).is_dir())
    if subs and seed % 3 == 0:
        _check_view(seed, t, root, root / subs[seed % len(subs)])
