"""Line parsers for Claude Code and Codex logs: bytes in, compact rows out (pure, no file I/O).

A *row* is one provider response, counted once within its file:
`(ts, agent, session, project, model, provider, key, input, cache_write_5m, cache_write_1h,
cache_read, output, reasoning)` — `ts` is POSIX seconds (UTC), `key` the de-duplication key that
spans files (None when the log gives none), token counts already normalised (see agentcost.tokens).

Each parser keeps a small state so a file can be parsed in pieces (the cache re-parses only the bytes
appended since the last run); `state()` / `restore()` round-trip it through plain data.

Fast path: a line that cannot carry usage is recognised by a substring test before any JSON parsing;
such lines are only checked to look like a JSON object (`{...}`) so truncated lines are still counted
as malformed. Candidate lines are parsed as JSON (spaces and key order do not matter).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Final


def _std_loads(line: bytes) -> Any:
    # Decoding first is ~2x faster than json.loads(bytes), which sniffs the encoding on every call;
    # invalid UTF-8 raises UnicodeDecodeError, a ValueError, like any malformed line.
    return json.loads(line.decode("utf-8"))


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _without_surrogates(s: str) -> str:
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in s)


loads: Callable[[bytes], Any] = _std_loads
try:  # optional speed-up (`pip install orjson`, ~3x faster parsing); the standard library is the reference.
    import orjson  # type: ignore[import-not-found,unused-ignore]

    loads = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    pass

Row = tuple[
    float, str, str, "str | None", "str | None", "str | None", "str | None", int, int, int, int, int, int
]

# Row field positions.
TS: Final = 0
AGENT: Final = 1
SESSION: Final = 2
PROJECT: Final = 3
MODEL: Final = 4
PROVIDER: Final = 5
KEY: Final = 6
IN: Final = 7
CW5: Final = 8
CW1: Final = 9
CR: Final = 10
OUT: Final = 11
REAS: Final = 12

_OBJECT_END = (b"}\n", b"}\r\n", b"}")

# A rate-limit snapshot from a Codex `token_count` event:
# (asof, session, plan_type, reached_type, p_used, p_minutes, p_resets, s_used, s_minutes, s_resets)
# `asof`: the used percentages count the requests logged strictly before this time (Codex reads them
# from the headers of the response that this event reports, before that response is counted).
# p_* / s_*: the primary and secondary window (None when null: API-key sessions have no windows).
Limit = tuple[
    float,
    str,
    "str | None",
    "str | None",
    "float | None",
    "int | None",
    "float | None",
    "float | None",
    "int | None",
    "float | None",
]
LIMIT_FIELDS: Final = (
    "asof",
    "session",
    "plan_type",
    "reached_type",
    "primary_used",
    "primary_minutes",
    "primary_resets",
    "secondary_used",
    "secondary_minutes",
    "secondary_resets",
)


# More tokens than any single response can hold (the largest context windows are ~10**7): a count
# above this is a corrupt or hostile log line, not usage.
MAX_TOKENS: Final = 10**12


def _int(v: object) -> int:
    """A token count: absent/null = 0; a whole number 0..MAX_TOKENS; anything else -1 (malformed).

    Negative, fractional, non-numeric (strings, booleans) and absurd counts make the line malformed:
    it is counted in `malformed_lines` and skipped, never priced.
    """
    if type(v) is int:
        return v if 0 <= v <= MAX_TOKENS else -1
    if v is None:
        return 0
    if type(v) is float and v.is_integer() and 0 <= v <= MAX_TOKENS:
        return int(v)
    return -1


_day_epoch: dict[str, float] = {}


def _fast_ts(s: str) -> float | None:
    """`YYYY-MM-DDTHH:MM:SS[.fff]Z` (what both clients write) without building a datetime."""
    if len(s) < 20 or s[-1] != "Z" or s[10] != "T" or s[13] != ":" or s[16] != ":":
        return None
    day = s[:10]
    base = _day_epoch.get(day)
    if base is None:
        try:
            base = datetime.fromisoformat(day + "T00:00:00+00:00").timestamp()
        except ValueError:
            return None
        _day_epoch[day] = base
    try:
        h, m = int(s[11:13]), int(s[14:16])
        sec = float(s[17:-1])
    except ValueError:
        return None
    if not (0 <= h < 24 and 0 <= m < 60 and 0 <= sec < 61):
        return None
    return base + h * 3600 + m * 60 + sec


def parse_ts(s: object) -> float | None:
    """ISO-8601 timestamp (`2026-11-26T11:10:04.777Z`, any offset, any fraction length) -> POSIX seconds."""
    if not isinstance(s, str) or len(s) < 19:
        return None
    fast = _fast_ts(s)
    if fast is not None:
        return fast
    try:
        text = s[:-1] + "+00:00" if s.endswith(("Z", "z")) else s
        dot = text.find(".", 19)
        if dot != -1:  # Python 3.10 accepts only 3 or 6 fraction digits: normalise to 6.
            end = dot + 1
            while end < len(text) and text[end].isdigit():
                end += 1
            text = text[: dot + 1] + (text[dot + 1 : end] + "000000")[:6] + text[end:]
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


class LineParser:
    """Common bookkeeping; subclasses implement `candidate` and `handle`."""

    agent = ""

    def __init__(self, fallback_session: str, fallback_project: str | None) -> None:
        self.fallback_session = fallback_session
        self.fallback_project = fallback_project
        self.rows: list[Row] = []
        self.index: dict[str, int] = {}  # key -> position in rows (in-file de-duplication)
        self.lines = 0
        self.malformed = 0
        self.duplicates = 0
        self.usage_lost = 0
        # Rate-limit snapshots (Codex only; see `LIMIT_FIELDS`), consecutive repeats collapsed.
        self.limits: list[Limit] = []
        self._strings: dict[str, str] = {}

    def intern(self, s: object) -> str | None:
        """Share one string object per distinct value (smaller cache, faster marshal)."""
        if not isinstance(s, str):
            return None
        got = self._strings.get(s)
        if got is None:
            # A lone surrogate (`"\\ud800"` in a log's model name) cannot be printed, cached or sent
            # as JSON: checked once per distinct string, replaced by U+FFFD.
            got = _without_surrogates(s) if not s.isascii() and _has_surrogate(s) else s
            self._strings[s] = got
        return got

    def candidate(self, line: bytes) -> bool:
        raise NotImplementedError

    def handle(self, obj: dict[str, Any]) -> None:
        raise NotImplementedError

    def feed(self, line: bytes) -> None:
        """Parse one line (with or without its newline)."""
        self.lines += 1
        if not self.candidate(line):
            # line[:1] first: lstrip() would copy a large line just to look at its first byte
            starts = line[:1] == b"{" or line.lstrip()[:1] == b"{"
            ends = line.endswith(_OBJECT_END) or line.rstrip()[-1:] == b"}"
            if (not starts or not ends) and line.strip():
                self.malformed += 1
            return
        try:
            obj = loads(line)
        except ValueError:
            self.malformed += 1
            return
        if not isinstance(obj, dict):
            self.malformed += 1
            return
        self.handle(obj)

    def add(self, row: Row) -> None:
        key = row[KEY]
        if key is not None:
            i = self.index.get(key)
            if i is not None:
                self.duplicates += 1
                old = self.rows[i]
                # Streaming duplicates carry the same usage; if one is larger, it is the complete one.
                if row[OUT] > old[OUT] or (row[OUT] == old[OUT] and sum(row[IN:REAS]) > sum(old[IN:REAS])):
                    self.rows[i] = old[:IN] + row[IN:]
                return
            self.index[key] = len(self.rows)
        self.rows.append(row)

    def state(self) -> list[Any]:
        return []

    def restore(self, rows: list[Row], state: list[Any]) -> None:
        self.rows = list(rows)
        self.index = {r[KEY]: i for i, r in enumerate(self.rows) if r[KEY] is not None}
        for r in self.rows:
            for i in (SESSION, PROJECT, MODEL, PROVIDER):
                self.intern(r[i])


class ClaudeParser(LineParser):
    """Claude Code: `type == "assistant"` lines with `message.usage`, keyed by (message.id, requestId).

    `toolUseResult.usage` (a parent's copy of a subagent's usage) is never read: only
    `message.usage` of assistant lines counts. Cache creation = max(flat, 5m + 1h); when the breakdown
    sums lower than the flat figure (Claude Code zero-fills it when the provider sent none), the
    remainder is attributed to the 5-minute write, which is how it is billed.
    """

    agent = "claude"

    def __init__(self, fallback_session: str, fallback_project: str | None) -> None:
        super().__init__(fallback_session, fallback_project)
        self.cwd: str | None = None  # the last cwd logged in this file

    def _project(self, cwd: object) -> str | None:
        """The line's cwd; else the file's last logged cwd; else the labelled log-folder name."""
        if isinstance(cwd, str) and cwd:
            self.cwd = self.intern(cwd)
            return self.cwd
        return self.cwd or self.fallback_project

    def state(self) -> list[Any]:
        return [self.cwd]

    def restore(self, rows: list[Row], state: list[Any]) -> None:
        super().restore(rows, state)
        self.cwd = self.intern(state[0]) if state else None

    def candidate(self, line: bytes) -> bool:
        return b'"usage"' in line and b"assistant" in line

    def handle(self, obj: dict[str, Any]) -> None:
        if obj.get("type") != "assistant":
            return
        msg = obj.get("message")
        if not isinstance(msg, dict):
            return
        usage = msg.get("usage")
        if not isinstance(usage, dict):
            return
        ts = parse_ts(obj.get("timestamp"))
        if ts is None:
            self.malformed += 1
            return
        flat = _int(usage.get("cache_creation_input_tokens"))
        cc = usage.get("cache_creation")
        b5 = b1 = 0
        if isinstance(cc, dict):
            b5 = _int(cc.get("ephemeral_5m_input_tokens"))
            b1 = _int(cc.get("ephemeral_1h_input_tokens"))
        if b5 + b1 < flat and min(b5, b1) >= 0:
            b5 = flat - b1
        inp = _int(usage.get("input_tokens"))
        out = _int(usage.get("output_tokens"))
        cr = _int(usage.get("cache_read_input_tokens"))
        if min(flat, b5, b1, inp, out, cr) < 0:
            self.malformed += 1  # negative, fractional, non-numeric or absurd count
            return
        model = self.intern(msg.get("model"))
        if model == "<synthetic>" and not (inp or out or cr or b5 or b1):
            return  # Claude Code's own placeholder messages: no request was made.
        mid, rid = msg.get("id"), obj.get("requestId")
        key = f"c:{mid}:{rid if isinstance(rid, str) else ''}" if isinstance(mid, str) and mid else None
        self.add(
            (
                ts,
                "claude",
                self.intern(obj.get("sessionId")) or self.fallback_session,
                self._project(obj.get("cwd")),
                model,
                None,
                key,
                inp,
                b5,
                b1,
                cr,
                out,
                0,
            )
        )


class _Malformed(Exception):
    """A usage object with an impossible count (see `_int`) or cached > input."""


def _usage_tuple(u: object) -> tuple[int, int, int, int, int] | None:
    """OpenAI-style usage -> (input, cached, cache_write, output, reasoning); None if absent.

    Raises _Malformed for a negative/fractional/non-numeric/absurd count, and when
    cached_input_tokens exceeds input_tokens: input includes cached tokens, so such a line is
    inconsistent and nothing in it can be priced with confidence (counted as malformed, skipped).
    """
    if not isinstance(u, dict):
        return None
    t = (
        _int(u.get("input_tokens")),
        _int(u.get("cached_input_tokens")),
        _int(u.get("cache_write_input_tokens")),
        _int(u.get("output_tokens")),
        _int(u.get("reasoning_output_tokens")),
    )
    if min(t) < 0 or t[1] > t[0]:
        raise _Malformed
    return t


class CodexParser(LineParser):
    """Codex: one count per response.

    `token_usage_record` lines (newer clients) are counted, keyed by `response_id`. Before the first
    such line in a file (older clients, or the older part of a resumed file), each `token_count` event
    counts the increase of `info.total_token_usage` over the previous event (repeats skipped; the first
    event of a file counts its `last_token_usage`, since its running total may include copied history),
    keyed by (event timestamp, running total) so a forked file replaying the same events is counted once.
    After the first record, token_count events are not counted (their responses have records).
    `info: null` means the usage was not logged: counted in `usage_lost`, never as zero.

    OpenAI-style usage is normalised: input_tokens includes cached and cache-write tokens (total_tokens
    = input + output), so uncached = input - cached - cache_write; output includes reasoning.
    """

    agent = "codex"

    def __init__(self, fallback_session: str, fallback_project: str | None) -> None:
        super().__init__(fallback_session, fallback_project)
        self.session: str | None = None
        self.project: str | None = None
        self.provider: str | None = None
        self.model: str | None = None
        self.last_total: tuple[int, int, int, int, int] | None = None
        self.seen_record = False
        self.pending_ts: float | None = None  # first row logged since the last token_count event

    def candidate(self, line: bytes) -> bool:
        # Most bytes are in big `response_item` lines. A line whose first 200 bytes hold the quoted
        # value "response_item" is one of them in any key order or spacing (a JSON string cannot
        # contain an unescaped quote), so the four scans of the whole line are skipped.
        if b'"response_item"' in line[:200]:
            return False
        return (
            b"token_count" in line
            or b"token_usage_record" in line
            or b"turn_context" in line
            or b"session_meta" in line
        )

    def state(self) -> list[Any]:
        return [
            self.session,
            self.project,
            self.provider,
            self.model,
            self.last_total,
            self.seen_record,
            self.pending_ts,
        ]

    def restore(self, rows: list[Row], state: list[Any]) -> None:
        super().restore(rows, state)
        self.session, self.project, self.provider, self.model = (self.intern(s) for s in state[:4])
        lt = state[4]
        self.last_total = (lt[0], lt[1], lt[2], lt[3], lt[4]) if lt is not None else None
        self.seen_record = bool(state[5])
        self.pending_ts = state[6] if len(state) > 6 else None

    def _row(self, ts: float, key: str | None, u: tuple[int, int, int, int, int]) -> None:
        inp, cached, write, out, reas = u
        if not (inp or out):
            return
        if self.pending_ts is None:
            self.pending_ts = ts
        self.add(
            (
                ts,
                "codex",
                self.session or self.fallback_session,
                self.project or self.fallback_project,
                self.model,
                self.provider,
                key,
                max(0, inp - cached - write),
                write,
                0,
                cached,
                out,
                reas,
            )
        )

    def handle(self, obj: dict[str, Any]) -> None:
        try:
            self._handle(obj)
        except _Malformed:
            self.malformed += 1

    def _handle(self, obj: dict[str, Any]) -> None:
        kind = obj.get("type")
        payload = obj.get("payload")
        if not isinstance(payload, dict):
            return
        if kind == "session_meta":
            self.session = self.intern(payload.get("id")) or self.session
            self.project = self.intern(payload.get("cwd")) or self.project
            self.provider = self.intern(payload.get("model_provider")) or self.provider
            return
        if kind == "turn_context":
            self.model = self.intern(payload.get("model")) or self.model
            if not self.project:
                self.project = self.intern(payload.get("cwd"))
            return
        if kind == "token_usage_record":
            u = _usage_tuple(payload.get("usage"))
            ts = parse_ts(obj.get("timestamp"))
            if u is None or ts is None:
                self.malformed += 1
                return
            self.seen_record = True
            rid = payload.get("response_id")
            self._row(ts, f"x:{rid}" if isinstance(rid, str) and rid else None, u)
            return
        if kind != "event_msg" or payload.get("type") != "token_count":
            return
        rl = payload.get("rate_limits")
        if isinstance(rl, dict) and (rl.get("primary") is not None or rl.get("secondary") is not None):
            self._limits(obj, rl)
        try:
            self._count(obj, payload)
        finally:
            self.pending_ts = None  # rows this event adds are reported by it, not by the next one

    def _count(self, obj: dict[str, Any], payload: dict[str, Any]) -> None:
        info = payload.get("info")
        if info is None:
            self.usage_lost += 1
            return
        if not isinstance(info, dict):
            self.malformed += 1
            return
        if self.seen_record:
            return  # this file's responses are counted from their records
        total = _usage_tuple(info.get("total_token_usage"))
        if total is None:
            total = _usage_tuple(info.get("last_token_usage"))
            if total is None:
                self.usage_lost += 1
                return  # no running total: the event stands for itself
        prev = self.last_total
        if prev is not None and total == prev:
            self.duplicates += 1  # re-emitted event (or a response that carried no usage)
            return
        self.last_total = total
        if prev is not None and all(a >= b for a, b in zip(total, prev, strict=True)):
            delta = (
                total[0] - prev[0],
                total[1] - prev[1],
                total[2] - prev[2],
                total[3] - prev[3],
                total[4] - prev[4],
            )
        else:
            last = _usage_tuple(info.get("last_token_usage"))
            delta = last if last is not None else total
        ts = parse_ts(obj.get("timestamp"))
        if ts is None:
            self.malformed += 1
            return
        self._row(ts, f"t:{obj.get('timestamp')}:{total}", delta)

    def _limits(self, obj: dict[str, Any], rl: dict[str, Any]) -> None:
        ts = parse_ts(obj.get("timestamp"))
        if ts is None:
            return
        p = _window(rl.get("primary"), ts)
        s = _window(rl.get("secondary"), ts)
        if p is None and s is None:
            return
        plan = rl.get("plan_type")
        reached = rl.get("rate_limit_reached_type")
        # The event reports a response whose usage may already be logged (a token_usage_record just
        # before it): the percentages were read before that response, so they count what came before.
        asof = self.pending_ts if self.pending_ts is not None and self.pending_ts <= ts else ts
        snap: Limit = (
            asof,
            self.session or self.fallback_session,
            self.intern(plan),
            self.intern(reached) if isinstance(reached, str) else None,
            *(p or (None, None, None)),
            *(s or (None, None, None)),
        )
        lim = self.limits
        # Keep the first and the last of a run of equal readings (what the estimator needs).
        if len(lim) >= 2 and lim[-1][1:] == lim[-2][1:] and lim[-1][1] == snap[1] and lim[-1][2:] == snap[2:]:
            lim[-1] = snap
            return
        lim.append(snap)


def _num(v: object) -> float | None:
    if type(v) is int or type(v) is float:
        f = float(v)
        return f if f == f and abs(f) < 1e12 else None  # not NaN, not absurd
    return None


def _window(w: object, ts: float) -> tuple[float, int | None, float | None] | None:
    """A Codex rate-limit window -> (used_percent, window_minutes, resets_at); None if null/invalid.

    Older clients wrote `resets_in_seconds` (relative to the event) instead of `resets_at`.
    """
    if not isinstance(w, dict):
        return None
    used = _num(w.get("used_percent"))
    if used is None or used < 0:
        return None
    minutes = _num(w.get("window_minutes"))
    resets = _num(w.get("resets_at"))
    if resets is None:
        rel = _num(w.get("resets_in_seconds"))
        resets = ts + rel if rel is not None else None
    return used, int(minutes) if minutes is not None and minutes > 0 else None, resets


PARSERS: dict[str, type[LineParser]] = {"claude": ClaudeParser, "codex": CodexParser}
