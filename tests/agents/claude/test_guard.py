"""`setup claude` safety nets: the key file is made git-ignored; overrides by project files are reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentcost.agents.claude.guard import overridden_here
from agentcost.agents.claude.settings import SettingsFile, add_git_exclude

from .conftest import KEY, KEY_TAIL

LOCAL = ".claude/settings.local.json"
SETUP = ("setup", "claude", "--provider", "custom", "--api-key", KEY, "--model", "m", "--fast-model", "f")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real `git init` repository, made the cwd."""
    if shutil.which("git") is None:
        pytest.skip("git unavailable")
    root = tmp_path / "gitrepo"
    root.mkdir()
    if _git(root, "init", "-q").returncode != 0:
        pytest.skip("git init failed")
    monkeypatch.chdir(root)
    return root


def _exclude_lines(root: Path) -> list[str]:
    return (root / ".git" / "info" / "exclude").read_text().splitlines()


@pytest.mark.parametrize("scope", ["local", "project"])
def test_unignored_key_file_is_excluded(cli: Callable[..., Any], git_repo: Path, scope: str) -> None:
    assert _git(git_repo, "check-ignore", "-q", LOCAL).returncode == 1  # not ignored before
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", scope, "--yes")
    assert r.exit_code == 0, r.stderr
    assert _git(git_repo, "check-ignore", "-q", LOCAL).returncode == 0
    assert "added `.claude/settings.local.json` to" in r.stderr
    assert "info/exclude" in r.stderr and ".gitignore" in r.stderr
    assert "CLAUDE_LOCAL_NOT_IGNORED" not in r.stdout
    assert _exclude_lines(git_repo).count(LOCAL) == 1
    assert not (git_repo / ".gitignore").exists()  # the team's file is not touched
    # idempotent: a second run appends nothing and says nothing about it
    r2 = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", scope, "--yes")
    assert r2.exit_code == 0, r2.stderr
    assert _exclude_lines(git_repo).count(LOCAL) == 1
    assert "info/exclude" not in r2.stderr


def test_already_ignored_appends_nothing(cli: Callable[..., Any], git_repo: Path) -> None:
    (git_repo / ".gitignore").write_text(".claude/settings.local.json\n")
    exclude = git_repo / ".git" / "info" / "exclude"
    before = exclude.read_text() if exclude.exists() else None
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", "local", "--yes")
    assert r.exit_code == 0, r.stderr
    assert (exclude.read_text() if exclude.exists() else None) == before
    assert "info/exclude" not in r.stderr


def test_dry_run_only_says_it_would(cli: Callable[..., Any], git_repo: Path) -> None:
    exclude = git_repo / ".git" / "info" / "exclude"
    before = exclude.read_text() if exclude.exists() else None
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", "local", "--yes", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "would add `.claude/settings.local.json` to" in r.stderr
    assert (exclude.read_text() if exclude.exists() else None) == before
    assert not (git_repo / LOCAL).exists()


def test_tracked_key_file_exits_1(cli: Callable[..., Any], git_repo: Path) -> None:
    (git_repo / ".claude").mkdir()
    (git_repo / LOCAL).write_text("{}\n")
    assert _git(git_repo, "add", "-f", LOCAL).returncode == 0
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", "local", "--yes")
    assert r.exit_code == 1
    assert "CLAUDE_LOCAL_NOT_IGNORED" in r.stdout + r.stderr
    assert "git rm --cached" in r.stderr
    assert (git_repo / LOCAL).read_text() == "{}\n"  # refused BEFORE the key was written
    assert KEY_TAIL not in r.stdout + r.stderr


def test_worktree_uses_git_path(
    cli: Callable[..., Any], git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    (git_repo / "f").write_text("x\n")
    ok = subprocess.run(
        ["sh", "-c", "git add f && git commit -qm init && git worktree add -q ../wt"],
        cwd=git_repo,
        env={**dict(os.environ), **env},
        capture_output=True,
        check=False,
    )
    if ok.returncode != 0:
        pytest.skip("git worktree unavailable")
    wt = git_repo.parent / "wt"
    assert (wt / ".git").is_file()
    monkeypatch.chdir(wt)
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--scope", "local", "--yes")
    assert r.exit_code == 0, r.stderr
    assert _git(wt, "check-ignore", "-q", LOCAL).returncode == 0
    assert LOCAL in _exclude_lines(git_repo)  # the common info/exclude, not a file under wt/.git


def test_add_git_exclude_creates_and_keeps_newline(tmp_path: Path) -> None:
    exclude = tmp_path / "info" / "exclude"
    assert add_git_exclude(exclude) is True
    assert exclude.read_text().splitlines()[-1] == LOCAL
    assert add_git_exclude(exclude) is False
    other = tmp_path / "other"
    other.write_text("*.log")  # no final newline
    assert add_git_exclude(other) is True
    assert other.read_text().splitlines()[0] == "*.log"
    assert other.read_text().splitlines()[-1] == LOCAL
    anchored = tmp_path / "anchored"
    anchored.write_text("/.claude/settings.local.json\n")
    assert add_git_exclude(anchored) is False


# ------------------------------------------------------------------------------------- overrides


def _write(path: Path, env: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"env": env}))
    path.chmod(0o600)


