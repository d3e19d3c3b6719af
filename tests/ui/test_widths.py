"""Every command's tables at 80, 100 and 120 columns: identifying cells and main figures stay whole,
no line is wider than the terminal, nothing is cut with an ellipsis, and no two rows share a label."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.ui.widths import WIDTHS, check
from tests.usage.conftest import claude_line, codex_meta, codex_record, codex_turn, codex_usage, write_lines


@pytest.mark.parametrize("width", WIDTHS)
def test_prices_table(cli: Any, width: int) -> None:
    r = cli("prices", "gpt-5", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    models = [m for m in json.loads(cli("prices", "gpt-5", "--json").stdout)["models"]]
    whole = []
    for m in models:
        whole.append(m["model"])
    lines = check(r.stdout, width, whole)
    # the main figures: every row shows its input and output rate whole
    for m in models:
        if not m["priced"]:
            continue
        row = next(ln for ln in lines if f"│ {m['model']} " in ln)
        cells = [c.strip() for c in row.split("│")[1:-1]]
        assert str(m["input"]).rstrip("0").rstrip(".") in cells[1], row
    if width >= 100:  # the notes column (long-context tiers) is there from 100 columns on
        assert "long context" in r.stdout
    if width < 120:
        assert "Not shown at this width" in r.stdout


@pytest.fixture
def mixed_logs(isolated_env: Path) -> None:
    claude = isolated_env / ".claude" / "projects" / "-home-dev-a-rather-long-project-name-here"
    write_lines(
        claude / "s.jsonl",
        [
            claude_line("m1", "r1", model="claude-sonnet-4-5-20250929", inp=123_456, out=45_678),
            claude_line("m2", "r2", model="deepseek-ai/deepseek-v4-pro", inp=1_234_567, out=9_999),
            claude_line("m3", "r3", model="deepseek-ai/deepseek-v4-flash", inp=98_765, out=4_321),
        ],
    )
    codex = isolated_env / ".codex" / "sessions" / "2026" / "11" / "26"
    write_lines(
        codex / "rollout-2026-11-26T10-00-00-0199aaaa-bbbb-cccc-dddd-eeeeffff0000.jsonl",
        [
            codex_meta("0199aaaa-bbbb-cccc-dddd-eeeeffff0000"),
            codex_turn("gpt-5.1-codex-mini"),
            codex_record("r1", codex_usage(50_000, cached=40_000, out=2_000, reas=500)),
        ],
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("by", ["model", "day", "session", "project"])
def test_usage_tables(cli: Any, mixed_logs: None, width: int, by: str) -> None:
    r = cli("usage", "--by", by, "--tz", "UTC", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    doc = json.loads(cli("usage", "--by", by, "--tz", "UTC", "--json").stdout)
    table = r.stdout.split("Input = uncached")[0]
    keys = [row["key"] for row in doc["rows"]]
    if by == "session":
        keys = [k.partition(":")[2][-12:] for k in keys]  # the random tail of each id is always shown
    check(table, width, keys, ellipsis=by == "session", all_lines=True)
    total = doc["totals"]["tokens"]["total"]
    compact = f"{total / 1e6:.2f}M" if total >= 1e6 else f"{total / 1e3:.1f}k"
    assert f"{total:,}" in table or compact in table  # the main figure (total tokens) is whole
    assert "$" in table.splitlines()[-2] + table.splitlines()[-1] or "$" in table  # the cost is there
    labels = [ln.split()[0] for ln in table.splitlines() if ln.strip() and ln.split()[0] in keys]
    assert len(labels) == len(set(labels)), "two rows share a label"


@pytest.mark.parametrize("width", WIDTHS)
def test_recommend_table(cli: Any, width: int) -> None:
    args = (
        "recommend",
        "--pattern",
        "bursty",
        "--spend-per-day",
        "3",
        "--start",
        "2026-06-01",
        "--tz",
        "UTC",
    )
    r = cli(*args, env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    doc = json.loads(cli(*args, "--json").stdout)
    ids = [s["id"] for s in doc["strategies"]]
    lines = check(r.stdout, width, ids)
    from decimal import Decimal

    from agentcost.formats import money

    for s in doc["strategies"]:  # each strategy's total, whole
        assert any(money(Decimal(s["total_usd"])) in ln for ln in lines), s["id"]


@pytest.mark.parametrize("width", WIDTHS)
def test_audit_repo_tables(cli: Any, tmp_path: Path, width: int) -> None:
    root = tmp_path / "repo"
    deep = root / "packages" / "frontend-application" / "src" / "components" / "navigation"
    deep.mkdir(parents=True)
    (deep / "NavigationBarWithDropdownMenus.tsx").write_text("export const x = 1;\n" * 400)
    (root / "README.md").write_text("# hello\n" * 50)
    (root / "assets").mkdir()
    (root / "assets" / "logo-with-a-long-descriptive-name.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(5000)
    )
    r = cli("audit-repo", str(root), "--table", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    path = "packages/frontend-application/src/components/navigation/NavigationBarWithDropdownMenus.tsx"
    whole = ["claude-sonnet-4-5"] if "claude-sonnet-4-5" in r.stdout else []
    if len(path) + 20 <= width:  # a path longer than the terminal folds; shorter ones never split
        whole.append(path)
    check(r.stdout, width, [*whole, "assets/logo-with-a-long-descriptive-name.png"])


@pytest.mark.parametrize("width", WIDTHS)
def test_limits_table(cli: Any, width: int) -> None:
    """QA: at 80 columns every cell of `limits` was cut (`clau… unk… ~$3…`), the allowance too."""
    import os
    import time
    from decimal import Decimal

    from agentcost.formats import money
    from tests.limits.gen import World, write_codex

    world = World(seed=3, t0=time.time() - 6 * 86400)
    write_codex(Path(os.environ["CODEX_HOME"]), world.run(days=5))
    r = cli("limits", env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.stderr
    doc = json.loads(cli("limits", "--json").stdout)
    lines = check(r.stdout, width, ["codex"])
    for w in doc["windows"]:
        if w["allowance_usd"] is not None:  # the main figure, whole
            assert any(money(Decimal(w["allowance_usd"])) in ln for ln in lines), w
