"""The stub provider's Chat-Completions-only mode (`StubProvider.chat_only()`).

Like a provider that never implemented the Responses API: `POST /v1/responses` is a 404, and
`POST /v1/chat/completions` answers streamed (SSE chunks, `data: [DONE]`) or as one JSON object.
Replies are scripted per request (`ChatTurn`): text, tool calls (several = parallel calls, their
deltas interleaved by index as real providers do), `reasoning_content`, or an HTTP error. With
`strict_schemas` the stub refuses, as strict providers do, a request whose tool schemas contain
what `agentcost shim` must repair (type null, objects without properties, keywords outside the
common subset) or a `developer` message.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

# The first chat response reports this; the n-th reports every field + n (see stub_provider.py).
CHAT_USAGE = {"input_tokens": 307, "cached_tokens": 41, "output_tokens": 59, "reasoning_tokens": 11}
REJECTED_KEYWORDS = frozenset({"$schema", "const", "examples", "if", "then", "else", "patternProperties"})


@dataclass
class ChatTurn:
    """One scripted chat answer."""

    text: str | None = None
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    reasoning: str | None = None
    status: int | None = None  # an HTTP error instead of an answer
    error_message: str = "stub error"
    retry_after: str | None = None


def schema_problems(node: Any, where: str = "parameters") -> list[str]:
    """What a strict validator objects to in a JSON schema."""
    out: list[str] = []
    if isinstance(node, dict):
        t = node.get("type")
        if t == "null" or isinstance(t, list):
            out.append(f"{where}: unsupported type {t!r}")
        if t == "object" and not isinstance(node.get("properties"), dict):
            out.append(f"{where}: object without properties")
        out += [f"{where}: unsupported keyword {k}" for k in node if k in REJECTED_KEYWORDS]
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                for name, sub in v.items():
                    out += schema_problems(sub, f"{where}.{name}")
            elif isinstance(v, (dict, list)) and k not in ("enum", "required"):
                out += schema_problems(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += schema_problems(sub, f"{where}[{i}]")
    return out


def request_problems(body: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for tool in body.get("tools") or []:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(fn, dict):
            out.append("tool without a function object")
            continue
        out += schema_problems(fn.get("parameters"), f"tool {fn.get('name')}")
    for msg in body.get("messages") or []:
        if isinstance(msg, dict) and msg.get("role") not in ("system", "user", "assistant", "tool"):
            out.append(f"unsupported role {msg.get('role')!r}")
    return out


def _chunk(cid: str, model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def chat_usage(u: dict[str, int]) -> dict[str, Any]:
    return {
        "prompt_tokens": u["input_tokens"],
        "completion_tokens": u["output_tokens"],
        "total_tokens": u["input_tokens"] + u["output_tokens"],
        "prompt_tokens_details": {"cached_tokens": u["cached_tokens"]},
        "completion_tokens_details": {"reasoning_tokens": u["reasoning_tokens"]},
    }


def _halves(s: str) -> list[str]:
    mid = max(1, len(s) // 2)
    return [p for p in (s[:mid], s[mid:]) if p]


def chat_stream(
    cid: str, model: str, turn: ChatTurn, calls: list[dict[str, Any]], usage: dict[str, int]
) -> bytes:
    chunks = [_chunk(cid, model, {"role": "assistant", "content": ""})]
    if turn.reasoning:
        chunks += [_chunk(cid, model, {"reasoning_content": p}) for p in _halves(turn.reasoning)]
    if turn.text:
        chunks += [_chunk(cid, model, {"content": p}) for p in _halves(turn.text)]
    # Tool calls: each opens with id + name, then its arguments in two pieces, interleaved by index.
    chunks += [
        _chunk(
            cid,
            model,
            {
                "tool_calls": [
                    {
                        "index": i,
                        "id": c["id"],
                        "type": "function",
                        "function": {"name": c["function"]["name"], "arguments": ""},
                    }
                ]
            },
        )
        for i, c in enumerate(calls)
    ]
    pieces = [_halves(c["function"]["arguments"]) for c in calls]
    for part in range(2):
        for i, p in enumerate(pieces):
            if part < len(p):
                chunks.append(
                    _chunk(cid, model, {"tool_calls": [{"index": i, "function": {"arguments": p[part]}}]})
                )
    chunks.append(_chunk(cid, model, {}, "tool_calls" if calls else "stop"))
    final = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [],
    }
    final["usage"] = chat_usage(usage)
    chunks.append(final)
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return body.encode()


def chat_completion(
    cid: str, model: str, turn: ChatTurn, calls: list[dict[str, Any]], usage: dict[str, int]
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or ("" if calls else None)}
    if turn.reasoning:
        message["reasoning_content"] = turn.reasoning
    if calls:
        message["tool_calls"] = calls
    return {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
        "usage": chat_usage(usage),
    }


def error_body(status: int, message: str) -> dict[str, Any]:
    kind = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error"}.get(
        status, "server_error"
    )
    return {"error": {"message": message, "type": kind, "code": None}}
