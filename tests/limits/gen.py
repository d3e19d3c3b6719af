"""Generate subscription usage with windows of known size: Codex logs, or Claude logs + status-line
snapshots, as the clients write them.

Each request's true API-priced cost comes from agentcost.pricing (the sizes are in API dollars). A
window opens at the first request after the previous one reset and lasts `minutes`; its reading is
what the client reports: the used % *before* this request (the headers of the response it starts),
as a whole percent (rounded or floored) or exact. A reading >= 100 is a limit hit: the user stops
until the window resets.
"""

from __future__ import annotations

import json
import math
import random
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from agentcost.pricing import cost, price_for
from agentcost.tokens import TokenCounts

CODEX_MODEL = "gpt-5.1-codex"
CLAUDE_MODEL = "claude-sonnet-4-5-20250929"


def iso(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"


@dataclass
class Window:
    minutes: int
    size: Decimal  # API dollars for 100 %
    start: float | None = None
    spent: Decimal = Decimal(0)

    def resets_at(self) -> float:
        assert self.start is not None
        return self.start + self.minutes * 60

    def roll(self, t: float) -> None:
        if self.start is None or t >= self.resets_at():
            self.start = t
            self.spent = Decimal(0)

    def used(self) -> float:
        return float(self.spent / self.size * 100)


@dataclass
class World:
    """A user on a subscription: requests over `days`, windows of the given sizes (API dollars)."""

    seed: int = 1
    sizes: dict[int, Decimal] = field(default_factory=lambda: {300: Decimal(20), 10080: Decimal(150)})
    rounding: str = "round"  # round | floor | exact
    t0: float = 1_796_000_000.0  # 2026-12-01
    gap: tuple[float, float] = (20.0, 90.0)  # seconds between requests while working
    model: str = CODEX_MODEL

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.windows = {m: Window(m, s) for m, s in self.sizes.items()}
        self.price = price_for(self.model)
        assert self.price is not None
        self.hits = 0
        self.requests = 0

    def tokens(self) -> TokenCounts:
        r = self.rng
        return TokenCounts(
            input=r.randint(500, 6000), cache_read=r.randint(5000, 60000), output=r.randint(100, 3000)
        )

    def reading(self, w: Window) -> float:
        u = w.used()
        if self.rounding == "exact":
            return round(u, 6)
        return float(math.floor(u) if self.rounding == "floor" else round(u))

    def run(self, days: float, session_len: int = 60) -> list[dict[str, Any]]:
        """Simulate; returns one event per request: time, tokens, cost, readings, session."""
        t = self.t0
        end = self.t0 + days * 86400
        events: list[dict[str, Any]] = []
        sid = str(uuid.UUID(int=self.rng.getrandbits(128)))
        n_in_session = 0
        while t < end:
            for w in self.windows.values():
                w.roll(t)
            readings = {m: (self.reading(w), w.resets_at()) for m, w in self.windows.items()}
            full = [m for m, (u, _) in readings.items() if u >= 100]
            tok = self.tokens()
            c = cost(tok, self.price).total
            ev = {"t": t, "tokens": tok, "cost": c, "readings": readings, "session": sid, "hit": bool(full)}
            if full:  # the client reports the hit (this response is refused: no usage)
                self.hits += 1
                ev["tokens"] = None
                events.append(ev)
                t = max(self.windows[m].resets_at() for m in full) + self.rng.uniform(60, 600)
                continue
            events.append(ev)
            self.requests += 1
            for w in self.windows.values():
                w.spent += c
            n_in_session += 1
            if n_in_session >= session_len:  # a new session after a break
                sid = str(uuid.UUID(int=self.rng.getrandbits(128)))
                n_in_session = 0
                t += self.rng.uniform(600, 4 * 3600)
            t += self.rng.uniform(*self.gap)
        return events


def _d(obj: dict[str, Any]) -> str:
    return json.dumps(obj, separators=(",", ":"))


def write_codex(
    home: Path, events: list[dict[str, Any]], *, new_style: bool = False, plan: str = "plus"
) -> None:
    """One rollout file per session under $CODEX_HOME/sessions/YYYY/MM/DD/."""
    by_session: dict[str, list[dict[str, Any]]] = {}
    for ev in events:
        by_session.setdefault(ev["session"], []).append(ev)
    for sid, evs in by_session.items():
        t0 = evs[0]["t"]
        day = time.strftime("%Y/%m/%d", time.gmtime(t0))
        stamp = time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime(t0))
        lines = [
            _d(
                {
                    "timestamp": iso(t0 - 1),
                    "type": "session_meta",
                    "payload": {"id": sid, "cwd": "/home/dev/app", "model_provider": "openai"},
                }
            ),
            _d(
                {
                    "timestamp": iso(t0 - 0.5),
                    "type": "turn_context",
                    "payload": {"cwd": "/home/dev/app", "model": CODEX_MODEL},
                }
            ),
        ]
        total = [0, 0, 0, 0, 0]
        for i, ev in enumerate(evs):
            (pu, pr), (su, sr) = ev["readings"][300], ev["readings"][10080]
            limits = {
                "limit_id": "codex",
                "primary": {"used_percent": pu, "window_minutes": 300, "resets_at": int(pr)},
                "secondary": {"used_percent": su, "window_minutes": 10080, "resets_at": int(sr)},
                "plan_type": plan,
                "rate_limit_reached_type": ("primary" if pu >= 100 else "secondary") if ev["hit"] else None,
            }
            tok = ev["tokens"]
            info = None
            if tok is not None:
                last = {
                    "input_tokens": tok.input + tok.cache_read,
                    "cached_input_tokens": tok.cache_read,
                    "cache_write_input_tokens": 0,
                    "output_tokens": tok.output,
                    "reasoning_output_tokens": 0,
                    "total_tokens": tok.input + tok.cache_read + tok.output,
                }
                for j, k in enumerate(
                    [
                        "input_tokens",
                        "cached_input_tokens",
                        "cache_write_input_tokens",
                        "output_tokens",
                        "reasoning_output_tokens",
                    ]
                ):
                    total[j] += last[k]
                tot = dict(
                    zip(
                        [
                            "input_tokens",
                            "cached_input_tokens",
                            "cache_write_input_tokens",
                            "output_tokens",
                            "reasoning_output_tokens",
                        ],
                        total,
                        strict=True,
                    )
                )
                tot["total_tokens"] = total[0] + total[3]
                info = {"total_token_usage": tot, "last_token_usage": last}
                if new_style:
                    lines.append(
                        _d(
                            {
                                "timestamp": iso(ev["t"]),
                                "type": "token_usage_record",
                                "payload": {"response_id": f"resp_{sid[:8]}_{i}", "usage": last},
                            }
                        )
                    )
            ts = ev["t"] + (0.002 if new_style else 0.0)
            lines.append(
                _d(
                    {
                        "timestamp": iso(ts),
                        "type": "event_msg",
                        "payload": {"type": "token_count", "info": info, "rate_limits": limits},
                    }
                )
            )
        p = home / "sessions" / day / f"rollout-{stamp}-{sid}.jsonl"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_codex_api_key_session(home: Path, t0: float, n: int, seed: int = 5) -> None:
    """An API-key session: same model, null windows — its cost must not count against any window."""
    rng = random.Random(seed)
    sid = str(uuid.UUID(int=rng.getrandbits(128)))
    day = time.strftime("%Y/%m/%d", time.gmtime(t0))
    lines = [
        _d(
            {
                "timestamp": iso(t0),
                "type": "session_meta",
                "payload": {"id": sid, "cwd": "/home/dev/other", "model_provider": "openai"},
            }
        ),
        _d({"timestamp": iso(t0), "type": "turn_context", "payload": {"model": CODEX_MODEL}}),
    ]
    total = 0
    for i in range(n):
        inp = rng.randint(100_000, 400_000)  # big: would wreck an estimate if counted
        total += inp
        u = {"input_tokens": inp, "cached_input_tokens": 0, "output_tokens": 1000, "total_tokens": inp + 1000}
        tot = {"input_tokens": total, "cached_input_tokens": 0, "output_tokens": 1000 * (i + 1)}
        lines.append(
            _d(
                {
                    "timestamp": iso(t0 + 30 * i + 5),
                    "type": "event_msg",
                    "payload": {
                        "type": "token_count",
                        "info": {"total_token_usage": tot, "last_token_usage": u},
                        "rate_limits": {
                            "limit_id": "codex",
                            "primary": None,
                            "secondary": None,
                            "plan_type": None,
                            "rate_limit_reached_type": None,
                        },
                    },
                }
            )
        )
    p = home / "sessions" / day / f"rollout-apikey-{sid}.jsonl"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_claude(config_dir: Path, data_dir: Path, events: list[dict[str, Any]]) -> None:
    """Claude Code transcripts + the snapshots its status line would have recorded after each response."""
    store = data_dir / "limits" / "claude.jsonl"
    store.parent.mkdir(parents=True, exist_ok=True)
    snaps: list[str] = []
    by_session: dict[str, list[str]] = {}
    for i, ev in enumerate(events):
        sid = ev["session"]
        tok = ev["tokens"]
        if tok is not None:
            by_session.setdefault(sid, []).append(
                _d(
                    {
                        "type": "assistant",
                        "sessionId": sid,
                        "cwd": "/home/dev/app",
                        "timestamp": iso(ev["t"]),
                        "requestId": f"req_{i}",
                        "message": {
                            "id": f"msg_{i}",
                            "model": CLAUDE_MODEL,
                            "role": "assistant",
                            "usage": {
                                "input_tokens": tok.input,
                                "cache_read_input_tokens": tok.cache_read,
                                "cache_creation_input_tokens": 0,
                                "output_tokens": tok.output,
                            },
                        },
                    }
                )
            )
        (fu, fr), (su, sr) = ev["readings"][300], ev["readings"][10080]
        snaps.append(
            _d(
                {
                    "v": 1,
                    "t": ev["t"] + 1,
                    "asof": ev["t"],
                    "s": sid,
                    "w": {"five_hour": [fu, fr], "seven_day": [su, sr]},
                }
            )
        )
    for sid, lines in by_session.items():
        p = config_dir / "projects" / "-home-dev-app" / f"{sid}.jsonl"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store.write_text("\n".join(snaps) + "\n", encoding="utf-8")
