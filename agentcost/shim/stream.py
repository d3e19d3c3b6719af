"""Turn Chat Completions output (streamed chunks, or one completion) into Responses API events.

Event shapes are those Codex 0.171.0 parses (codex-rs/codex-api `sse/responses.rs`): it reads the
`type` of each `data:` object and uses `response.created`, `response.output_item.added` /
`.done` (with a full `item`), `response.output_text.delta` (`delta`),
`response.reasoning_text.delta` (`delta`, `content_index`), `response.completed` (`response.id`
and `response.usage` with `input_tokens`, `input_tokens_details.cached_tokens`,
`output_tokens`, `output_tokens_details.reasoning_tokens`, `total_tokens`) and
`response.failed` (`response.error.code` / `.message`; code `rate_limit_exceeded` with "try
again in N s" sets its retry delay). The other events (content parts, `.done` of deltas,
argument deltas) are sent too, as the OpenAI API does, for other clients.

`ResponseTranslator` is a pure state machine: `start()`, `feed(chunk)` per parsed chunk, then
`finish()` (or `fail(...)`), each returning the events to send, in order.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentcost.shim.request import CUSTOM_INPUT, ToolNames

Event = tuple[str, dict[str, Any]]


def map_usage(usage: Any) -> dict[str, Any] | None:
    """Chat usage -> Responses usage, numbers unchanged (so Codex logs the provider's own figures).

    Cached input: `prompt_tokens_details.cached_tokens` (OpenAI style), else DeepSeek's
    `prompt_cache_hit_tokens`, else a top-level `cached_tokens` (Moonshot). Chat `prompt_tokens`
    already include cached ones and `completion_tokens` the reasoning ones, as in Responses.
    """
    if not isinstance(usage, Mapping):
        return None

    def num(v: Any) -> int:
        return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0

    prompt = num(usage.get("prompt_tokens", usage.get("input_tokens")))
    completion = num(usage.get("completion_tokens", usage.get("output_tokens")))
    pdet = usage.get("prompt_tokens_details")
    cached = num(pdet.get("cached_tokens")) if isinstance(pdet, Mapping) else 0
    cached = cached or num(usage.get("prompt_cache_hit_tokens")) or num(usage.get("cached_tokens"))
    cdet = usage.get("completion_tokens_details")
    reasoning = num(cdet.get("reasoning_tokens")) if isinstance(cdet, Mapping) else 0
    total = num(usage.get("total_tokens")) or prompt + completion
    return {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": completion,
        "output_tokens_details": {"reasoning_tokens": reasoning},
        "total_tokens": total,
    }


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


@dataclass
class _Call:
    index: int
    output_index: int
    item_id: str
    call_id: str
    name: str = ""
    arguments: str = ""


@dataclass
class ResponseTranslator:
    """One response: chat chunks in, Responses events out."""

    model: str
    tools: ToolNames = field(default_factory=ToolNames)
    response_id: str = field(default_factory=lambda: _new_id("resp"))
    created_at: int = field(default_factory=lambda: int(time.time()))
    output: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] | None = None
    finish_reason: str | None = None
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    _reasoning: dict[str, Any] | None = None
    _reasoning_index: int = -1
    _text: dict[str, Any] | None = None
    _text_index: int = -1
    _calls: dict[int, _Call] = field(default_factory=dict)
    _started: bool = False
    _done: bool = False

    # -- helpers ---------------------------------------------------------------------------------
    def _ev(self, kind: str, **data: Any) -> Event:
        return kind, {"type": kind, "sequence_number": next(self._seq), **data}

    def _response(self, status: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": self.response_id,
            "object": "response",
            "created_at": self.created_at,
            "model": self.model,
            "status": status,
            "output": list(self.output) if status != "in_progress" else [],
            **extra,
        }

    def _reserve(self) -> int:
        self.output.append({})  # filled when the item is done
        return len(self.output) - 1

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> list[Event]:
        if self._started:
            return []
        self._started = True
        return [
            self._ev("response.created", response=self._response("in_progress")),
            self._ev("response.in_progress", response=self._response("in_progress")),
        ]

    def feed(self, chunk: Mapping[str, Any]) -> list[Event]:
        """One parsed `chat.completion.chunk` (or a whole non-streamed completion's choice)."""
        events = self.start()
        if isinstance(chunk.get("usage"), Mapping):
            self.usage = map_usage(chunk["usage"])
        choices = chunk.get("choices")
        if not isinstance(choices, list):
            return events
        for choice in choices:
            if not isinstance(choice, Mapping) or choice.get("index", 0) not in (0, None):
                continue  # n > 1 is never asked for; ignore other choices
            raw_delta = choice.get("delta")
            if not isinstance(raw_delta, Mapping):
                raw_delta = choice.get("message")
            delta: Mapping[str, Any] = raw_delta if isinstance(raw_delta, Mapping) else {}
            reasoning = delta.get("reasoning_content") or delta.get("reasoning")
            if isinstance(reasoning, str) and reasoning:
                events += self._reasoning_delta(reasoning)
            content = delta.get("content")
            if isinstance(content, str) and content:
                events += self._text_delta(content)
            calls = delta.get("tool_calls")
            if isinstance(calls, list):
                for pos, call in enumerate(calls):
                    if isinstance(call, Mapping):
                        events += self._call_delta(call, pos)
            if isinstance(choice.get("finish_reason"), str):
                self.finish_reason = choice["finish_reason"]
        return events

    def _reasoning_delta(self, text: str) -> list[Event]:
        events: list[Event] = []
        if self._reasoning is None:
            events += self._close_text()
            self._reasoning_index = self._reserve()
            self._reasoning = {"type": "reasoning", "id": _new_id("rs"), "summary": [], "text": ""}
            added = {"type": "reasoning", "id": self._reasoning["id"], "summary": [], "content": []}
            events.append(
                self._ev("response.output_item.added", output_index=self._reasoning_index, item=added)
            )
        self._reasoning["text"] += text
        events.append(
            self._ev(
                "response.reasoning_text.delta",
                item_id=self._reasoning["id"],
                output_index=self._reasoning_index,
                content_index=0,
                delta=text,
            )
        )
        return events

    def _close_reasoning(self) -> list[Event]:
        if self._reasoning is None:
            return []
        r, i = self._reasoning, self._reasoning_index
        self._reasoning = None
        item = {
            "type": "reasoning",
            "id": r["id"],
            "summary": [],
            "content": [{"type": "reasoning_text", "text": r["text"]}],
        }
        self.output[i] = item
        return [
            self._ev(
                "response.reasoning_text.done",
                item_id=r["id"],
                output_index=i,
                content_index=0,
                text=r["text"],
            ),
            self._ev("response.output_item.done", output_index=i, item=item),
        ]

    def _text_delta(self, text: str) -> list[Event]:
        events: list[Event] = []
        if self._text is None:
            events += self._close_reasoning()
            self._text_index = self._reserve()
            self._text = {"id": _new_id("msg"), "text": ""}
            item = {"type": "message", "id": self._text["id"], "status": "in_progress", "role": "assistant"}
            events.append(
                self._ev(
                    "response.output_item.added", output_index=self._text_index, item={**item, "content": []}
                )
            )
            events.append(
                self._ev(
                    "response.content_part.added",
                    item_id=self._text["id"],
                    output_index=self._text_index,
                    content_index=0,
                    part={"type": "output_text", "text": "", "annotations": []},
                )
            )
        self._text["text"] += text
        events.append(
            self._ev(
                "response.output_text.delta",
                item_id=self._text["id"],
                output_index=self._text_index,
                content_index=0,
                delta=text,
            )
        )
        return events

    def _close_text(self) -> list[Event]:
        if self._text is None:
            return []
        t, i = self._text, self._text_index
        self._text = None
        part = {"type": "output_text", "text": t["text"], "annotations": []}
        item = {
            "type": "message",
            "id": t["id"],
            "status": "completed",
            "role": "assistant",
            "content": [part],
        }
        self.output[i] = item
        common = {"item_id": t["id"], "output_index": i, "content_index": 0}
        return [
            self._ev("response.output_text.done", **common, text=t["text"]),
            self._ev("response.content_part.done", **common, part=part),
            self._ev("response.output_item.done", output_index=i, item=item),
        ]

    def _call_delta(self, delta: Mapping[str, Any], pos: int) -> list[Event]:
        raw_index = delta.get("index")
        index = raw_index if isinstance(raw_index, int) else pos
        raw_fn = delta.get("function")
        fn: Mapping[str, Any] = raw_fn if isinstance(raw_fn, Mapping) else {}
        events: list[Event] = []
        call = self._calls.get(index)
        if call is None:
            events += self._close_reasoning()
            events += self._close_text()
            call_id = delta.get("id") if isinstance(delta.get("id"), str) and delta.get("id") else None
            call = _Call(index, self._reserve(), _new_id("fc"), call_id or f"call_{_new_id('shim')}")
            self._calls[index] = call
            call.name = str(fn.get("name") or "")
            events.append(
                self._ev(
                    "response.output_item.added", output_index=call.output_index, item=self._call_item(call)
                )
            )
        else:
            if isinstance(delta.get("id"), str) and delta["id"] and call.call_id.startswith("call_shim_"):
                call.call_id = delta["id"]
            if isinstance(fn.get("name"), str) and fn["name"] and fn["name"] != call.name:
                call.name += fn["name"]  # some providers split the name over chunks
        args = fn.get("arguments")
        if isinstance(args, Mapping):  # a few providers send parsed arguments
            args = json.dumps(args)
        if isinstance(args, str) and args:
            call.arguments += args
            events.append(
                self._ev(
                    "response.function_call_arguments.delta",
                    item_id=call.item_id,
                    output_index=call.output_index,
                    delta=args,
                )
            )
        return events

    def _call_item(self, call: _Call, done: bool = False) -> dict[str, Any]:
        target = self.tools.target(call.name)
        status = "completed" if done else "in_progress"
        if target.kind == "custom":
            value = ""
            try:
                parsed = json.loads(call.arguments) if call.arguments else {}
                value = str(parsed.get(CUSTOM_INPUT, "")) if isinstance(parsed, dict) else str(parsed)
            except ValueError:
                value = call.arguments
            return {
                "type": "custom_tool_call",
                "id": call.item_id,
                "status": status,
                "call_id": call.call_id,
                "name": target.name,
                "input": value,
            }
        item: dict[str, Any] = {
            "type": "function_call",
            "id": call.item_id,
            "status": status,
            "call_id": call.call_id,
            "name": target.name,
            "arguments": call.arguments or ("{}" if done else ""),
        }
        if target.namespace:
            item["namespace"] = target.namespace
        return item

    def _close_calls(self) -> list[Event]:
        events: list[Event] = []
        for index in sorted(self._calls):
            call = self._calls[index]
            item = self._call_item(call, done=True)
            self.output[call.output_index] = item
            if item["type"] == "function_call":
                events.append(
                    self._ev(
                        "response.function_call_arguments.done",
                        item_id=call.item_id,
                        output_index=call.output_index,
                        arguments=item["arguments"],
                    )
                )
            events.append(self._ev("response.output_item.done", output_index=call.output_index, item=item))
        self._calls.clear()
        return events

    def finish(self) -> list[Event]:
        """The upstream answer ended normally: close open items, then `response.completed`."""
        if self._done:
            return []
        events = self.start()
        events += self._close_reasoning() + self._close_text() + self._close_calls()
        self.output = [o for o in self.output if o]
        self._done = True
        extra: dict[str, Any] = {"usage": self.usage}
        if self.finish_reason == "length":
            # Still `response.completed`: Codex 0.171.0 ignores `response.incomplete` and would then
            # report "stream closed before response.completed" and retry the whole request.
            extra["incomplete_details"] = {"reason": "max_output_tokens"}
            return [*events, self._ev("response.completed", response=self._response("incomplete", **extra))]
        return [*events, self._ev("response.completed", response=self._response("completed", **extra))]

    def fail(self, code: str, message: str) -> list[Event]:
        """The upstream failed (before or during the answer): `response.failed` with its message."""
        if self._done:
            return []
        self._done = True
        events = self.start()
        error = {"code": code, "message": message}
        return [
            *events,
            self._ev("response.failed", response=self._response("failed", error=error, usage=None)),
        ]

    def response_object(self) -> dict[str, Any]:
        """The whole Responses object (for non-streamed requests), after `finish()`."""
        status = "incomplete" if self.finish_reason == "length" else "completed"
        return self._response(status, usage=self.usage)


def translate_completion(completion: Mapping[str, Any], model: str, tools: ToolNames) -> dict[str, Any]:
    """A non-streamed chat completion -> a Responses object."""
    t = ResponseTranslator(model=model, tools=tools)
    feed_completion(t, completion)
    t.finish()
    return t.response_object()


def feed_completion(t: ResponseTranslator, completion: Mapping[str, Any]) -> list[Event]:
    """Feed a whole chat completion (a `message` per choice) to `t`: the events, without the end."""
    events: list[Event] = []
    choices = completion.get("choices")
    if isinstance(choices, list):
        for choice in choices:
            if not isinstance(choice, Mapping):
                continue
            message = choice.get("message")
            message = dict(message) if isinstance(message, Mapping) else {}
            calls = message.get("tool_calls")
            if isinstance(calls, list):
                message["tool_calls"] = [
                    dict(c, index=i) for i, c in enumerate(calls) if isinstance(c, Mapping)
                ]
            delta = {"index": 0, "delta": message, "finish_reason": choice.get("finish_reason")}
            events += t.feed({"choices": [delta]})
    events += t.feed({"usage": completion.get("usage")})
    return events


def sse_bytes(event: Event) -> bytes:
    """One event in SSE framing (`event:` line + one `data:` line)."""
    name, data = event
    return f"event: {name}\ndata: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}\n\n".encode()
