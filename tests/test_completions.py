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
