"""Benchmark `agentcost usage` on a generated log tree, with ccusage beside it when npx is available.

    python benchmarks/usage_bench.py                 # 200 MB corpus under /tmp, deleted afterwards
    python benchmarks/usage_bench.py --mb 500 --keep --json results.json

The corpus imitates real Claude Code and Codex logs (shapes copied from tests/fixtures/usage):
Claude — responses written as 1-3 lines (one per content block) with the same message.id/requestId,
big tool_result lines, Agent subagents in <session>/subagents/ whose usage the parent repeats in
toolUseResult.usage, resumed sessions whose new file copies earlier assistant lines, zero-filled,
matching, absent and larger-than-flat 5m/1h breakdowns, some lines with spaces after ':' and ',',
truncated (malformed) lines; Codex — ~20 KB session_meta, turn_context, large function-call outputs,
new-style files (token_usage_record + token_count per response) and old-style ones (token_count
only), re-emitted token_count events, `info: null` events, forked sessions replaying their parent's
lines verbatim, archived_sessions/. The generator keeps the true totals and the benchmark checks
agentcost's --json totals against them.

Measured per run (each in its own process): wall time, MB/s, peak RSS (os.wait4's ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

CLAUDE_MODELS = [
    "claude-sonnet-4-5-20250929",
    "claude-opus-4-5-20251101",
    "claude-haiku-4-5-20251001",
    "deepseek-ai/deepseek-v4-pro",
    "my-private-finetune",  # unpriced on purpose
]
AGENTS = ("claude", "codex")
AGENT_SETS = ("all", "claude", "codex")
CODEX_MODELS = ["gpt-5.1-codex", "gpt-5.2", "deepseek-ai/deepseek-v4-flash"]


class Gen:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        letters = string.ascii_letters + "     \n"
        self.blob = "".join(self.rng.choice(letters) for _ in range(1 << 21))
        self.bytes = 0
        self.t0 = 1_790_000_000.0  # 2026-09-21
        self.claude = {"responses": 0, "input": 0, "cache_write": 0, "cache_read": 0, "output": 0}
        self.codex = {
            "responses": 0,
            "input": 0,
            "cache_write": 0,
            "cache_read": 0,
            "output": 0,
            "reasoning": 0,
        }
        self.counts = {"claude_files": 0, "codex_files": 0, "malformed_lines": 0}

    def size(self, mu: float, sigma: float, hi: int = 60000) -> int:
        """Log-normal sizes: most lines small, a few very large (like real tool output)."""
        return int(min(hi, max(40, self.rng.lognormvariate(mu, sigma))))

    def filler(self, n: int) -> str:
        i = self.rng.randrange(0, len(self.blob) - n - 1)
        return self.blob[i : i + n]

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def ts(self, t: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"

    def dump(self, obj: dict[str, Any]) -> str:
        if self.rng.random() < 0.02:  # some writers put spaces after separators
            return json.dumps(obj)
        return json.dumps(obj, separators=(",", ":"))

    def write(self, path: Path, lines: list[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        out = []
        for line in lines:
            out.append(line)
            if self.rng.random() < 0.001:  # a truncated copy, as left by a crash mid-write
                out.append(line[: max(1, len(line) // 2)])
                self.counts["malformed_lines"] += 1
        data = ("\n".join(out) + "\n").encode()
        path.write_bytes(data)
        self.bytes += len(data)

    # -- Claude Code -------------------------------------------------------------------------------

    def claude_usage(self) -> dict[str, Any]:
        r = self.rng
        flat = r.choice([0, r.randint(100, 30000)])
        u: dict[str, Any] = {
            "input_tokens": r.randint(1, 800),
            "cache_creation_input_tokens": flat,
            "cache_read_input_tokens": r.randint(5000, 150000),
            "output_tokens": r.randint(20, 3000),
            "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
            "service_tier": "standard",
        }
        mode = r.random()
        if mode < 0.4:
            u["cache_creation"] = {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0}
            cw = flat
        elif mode < 0.8:
            h = r.randint(0, flat)
            u["cache_creation"] = {"ephemeral_1h_input_tokens": h, "ephemeral_5m_input_tokens": flat - h}
            cw = flat
        elif mode < 0.9:
            cw = flat  # no breakdown at all
        else:  # breakdown larger than the flat field: max() must pick it
            extra = r.randint(1, 500)
            u["cache_creation"] = {"ephemeral_1h_input_tokens": extra, "ephemeral_5m_input_tokens": flat}
            cw = flat + extra
        u["_cw"] = cw
        return u

    def count_claude(self, u: dict[str, Any]) -> None:
        c = self.claude
        c["responses"] += 1
        c["input"] += u["input_tokens"]
        c["cache_write"] += u["_cw"]
        c["cache_read"] += u["cache_read_input_tokens"]
        c["output"] += u["output_tokens"]

    def assistant_lines(
        self, sid: str, cwd: str, t: float, model: str, sidechain: bool
    ) -> tuple[list[str], dict[str, Any]]:
        u = self.claude_usage()
        self.count_claude(u)
        usage = {k: v for k, v in u.items() if k != "_cw"}
        mid, rid = "msg_" + self.uid().replace("-", "")[:24], "req_" + self.uid().replace("-", "")[:24]
        blocks = self.rng.choice([1, 1, 2, 2, 3])
        lines = []
        for b in range(blocks):
            content: dict[str, Any]
            if b == blocks - 1 and blocks > 1:
                content = {
                    "type": "tool_use",
                    "id": "toolu_" + mid[4:],
                    "name": "Read",
                    "input": {"file_path": "/home/dev/x.py", "note": self.filler(self.rng.randint(50, 600))},
                }
            else:
                content = {"type": "text", "text": self.filler(self.size(5.5, 1.0))}
            lines.append(
                self.dump(
                    {
                        "parentUuid": self.uid(),
                        "isSidechain": sidechain,
                        "userType": "external",
                        "cwd": cwd,
                        "sessionId": sid,
                        "version": "2.1.197",
                        "gitBranch": "main",
                        "message": {
                            "id": mid,
                            "type": "message",
                            "role": "assistant",
                            "model": model,
                            "content": [content],
                            "stop_reason": None,
                            "stop_sequence": None,
                            "usage": usage,
                        },
                        "requestId": rid,
                        "type": "assistant",
                        "uuid": self.uid(),
                        "timestamp": self.ts(t + b * 0.01),
                    }
                )
            )
        return lines, usage

    def user_line(self, sid: str, cwd: str, t: float, size: int, extra: dict[str, Any] | None = None) -> str:
        d: dict[str, Any] = {
            "parentUuid": self.uid(),
            "isSidechain": False,
            "userType": "external",
            "cwd": cwd,
            "sessionId": sid,
            "version": "2.1.197",
            "type": "user",
            "uuid": self.uid(),
            "timestamp": self.ts(t),
            "message": {
                "role": "user",
                "content": [{"type": "tool_result", "tool_use_id": "toolu_x", "content": self.filler(size)}],
            },
        }
        if extra:
            d.update(extra)
        return self.dump(d)

    def claude_session(self, projects: Path, k: int) -> None:
        r = self.rng
        cwd = f"/home/dev/proj{k % 40}"
        pdir = projects / ("-home-dev-proj" + str(k % 40))
        sid = self.uid()
        t = self.t0 + r.uniform(0, 30 * 86400)
        model = r.choice(CLAUDE_MODELS)
        lines = [
            self.dump(
                {"type": "queue-operation", "operation": "enqueue", "timestamp": self.ts(t), "sessionId": sid}
            )
        ]
        assistant_copy: list[str] = []
        for _ in range(r.randint(10, 60)):
            t += r.uniform(2, 60)
            lines.append(self.user_line(sid, cwd, t, self.size(7.0, 1.3)))
            t += r.uniform(1, 20)
            al, _u = self.assistant_lines(sid, cwd, t, model, False)
            lines += al
            assistant_copy += al
            if r.random() < 0.05:  # an Agent call: subagent file + toolUseResult copy in the parent
                sub_lines: list[str] = []
                last: dict[str, Any] = {}
                for _ in range(r.randint(2, 8)):
                    t += r.uniform(1, 10)
                    sl, last = self.assistant_lines(sid, cwd, t, "claude-haiku-4-5-20251001", True)
                    sub_lines += sl
                agent_id = "a" + self.uid().replace("-", "")[:16]
                self.write(pdir / sid / "subagents" / f"agent-{agent_id}.jsonl", sub_lines)
                self.counts["claude_files"] += 1
                lines.append(
                    self.user_line(
                        sid,
                        cwd,
                        t,
                        300,
                        {
                            "toolUseResult": {
                                "status": "completed",
                                "agentId": agent_id,
                                "totalTokens": 1234,
                                "usage": last,
                            }
                        },
                    )
                )
        self.write(pdir / f"{sid}.jsonl", lines)
        self.counts["claude_files"] += 1
        if r.random() < 0.05:  # resumed: a new file that starts with copies of the old assistant lines
            sid2 = self.uid()
            lines2 = list(assistant_copy)
            for _ in range(r.randint(3, 15)):
                t += r.uniform(2, 60)
                lines2.append(self.user_line(sid2, cwd, t, self.size(7.0, 1.3)))
                al, _u = self.assistant_lines(sid2, cwd, t, model, False)
                lines2 += al
            self.write(pdir / f"{sid2}.jsonl", lines2)
            self.counts["claude_files"] += 1

    # -- Codex ---------------------------------------------------------------------------------------

    def codex_usage(self, prev: list[int]) -> tuple[dict[str, int], dict[str, int]]:
        r = self.rng
        cached = r.randint(0, 60000)
        write = r.choice([0, 0, 0, r.randint(1, 2000)])
        inp = cached + write + r.randint(50, 8000)
        out = r.randint(20, 4000)
        reas = r.randint(0, out // 2)
        last = {
            "input_tokens": inp,
            "cached_input_tokens": cached,
            "cache_write_input_tokens": write,
            "output_tokens": out,
            "reasoning_output_tokens": reas,
            "total_tokens": inp + out,
        }
        keys = list(last)
        for i, key in enumerate(keys):
            prev[i] += last[key]
        total = dict(zip(keys, prev, strict=False))
        return last, total

    def count_codex(self, u: dict[str, int]) -> None:
        c = self.codex
        c["responses"] += 1
        c["input"] += u["input_tokens"] - u["cached_input_tokens"] - u["cache_write_input_tokens"]
        c["cache_write"] += u["cache_write_input_tokens"]
        c["cache_read"] += u["cached_input_tokens"]
        c["output"] += u["output_tokens"]
        c["reasoning"] += u["reasoning_output_tokens"]

    def codex_turns(
        self, sid: str, t: float, new_style: bool, running: list[int], n: int
    ) -> tuple[list[str], float]:
        r = self.rng
        lines: list[str] = []
        model = r.choice(CODEX_MODELS)
        for _ in range(n):
            t += r.uniform(5, 120)
            turn = self.uid()
            if r.random() < 0.3:  # rate-limit-only event: usage not logged
                lines.append(
                    self.dump(
                        {
                            "timestamp": self.ts(t),
                            "type": "event_msg",
                            "payload": {
                                "type": "token_count",
                                "info": None,
                                "rate_limits": {"primary": None},
                            },
                        }
                    )
                )
            lines.append(
                self.dump(
                    {
                        "timestamp": self.ts(t),
                        "type": "turn_context",
                        "payload": {
                            "cwd": "/home/dev/webapp",
                            "model": model,
                            "turn_id": turn,
                            "approval_policy": "never",
                            "summary": self.filler(r.randint(200, 2000)),
                        },
                    }
                )
            )
            for _ in range(r.randint(1, 6)):
                t += r.uniform(1, 30)
                lines.append(
                    self.dump(
                        {
                            "timestamp": self.ts(t),
                            "type": "response_item",
                            "payload": {
                                "type": "function_call",
                                "name": "exec_command",
                                "arguments": self.filler(r.randint(50, 400)),
                                "call_id": "call_" + turn[:8],
                            },
                        }
                    )
                )
                lines.append(
                    self.dump(
                        {
                            "timestamp": self.ts(t),
                            "type": "response_item",
                            "payload": {
                                "type": "function_call_output",
                                "call_id": "call_" + turn[:8],
                                "output": self.filler(self.size(7.2, 1.3)),
                            },
                        }
                    )
                )
                last, total = self.codex_usage(running)
                self.count_codex(last)
                t += 0.01
                if new_style:
                    lines.append(
                        self.dump(
                            {
                                "timestamp": self.ts(t),
                                "type": "token_usage_record",
                                "payload": {
                                    "thread_id": sid,
                                    "turn_id": turn,
                                    "session_id": sid,
                                    "response_id": "resp_" + self.uid()[:13],
                                    "usage": last,
                                    "turn_token_usage": last,
                                    "thread_token_usage": total,
                                },
                            }
                        )
                    )
                ev = self.dump(
                    {
                        "timestamp": self.ts(t + 0.001),
                        "type": "event_msg",
                        "payload": {
                            "type": "token_count",
                            "info": {
                                "total_token_usage": total,
                                "last_token_usage": last,
                                "model_context_window": 258400,
                            },
                            "rate_limits": None,
                        },
                    }
                )
                lines.append(ev)
                if r.random() < 0.05:
                    lines.append(ev)  # re-emitted event
        return lines, t

    def codex_session(self, home: Path, k: int) -> None:
        r = self.rng
        sid = self.uid()
        t = self.t0 + r.uniform(0, 30 * 86400)
        new_style = r.random() < 0.7
        day = time.strftime("%Y/%m/%d", time.gmtime(t))
        base = "archived_sessions" if r.random() < 0.1 else f"sessions/{day}"
        meta = self.dump(
            {
                "timestamp": self.ts(t),
                "type": "session_meta",
                "payload": {
                    "id": sid,
                    "timestamp": self.ts(t),
                    "cwd": f"/home/dev/proj{k % 20}",
                    "originator": "codex_exec",
                    "cli_version": "0.171.0",
                    "source": "exec",
                    "model_provider": "openai",
                    "base_instructions": {"text": self.filler(20000)},
                },
            }
        )
        running = [0] * 6
        body, t = self.codex_turns(sid, t, new_style, running, r.randint(3, 25))
        self.write(
            home / base / f"rollout-{time.strftime('%Y-%m-%dT%H-%M-%S', time.gmtime(t))}-{sid}.jsonl",
            [meta, *body],
        )
        self.counts["codex_files"] += 1
        if r.random() < 0.08:  # forked: the new file replays the parent verbatim, then continues
            sid2 = self.uid()
            meta2 = meta.replace(sid, sid2)
            more, t = self.codex_turns(sid2, t, new_style, running, r.randint(1, 5))
            self.write(home / f"sessions/{day}" / f"rollout-fork-{sid2}.jsonl", [meta2, *body, *more])
            self.counts["codex_files"] += 1

    def build(self, mb: int) -> dict[str, Any]:
        target = mb * 1_000_000
        k = 0
        while self.bytes < target:
            k += 1
            if self.rng.random() < 0.7:
                self.claude_session(self.root / "claude" / "projects", k)
            else:
                self.codex_session(self.root / "codex", k)
        return {"bytes": self.bytes, "claude": self.claude, "codex": self.codex, **self.counts}


def run_measured(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Run in a fresh wrapper process so RUSAGE_CHILDREN is this command's alone."""
    wrapper = (
        "import resource,subprocess,sys,time,json;t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.DEVNULL,text=True);"
        "print(json.dumps([time.perf_counter()-t,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss//1024,"
        "p.returncode,p.stdout]))"
    )
    p = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], env=env, stdout=subprocess.PIPE, text=True, timeout=900
    )
    dt, rss, rc, out = json.loads(p.stdout)
    if rc != 0:
        raise RuntimeError(f"{cmd} exited {rc}")
    return float(dt), int(rss), str(out)


