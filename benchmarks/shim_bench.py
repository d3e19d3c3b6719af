"""Benchmark `agentcost shim` on loopback: the latency it adds per request, and time to first byte.

    python benchmarks/shim_bench.py                  # 300 requests per case
    python benchmarks/shim_bench.py -n 1000 --json results.json

Set-up: a minimal Chat Completions upstream on 127.0.0.1 (threaded http.server, in this process)
and `python -m agentcost shim` as a separate process in front of it, as a user runs it. The
request is a body Codex 0.171.0 really sent (tests/fixtures/shim/codex_first_request.json: 16
tools, the system prompt, ~19 KB). Each case is timed twice over keep-alive connections: direct
to the upstream (with the already-translated chat body) and through the shim (the Responses
body); the difference of the medians is what the shim adds (parsing, translation, the extra hop,
re-encoding the events).

Cases:
* non-streamed: one JSON answer;
* streamed: 3 SSE chunks sent at once; total time;
* time to first byte of a slow stream: the upstream sends its first chunk at once, then 20
  chunks 10 ms apart. Through the shim the first translated event must arrive about as soon as
  the upstream's first chunk (no buffering), and the total must stay ~200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agentcost.shim.request import translate_request  # noqa: E402

BODY = json.loads((ROOT / "tests" / "fixtures" / "shim" / "codex_first_request.json").read_text())
SLOW_CHUNKS = 20
SLOW_GAP_S = 0.010


def _chunk(delta: dict[str, Any], usage: dict[str, int] | None = None) -> bytes:
    c: dict[str, Any] = {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
    if usage:
        c = {"choices": [], "usage": usage}
    return f"data: {json.dumps(c)}\n\n".encode()


USAGE = {"prompt_tokens": 5000, "completion_tokens": 20, "total_tokens": 5020}
FAST_STREAM = (
    _chunk({"content": "Hello"}) + _chunk({"content": " there."}) + _chunk({}, USAGE) + b"data: [DONE]\n\n"
)
COMPLETION = json.dumps(
    {
        "choices": [{"index": 0, "message": {"content": "Hello there."}, "finish_reason": "stop"}],
        "usage": USAGE,
    }
).encode()


class Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms to every small answer, both paths

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        slow = body.get("user") == "slow"
        if not body.get("stream"):
            self._send(COMPLETION, "application/json")
            return
        if not slow:
            self._send(FAST_STREAM, "text/event-stream")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunked(_chunk({"content": "first"}))
        for i in range(SLOW_CHUNKS):
            time.sleep(SLOW_GAP_S)
            self._chunked(_chunk({"content": f" {i}"}))
        self._chunked(_chunk({}, USAGE) + b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _chunked(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send(self, data: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _one(client: httpx.Client, url: str, body: dict[str, Any]) -> tuple[float, float]:
    """(total ms, first-byte ms) of one request."""
    t0 = time.perf_counter()
    first = None
    with client.stream("POST", url, json=body) as r:
        for _chunk_bytes in r.iter_raw():
            if first is None:
                first = time.perf_counter()
        r.raise_for_status()
    t1 = time.perf_counter()
    return (t1 - t0) * 1000, ((first or t1) - t0) * 1000


def _cpu_ms(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in ms (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=300, help="requests per case (slow-stream case: n/10)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    upstream.daemon_threads = True
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{upstream.server_address[1]}/v1"
    env = dict(
        os.environ,
        BENCH_KEY="sk-bench-0000000000000000",
        NO_PROXY="127.0.0.1",
        AGENTCOST_CONFIG_DIR="/nonexistent",
    )
    shim = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentcost",
            "shim",
            "--upstream",
            root,
            "--api-key-env",
            "BENCH_KEY",
            "--port",
            "0",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        banner = shim.stdout.readline() if shim.stdout else ""
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+/v1)", banner)
        if not m:
            print(f"shim did not start: {banner!r}", file=sys.stderr)
            return 1
        shim_url = m.group(1) + "/responses"
        direct_url = root + "/chat/completions"
        rows: list[dict[str, Any]] = []
        # TCP_NODELAY as Codex's HTTP client (reqwest/hyper) sets it: without it every request pays
        # the server's delayed ACK (~40 ms) between the request head and body, on both paths.
        nodelay = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(timeout=30, trust_env=False, transport=nodelay) as client:
            cases = [
                ("non-streamed", False, "", args.n),
                ("streamed", True, "", args.n),
                ("slow stream (TTFB)", True, "slow", max(10, args.n // 10)),
            ]
            for name, stream, user, n in cases:
                body = dict(BODY, stream=stream)
                if user:
                    body["user"] = user
                chat = translate_request(body).body
                for _ in range(5):  # warm-up (connections, lazy imports)
                    _one(client, direct_url, chat)
                    _one(client, shim_url, body)
                # Interleaved pairs: on a busy machine the load drifts; each pair sees the same load.
                d_tot, d_first, s_tot, s_first, added = [], [], [], [], []
                cpu0 = _cpu_ms(shim.pid)
                for _ in range(n):
                    dt, df = _one(client, direct_url, chat)
                    st, sf = _one(client, shim_url, body)
                    d_tot.append(dt)
                    d_first.append(df)
                    s_tot.append(st)
                    s_first.append(sf)
                    added.append(st - dt)
                cpu = (_cpu_ms(shim.pid) - cpu0) / n
                rows.append(
                    {
                        "case": name,
                        "n": n,
                        "direct_p50_ms": statistics.median(d_tot),
                        "shim_p50_ms": statistics.median(s_tot),
                        "added_p50_ms": statistics.median(added),
                        "added_p95_ms": _p(added, 95),
                        "shim_cpu_ms_per_request": cpu,
                        "direct_ttfb_p50_ms": statistics.median(d_first),
                        "shim_ttfb_p50_ms": statistics.median(s_first),
                    }
                )
    finally:
        shim.terminate()
        shim.wait(10)
        upstream.shutdown()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"agentcost shim on loopback; request = recorded Codex body ({len(json.dumps(BODY)) // 1024} KB); "
        f"{os.cpu_count()} CPUs, load average {load:.1f}"
    )
    print(
        f"{'case':<20} {'n':>5} {'direct p50':>11} {'shim p50':>9} {'added p50':>10} {'added p95':>10} "
        f"{'shim CPU/req':>13} {'TTFB direct':>12} {'TTFB shim':>10}"
    )
    for r in rows:
        print(
            f"{r['case']:<20} {r['n']:>5} {r['direct_p50_ms']:>9.2f}ms {r['shim_p50_ms']:>7.2f}ms "
            f"{r['added_p50_ms']:>8.2f}ms {r['added_p95_ms']:>8.2f}ms "
            f"{r['shim_cpu_ms_per_request']:>11.2f}ms "
            f"{r['direct_ttfb_p50_ms']:>10.2f}ms {r['shim_ttfb_p50_ms']:>8.2f}ms"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