@pytest.mark.parametrize("name", ["settings.local.json", "settings.json"])
def test_user_setup_overridden_by_project_file(
    cli: Callable[..., Any], repo: Path, user_settings: Path, name: str
) -> None:
    other_key = "sk-proj-OTHERKEY-zyxw98765432"
    _write(
        repo / ".claude" / name,
        {
            "ANTHROPIC_BASE_URL": "https://other.example.org",
            "ANTHROPIC_AUTH_TOKEN": other_key,
            "ANTHROPIC_MODEL": "pm",
        },
    )
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--yes", "--json")
    doc = json.loads(r.stdout)
    assert json.loads(user_settings.read_text())["env"]["ANTHROPIC_BASE_URL"] == "https://x.example.com"
    got = {o["var"]: o for o in doc["overridden_here"]}
    assert set(got) == {"ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_MODEL"}
    assert got["ANTHROPIC_BASE_URL"]["value"] == "https://other.example.org"
    assert got["ANTHROPIC_AUTH_TOKEN"]["value"] == "sk-…5432"
    assert got["ANTHROPIC_MODEL"]["file"] == str(repo / ".claude" / name)
    assert got["ANTHROPIC_MODEL"]["written_to"] == str(user_settings)
    assert any("overrides what was written" in w for w in doc["warnings"])
    # human output: a warning naming the file and each variable, credential masked
    r2 = cli(*SETUP, "--base-url", "https://x.example.com", "--yes")
    assert f"{repo / '.claude' / name} overrides what was written to {user_settings}" in r2.stderr
    assert "ANTHROPIC_BASE_URL=https://other.example.org" in r2.stderr
    assert "ANTHROPIC_AUTH_TOKEN=sk-…5432" in r2.stderr
    assert "ANTHROPIC_MODEL=pm" in r2.stderr
    assert "98765432" not in r.stdout + r2.stdout + r2.stderr
    assert KEY_TAIL not in r.stdout + r2.stdout + r2.stderr


def test_no_override_warning_when_same_or_unrelated(cli: Callable[..., Any], repo: Path) -> None:
    _write(repo / ".claude" / "settings.json", {"ANTHROPIC_BASE_URL": "https://x.example.com", "FOO": "1"})
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["overridden_here"] == []


def test_override_reported_on_dry_run(cli: Callable[..., Any], repo: Path) -> None:
    _write(repo / ".claude" / "settings.local.json", {"ANTHROPIC_MODEL": "pm"})
    r = cli(*SETUP, "--base-url", "https://x.example.com", "--yes", "--json", "--dry-run")
    assert [o["var"] for o in json.loads(r.stdout)["overridden_here"]] == ["ANTHROPIC_MODEL"]


def test_overridden_here_pure(tmp_path: Path) -> None:
    user = SettingsFile("user", tmp_path / "u.json", True, {"ANTHROPIC_MODEL": "new", "X": "1"})
    project = SettingsFile("project", tmp_path / "p.json", True, {"ANTHROPIC_MODEL": "proj"})
    local = SettingsFile("local", tmp_path / "l.json", True, {"ANTHROPIC_MODEL": "loc", "X": "1"})
    got = overridden_here(
        [("user", user.path, {"ANTHROPIC_MODEL": "new", "X": "1"})], [user, project, local], {}
    )
    assert [(o.var, o.value, o.path) for o in got] == [("ANTHROPIC_MODEL", "loc", local.path)]
    # a lower-precedence file never "overrides" what was written to a higher one
    got2 = overridden_here([("local", local.path, {"ANTHROPIC_MODEL": "loc"})], [user, project, local], {})
    assert got2 == []