def agentcost_cmd(agent: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "agentcost", "usage", "--json", "--agent", agent, *extra]


def check(doc: dict[str, Any], truth: dict[str, Any], agent: str) -> list[str]:
    tok = doc["totals"]["tokens"]
    problems = []
    want: dict[str, int] = {"requests": 0, "input": 0, "cache_write": 0, "cache_read": 0, "output": 0}
    for a in ["claude", "codex"] if agent == "all" else [agent]:
        t = truth[a]
        want["requests"] += t["responses"]
        for k in ("input", "cache_write", "cache_read", "output"):
            want[k] += t[k]
    got = {
        "requests": doc["totals"]["requests"],
        **{k: tok[k] for k in ("input", "cache_write", "cache_read", "output")},
    }
    for k, v in want.items():
        if got[k] != v:
            problems.append(f"{agent} {k}: got {got[k]}, true {v}")
    return problems


def ccusage_totals(out: str) -> dict[str, int]:
    doc = json.loads(out)
    t = doc.get("totals", {})
    return {
        k: int(t.get(k, 0) or 0)
        for k in ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens")
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=200, help="corpus size in MB (default 200)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=3, help="measurement rounds per agent (median reported)")
    ap.add_argument("--dir", default=None, help="where to build the corpus (default: a new dir under /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus afterwards")
    ap.add_argument("--no-ccusage", action="store_true", help="skip ccusage even when npx is available")
    ap.add_argument(
        "--ccusage",
        default=None,
        help="ccusage command (default: npx -y ccusage@latest), e.g. a pinned node_modules/.bin/ccusage",
    )
    ap.add_argument("--json", dest="json_out", default=None, help="also write the results to this file")
    args = ap.parse_args()

    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="agentcost-usage-bench-", dir="/tmp"))
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    try:
        t = time.perf_counter()
        truth = Gen(root, args.seed).build(args.mb)
        results["corpus"] = truth
        mb = truth["bytes"] / 1e6
        print(
            f"corpus: {mb:.0f} MB, {truth['claude_files']} Claude + {truth['codex_files']} Codex files, "
            f"{truth['malformed_lines']} malformed lines, built in {time.perf_counter() - t:.1f}s"
        )
        base_env = {k: v for k, v in os.environ.items() if k not in ("CLAUDE_CONFIG_DIR", "CODEX_HOME")}
        env = {
            **base_env,
            "CLAUDE_CONFIG_DIR": str(root / "claude"),
            "CODEX_HOME": str(root / "codex"),
            "HOME": str(root / "home"),
            "NO_COLOR": "1",
        }
        sizes = {
            a: sum(f.stat().st_size for f in (root / a).rglob("*.jsonl")) / 1e6 for a in ("claude", "codex")
        }
        rows: list[tuple[str, float, int, float]] = []
        problems: list[str] = []
        ccusage = args.ccusage.split() if args.ccusage else ["npx", "-y", "ccusage@latest"]
        use_cc = not args.no_ccusage and shutil.which(ccusage[0]) is not None
        cc: dict[str, Any] = {}
        ratios: dict[str, dict[str, float]] = {}
        for agent in AGENT_SETS:
            # Rounds interleave agentcost cold, agentcost repeat and ccusage, so that the load of a
            # shared machine hits all three alike; medians are reported.
            cache = root / f"cache-{agent}"
            e = {**env, "AGENTCOST_CACHE_DIR": str(cache)}
            size = mb if agent == "all" else sizes[agent]
            cc_cmd = [*ccusage, *(["daily"] if agent == "all" else [agent, "daily"]), "--json", "--offline"]
            if use_cc:
                try:
                    run_measured(cc_cmd, env)  # warm npx's own cache (download) — not timed
                except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, OSError) as exc:
                    cc[agent] = {"error": str(exc)[:200]}
            cold, warm, theirs = [], [], []
            rss_c = rss_w = rss_t = 0
            for _ in range(args.rounds):
                shutil.rmtree(cache, ignore_errors=True)
                dt, rss_c, out = run_measured(agentcost_cmd(agent), e)
                problems += check(json.loads(out), truth, agent)
                cold.append(dt)
                dt, rss_w, out = run_measured(agentcost_cmd(agent), e)
                problems += check(json.loads(out), truth, agent)
                warm.append(dt)
                if use_cc and agent not in cc:
                    try:
                        dt, rss_t, out = run_measured(cc_cmd, env)
                        theirs.append(dt)
                        last_cc = out
                    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, OSError) as exc:
                        cc[agent] = {"error": str(exc)[:200]}
            c_med, w_med = statistics.median(cold), statistics.median(warm)
            rows.append((f"agentcost --agent {agent} (cold, empty cache)", c_med, rss_c, size / c_med))
            rows.append((f"agentcost --agent {agent} (repeat, cached)", w_med, rss_w, size / w_med))
            if theirs:
                t = statistics.median(theirs)
                rows.append((f"ccusage {' '.join(cc_cmd[len(ccusage) : -2])}", t, rss_t, size / t))
                cc[agent] = {"seconds": t, "totals": ccusage_totals(last_cc)}
                ratios[agent] = {
                    "cold_vs_ccusage": round(c_med / t, 2),
                    "repeat_vs_ccusage": round(w_med / t, 2),
                }
        # growth: append new responses to 20 Claude files, re-run (only the new bytes are parsed)
        files = sorted((root / "claude" / "projects").rglob("*.jsonl"))[:20]
        g = Gen(root, args.seed + 1)
        for f in files:
            lines, _u = g.assistant_lines(
                "appended", "/home/dev/app", g.t0 + 86400, "claude-sonnet-4-5", False
            )
            with open(f, "a", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
        for k in ("responses", "input", "cache_write", "cache_read", "output"):
            truth["claude"][k] += g.claude[k]
        e = {**env, "AGENTCOST_CACHE_DIR": str(root / "cache-all")}
        dt, rss, out = run_measured(agentcost_cmd("all"), e)
        problems += check(json.loads(out), truth, "all")
        rows.append(("agentcost --agent all (after appends to 20 files)", dt, rss, 0.0))
        dt, rss, out = run_measured(agentcost_cmd("all", "--no-cache"), e)
        problems += check(json.loads(out), truth, "all")
        rows.append(("agentcost --agent all --no-cache", dt, rss, mb / dt))
        results["ratios"] = ratios
        results["ccusage"] = cc
        results["runs"] = [
            {"what": w, "seconds": round(s, 3), "peak_rss_mb": r, "mb_per_s": round(v, 1)}
            for w, s, r, v in rows
        ]
        results["problems"] = problems
        print("\n| run | seconds | MB/s | peak RSS (MB) |\n|---|---:|---:|---:|")
        for w, secs, r, v in rows:
            print(f"| {w} | {secs:.2f} | {v:.0f} | {r} |" if v else f"| {w} | {secs:.2f} | – | {r} |")
        print("\ntrue totals:", json.dumps({"claude": truth["claude"], "codex": truth["codex"]}))
        for name, c in cc.items():
            print(f"ccusage {name}:", json.dumps(c))
            if "error" in c:
                print("  (ccusage failed; its npm package needs a native binary for this platform — try e.g.")
                print("   --ccusage 'npx -y ccusage@20.0.24', or --no-ccusage)")
        for name, ratio in ratios.items():
            cold_x, warm_x = ratio["cold_vs_ccusage"], ratio["repeat_vs_ccusage"]
            print(f"time ratio agentcost/ccusage ({name}): cold {cold_x}x, repeat {warm_x}x")
        print("correctness:", problems if problems else "agentcost totals == true totals in every run")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(results, indent=2), encoding="utf-8")
        return 1 if problems else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
