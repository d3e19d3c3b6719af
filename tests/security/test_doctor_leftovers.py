"""`doctor` finds agentcost leftovers that expose a key, with the command that fixes each (issue #11)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

KEY = "sk-proj-LEFTOVERKEY-0123456789abcd"


def test_doctor_reports_leftovers_and_their_fix(
    cli: Callable[..., Any], isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codex = Path(os.environ["CODEX_HOME"])
    codex.mkdir(parents=True)
    backup = codex / "config.toml.agentcost-backup-20261201-101010"
    backup.write_text(f'experimental_bearer_token = "{KEY}"\n')
    os.chmod(backup, 0o644)
    clean = codex / "config.toml.agentcost-backup-20261201-101011"
    clean.write_text('model = "gpt-5"\n')  # no secret: not reported
    os.chmod(clean, 0o644)
    temp = codex / f".auth.json.x1y2{'.agentcost-tmp'}"
    temp.write_text(f'{{"OPENAI_API_KEY": "{KEY}"}}')
    repo = tmp_path / "repo"
    (repo / ".claude").mkdir(parents=True)
    (repo / ".git").mkdir()
    in_repo = repo / ".claude" / "settings.local.json.agentcost-backup-20261201-101010"
    in_repo.write_text(f'{{"env": {{"ANTHROPIC_API_KEY": "{KEY}"}}}}')
    os.chmod(in_repo, 0o600)
    monkeypatch.chdir(repo)

    r = cli("doctor", "--json")
    assert KEY not in r.stdout + r.stderr
    found = {f["code"]: f for f in json.loads(r.stdout)["findings"] if f["code"].startswith("AGENTCOST_")}
    assert set(found) == {"AGENTCOST_BACKUP_READABLE", "AGENTCOST_LEFTOVER_TEMP", "AGENTCOST_BACKUP_IN_REPO"}
    assert found["AGENTCOST_BACKUP_READABLE"]["fix"] == f"chmod 600 {backup}"
    assert found["AGENTCOST_LEFTOVER_TEMP"]["fix"] == f"rm {temp}"
    assert found["AGENTCOST_BACKUP_IN_REPO"]["fix"] == f"rm {in_repo}"
    for f in found.values():  # the fixes work
        subprocess.run(f["fix"], shell=True, check=True)
    r = cli("doctor", "--json")
    assert not [f for f in json.loads(r.stdout)["findings"] if f["code"].startswith("AGENTCOST_")]
