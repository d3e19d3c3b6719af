"""Benchmark the gitignore engine: µs per path beside pathspec, and `audit-repo` / `ignore` wall times.

    python benchmarks/gitignore_bench.py [--files 30000] [--src DIR] [--runs 3] [--keep]

Builds a repository under /tmp (source files, a git-ignored `node_modules/`, `logs/**` with a kept
`logs/.gitkeep`, nested `.gitignore` files that re-include) and prints:

- matching agentcost's default patterns against every path of the tree: µs per path for
  `agentcost.gitignore` (when the checkout has it), the older matchers (when it has them) and
  pathspec's `GitIgnoreSpec`, with how many paths each one excludes;
- the median wall and CPU time of `agentcost audit-repo --json` and `agentcost ignore --dry-run --json`
  (CPU time, git's included, moves less than wall time on a loaded machine).

`--src DIR` runs another checkout's `agentcost` (e.g. `git archive main | tar -x -C /tmp/before`)
on the same tree, for before/after figures under the same machine load.
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

GITIGNORE = "node_modules/\n*.log\nlogs/**\n!logs/.gitkeep\n/dist/\nbuild/\n!build/keep/\n"


def build_tree(root: Path, total: int) -> None:
    rng = random.Random(13)
    exts = [".py", ".ts", ".js", ".md", ".json", ".log", ".sqlite", ".txt", ".png", ".lock"]
    tops = ["src", "node_modules", "logs", "dist", "build", "tests", "vendor", "docs"]
    weights = [30, 35, 4, 6, 5, 10, 6, 4]
    for i in range(total):
        top = rng.choices(tops, weights)[0]
        depth = rng.randint(1, 4)
        parts = [top] + [f"d{rng.randrange(12)}" for _ in range(depth)]
        d = root.joinpath(*parts)
        d.mkdir(parents=True, exist_ok=True)
        (d / f"f{i}{rng.choice(exts)}").write_bytes(b"x = 1\n" * rng.randint(1, 40))
    (root / "logs").mkdir(exist_ok=True)
    (root / "logs" / ".gitkeep").write_bytes(b"")
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "src" / ".gitignore").write_text("*.json\n!package.json\nd3/\n")
    (root / "tests" / ".gitignore").write_text("!*.log\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)


def _median_time(cmd: Sequence[str], env: dict[str, str], runs: int) -> tuple[float, float, int]:
    """(median wall s, median CPU s of the command and its children, exit code)."""
    times, cpus = [], []
    rc = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        rc = proc.returncode
        if rc not in (0, 1):
            sys.stderr.write(proc.stderr.decode(errors="replace")[-1500:])
    return statistics.median(times), statistics.median(cpus), rc


def _per_path(fn: Callable[[str], Any], paths: Sequence[str], runs: int = 3) -> tuple[float, int]:
    best = float("inf")
    hits = 0
    for _ in range(runs):
        t = time.perf_counter()
        hits = sum(1 for p in paths if fn(p))
        best = min(best, time.perf_counter() - t)
    return best / max(len(paths), 1) * 1e6, hits


def micro(root: Path, src: Path) -> None:
    sys.path.insert(0, str(src))
    defaults = importlib.import_module("agentcost.ignore.defaults" if (src / "agentcost/ignore").is_dir()
                                       else "agentcost.ignore_defaults")  # fmt: skip
    patterns = list(defaults.all_patterns(defaults.default_exclusions()))
    paths = [
        os.path.relpath(os.path.join(d, f), root)
        for d, dirs, files in os.walk(root)
        if "/.git" not in d + "/"
        for f in files
    ]
    print(f"{len(patterns)} default patterns x {len(paths):,} paths")
    rows: list[tuple[str, float, int]] = []
    try:
        gi = importlib.import_module("agentcost.gitignore")
        engine = gi.Matcher.from_lines(patterns, "defaults")
        rows.append(("agentcost.gitignore Matcher.ignored", *_per_path(engine.ignored, paths)))
    except ImportError:
        pass
    for mod, cls in (("agentcost.ignore.match", "FastSpec"), ("agentcost.ignore_match", "FastSpec")):
        try:
            fast = getattr(importlib.import_module(mod), cls)(patterns)
        except ImportError:
            continue
        rows.append((f"{mod}.FastSpec (old, detection)", *_per_path(fast.match, paths)))
        break
    try:
        im = importlib.import_module("agentcost.audit.ignorematch").IgnoreMatcher.from_lines(patterns, "d")

        def old_audit(p: str) -> bool:
            m = im.match(p, False)
            return m is not None and m.excluded

        rows.append(("audit.ignorematch.IgnoreMatcher (old; file only)", *_per_path(old_audit, paths)))
    except ImportError:
        pass
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    rows.append(("pathspec GitIgnoreSpec.match_file", *_per_path(spec.match_file, paths, runs=1)))
    for name, us, hits in rows:
        print(f"  {name:52} {us:8.2f} µs/path   {hits:,} excluded")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=30_000)
    ap.add_argument("--src", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--tree", type=Path, help="reuse a tree built by an earlier --keep run")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="agentcost-gibench-", dir="/tmp"))
    root = args.tree or tmp / "repo"
    try:
        if args.tree is None:
            root.mkdir()
            t = time.perf_counter()
            build_tree(root, args.files)
            print(f"tree of {args.files:,} files built in {time.perf_counter() - t:.1f} s at {root}")
        src = args.src.resolve()
        env = {
            **os.environ,
            "PYTHONPATH": str(src),
            "HOME": str(tmp / "home"),
            "XDG_CONFIG_HOME": str(tmp / "home" / ".config"),
            "AGENTCOST_CACHE_DIR": str(tmp / "cache"),
            "NO_COLOR": "1",
        }
        (tmp / "home").mkdir(exist_ok=True)
        print(f"agentcost from {src}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        micro(root, src)
        py = [sys.executable, "-m", "agentcost"]
        for name, cmd in (
            ("audit-repo --json", [*py, "audit-repo", str(root), "--json"]),
            ("ignore --dry-run --json", [*py, "ignore", str(root), "--dry-run", "--json"]),
        ):
            secs, cpu, rc = _median_time(cmd, env, args.runs)
            print(f"  {name:52} {secs:8.2f} s wall, {cpu:.2f} s CPU (medians of {args.runs}, exit {rc})")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
