"""The real Claude Code (pinned by tests/e2e) honours the rules `agentcost ignore` writes.

A stub provider on 127.0.0.1 scripts one Read tool call per file; the tool results that Claude Code
sends back say which reads its permission check denied. Uses the e2e harness (npm-installed client,
refusing proxy); skips like the other e2e tests when the client cannot be installed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

# path -> expected outcome with the defaults + `--extra /gen/`
EXPECTED = {
    ".env": "denied",
    ".env.example": "allowed",  # the exception survives: no rule covers it
    ".env.local": "denied",  # a usual variant, denied by name
    ".env.qa2": "denied",  # an unusual variant: denied by the exact rule for the file found
    "api/.env.example": "allowed",
    "data/app.sqlite": "denied",
    "node_modules/p/i.js": "denied",
    "web/node_modules/q/j.js": "denied",  # any depth
    "gen/a.js": "denied",  # /gen/ is anchored ...
    "packages/ui/gen/b.js": "allowed",  # ... so a nested gen/ stays readable
    "gen2/a.js": "denied",  # a hand-written Read(./gen2/**) ...
    "packages/ui/gen2/b.js": "denied",  # ... is NOT anchored: why agentcost writes Read(/gen/**)
    "package-lock.json": "denied",
    "src/app.py": "allowed",
    "src/build.py": "allowed",  # build/ is a directory rule; a file named build.py is fine
}


def test_real_claude_code_denies_exactly_the_excluded_reads(tmp_path: Path) -> None:
    from tests.e2e.harness import World, ensure_clients
    from tests.e2e.proxy_guard import ProxyGuard
    from tests.e2e.stub_provider import StubProvider, tool_result_text

    clients = ensure_clients()
    with StubProvider() as provider, ProxyGuard() as guard:
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        world = World(home=home, clients=clients, guard=guard)
        setup = world.agentcost(
            "setup", "claude", "--yes", "--provider", "custom", "--base-url", provider.url,
            "--api-key", "sk-test-ignore-0123456789", "--model", "m-main", "--fast-model", "m-fast",
        )  # fmt: skip
        assert setup.returncode == 0, setup.explain()
        repo = home / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
        (repo / ".gitignore").write_text(".env\n.env.local\n.env.qa2\n")
        for rel in EXPECTED:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(f"MARKER {rel}\n")
        ign = world.agentcost("ignore", "--agents", "claude", "--extra", "/gen/", cwd=repo)
        assert ign.returncode == 0, ign.explain()
        settings_path = repo / ".claude" / "settings.json"
        settings = json.loads(settings_path.read_text())
        assert "Read(/gen/**)" in settings["permissions"]["deny"]
        assert "Read(/.env.qa2)" in settings["permissions"]["deny"]
        settings["permissions"]["deny"].append("Read(./gen2/**)")
        settings_path.write_text(json.dumps(settings, indent=2))

        for rel in EXPECTED:
            provider.script_tool_use("Read", {"file_path": str(repo / rel)})
        run = world.claude("-p", "read the files", cwd=repo)
        assert run.returncode == 0, run.explain()
        results = [tool_result_text(b) for b in provider.api_requests()[-1].tool_results()]
        assert len(results) == len(EXPECTED), provider.describe()
        got = {}
        for rel, text in zip(EXPECTED, results, strict=True):
            if f"MARKER {rel}" in text:
                got[rel] = "allowed"
            elif "denied by your permission settings" in text:
                got[rel] = "denied"
            else:
                got[rel] = f"? {text[:120]}"
        assert got == EXPECTED
        assert guard.snapshot() == []
