"""The real Claude Code (2.1.197, interactive, in a pty) runs the installed status line and passes it
the rate limits it read from the provider's `anthropic-ratelimit-unified-*` headers.

Found with this test: Claude Code passes `rate_limits` only to subscribers (an OAuth token here,
`CLAUDE_CODE_OAUTH_TOKEN`; with an API key the same headers give no `rate_limits`), as
`{"five_hour": {"used_percentage": <utilization x 100, unrounded>, "resets_at": <epoch s>}, ...}`.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import time
from pathlib import Path

import pytest

from tests.e2e.harness import World
from tests.e2e.stub_provider import StubProvider

pytestmark = pytest.mark.e2e

OAUTH = "sk-ant-oat01-" + "e2e" * 30 + "AA"  # not a real token: only the stub sees it


def _interactive(world: World, env: dict[str, str], prompt: bytes, until: Path, timeout: float = 60) -> str:
    """Run `claude` in a pseudo-terminal, type `prompt`, wait until `until` has a line; the screen."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(world.workdir)
        os.execve(str(world.clients.claude), [str(world.clients.claude)], env)
    screen = b""
    start = time.monotonic()
    typed = False
    try:
        while time.monotonic() - start < timeout:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    break
            if not typed and time.monotonic() - start > 6:
                os.write(fd, prompt)
                time.sleep(0.5)
                os.write(fd, b"\r")
                typed = True
            if typed and until.exists() and until.read_text().strip():
                time.sleep(1.5)  # let the status bar redraw with the new line
                r, _, _ = select.select([fd], [], [], 0.5)
                if r:
                    screen += os.read(fd, 65536)
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return re.sub(r"\x1b\[[0-9;?>]*[A-Za-z]", " ", screen.decode(errors="replace"))


def test_claude_code_passes_rate_limits_to_the_installed_status_line(
    world: World, provider: StubProvider
) -> None:
    now = int(time.time())
    provider.extra_headers = {
        "anthropic-ratelimit-unified-status": "allowed",
        "anthropic-ratelimit-unified-5h-utilization": "0.42",
        "anthropic-ratelimit-unified-5h-reset": str(now + 7200),
        "anthropic-ratelimit-unified-7d-utilization": "0.18",
        "anthropic-ratelimit-unified-7d-reset": str(now + 300_000),
    }
    res = world.agentcost("statusline", "install")
    assert res.returncode == 0, res.explain()
    # a user past onboarding who trusts the project (no first-run dialogs)
    state = {
        "hasCompletedOnboarding": True,
        "theme": "dark",
        "projects": {
            str(world.workdir): {"hasTrustDialogAccepted": True, "hasCompletedProjectOnboarding": True}
        },
    }
    for p in (world.claude_dir / ".claude.json", world.home / ".claude.json"):
        p.write_text(json.dumps(state))
    store = world.home / ".local" / "share" / "agentcost" / "limits" / "claude.jsonl"
    env = world.env(
        {
            "ANTHROPIC_BASE_URL": provider.url,
            "CLAUDE_CODE_OAUTH_TOKEN": OAUTH,
            "ANTHROPIC_MODEL": "claude-sonnet-4-5",
            "TERM": "xterm-256color",
            # interactive-only outside connections (update checks, the plugin marketplace)
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_UPDATES": "1",
            "DISABLE_INSTALLATION_CHECKS": "1",
            "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL": "1",
        }
    )
    screen = _interactive(world, env, b"say hi", store)
    assert provider.api_requests(), provider.describe()
    docs = [json.loads(x) for x in store.read_text().splitlines() if x.strip()]
    assert docs, f"no reading recorded; screen:\n{screen[-2000:]}"
    w = docs[-1]["w"]
    assert w["five_hour"] == [42.0, float(now + 7200)]
    assert w["seven_day"] == [18.0, float(now + 300_000)]
    assert "5h 42%" in screen
    limits = world.agentcost("limits", "--json", "--agent", "claude").json()
    five = next(x for x in limits["windows"] if x["window_minutes"] == 300)
    assert five["snapshots"] >= 1 and five["allowance_usd"] is None and "one reading" in five["reason"]
