"""Issue 16 "done when": on Codex logs of a ChatGPT Plus user, `agentcost recommend` simulates that
plan with the window sizes `agentcost limits` measures from the same logs, instead of skipping it."""

from __future__ import annotations

import json
import os
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.limits.gen import World, write_codex

DAY = 86400.0


def _strategy(data: dict[str, Any], plan_id: str) -> dict[str, Any] | None:
    for s in data["strategies"]:
        if s.get("plan") == plan_id or s.get("id") == plan_id:
            return s
    return None


def test_plus_user_logs_simulate_chatgpt_plus_with_measured_windows(cli: Any) -> None:
    world = World(seed=7, t0=time.time() - 12 * DAY, sizes={300: Decimal(20), 10080: Decimal(150)})
    write_codex(Path(os.environ["CODEX_HOME"]), world.run(days=11), plan="plus")
    r = cli("recommend", "--agent", "codex", "--json")
    assert r.exit_code == 0, r.stderr + r.stdout
    data = json.loads(r.stdout)
    measured = data["measured"]
    assert measured, data
    plus = [m for m in measured if "chatgpt-plus" in json.dumps(m)]
    assert plus, measured
    skipped = json.dumps(data.get("skipped", []))
    assert "chatgpt-plus" not in skipped, skipped
    assert _strategy(data, "chatgpt-plus") is not None, [s.get("plan") for s in data["strategies"]]


def test_without_rate_limit_readings_plus_is_skipped_with_a_break_even(cli: Any) -> None:
    world = World(seed=7, t0=time.time() - 12 * DAY)
    events = world.run(days=11)
    write_codex(Path(os.environ["CODEX_HOME"]), events, plan="plus")
    # strip the readings: an API-key user's logs carry null windows
    for f in Path(os.environ["CODEX_HOME"]).rglob("*.jsonl"):
        lines = []
        for line in f.read_text().splitlines():
            d = json.loads(line)
            if d.get("payload", {}).get("type") == "token_count":
                d["payload"]["rate_limits"] = {"primary": None, "secondary": None, "plan_type": None}
            lines.append(json.dumps(d))
        f.write_text("\n".join(lines) + "\n")
    r = cli("recommend", "--agent", "codex", "--json")
    assert r.exit_code == 0, r.stderr + r.stdout
    data = json.loads(r.stdout)
    assert not data["measured"]
    assert "chatgpt-plus" in json.dumps(data["break_even"])
