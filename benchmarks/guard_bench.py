"""Benchmark one `agentcost guard hook PreToolUse` call on a 200 MB log history.

    python benchmarks/guard_bench.py                  # 200 MB corpus under /tmp, deleted afterwards
    python benchmarks/guard_bench.py --mb 200 --runs 60 --keep --json out.json

The history is `usage_bench.py`'s generator (Claude Code and Codex logs over the 30 days before now,
mtimes as real logs have them; `statusline_bench.py`'s helpers). guard.toml sets every budget
(session, day, week, month, project) and the loop rules, so each call measures every scope. One
Claude session is active: before each hook call one assistant response is appended to its
transcript (as Claude Code does before it runs PreToolUse). Each call is a fresh process,
`<python> -m agentcost guard hook PreToolUse` with Claude Code's JSON on stdin, timed from spawn to
exit and interleaved with the floor `<python> -c pass`. Also: the same call with loop rules only (no
budget: the spend index is not read), the first (cold) call, the in-process work, and the top imports.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import statusline_bench

GUARD_TOML = """
[budgets.session]
hard = 100000
[budgets.day]
soft = 90000
hard = 100000
[budgets.week]
hard = 100000
[budgets.month]
hard = 1000000
[budgets.project]
hard = 100000
[loops]
repeat = 8
burst_usd = 100000
burst_minutes = 10
"""


def main() -> int:
    args = statusline_bench.parse_args(__doc__)
    root, corpus, size, files = statusline_bench.build_corpus(args, "guard")
    env = dict(os.environ)
    env.update(
        HOME=str(root / "home"),
        CLAUDE_CONFIG_DIR=str(corpus / "claude"),
        CODEX_HOME=str(corpus / "codex"),
        AGENTCOST_CACHE_DIR=str(root / "cache"),
        AGENTCOST_DATA_DIR=str(root / "data"),
        AGENTCOST_CONFIG_DIR=str(root / "config"),
    )
    for d in ("cache", "data", "config"):
        shutil.rmtree(root / d, ignore_errors=True)
    (root / "config").mkdir()
    cfg = root / "config" / "guard.toml"
    cfg.write_text(GUARD_TOML)
    sid = str(uuid.uuid4())
    transcript = corpus / "claude" / "projects" / "-home-dev-proj1" / f"{sid}.jsonl"
    transcript.parent.mkdir(parents=True, exist_ok=True)
    transcript.write_text("")
    py = sys.executable
    cmd = [py, "-m", "agentcost", "guard", "hook", "PreToolUse"]
    floor_cmd = [py, "-c", "pass"]

    def stdin(i: int) -> bytes:
        return json.dumps(
            {
                "session_id": sid,
                "transcript_path": str(transcript),
                "cwd": "/home/dev/proj1",
                "hook_event_name": "PreToolUse",
                "tool_name": "Bash",
                "tool_input": {"command": f"ls -la src/{i % 5}", "description": "list"},
                "tool_use_id": f"toolu_{i}",
            }
        ).encode()

    def timed(c: list[str], data: bytes | None) -> float:
        t = time.perf_counter()
        p = subprocess.run(c, input=data, capture_output=True, env=env, check=False)
        dt = time.perf_counter() - t
        if p.returncode != 0:
            raise RuntimeError(f"{c} exited {p.returncode}: {p.stderr.decode()[-500:]}")
        return dt

    def append(i: int) -> None:
        with transcript.open("a") as f:
            f.write(statusline_bench.assistant(sid, i, time.time()) + "\n")

    append(0)
    cold = timed(cmd, stdin(0))
    full: list[float] = []
    loops_only: list[float] = []
    floor: list[float] = []
    for i in range(1, args.runs + 1):
        append(i)
        full.append(timed(cmd, stdin(i)))
        floor.append(timed(floor_cmd, None))
    cfg.write_text("[loops]\nrepeat = 8\n")
    for i in range(args.runs + 1, 2 * args.runs + 1):
        loops_only.append(timed(cmd, stdin(i)))
    cfg.write_text(GUARD_TOML)
    err = root / "cache" / "guard" / "errors.log"
    if err.exists():
        raise RuntimeError(f"the hook logged internal errors:\n{err.read_text()[-2000:]}")
    # the work in one process (imports done)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.update(env)
    from agentcost.guard import hook

    work: list[float] = []
    for i in range(2 * args.runs + 1, 3 * args.runs + 1):
        append(i)
        data = json.loads(stdin(i))
        t = time.perf_counter()
        hook.handle("claude", "PreToolUse", data, None, time.time())
        work.append(time.perf_counter() - t)
    prof = subprocess.run(
        [py, "-X", "importtime", *cmd[1:]], input=stdin(0), capture_output=True, env=env, check=False
    )
    top: list[tuple[int, str]] = []
    for ln in prof.stderr.decode().splitlines():
        parts = ln.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            top.append((int(parts[1]), parts[2].strip()))
    top.sort(reverse=True)
    pct = statusline_bench.pct
    res: dict[str, Any] = {
        "corpus_mb": round(size / 1e6, 1),
        "files": files,
        "runs": args.runs,
        "cold_ms": round(cold * 1000, 1),
        "p50_ms": round(statistics.median(full) * 1000, 1),
        "p95_ms": round(pct(full, 95) * 1000, 1),
        "loops_only_p50_ms": round(statistics.median(loops_only) * 1000, 1),
        "loops_only_p95_ms": round(pct(loops_only, 95) * 1000, 1),
        "floor_p50_ms": round(statistics.median(floor) * 1000, 1),
        "floor_p95_ms": round(pct(floor, 95) * 1000, 1),
        "work_p50_ms": round(statistics.median(work) * 1000, 1),
        "work_p95_ms": round(pct(work, 95) * 1000, 1),
        "loadavg": os.getloadavg(),
        "top_level_imports_ms": [(name, round(us / 1000, 1)) for us, name in top[:8]],
    }
    print(f"corpus: {res['corpus_mb']} MB in {files} files; {args.runs} runs each; load {res['loadavg']}")
    print(f"{'':40s} {'p50':>8s} {'p95':>8s}")
    print(f"{'guard hook PreToolUse, every budget':40s} {res['p50_ms']:8.1f} {res['p95_ms']:8.1f}  ms")
    lo50, lo95 = res["loops_only_p50_ms"], res["loops_only_p95_ms"]
    print(f"{'guard hook PreToolUse, loop rules only':40s} {lo50:8.1f} {lo95:8.1f}  ms")
    print(f"{'python -c pass (floor)':40s} {res['floor_p50_ms']:8.1f} {res['floor_p95_ms']:8.1f}  ms")
    print(f"{'handle() in-process (work)':40s} {res['work_p50_ms']:8.1f} {res['work_p95_ms']:8.1f}  ms")
    print(f"first call (cold index): {res['cold_ms']} ms")
    print(
        "top-level imports (cumulative ms):", ", ".join(f"{n} {ms}" for n, ms in res["top_level_imports_ms"])
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2))
    if not args.keep and not args.dir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
