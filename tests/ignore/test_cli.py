from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from agentcost.gitignore.block import BEGIN, END

from .conftest import MB, sparse, write

FILES = [".claude/settings.json", ".cursorignore", ".aiderignore", ".geminiignore"]


def snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and ".git/" not in p.as_posix() + "/" and "/.git/" not in p.as_posix():
            out[p.relative_to(root).as_posix()] = p.read_bytes()
    return out


def run_json(cli: Any, *args: str) -> dict[str, Any]:
    res = cli("ignore", *args, "--json")
    assert res.exit_code == 0, res.stderr + res.stdout
    data: dict[str, Any] = json.loads(res.stdout)
    return data


def test_writes_every_default_agent_then_nothing_on_second_run(cli: Any, repo: Path) -> None:
    write(repo, "src/a.py", "x = 1\n")
    first = run_json(cli, str(repo))
    assert sorted(Path(f).relative_to(repo).as_posix() for f in first["files_changed"]) == sorted(FILES)
    assert first["agents"]["claude"]["rules_added"] > 150
    assert first["agents"]["codex"]["file"] is None
    assert "no ignore file" in first["agents"]["codex"]["note"]
    assert "shell command" in first["caveat"]
    before = snapshot(repo)
    mtimes = {f: os.stat(repo / f).st_mtime_ns for f in FILES}
    second = run_json(cli, str(repo))
    assert second["files_changed"] == []
    assert second["agents"]["claude"]["rules_added"] == 0
    assert snapshot(repo) == before
    assert {f: os.stat(repo / f).st_mtime_ns for f in FILES} == mtimes
    assert not list(repo.glob("*.agentcost-backup-*"))


