"""The real Codex CLI (pinned by tests/e2e) enforces the profile `agentcost ignore --codex-profile` writes.

`codex sandbox CMD` runs one command under the sandbox policy of $CODEX_HOME/config.toml, without a
model: `cat` of a denied file must fail, other files must read. Skips like the other e2e tests when
the client cannot be installed; needs a working bubblewrap sandbox (Linux).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

EXPECTED = {
    "a.txt": "read",
    ".env": "denied",
    "pkg/.env.production": "denied",
    ".env.example": "read",
    "node_modules/x/index.js": "read",  # commands (npm test) still need dependencies
}


def test_real_codex_sandbox_denies_the_secrets(tmp_path: Path) -> None:
    from tests.e2e.harness import World, ensure_clients
    from tests.e2e.proxy_guard import ProxyGuard

    clients = ensure_clients()
    with ProxyGuard() as guard:
        home = tmp_path / "home"  # the autouse fixture made it already
        home.mkdir(exist_ok=True)
        world = World(home=home, clients=clients, guard=guard)
        repo = home / "repo"
        for rel in EXPECTED:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(f"MARKER {rel}\n")
        subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
        ign = world.agentcost("ignore", "--agents", "codex", "--codex-profile", "--no-detect", cwd=repo)
        assert ign.returncode == 0, ign.explain()
        probe = world.codex("sandbox", "true", cwd=repo)
        if probe.returncode != 0:
            pytest.skip(f"codex sandbox does not run here: {probe.output[-300:]}")
        got = {}
        for rel in EXPECTED:
            run = world.codex("sandbox", "cat", rel, cwd=repo)
            if f"MARKER {rel}" in run.stdout:
                got[rel] = "read"
            elif "Permission denied" in run.output:
                got[rel] = "denied"
            else:
                got[rel] = f"? {run.output[-200:]}"
        assert got == EXPECTED
        assert guard.snapshot() == []
        assert "[permissions.agentcost]" in (world.codex_home / "config.toml").read_text()
