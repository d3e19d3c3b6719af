"""Calibrate the bytes-per-token ratios of `agentcost/data/token_ratios.toml` against o200k.

    python benchmarks/calibrate_ratios.py [--per-type 600]

For each file type, takes real files available offline on this machine (Python stdlib, npm, system
headers, PostgreSQL, the Google Cloud SDK, NumPy test data ...), sorted by path and sampled with a
fixed stride, tokenises them with bpe-openai's o200k_base (tiktoken-identical), and splits them in
two halves: the ratio is fitted on one half (total bytes / total tokens) and its error measured on
the other: `error_pct` = (estimate - exact) / exact over the whole half, `file_p90_pct` = 90th
percentile of the per-file absolute error. Prints a table and the TOML lines to paste.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentcost.audit.binary import is_binary_bytes
from agentcost.audit.tokens import count_text, exact_counter, ratio_table

PY = Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
SOURCES: dict[str, tuple[list[str], list[str]]] = {
    # type: (roots, suffixes)
    "python": ([str(PY)], [".py"]),
    "markdown": (["/usr/lib/node_modules", str(PY / "site-packages"), "/usr/lib/google-cloud-sdk"], [".md"]),
    "javascript": (["/usr/lib/node_modules"], [".js", ".mjs", ".cjs"]),
    "typescript": (["/usr/lib/node_modules", str(PY / "site-packages")], [".ts", ".tsx"]),
    "c": (["/usr/include", "/usr/share", str(PY)], [".h", ".c"]),
    "go": (["/usr/share", "/usr/lib/go", "/usr/local/go"], [".go"]),
    "yaml": (["/usr/lib/google-cloud-sdk", str(PY / "site-packages")], [".yaml", ".yml"]),
    "json": (["/usr/lib/node_modules", str(PY / "site-packages"), "/usr/lib/google-cloud-sdk"], [".json"]),
    "sql": (["/usr/share/postgresql", "/usr/share"], [".sql"]),
    "svg": (["/usr/share", str(PY / "site-packages"), "/usr/lib/node_modules"], [".svg"]),
    "csv": ([str(PY / "site-packages"), "/usr/share"], [".csv", ".tsv"]),
    "html": (["/usr/share/doc", str(PY / "site-packages"), "/usr/lib/node_modules"], [".html", ".htm"]),
    "css": (["/usr/share", str(PY / "site-packages"), "/usr/lib/node_modules"], [".css"]),
    "xml": (["/usr/share", str(PY / "site-packages"), "/usr/lib/google-cloud-sdk"], [".xml"]),
    "toml": ([str(PY / "site-packages"), "/root/.pyenv/versions", "/usr/lib/google-cloud-sdk"], [".toml"]),
    "shell": (["/usr/share", "/usr/lib/google-cloud-sdk", "/root/.pyenv"], [".sh", ".bash"]),
    "rst": (["/usr/lib/google-cloud-sdk", str(PY / "site-packages")], [".rst"]),
    "text": (["/usr/share/doc", str(PY / "site-packages"), "/usr/lib/node_modules"], [".txt"]),
}
MAX_FILE = 400_000
SKIP_DIRS = frozenset({"test", "tests", "idle_test", "testing", "__pycache__"})
MAX_TYPE_BYTES = 8_000_000


def collect(roots: list[str], suffixes: list[str], limit: int) -> list[Path]:
    seen: set[str] = set()
    found: list[Path] = []
    for r in roots:
        for dirpath, dirnames, filenames in os.walk(r):
            # test suites of the stdlib are full of deliberately odd text (encodings, fuzz data)
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for n in sorted(filenames):
                if n.endswith(tuple(suffixes)) and not n.endswith((".min.js", ".min.css")):
                    p = Path(dirpath) / n
                    real = os.path.realpath(p)
                    if real in seen:
                        continue
                    seen.add(real)
                    try:
                        if 100 <= p.stat().st_size <= MAX_FILE:
                            found.append(p)
                    except OSError:
                        pass
    if len(found) > limit:
        step = len(found) / limit
        found = [found[int(i * step)] for i in range(limit)]
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-type", type=int, default=600)
    args = ap.parse_args()
    counter = exact_counter()
    table = ratio_table()
    print(f"{'type':11} {'files':>6} {'MB':>6} {'ratio':>6} {'bundled':>7} {'error %':>8} {'file p90 %':>10}")
    toml: list[str] = []
    for name, (roots, suffixes) in SOURCES.items():
        files = collect(roots, suffixes, args.per_type)
        data: list[tuple[int, int]] = []
        total = 0
        for p in files:
            raw = p.read_bytes()
            if is_binary_bytes(raw[:8192]):
                continue
            data.append((len(raw), count_text(raw.decode("utf-8", "replace"), counter)))
            total += len(raw)
            if total > MAX_TYPE_BYTES:
                break
        if len(data) < 6:
            print(f"{name:11} {len(data):>6}  too few files here; keep the survey figure")
            continue
        fit, held = data[0::2], data[1::2]
        ratio = sum(b for b, _ in fit) / max(1, sum(t for _, t in fit))
        est = sum(b / ratio for b, _ in held)
        exact = sum(t for _, t in held)
        err = (est - exact) / exact * 100
        per_file = sorted(abs(b / ratio - t) / t * 100 for b, t in held if t)
        p90 = per_file[int(0.9 * (len(per_file) - 1))]
        full = sum(b for b, _ in data) / sum(t for _, t in data)
        bundled = table.type_for("x" + suffixes[0]).ratio
        print(
            f"{name:11} {len(data):>6} {total / 1e6:6.1f} {full:6.2f} {bundled:7.2f} {err:+8.1f} {p90:10.0f}"
        )
        toml.append(
            f"[types.{name}]  # {len(data)} files, {total / 1e6:.1f} MB; held-out error {err:+.1f}%, "
            f"file p90 {p90:.0f}%\nratio = {full:.2f}\nerror_pct = {abs(err):.1f}\nfile_p90_pct = {p90:.0f}"
        )
    print()
    print("\n\n".join(toml))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
