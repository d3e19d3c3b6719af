"""The committed completion scripts must match what the CLI generates (no drift)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from agentcost.completions import FILENAMES, SHELLS, generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_files_match_cli(shell: str) -> None:
    committed = (ROOT / "completions" / FILENAMES[shell]).read_text(encoding="utf-8")
    assert committed == generate(shell), (
        f"completions/{FILENAMES[shell]} is stale: run `python -m agentcost.completions` to regenerate"
    )


def test_every_command_is_completed() -> None:
    import typer.main

    from agentcost.cli import app

    script = generate("bash")
    group = typer.main.get_command(app)
    import click

    assert isinstance(group, click.Group)
    for name in group.list_commands(click.Context(group)):
        assert name in script


def test_completion_command(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("completion", "fish")
    assert r.exit_code == 0
    assert "complete -c agentcost" in r.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_script_completes_subcommands(tmp_path: Path) -> None:
    script = tmp_path / "c.bash"
    script.write_text(generate("bash"))
    probe = (
        f"source {script}; COMP_WORDS=(agentcost setup c); COMP_CWORD=2; _agentcost; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert sorted(out) == ["claude", "codex"]


def test_bash_completes_provider_ids_after_provider(tmp_path: Path) -> None:
    # `agentcost setup claude --provider <Tab>` offered flags, not provider ids
    import shutil
    import subprocess

    from agentcost.completions import generate

    if shutil.which("bash") is None:
        pytest.skip("bash not installed")
    script = tmp_path / "c.bash"
    script.write_text(generate("bash"))

    def complete(*words: str) -> list[str]:
        line = " ".join(f'"{w}"' for w in words)
        out = subprocess.run(
            ["bash", "-c", f'source "{script}"; COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; '
             '_agentcost; printf "%s\\n" "${COMPREPLY[@]}"'],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [w for w in out.stdout.splitlines() if w]

    for sub in ("claude", "codex"):
        got = complete("agentcost", "setup", sub, "--provider", "")
        assert {"zai", "deepseek", "openrouter", "custom"} <= set(got), got
        assert not [w for w in got if w.startswith("-")]
        assert complete("agentcost", "setup", sub, "-p", "de") == ["deepseek"]
    # an option that takes a free value offers no flags either
    assert not [w for w in complete("agentcost", "setup", "claude", "--model", "") if w.startswith("-")]