def test_default_root_is_git_root_of_cwd(cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sub = repo / "pkg" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    data = run_json(cli, "--agents", "cursor")
    assert Path(data["root"]) == repo.resolve()
    assert (repo / ".cursorignore").exists() and not (sub / ".cursorignore").exists()


def test_claude_merge_keeps_user_content(cli: Any, repo: Path) -> None:
    user = {
        "permissions": {"deny": ["Read(./private/**)", "Read(**/node_modules/**)"], "allow": ["Bash(ls)"]},
        "model": "opus",
    }
    write(repo, ".claude/settings.json", json.dumps(user, indent=2) + "\n")
    data = run_json(cli, str(repo), "--agents", "claude")
    settings = json.loads((repo / ".claude/settings.json").read_text())
    deny = settings["permissions"]["deny"]
    assert deny[:2] == ["Read(./private/**)", "Read(**/node_modules/**)"]
    assert deny.count("Read(**/node_modules/**)") == 1
    assert "Read(**/*.sqlite)" in deny and "Read(**/.env)" in deny
    assert settings["permissions"]["allow"] == ["Bash(ls)"]
    assert settings["model"] == "opus"
    assert data["agents"]["claude"]["rules_added"] == len(deny) - 2
    assert data["agents"]["claude"]["backup"]  # an existing settings file is backed up
    assert Path(data["agents"]["claude"]["backup"]).read_text() == json.dumps(user, indent=2) + "\n"


def test_scope_local(cli: Any, repo: Path) -> None:
    run_json(cli, str(repo), "--agents", "claude", "--scope", "local")
    assert (repo / ".claude/settings.local.json").exists()
    assert not (repo / ".claude/settings.json").exists()


def test_ignore_files_keep_user_lines_and_crlf(cli: Any, repo: Path) -> None:
    user = "# my rules\r\nnotes/\r\n"
    write(repo, ".cursorignore", user)
    run_json(cli, str(repo), "--agents", "cursor")
    text = (repo / ".cursorignore").read_bytes().decode()
    assert text.startswith(user + "\r\n" + BEGIN + "\r\n")
    assert text.endswith(END + "\r\n")
    assert text.count("\r\n") == text.count("\n")
    # a changed pattern set replaces the block in place; the user's lines stay
    write(repo, ".cursorignore", text + "after-block\r\n")
    run_json(cli, str(repo), "--agents", "cursor", "--extra", "fixtures/")
    text2 = (repo / ".cursorignore").read_bytes().decode()
    assert text2.startswith(user)
    assert text2.endswith(END + "\r\nafter-block\r\n")
    assert "\r\nfixtures/\r\n" in text2
    assert text2.count(BEGIN) == 1


def test_dry_run_writes_nothing_and_shows_diff(cli: Any, repo: Path) -> None:
    write(repo, ".aiderignore", "mine\n")
    before = snapshot(repo)
    res = cli("ignore", str(repo), "--dry-run")
    assert res.exit_code == 0, res.stderr
    assert snapshot(repo) == before
    assert "dry run: nothing written" in res.stdout
    assert "+++ " in res.stdout and "+node_modules/" in res.stdout
    assert '+      "Read(**/node_modules/**)",' in res.stdout
    data = run_json(cli, str(repo), "--dry-run")
    assert snapshot(repo) == before
    assert data["agents"]["aider"]["changed"] is True
    assert "+# >>> agentcost >>>" in data["agents"]["aider"]["diff"]


def test_malformed_settings_refused_nothing_written(cli: Any, repo: Path) -> None:
    bad = '{\n  "permissions": {"deny": ["Read(x)",]}\n}\n'
    write(repo, ".claude/settings.json", bad)
    before = snapshot(repo)
    res = cli("ignore", str(repo))
    assert res.exit_code == 1
    assert ".claude/settings.json:2:" in res.stderr
    assert "invalid JSON" in res.stderr
    assert snapshot(repo) == before  # planning fails before any file is written


def test_damaged_block_refused(cli: Any, repo: Path) -> None:
    write(repo, ".geminiignore", f"{BEGIN}\nnode_modules/\n")
    res = cli("ignore", str(repo), "--agents", "gemini")
    assert res.exit_code == 1
    assert "agentcost block is damaged" in res.stderr


def test_rg_flag_and_agents_option(cli: Any, repo: Path) -> None:
    data = run_json(cli, str(repo), "--agents", "cursor", "--rg")
    assert set(data["agents"]) == {"cursor", "rg"}
    assert (repo / ".ignore").read_text().startswith(BEGIN)
    data = run_json(cli, str(repo), "--agents", "codex")
    assert data["files_changed"] == [] and set(data["agents"]) == {"codex"}


def test_unknown_agent_is_usage_error(cli: Any, repo: Path) -> None:
    res = cli("ignore", str(repo), "--agents", "claude,vim")
    assert res.exit_code == 2
    assert "unknown agent 'vim'" in res.stderr


def test_bad_scope_and_path(cli: Any, repo: Path) -> None:
    assert cli("ignore", str(repo), "--scope", "team").exit_code == 2
    assert cli("ignore", str(repo / "missing")).exit_code == 2


def test_detected_proposed_then_applied(cli: Any, repo: Path) -> None:
    write(repo, "src/a.py", "x = 1\n")
    sparse(repo, "fixtures/big.json", 25 * MB)
    data = run_json(cli, str(repo), "--agents", "cursor,claude")
    props = data["detected"]["proposals"]
    assert props == [
        {
            "pattern": "/fixtures/",
            "reason": props[0]["reason"],
            "bytes": 25 * MB,
            "files": 1,
            "kind": "big-directory",
        }
    ]
    assert data["detected"]["applied"] == []
    assert "/fixtures/" not in (repo / ".cursorignore").read_text()
    data = run_json(cli, str(repo), "--agents", "cursor,claude", "--apply-detected")
    assert data["detected"]["applied"] == ["/fixtures/"]
    assert "\n/fixtures/\n" in (repo / ".cursorignore").read_text()
    assert (
        "Read(/fixtures/**)"
        in json.loads((repo / ".claude/settings.json").read_text())["permissions"]["deny"]
    )


def test_human_output_and_help_say_shell_is_not_stopped(cli: Any, repo: Path) -> None:
    res = cli("ignore", str(repo), "--agents", "cursor,codex", "--no-detect")
    assert res.exit_code == 0
    assert "None of these stops an agent that runs a shell command" in res.stdout
    assert "Codex CLI has no ignore file" in res.stdout
    assert "created" in res.stdout
    help_text = cli("ignore", "--help").stdout
    assert "shell command" in help_text and "no .claudeignore" in help_text


def test_extra_patterns_are_kept_by_later_runs_until_reset(cli: Any, repo: Path) -> None:
    run_json(cli, str(repo), "--agents", "cursor,claude", "--extra", "fixtures/", "--extra", "*.csv")
    text = (repo / ".cursorignore").read_text()
    assert "\nfixtures/\n*.csv\n" in text
    again = run_json(cli, str(repo), "--agents", "cursor,claude")  # no --extra this time
    assert again["files_changed"] == []
    assert (repo / ".cursorignore").read_text() == text
    more = run_json(cli, str(repo), "--agents", "cursor", "--extra", "*.csv", "--extra", "*.tsv")
    assert "\nfixtures/\n*.csv\n*.tsv\n" in (repo / ".cursorignore").read_text()  # union, no duplicate
    assert more["files_changed"]
    run_json(cli, str(repo), "--agents", "cursor,claude", "--reset")
    reset_text = (repo / ".cursorignore").read_text()
    assert "fixtures/" not in reset_text and "*.tsv" not in reset_text
    deny = json.loads((repo / ".claude/settings.json").read_text())["permissions"]["deny"]
    assert "Read(**/fixtures/**)" in deny  # Claude rules are never removed


def test_interactive_confirmation_applies_detected(
    cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agentcost.commands.ignore as cmd

    sparse(repo, "datasets/train.csv", 30 * MB)
    monkeypatch.setattr(cmd, "is_interactive", lambda: True)
    res = cli("ignore", str(repo), "--agents", "cursor", input="y\n")
    assert res.exit_code == 0, res.stderr
    assert "/datasets/" in res.stderr  # the proposals are listed before the question
    assert "\n/datasets/\n" in (repo / ".cursorignore").read_text()
    res = cli("ignore", str(repo), "--agents", "aider", input="n\n")
    assert "/datasets/" not in (repo / ".aiderignore").read_text()


def test_failed_write_leaves_files_intact(cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, ".cursorignore", "mine\n")

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    res = cli("ignore", str(repo), "--agents", "cursor", "--no-detect")
    assert res.exit_code == 1
    assert "No space left on device" in res.stderr and "original is unchanged" in res.stderr
    assert (repo / ".cursorignore").read_text() == "mine\n"
    assert not [p for p in repo.iterdir() if "agentcost-tmp" in p.name]


def test_unwritable_file_refused_before_anything_is_written(
    cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo, ".aiderignore", "mine\n")
    real_access = os.access
    target = str((repo / ".aiderignore").resolve())
    monkeypatch.setattr(os, "access", lambda p, m: False if str(p) == target else real_access(p, m))
    res = cli("ignore", str(repo), "--no-detect")
    assert res.exit_code == 1
    assert "read-only" in res.stderr
    assert not (repo / ".cursorignore").exists()  # planned before it, but nothing was written
    assert not (repo / ".claude").exists()


def test_plain_directory_without_git(cli: Any, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    for i in range(50):
        write(root, f"node_modules/p{i}/index.js", "x")
    write(root, ".env.qa", "SECRET=1\n")
    sparse(root, "data/dump.bin", 30 * MB)
    data = run_json(cli, str(root), "--agents", "claude,gemini")
    assert data["detected"]["method"] == "walk"
    assert data["detected"]["scanned_files"] == 2  # node_modules/ was pruned, not walked
    assert [p["pattern"] for p in data["detected"]["proposals"]] == ["/data/"]
    deny = json.loads((root / ".claude/settings.json").read_text())["permissions"]["deny"]
    assert "Read(/.env.qa)" in deny
    assert (root / ".geminiignore").exists()


def test_scope_local_warns_when_git_would_commit_it(cli: Any, repo: Path) -> None:
    data = run_json(cli, str(repo), "--agents", "claude", "--scope", "local", "--no-detect")
    assert any("not git-ignored" in n for n in data["agents"]["claude"]["notes"])
    write(repo, ".gitignore", ".claude/settings.local.json\n")
    write(repo, "x.txt", "x")
    data = run_json(cli, str(repo), "--agents", "claude", "--scope", "local", "--no-detect")
    assert data["agents"]["claude"]["notes"] == []


def test_apply_detected_without_scan_is_usage_error(cli: Any, repo: Path) -> None:
    res = cli("ignore", str(repo), "--apply-detected", "--no-detect")
    assert res.exit_code == 2
    assert "--apply-detected needs the scan" in res.stderr


def test_json_document_shape(cli: Any, repo: Path) -> None:
    data = run_json(cli, str(repo), "--agents", "claude,cursor", "--dry-run")
    assert data["schema_version"] == 1
    assert set(data) >= {"root", "dry_run", "scope", "files_changed", "agents", "detected", "caveat"}
    assert len(data["files_changed"]) == 2  # with --dry-run: the files that WOULD change
    assert not (repo / ".cursorignore").exists()
    claude = data["agents"]["claude"]
    assert claude["changed"] is True and claude["created"] is True
    assert claude["rules_added"] == len(claude["added"]) == claude["patterns"]
    assert all(r.startswith("Read(") for r in claude["added"])
    assert data["agents"]["cursor"]["rules_added"] is None
    assert data["exclusions_as_of"] == "2026-11-26"


def test_symlinked_ignore_file_is_written_through(cli: Any, repo: Path, tmp_path: Path) -> None:
    # A link that stays inside the work tree is followed; one out of it is refused (tests/security).
    shared = repo / "config" / "shared-ignore"
    shared.parent.mkdir()
    shared.write_text("team/\n")
    (repo / ".cursorignore").symlink_to(shared)
    run_json(cli, str(repo), "--agents", "cursor", "--no-detect")
    assert (repo / ".cursorignore").is_symlink()
    assert shared.read_text().startswith("team/\n\n# >>> agentcost >>>\n")


def test_codex_profile_dry_run_writes_nothing(cli: Any, repo: Path, isolated_env: Path) -> None:
    data = run_json(cli, str(repo), "--agents", "codex", "--codex-profile", "--no-detect", "--dry-run")
    codex = data["agents"]["codex"]
    assert codex["changed"] is True and '+"**/.env" = "deny"' in codex["diff"]
    assert not (isolated_env / ".codex" / "config.toml").exists()
    assert "exception" in data["caveat"]  # the Codex profile is the one mechanism a sandbox enforces


def test_without_drops_a_group(cli: Any, repo: Path) -> None:
    run_json(cli, str(repo), "--agents", "claude,cursor", "--without", "media", "--no-detect")
    deny = json.loads((repo / ".claude/settings.json").read_text())["permissions"]["deny"]
    assert "Read(**/*.png)" not in deny and "Read(**/node_modules/**)" in deny
    text = (repo / ".cursorignore").read_text()
    assert "*.png" not in text and "# media:" not in text and "node_modules/" in text
    res = cli("ignore", str(repo), "--without", "pictures")
    assert res.exit_code == 2 and "unknown group(s): pictures" in res.stderr


def test_codex_paragraph_in_full_on_the_first_run_only(cli: Any, repo: Path) -> None:
    full = "What is possible: a permission profile (beta)"
    first = cli("ignore", str(repo), "--no-detect")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.count(full) == 1
    again = cli("ignore", str(repo), "--no-detect")
    assert again.exit_code == 0, again.stderr
    assert full not in again.stdout  # it was repeated, five lines, on every run
    assert "Codex CLI: no ignore file exists; `agentcost ignore --codex-profile`" in again.stdout
    # Claude alone, already set up: also a later run
    claude_only = cli("ignore", str(repo), "--no-detect", "--agents", "claude,codex")
    assert full not in claude_only.stdout
