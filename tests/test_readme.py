"""The README stays an overview: under 12 KB, the two set-up lines in their own code blocks, the
install lines, every command in the problem table, and no dead link to docs/."""

from __future__ import annotations

import re
from pathlib import Path

from agentcost.commands import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.S)]


def test_size() -> None:
    assert len(README.encode("utf-8")) <= 12 * 1024


def test_setup_lines_are_separate_blocks() -> None:
    blocks = _blocks()
    assert "pip install . && agentcost audit-repo" in blocks  # installs and runs the main job
    assert "pip install '.[test]' && python -m pytest" in blocks  # installs and runs the tests (as CI)


def test_install_lines() -> None:
    assert "pipx install ." in README and "uv tool install ." in README


def test_every_command_is_in_the_problem_table() -> None:
    table = README[README.index("| problem | command |") :].split("\n\n")[0]
    for name in COMMANDS:
        if name in ("completion", "upgrade-cost"):
            continue  # mentioned beside install / recommend
        assert f"agentcost {name}" in table, name
    assert "agentcost completion" in README and "agentcost upgrade-cost" in README


def test_links_resolve() -> None:
    for doc in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            assert (doc.parent / target).exists(), f"{doc.name}: dead link {target}"
