"""`agentcost statusline`: the line, the costs it shows, the readings it records, never failing."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agentcost.limits import store
from agentcost.statusline import run
from agentcost.ui.statusline import render

NOW = time.time()


@pytest.fixture(autouse=True)
def _now() -> None:
    """NOW is taken when each test starts (the suite may reach these tests minutes after import)."""
    global NOW
    NOW = time.time()


def _iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".000Z"


def _assistant(sid: str, i: int, t: float, out: int = 1000) -> str:
    return json.dumps(
        {
            "type": "assistant",
            "sessionId": sid,
            "cwd": "/home/dev/app",
            "timestamp": _iso(t),
            "requestId": f"r{i}",
            "message": {
                "id": f"m{i}",
                "model": "claude-sonnet-4-5-20250929",
                "usage": {"input_tokens": 1000, "output_tokens": out, "cache_read_input_tokens": 0},
            },
        }
    )


@pytest.fixture
def transcript() -> Path:
    p = Path(os.environ["CLAUDE_CONFIG_DIR"]) / "projects" / "-home-dev-app" / "sess-1.jsonl"
    p.parent.mkdir(parents=True)
    lines = [_assistant("sess-1", i, NOW - 60 + i) for i in range(3)]
    p.write_text("\n".join(lines) + "\n")
    return p


def _stdin(transcript: Path | None, **extra: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "session_id": "sess-1",
        "model": {"id": "claude-sonnet-4-5", "display_name": "Sonnet 4.5"},
        "cost": {"total_cost_usd": 0.5},
        "rate_limits": {
            "five_hour": {"used_percentage": 42, "resets_at": int(NOW + 2 * 3600 + 90)},
            "seven_day": {"used_percentage": 18, "resets_at": int(NOW + 3 * 86400 + 300)},
        },
    }
    if transcript is not None:
        d["transcript_path"] = str(transcript)
    d.update(extra)
    return d


def _run(data: Any, env: dict[str, str] | None = None) -> str:
    out = io.StringIO()
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    e = {**os.environ, **(env or {})}
    assert run.main(io.BytesIO(raw), out, e) == 0
    return out.getvalue()


def test_line_shows_model_costs_windows(transcript: Path) -> None:
    # 3 requests x (1000 in x $3/M + 1000 out x $15/M) = $0.054
    line = _run(_stdin(transcript))
    assert line.endswith("\n") and line.count("\n") == 1
    assert line.startswith("Sonnet 4.5 · session $0.05 · today $0.05 · 5h 42% ↻2h01m · 7d 18% ↻3d0h")
    info = run.compute(_stdin(transcript), now=NOW)
    assert info["session"] == Decimal("0.054") and not info.get("session_fallback")


def test_readings_are_recorded_with_the_last_response_time(transcript: Path) -> None:
    _run(_stdin(transcript))
    _run(_stdin(transcript))  # same readings: not written twice
    docs = store.read()
    assert len(docs) == 1
    assert docs[0]["s"] == "sess-1" and docs[0]["w"]["five_hour"][0] == 42.0
    assert abs(docs[0]["asof"] - (NOW - 58)) < 1.5  # the latest response's time stamp


def test_falls_back_to_claudes_estimate_and_says_so() -> None:
    line = _run(_stdin(None))
    assert "session ~$0.50 (Claude est.)" in line


def test_no_windows_for_api_key_users(transcript: Path) -> None:
    line = _run(_stdin(transcript, rate_limits=None))
    assert "5h" not in line and "today $0.05" in line
    assert store.read() == []


def test_pace_warning() -> None:
    # 5 h window, 4 h left: 1 h elapsed with 60 % used -> runs out in 40 min
    data = _stdin(None)
    data["rate_limits"]["five_hour"] = {"used_percentage": 60, "resets_at": int(NOW + 4 * 3600)}
    line = _run(data)
    assert "⚠ out in 39m" in line or "⚠ out in 40m" in line


def test_no_color_and_colour(transcript: Path) -> None:
    assert "\x1b[" not in _run(_stdin(transcript), {"NO_COLOR": "1"})
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    out = io.StringIO()
    run.main(io.BytesIO(json.dumps(_stdin(transcript)).encode()), out, env)
    assert "\x1b[32m42%\x1b[0m" in out.getvalue()


@pytest.mark.parametrize("width", [20, 40, 60, 80])
def test_narrow_widths(transcript: Path, width: int) -> None:
    line = _run(_stdin(transcript), {"AGENTCOST_STATUSLINE_WIDTH": str(width)}).rstrip("\n")
    assert len(line) <= width
    assert "%" in line or width < 30


def test_render_levels() -> None:
    info = {
        "model": "Claude Opus 4.5 with a long name",
        "session": Decimal("1.234"),
        "today": Decimal("10"),
        "windows": [
            {
                "name": "five_hour",
                "minutes": 300,
                "used": 85.0,
                "reset_in": 3700,
                "runs_out_in": 600,
                "allowance": "20.00",
            }
        ],
    }
    assert render(info, 200, color=False) == (
        "Claude Opus 4.5 with a long name · session $1.23 · today $10.00 · 5h 85% of ~$20 ↻1h01m ⚠ out in 10m"
    )
    assert render(info, 40, color=False) == "$1.23 · day $10.00 · 5h 85% ⚠"


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1,2]", b'{"rate_limits": 7, "model": 3}'])
def test_bad_input_never_fails(raw: bytes) -> None:
    out = _run(raw)
    assert out.count("\n") == 1 and len(out) < 80


def test_internal_error_prints_something_short(transcript: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(run, "compute", boom)
    assert _run(_stdin(transcript)) == "agentcost: status unavailable\n"
    log = Path(os.environ["AGENTCOST_CACHE_DIR"]) / "statusline-error.log"
    assert "disk on fire" in log.read_text()


def test_unwritable_cache_and_data_dirs(transcript: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = {"AGENTCOST_CACHE_DIR": str(blocker / "c"), "AGENTCOST_DATA_DIR": str(blocker / "d")}
    line = _run(_stdin(transcript), env)
    assert "today $0.05" in line


def test_python_m_fast_path_imports_no_cli_framework(transcript: Path) -> None:
    """`python -m agentcost statusline` (what install writes) answers before typer/click/rich load;
    once the price memo is warm, not even the price catalog or dataclasses are imported."""
    for _ in range(2):  # the first run looks the model up in the catalog
        p = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "agentcost", "statusline"],
            input=json.dumps(_stdin(transcript)).encode(),
            capture_output=True,
            check=False,
        )
        assert p.returncode == 0
        assert p.stdout.decode().startswith("Sonnet 4.5 · session $0.05")
        modules = {ln.split("|")[-1].strip() for ln in p.stderr.decode().splitlines() if "|" in ln}
        assert not modules & {"typer", "click", "rich", "agentcost.cli"}
    assert not modules & {
        "typer",
        "click",
        "rich",
        "agentcost.cli",
        "agentcost.pricing.catalog",
        "dataclasses",
    }


def test_cli_statusline_command_works_too(transcript: Path, cli: Any) -> None:
    res = cli("statusline", input=json.dumps(_stdin(transcript)))
    assert res.exit_code == 0 and "today $0.05" in res.stdout


def test_a_terminal_on_stdin_gets_a_hint_not_a_hang() -> None:
    class Tty(io.BytesIO):
        def isatty(self) -> bool:
            return True

    out = io.StringIO()
    assert run.main(Tty(b""), out, dict(os.environ)) == 0
    assert "reads Claude Code's status JSON on stdin" in out.getvalue()


def test_model_name_escapes_are_shown_not_executed() -> None:
    """QA: a model name (chosen by a settings file) reached the status bar with raw escapes/newlines."""
    out = _run({"model": {"display_name": "\x1b]0;pwn\x07Evil\nX"}})
    assert "\x1b]" not in out and "\x07" not in out
    assert out.count("\n") == 1 and "Evil\\nX" in out


def test_empty_input_says_so() -> None:
    assert _run(b"") == "agentcost: no status input\n"


def test_wide_characters_fit_the_width() -> None:
    info = {"model": "通义千问编码模型超长名称测试", "session": Decimal("1"), "today": Decimal("2")}
    for width in (20, 40, 80):
        line = render(info, width, color=False)
        cells = sum(2 if ord(c) > 0x2E80 else 1 for c in line)
        assert cells <= width, (width, line)


def test_an_exhausted_window_says_limit_reached_not_out_in_0m() -> None:
    info = {
        "windows": [
            {"name": "seven_day", "minutes": 10080, "used": 100.0, "reset_in": 7200, "runs_out_in": 0}
        ]
    }
    line = render(info, 120, color=False)
    assert "limit reached" in line and "out in" not in line


def test_fifo_transcript_is_skipped_not_fatal(tmp_path: Path) -> None:
    """QA: a FIFO as transcript_path turned the whole line into `agentcost: status unavailable`."""
    fifo = tmp_path / "t.jsonl"
    os.mkfifo(fifo)
    out = _run({"session_id": "s", "transcript_path": str(fifo), "model": {"display_name": "Sonnet"}})
    assert out.startswith("Sonnet"), out
