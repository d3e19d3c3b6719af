"""Benchmark `agentcost statusline` (the Claude Code statusLine command) on a 200 MB log history.

    python benchmarks/statusline_bench.py                # 200 MB corpus under /tmp, deleted afterwards
    python benchmarks/statusline_bench.py --mb 200 --runs 60 --keep --json out.json

The history is `usage_bench.py`'s generator (Claude Code and Codex logs), spread over the 30 days
before now, each file's modification time set to its last line's time (as real logs have). One Claude
session is "active": before every status-line run one assistant response is appended to its
transcript, as Claude Code does before it runs the command; the stdin is what Claude Code sends
(session, transcript, model, cost, rate_limits). Each run is a fresh process:
`<python> -m agentcost statusline`, timed from spawn to exit, interleaved with the floor
`<python> -c pass` so both see the same machine load. The first run (cold index) is reported apart.
Also printed: where the time goes in one warm run (-X importtime top imports, and the in-process
phases).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import usage_bench


def set_mtimes(root: Path) -> int:
    """Each log's mtime := the time stamp of its last line."""
    n = 0
    for p in root.rglob("*.jsonl"):
        last = p.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        try:
            ts = json.loads(last).get("timestamp")
        except ValueError:
            continue
        if isinstance(ts, str):
            t = time.mktime(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
            os.utime(p, (t, t))
            n += 1
    return n


def assistant(sid: str, i: int, t: float) -> str:
    return json.dumps(
        {
            "type": "assistant",
            "sessionId": sid,
            "cwd": "/home/dev/proj1",
            "timestamp": usage_bench.Gen.ts(None, t),  # type: ignore[arg-type]
            "requestId": f"req_bench_{i}",
            "message": {
                "id": f"msg_bench_{i}",
                "model": "claude-sonnet-4-5-20250929",
                "role": "assistant",
                "content": [{"type": "text", "text": "x" * 400}],
                "usage": {
                    "input_tokens": 12,
                    "cache_read_input_tokens": 40000,
                    "cache_creation_input_tokens": 900,
                    "output_tokens": 350,
                },
            },
        },
        separators=(",", ":"),
    )


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def parse_args(doc: str | None) -> argparse.Namespace:
    """The options every hot-path benchmark takes (this one and guard_bench)."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--dir", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", dest="json_out", default=None)
    return ap.parse_args()


def build_corpus(args: argparse.Namespace, name: str) -> tuple[Path, Path, int, int]:
    """(root, corpus, bytes, files): a --mb log history of the last 30 days, built once per --dir."""
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix=f"agentcost-{name}-bench-"))
    corpus = root / "corpus"
    if not (corpus / "done").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        corpus.mkdir(parents=True)
        gen = usage_bench.Gen(corpus, args.seed)
        gen.t0 = time.time() - 30 * 86400
        info = gen.build(args.mb)
        set_mtimes(corpus)
        (corpus / "done").write_text(json.dumps(info))
    size = sum(p.stat().st_size for p in corpus.rglob("*.jsonl"))
    files = sum(1 for _ in corpus.rglob("*.jsonl"))
    return root, corpus, size, files


def main() -> int:
    args = parse_args(__doc__)
    root, corpus, size, files = build_corpus(args, "statusline")
    env = dict(os.environ)
    env.update(
        HOME=str(root / "home"),
        CLAUDE_CONFIG_DIR=str(corpus / "claude"),
        CODEX_HOME=str(corpus / "codex"),
        AGENTCOST_CACHE_DIR=str(root / "cache"),
        AGENTCOST_DATA_DIR=str(root / "data"),
        NO_COLOR="1",
    )
    shutil.rmtree(root / "cache", ignore_errors=True)
    shutil.rmtree(root / "data", ignore_errors=True)
    sid = str(uuid.uuid4())
    transcript = corpus / "claude" / "projects" / "-home-dev-proj1" / f"{sid}.jsonl"
    transcript.parent.mkdir(parents=True, exist_ok=True)
    transcript.write_text("")
    py = sys.executable
    cmd = [py, "-m", "agentcost", "statusline"]
    floor_cmd = [py, "-c", "pass"]

    def stdin(i: int) -> bytes:
        now = time.time()
        return json.dumps(
            {
                "session_id": sid,
                "transcript_path": str(transcript),
                "cwd": "/home/dev/proj1",
                "model": {"id": "claude-sonnet-4-5", "display_name": "Sonnet 4.5"},
                "cost": {"total_cost_usd": 0.01 * i},
                "rate_limits": {
                    "five_hour": {"used_percentage": min(100, i // 3), "resets_at": int(now + 9000)},
                    "seven_day": {"used_percentage": min(100, i // 20), "resets_at": int(now + 400000)},
                },
            }
        ).encode()

    cpu: dict[str, list[float]] = {"statusline": [], "floor": [], "imports": []}

    def timed(c: list[str], data: bytes | None, kind: str = "") -> tuple[float, str]:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run(c, input=data, capture_output=True, env=env, check=False)
        dt = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if kind:
            cpu[kind].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if p.returncode != 0:
            raise RuntimeError(f"{c} exited {p.returncode}: {p.stderr.decode()[-500:]}")
        return dt, p.stdout.decode().strip()

    with transcript.open("a") as f:
        f.write(assistant(sid, 0, time.time()) + "\n")
    cold, line = timed(cmd, stdin(0))
    warm: list[float] = []
    floor: list[float] = []
    imports: list[float] = []
    import_cmd = [
        py,
        "-c",
        "import agentcost.statusline.run, agentcost.spend.recent, agentcost.spend.rates, "
        "agentcost.limits.store, agentcost.limits.latest, agentcost.ui.statusline",
    ]
    for i in range(1, args.runs + 1):
        with transcript.open("a") as f:
            f.write(assistant(sid, i, time.time()) + "\n")
        dt, line = timed(cmd, stdin(i), "statusline")
        warm.append(dt)
        floor.append(timed(floor_cmd, None, "floor")[0])
        imports.append(timed(import_cmd, None, "imports")[0])
    # the work itself, in one process (imports done): compute() after each appended response
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.update(env)
    from agentcost.statusline import run as sl_run

    work: list[float] = []
    for i in range(args.runs + 1, 2 * args.runs + 1):
        with transcript.open("a") as f:
            f.write(assistant(sid, i, time.time()) + "\n")
        data = json.loads(stdin(i))
        t = time.perf_counter()
        sl_run.compute(data)
        work.append(time.perf_counter() - t)
    # where the time goes
    prof = subprocess.run(
        [py, "-X", "importtime", "-m", "agentcost", "statusline"],
        input=stdin(args.runs + 1),
        capture_output=True,
        env=env,
        check=False,
    )
    imp_lines: list[tuple[int, str]] = []
    for ln in prof.stderr.decode().splitlines():
        parts = ln.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            imp_lines.append((int(parts[1]), parts[2].rstrip()))
    top = [(us, name) for us, name in imp_lines if not name.startswith("  ")]
    top.sort(reverse=True)
    res: dict[str, Any] = {
        "corpus_mb": round(size / 1e6, 1),
        "files": files,
        "runs": args.runs,
        "cold_ms": round(cold * 1000, 1),
        "p50_ms": round(statistics.median(warm) * 1000, 1),
        "p95_ms": round(pct(warm, 95) * 1000, 1),
        "floor_p50_ms": round(statistics.median(floor) * 1000, 1),
        "floor_p95_ms": round(pct(floor, 95) * 1000, 1),
        "imports_p50_ms": round(statistics.median(imports) * 1000, 1),
        "work_p50_ms": round(statistics.median(work) * 1000, 1),
        "work_p95_ms": round(pct(work, 95) * 1000, 1),
        "cpu_p50_ms": {k: round(statistics.median(v) * 1000, 1) for k, v in cpu.items()},
        "loadavg": os.getloadavg(),
        "line": line,
        "top_level_imports_ms": [(name.strip(), round(us / 1000, 1)) for us, name in top[:8]],
    }
    print(f"corpus: {res['corpus_mb']} MB in {files} files; {args.runs} warm runs; load {res['loadavg']}")
    print(f"{'':28s} {'p50':>8s} {'p95':>8s}")
    print(f"{'agentcost statusline':28s} {res['p50_ms']:8.1f} {res['p95_ms']:8.1f}  ms")
    print(f"{'python -c pass (floor)':28s} {res['floor_p50_ms']:8.1f} {res['floor_p95_ms']:8.1f}  ms")
    label = "python -c 'import <modules>'"
    print(f"{label:28s} {res['imports_p50_ms']:8.1f}")
    print(f"{'compute() in-process (work)':28s} {res['work_p50_ms']:8.1f} {res['work_p95_ms']:8.1f}  ms")
    print(f"CPU time p50 (user+sys): {res['cpu_p50_ms']}")
    print(f"first run (cold index): {res['cold_ms']} ms")
    print(f"line: {line}")
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
