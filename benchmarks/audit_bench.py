"""Benchmark `agentcost audit-repo` on a generated monorepo-like tree, side by side with the I/O floor
and (when npx works) `repomix --token-count-tree`.

    python benchmarks/audit_bench.py [--files 100000] [--keep] [--no-repomix] [--corpus DIR]

Builds under /tmp: `src/` (real source text copied from this machine's Python stdlib and npm, committed
to a real git repository, then `git gc`), `node_modules/` (git-ignored), `dist/` (git-ignored build
output), `build/` (build output that .gitignore forgets), and a 50 MB SQLite file. Prints wall time
and the largest process's peak RSS for: estimate mode, exact mode on a cold cache (all cores), exact
mode on a warm cache after a one-file change; the read floor; repomix. Deletes the corpus unless --keep.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POOL_DIRS = [
    Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}",
    Path("/usr/lib/node_modules/npm"),
]
POOL_SUFFIXES = {".py", ".js", ".md", ".json", ".ts", ".c", ".h", ".txt", ".yaml", ".yml", ".css", ".html"}


def _pool(limit: int = 4000) -> list[Path]:
    files: list[Path] = []
    for base in POOL_DIRS:
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if d not in ("site-packages", "__pycache__")]
            for n in filenames:
                p = Path(dirpath) / n
                if p.suffix in POOL_SUFFIXES:
                    try:
                        if 200 <= p.stat().st_size <= 24_000:
                            files.append(p)
                    except OSError:
                        pass
    random.Random(7).shuffle(files)
    return files[:limit]


def _fill(base: Path, n: int, pool: list[Path], rng: random.Random, fanout: int = 40) -> None:
    contents = [(p.suffix, p.read_bytes()) for p in pool]
    for i in range(n):
        suffix, data = contents[rng.randrange(len(contents))]
        d = base / f"d{i // (fanout * fanout) % fanout}" / f"m{i // fanout % fanout}"
        d.mkdir(parents=True, exist_ok=True)
        # A unique first line keeps every file's content (and git blob) distinct.
        (d / f"f{i}{suffix}").write_bytes(f"# {base.name} {i}\n".encode() + data)


def build_corpus(root: Path, total: int) -> None:
    rng = random.Random(42)
    pool = _pool()
    n_src, n_nm, n_dist, n_build = int(total * 0.2), int(total * 0.6), int(total * 0.08), int(total * 0.07)
    _fill(root / "src", n_src, pool, rng)
    _fill(root / "node_modules", n_nm, pool, rng)
    _fill(root / "dist", n_dist, pool, rng)
    _fill(root / "build", n_build, pool, rng)
    (root / ".gitignore").write_text("node_modules/\ndist/\n*.log\n")
    (root / "data").mkdir()
    db = sqlite3.connect(root / "data" / "app.sqlite")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
    blob = os.urandom(4000)
    db.executemany("INSERT INTO t (body) VALUES (?)", ((blob,) for _ in range(12_500)))
    db.commit()
    db.close()
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x"}  # fmt: skip
    commands = [
        ["git", "init", "-q"],
        ["git", "add", "src", ".gitignore"],
        ["git", "-c", "gc.auto=0", "commit", "-qm", "corpus"],
        ["git", "gc", "-q"],
    ]
    for cmd in commands:
        subprocess.run(cmd, cwd=root, check=True, env=env)


def timed(
    cmd: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> tuple[float, int, int]:
    """(seconds, peak RSS in MB of the largest process in the tree, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            return float("inf"), usage.ru_maxrss // 1024, -9, usage.ru_utime + usage.ru_stime
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    rc = os.waitstatus_to_exitcode(status)
    if rc not in (0, 1) and proc.stderr is not None:
        sys.stderr.write(proc.stderr.read().decode(errors="replace")[-2000:])
    return elapsed, usage.ru_maxrss // 1024, rc, usage.ru_utime + usage.ru_stime


def shell_time(script: str, cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["bash", "-c", script], cwd=cwd, check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--no-repomix", action="store_true")
    ap.add_argument("--repomix-runs", type=int, default=2)
    ap.add_argument("--corpus", type=Path, help="use this existing tree instead of building one")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="agentcost-bench-", dir="/tmp"))
    root = args.corpus or (tmp / "repo")
    try:
        if args.corpus is None:
            root.mkdir()
            t = time.perf_counter()
            build_corpus(root, args.files)
            print(f"corpus built in {time.perf_counter() - t:.1f} s at {root}")
        nfiles = int(subprocess.run("find . -type f | wc -l", shell=True, cwd=root, capture_output=True,
                                    text=True).stdout)  # fmt: skip
        tracked = int(subprocess.run("git ls-files | wc -l", shell=True, cwd=root, capture_output=True,
                                     text=True).stdout or 0)  # fmt: skip
        du = subprocess.run(["du", "-sh", "."], cwd=root, capture_output=True, text=True).stdout.split()[0]
        print(f"{nfiles:,} files on disk ({du}), {tracked:,} tracked by git")
        env = {**os.environ, "AGENTCOST_CACHE_DIR": str(tmp / "cache"), "NO_COLOR": "1"}
        cli = [sys.executable, "-m", "agentcost", "audit-repo", str(root), "--json"]

        floor_all = shell_time(
            "find . -type f -print0 | xargs -0 cat > /dev/null", root
        )  # also warms the cache
        floor_all = shell_time("find . -type f -print0 | xargs -0 cat > /dev/null", root)
        floor_git = min(shell_time("git ls-files -z | xargs -0 cat > /dev/null", root) for _ in range(3))
        floor_heads = min(
            shell_time(f"{sys.executable} -c \"import os\nfor d,_,fs in os.walk('.'):\n for f in fs:\n"
                       f"  fd=os.open(os.path.join(d,f),os.O_RDONLY); os.read(fd,8192); os.close(fd)\"", root)
            for _ in range(2)
        )  # fmt: skip
        rows: list[tuple[str, float, int, float]] = []
        est = sorted(timed(cli, root, env) for _ in range(3))[1]
        est_t = est[0]
        rows.append(("audit-repo (estimate)", est_t, est[1], est[3]))
        shutil.rmtree(tmp / "cache", ignore_errors=True)
        cold = timed([*cli, "--exact"], root, env)
        rows.append((f"audit-repo --exact, cold cache ({os.cpu_count()} procs)", cold[0], cold[1], cold[3]))
        victims = sorted((root / "src").rglob("*.py"))[:3]
        warms = []
        for victim in victims:  # a different one-file change before each warm run
            with victim.open("a") as fh:
                fh.write("# one more line\n")
            warms.append(timed([*cli, "--exact"], root, env))
        warm = sorted(warms)[len(warms) // 2]
        rows.append(("audit-repo --exact, warm after 1-file change", warm[0], warm[1], warm[3]))
        rows.append(("floor: git ls-files -z | xargs -0 cat", floor_git, 0, 0.0))
        rows.append(("floor: cat every file on disk", floor_all, 0, 0.0))
        rows.append(("floor: Python read of 8 KiB of every file", floor_heads, 0, 0.0))
        repomix: tuple[float, int, int, float] | None = None
        if not args.no_repomix and shutil.which("npx"):
            ok = (
                subprocess.run(
                    ["npx", "-y", "repomix", "--version"], capture_output=True, timeout=300
                ).returncode
                == 0
            )
            if ok:
                out = tmp / "repomix-out.xml"
                cmd = ["npx", "-y", "repomix", "--token-count-tree", "-o", str(out)]
                runs = [timed(cmd, root, None, timeout=900) for _ in range(args.repomix_runs)]
                r = min(runs)  # the fastest repomix run: conservative for the ratios
                if r[2] == 0:
                    repomix = r
                    rows.append(("npx repomix --token-count-tree", r[0], r[1], r[3]))
                else:
                    print(f"repomix failed or timed out (exit {r[2]}); skipped")
            else:
                print("npx repomix unavailable; skipped")
        print()
        load = os.getloadavg()[0]
        print(f"(load average {load:.1f} on {os.cpu_count()} cores)")
        print(f"{'what':48} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
        for name, secs, mb, cpu in rows:
            cpu_s = f"{cpu:.2f}" if cpu else ""
            print(f"{name:48} {secs:8.2f} {cpu_s:>8} {mb or '':>8}")
        print()
        print(f"estimate / floor (8 KiB heads of every file): {est_t / floor_heads:.2f}x")
        print(f"estimate / floor (cat every file on disk): {est_t / floor_all:.2f}x")
        print(f"exact cold / floor (git ls-files | cat): {cold[0] / floor_git:.1f}x")
        if repomix:
            for label, run, target in (
                ("estimate", est, 15),
                ("exact cold", cold, 1),
                ("exact warm", warm, 20),
            ):
                print(
                    f"repomix / {label}: {repomix[0] / run[0]:.1f}x wall, {repomix[3] / run[3]:.1f}x CPU "
                    f"(target >= {target})"
                )
        print(f"peak memory (largest process): {max(r[2] for r in rows[:3])} MB (target < 200)")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
