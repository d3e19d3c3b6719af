"""`ignore --dry-run`: identical ignore-file changes shown once; --diff all and --json keep everything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import write


def test_identical_blocks_are_shown_once(cli: Any, repo: Path) -> None:
    write(repo, "src/a.py", "x = 1\n")
    res = cli("ignore", str(repo), "--dry-run", "--no-detect")
    assert res.exit_code == 0, res.stderr
    out = res.stdout
    assert out.count("+++ ") == 2  # the Claude settings + one ignore file
    assert f"+++ {repo / '.claude' / 'settings.json'} (new)" in out
    assert out.count("+# >>> agentcost >>>") == 1
    assert ".cursorignore, .aiderignore, .geminiignore: the same change, line for line, shown once" in out

    full = cli("ignore", str(repo), "--dry-run", "--no-detect", "--diff", "all")
    assert full.exit_code == 0, full.stderr
    assert full.stdout.count("+++ ") == 4 and full.stdout.count("+# >>> agentcost >>>") == 3
    assert "shown once" not in full.stdout
    assert len(out.splitlines()) < len(full.stdout.splitlines()) * 0.6

    data = json.loads(cli("ignore", str(repo), "--dry-run", "--no-detect", "--json").stdout)
    for agent in ("claude", "cursor", "aider", "gemini"):
        assert data["agents"][agent]["diff"].count("+++ ") == 1, agent


def test_a_file_with_own_lines_gets_its_own_diff(cli: Any, repo: Path) -> None:
    write(repo, ".aiderignore", "mine\n")
    res = cli("ignore", str(repo), "--dry-run", "--no-detect")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.count("+++ ") == 3  # claude, cursor (+gemini, identical), aider (different context)
    assert ".cursorignore, .geminiignore: the same change" in res.stdout
    assert f"+++ {repo / '.aiderignore'} (new)" in res.stdout


def test_markup_in_paths_and_patterns_is_printed_verbatim(cli: Any, tmp_path: Path) -> None:
    root = tmp_path / "x[/b]y"
    (root / ".git").mkdir(parents=True)
    res = cli("ignore", str(root), "--dry-run", "--no-detect", "--extra", "data[/b]/")
    assert res.exit_code == 0, res.stdout + res.stderr
    assert f"agentcost ignore {root}" in res.stdout
    assert "+data[/b]/" in res.stdout
