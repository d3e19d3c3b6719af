"""A fake model provider on 127.0.0.1 for the end-to-end tests.

It speaks just enough of two wire protocols for one agent turn to complete:

* the Anthropic Messages API (`POST /v1/messages`, streamed as server-sent events or as one JSON
  object; `POST /v1/messages/count_tokens`; `HEAD /`), which Claude Code uses;
* the OpenAI Responses API (`POST /v1/responses`, streamed; `GET /v1/models`), which Codex uses.

Every request is recorded (method, path, query, headers with secrets masked, JSON body). Header
values that carry a credential are stored masked plus a SHA-256 digest, so a test can check that
exactly the right key arrived without the recording holding the key.

The stub can be told to fail (`fail_with(401)`), and can script Anthropic `tool_use` responses
(`script_tool_use("Read", {"file_path": ...})`) so a test sees the `tool_result` that comes back.
Any path it does not know gets a 404, like a real provider would (that is how `/v1/v1/messages`
and `POST /responses` show up in the broken-configuration tests).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from agentcost.secrets import mask
from tests.e2e.stub_chat import (
    CHAT_USAGE,
    ChatTurn,
    chat_completion,
    chat_stream,
    error_body,
    request_problems,
)

SECRET_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "cookie", "proxy-authorization"})

# Usage the stub reports for its first response; the n-th response (from 0, per protocol, since the
# last reset) reports every field + n, so a reader that counts a response twice, drops one or mixes
# up fields cannot land on the right totals by accident. What was reported is kept on each
# RecordedRequest (`usage`), so tests compute expectations from what the client really received.
ANTHROPIC_USAGE = {
    "input_tokens": 101,
    "cache_creation_input_tokens": 13,
    "cache_read_input_tokens": 29,
    "output_tokens": 17,
}
OPENAI_USAGE = {
    "input_tokens": 211,  # includes the cached ones (OpenAI convention)
    "cached_tokens": 37,
    "output_tokens": 43,  # includes the reasoning ones
    "reasoning_tokens": 5,
}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _mask_header(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, sep, token = value.partition(" ")
    if sep and scheme.lower() in ("bearer", "basic"):
        return f"{scheme} {mask(token)}"
    return mask(value)


@dataclass
class RecordedRequest:
    """One request as the stub saw it (secrets masked)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names, secret values masked
    body: Any  # parsed JSON, or None
    status: int = 0  # what the stub answered
    usage: dict[str, int] | None = None  # usage the stub reported in its answer (flat fields)
    secret_digests: dict[str, str] = field(default_factory=dict)  # header -> sha256(full value)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def header_equals(self, name: str, expected: str) -> bool:
        """True when header `name` carried exactly `expected` (compared by digest for secrets)."""
        name = name.lower()
        if name in self.secret_digests:
            return self.secret_digests[name] == _digest(expected)
        return self.headers.get(name) == expected

    @property
    def model(self) -> str | None:
        if isinstance(self.body, dict):
            m = self.body.get("model")
            return m if isinstance(m, str) else None
        return None

    def tool_results(self) -> list[dict[str, Any]]:
        """Anthropic `tool_result` blocks in the request's messages."""
        out: list[dict[str, Any]] = []
        if not isinstance(self.body, dict):
            return out
        for msg in self.body.get("messages") or []:
            content = msg.get("content") if isinstance(msg, dict) else None
            if isinstance(content, list):
                out += [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"]
        return out

    def tool_names(self) -> list[str]:
        if not isinstance(self.body, dict):
            return []
        return [t.get("name", "") for t in self.body.get("tools") or [] if isinstance(t, dict)]

    def summary(self) -> str:
        return f"{self.method} {self.path} -> {self.status} model={self.model}"


def tool_result_text(block: dict[str, Any]) -> str:
    """The text of a tool_result block (its content is a string or a list of text blocks)."""
    content = block.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
    return ""


class StubProvider:
    """Threaded HTTP server on 127.0.0.1 (random port). Use as a context manager or start()/stop()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self.fail_status: int | None = None
        self.reply_text = "Hello from the stub."
        self.extra_headers: dict[str, str] = {}  # sent on every response (e.g. rate-limit headers)
        self.anthropic_usage = dict(ANTHROPIC_USAGE)
        self.openai_usage = dict(OPENAI_USAGE)
        self._tool_script: list[tuple[str, dict[str, Any], str | None]] = []
        self._tool_forever: tuple[str, dict[str, Any]] | None = None
        self._forever_left: int | None = None
        self._responses = {"anthropic": 0, "openai": 0, "chat": 0}
        self.chat_mode = False
        self.strict_schemas = False
        self.chat_usage = dict(CHAT_USAGE)
        self.chat_models: set[str] | None = None  # chat mode: the models served (None = any); else 404
        self._chat_script: list[ChatTurn] = []
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """Root URL, no trailing slash: `http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StubProvider:
        self._thread = threading.Thread(target=self._server.serve_forever, name="stub-provider", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget recorded requests and scripted behaviour (between tests sharing one stub)."""
        with self._lock:
            self.requests.clear()
            self.fail_status = None
            self.extra_headers = {}
            self.reply_text = "Hello from the stub."
            self.anthropic_usage = dict(ANTHROPIC_USAGE)
            self.openai_usage = dict(OPENAI_USAGE)
            self._tool_script.clear()
            self._tool_forever = None
            self._forever_left = None
            self._responses = {"anthropic": 0, "openai": 0, "chat": 0}
            self.chat_mode = False
            self.strict_schemas = False
            self.chat_usage = dict(CHAT_USAGE)
            self.chat_models = None
            self._chat_script.clear()

    def chat_only(self, *, strict_schemas: bool = True) -> StubProvider:
        """Behave like a Chat-Completions-only provider (see stub_chat.py)."""
        self.chat_mode = True
        self.strict_schemas = strict_schemas
        return self

    def script_chat(self, *turns: ChatTurn) -> None:
        """Queue chat answers, one per /v1/chat/completions request; then plain `reply_text`."""
        with self._lock:
            self._chat_script.extend(turns)

    def _next_chat_turn(self) -> ChatTurn:
        with self._lock:
            return self._chat_script.pop(0) if self._chat_script else ChatTurn(text=self.reply_text)

    def fail_with(self, status: int | None) -> None:
        """Answer every API request (not `HEAD /`) with this HTTP status; None = behave."""
        self.fail_status = status

    def script_tool_use(self, name: str, tool_input: dict[str, Any], preamble: str | None = None) -> None:
        """Queue a tool call: the next Messages request that offers tool `name` gets a tool_use.

        With `preamble`, the response holds a text block before the tool_use (as real models do),
        which Claude Code logs as two lines sharing one message id.
        """
        with self._lock:
            self._tool_script.append((name, tool_input, preamble))

    def tool_use_forever(self, name: str, tool_input: dict[str, Any], limit: int | None = None) -> None:
        """A runaway model: every request (Messages or Responses) that offers tool `name` gets the same
        tool call (after the scripted ones are used up), so the turn never ends by itself — or, with
        `limit`, ends in text after that many calls (a bound for clients no hook can stop)."""
        with self._lock:
            self._tool_forever = (name, dict(tool_input))
            self._forever_left = limit

    def _take_forever(self, offered: list[str]) -> tuple[str, dict[str, Any]] | None:
        """The runaway call for a request offering `offered`, counting it against the limit (locked)."""
        if self._tool_forever is None or self._tool_forever[0] not in offered:
            return None
        if self._forever_left is not None:
            if self._forever_left <= 0:
                return None
            self._forever_left -= 1
        return self._tool_forever

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    def api_requests(self) -> list[RecordedRequest]:
        """Recorded requests other than the `HEAD` reachability probe."""
        return [r for r in self.snapshot() if r.method != "HEAD"]

    def describe(self) -> str:
        """One line per request, for assertion messages."""
        return "\n".join(r.summary() for r in self.snapshot()) or "(no requests)"

    # -- request handling (called from server threads) ------------------------------------------
    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def _next_tool_use(self, offered: list[str]) -> tuple[str, dict[str, Any], str | None] | None:
        with self._lock:
            for i, entry in enumerate(self._tool_script):
                if entry[0] in offered:
                    del self._tool_script[i]
                    return entry
            forever = self._take_forever(offered)
            if forever is not None:
                return (forever[0], dict(forever[1]), None)
        return None

    def _next_usage(self, protocol: str) -> dict[str, int]:
        with self._lock:
            n = self._responses[protocol]
            self._responses[protocol] = n + 1
            base = {"anthropic": self.anthropic_usage, "openai": self.openai_usage, "chat": self.chat_usage}[
                protocol
            ]
            return {k: v + n for k, v in base.items()}

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_stub_{next(self._ids):06d}"


# ------------------------------------------------------------------------------------------------
# Wire formats
# ------------------------------------------------------------------------------------------------


def _sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


def anthropic_content(stub: StubProvider, req: RecordedRequest) -> tuple[list[dict[str, Any]], str]:
    """Decide what a Messages response contains: (content blocks, stop_reason)."""
    # Scripted tool calls go out one per response, in order, to requests that offer the tool; once
    # the script is used up the model "answers" in text, which ends the turn.
    scripted = stub._next_tool_use(req.tool_names())
    if scripted is not None:
        name, tool_input, preamble = scripted
        block = {"type": "tool_use", "id": stub.new_id("toolu"), "name": name, "input": tool_input}
        return ([{"type": "text", "text": preamble}] if preamble else []) + [block], "tool_use"
    return [{"type": "text", "text": stub.reply_text}], "end_turn"


def anthropic_message(
    stub: StubProvider, req: RecordedRequest
) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    content, stop = anthropic_content(stub, req)
    usage = stub._next_usage("anthropic")
    req.usage = dict(usage)
    message: dict[str, Any] = {
        "id": stub.new_id("msg"),
        "type": "message",
        "role": "assistant",
        "model": req.model or "stub-model",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": usage,
    }
    return message, content, stop


def anthropic_stream(stub: StubProvider, req: RecordedRequest) -> bytes:
    message, content, stop = anthropic_message(stub, req)
    usage = message["usage"]
    start = dict(message, content=[], stop_reason=None, usage=dict(usage, output_tokens=1))
    out = [_sse("message_start", {"type": "message_start", "message": start})]
    for i, block in enumerate(content):
        if block["type"] == "text":
            out.append(
                _sse(
                    "content_block_start",
                    {
                        "type": "content_block_start",
                        "index": i,
                        "content_block": {"type": "text", "text": ""},
                    },
                )
            )
            delta = {"type": "text_delta", "text": block["text"]}
        else:
            empty = dict(block, input={})
            out.append(
                _sse(
                    "content_block_start", {"type": "content_block_start", "index": i, "content_block": empty}
                )
            )
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        out.append(_sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": delta}))
        out.append(_sse("content_block_stop", {"type": "content_block_stop", "index": i}))
    out.append(
        _sse(
            "message_delta",
            {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None}, "usage": usage},
        )
    )
    out.append(_sse("message_stop", {"type": "message_stop"}))
    return b"".join(out)


def openai_usage(u: dict[str, int]) -> dict[str, Any]:
    return {
        "input_tokens": u["input_tokens"],
        "input_tokens_details": {"cached_tokens": u["cached_tokens"]},
        "output_tokens": u["output_tokens"],
        "output_tokens_details": {"reasoning_tokens": u["reasoning_tokens"]},
        "total_tokens": u["input_tokens"] + u["output_tokens"],
    }


def openai_stream(stub: StubProvider, req: RecordedRequest) -> bytes:
    resp_id = stub.new_id("resp")
    item_id = stub.new_id("msg")
    model = req.model or "stub-model"
    created = int(time.time())
    base = {"id": resp_id, "object": "response", "created_at": created, "model": model}
    text = stub.reply_text
    req.usage = stub._next_usage("openai")
    offered = [t.get("name", "") for t in (req.body or {}).get("tools") or [] if isinstance(t, dict)]
    with stub._lock:
        forever = stub._take_forever(offered)
    if forever is not None:
        # a runaway model: the same function call in every response
        call = {
            "type": "function_call",
            "id": stub.new_id("fc"),
            "call_id": stub.new_id("call"),
            "name": forever[0],
            "arguments": json.dumps(forever[1]),
            "status": "completed",
        }
        seq = itertools.count()
        calls: list[tuple[str, dict[str, Any]]] = [
            ("response.created", {"response": dict(base, status="in_progress", output=[])}),
            ("response.output_item.added", {"output_index": 0, "item": dict(call, status="in_progress")}),
            ("response.output_item.done", {"output_index": 0, "item": call}),
            (
                "response.completed",
                {"response": dict(base, status="completed", output=[call], usage=openai_usage(req.usage))},
            ),
        ]
        return b"".join(_sse(n, {"type": n, "sequence_number": next(seq), **d}) for n, d in calls)
    item_done = {
        "type": "message",
        "id": item_id,
        "status": "completed",
        "role": "assistant",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }
    seq = itertools.count()
    events: list[tuple[str, dict[str, Any]]] = [
        ("response.created", {"response": dict(base, status="in_progress", output=[])}),
        (
            "response.output_item.added",
            {"output_index": 0, "item": dict(item_done, status="in_progress", content=[])},
        ),
        (
            "response.output_text.delta",
            {"item_id": item_id, "output_index": 0, "content_index": 0, "delta": text},
        ),
        ("response.output_item.done", {"output_index": 0, "item": item_done}),
        (
            "response.completed",
            {"response": dict(base, status="completed", output=[item_done], usage=openai_usage(req.usage))},
        ),
    ]
    return b"".join(_sse(name, {"type": name, "sequence_number": next(seq), **data}) for name, data in events)


def _error_body(path: str, status: int) -> dict[str, Any]:
    kind = {401: "authentication_error", 404: "not_found_error", 500: "api_error"}.get(status, "api_error")
    message = {401: "invalid api key", 404: f"no route for {path}", 500: "stub internal error"}.get(
        status, "stub error"
    )
    if "/messages" in path:
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": kind, "code": kind}}


def _make_handler(stub: StubProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "agentcost-stub/1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _read(self, method: str) -> RecordedRequest:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body: Any = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
            headers: dict[str, str] = {}
            digests: dict[str, str] = {}
            for name, value in self.headers.items():
                lname = name.lower()
                headers[lname] = _mask_header(lname, value)
                if lname in SECRET_HEADERS:
                    digests[lname] = _digest(value)
            return RecordedRequest(
                method=method,
                path=parts.path,
                query=parse_qs(parts.query),
                headers=headers,
                body=body,
                secret_digests=digests,
            )

        def _send(self, req: RecordedRequest, status: int, payload: bytes, ctype: str) -> None:
            req.status = status
            stub._record(req)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            if ctype.startswith("text/event-stream"):
                self.send_header("Cache-Control", "no-cache")
            self.send_header("request-id", stub.new_id("req"))
            self.send_header("x-request-id", stub.new_id("req"))
            for name, value in stub.extra_headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
                self.wfile.flush()

        def _json(self, req: RecordedRequest, status: int, obj: dict[str, Any]) -> None:
            self._send(req, status, json.dumps(obj).encode(), "application/json")

        def _chat(self, req: RecordedRequest, body: dict[str, Any]) -> None:
            problems = request_problems(body) if stub.strict_schemas else []
            if problems:
                self._json(req, 400, error_body(400, "invalid request: " + "; ".join(problems)))
                return
            if stub.chat_models is not None and req.model not in stub.chat_models:
                self._json(req, 404, error_body(404, f"model {req.model!r} does not exist"))
                return
            turn = stub._next_chat_turn()
            if turn.status is not None:
                req.status = turn.status
                payload = json.dumps(error_body(turn.status, turn.error_message)).encode()
                stub._record(req)
                self.send_response(turn.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if turn.retry_after:
                    self.send_header("Retry-After", turn.retry_after)
                self.end_headers()
                self.wfile.write(payload)
                return
            calls = [
                {
                    "id": stub.new_id("call"),
                    "type": "function",
                    "function": {"name": n, "arguments": json.dumps(a)},
                }
                for n, a in turn.tool_calls
            ]
            req.usage = stub._next_usage("chat")
            cid, model = stub.new_id("chatcmpl"), req.model or "stub-model"
            if body.get("stream"):
                stream = chat_stream(cid, model, turn, calls, req.usage)
                self._send(req, 200, stream, "text/event-stream; charset=utf-8")
            else:
                self._json(req, 200, chat_completion(cid, model, turn, calls, req.usage))

        def do_HEAD(self) -> None:
            req = self._read("HEAD")
            self._send(req, 200, b"", "text/plain")

        def do_GET(self) -> None:
            req = self._read("GET")
            if stub.fail_status is not None:
                self._json(req, stub.fail_status, _error_body(req.path, stub.fail_status))
            elif req.path == "/v1/models":
                models = [{"id": "stub-model", "object": "model", "created": 0, "owned_by": "stub"}]
                self._json(req, 200, {"object": "list", "data": models})
            elif req.path in ("/", ""):
                self._send(req, 200, b"ok", "text/plain")
            else:
                self._json(req, 404, _error_body(req.path, 404))

        def do_POST(self) -> None:
            req = self._read("POST")
            body = req.body if isinstance(req.body, dict) else {}
            if stub.fail_status is not None:
                self._json(req, stub.fail_status, _error_body(req.path, stub.fail_status))
            elif req.path == "/v1/messages/count_tokens":
                self._json(req, 200, {"input_tokens": stub.anthropic_usage["input_tokens"]})
            elif req.path == "/v1/messages":
                if body.get("stream"):
                    self._send(req, 200, anthropic_stream(stub, req), "text/event-stream; charset=utf-8")
                else:
                    message, _, _ = anthropic_message(stub, req)
                    self._json(req, 200, message)
            elif req.path == "/v1/chat/completions" and stub.chat_mode:
                self._chat(req, body)
            elif req.path == "/v1/responses" and not stub.chat_mode:
                self._send(req, 200, openai_stream(stub, req), "text/event-stream; charset=utf-8")
            else:
                self._json(req, 404, _error_body(req.path, 404))

    return Handler


def iter_sse(payload: bytes) -> Iterator[tuple[str, dict[str, Any]]]:
    """Parse an SSE payload back into (event, data) pairs (used by the stub's own tests)."""
    for chunk in payload.decode().split("\n\n"):
        if not chunk.strip():
            continue
        event, data = "", ""
        for line in chunk.splitlines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        yield event, json.loads(data)
