"""Chat chunks -> Responses events: what Codex 0.171.0 reads (codex-api sse/responses.rs)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from agentcost.shim.request import ToolNames, ToolTarget
from agentcost.shim.sse import SSEDecoder
from agentcost.shim.stream import ResponseTranslator, map_usage, sse_bytes, translate_completion
from tests.shim.conftest import FIXTURES, parse_sse


def _run(chunks: list[dict[str, Any]], tools: ToolNames | None = None) -> list[tuple[str, dict[str, Any]]]:
    t = ResponseTranslator(model="m", tools=tools or ToolNames())
    events = t.start()
    for c in chunks:
        events += t.feed(c)
    events += t.finish()
    return parse_sse(b"".join(sse_bytes(e) for e in events))


def _delta(**d: Any) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": d, "finish_reason": None}]}


def test_deepseek_stream_reasoning_text_usage() -> None:
    dec = SSEDecoder()
    raw = (FIXTURES / "deepseek_stream.txt").read_bytes()
    datas = [d for i in range(0, len(raw), 7) for d in dec.feed(raw[i : i + 7])]  # awkward chunking
    assert datas[-1] == "[DONE]"
    events = _run([json.loads(d) for d in datas[:-1]])
    kinds = [k for k, _ in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert [e["delta"] for k, e in events if k == "response.reasoning_text.delta"] == [
        "The user ",
        "greets me.",
    ]
    assert [e["delta"] for k, e in events if k == "response.output_text.delta"] == ["Hel", "lo!"]
    done = [e["item"] for k, e in events if k == "response.output_item.done"]
    assert done[0] == {
        "type": "reasoning",
        "id": done[0]["id"],
        "summary": [],
        "content": [{"type": "reasoning_text", "text": "The user greets me."}],
    }
    assert done[1]["content"][0]["text"] == "Hello!" and done[1]["role"] == "assistant"
    kind, completed = events[-1]
    assert kind == "response.completed" == completed["type"]
    assert completed["response"]["usage"] == {
        "input_tokens": 1200,
        "input_tokens_details": {"cached_tokens": 1024},
        "output_tokens": 48,
        "output_tokens_details": {"reasoning_tokens": 31},
        "total_tokens": 1248,
    }
    assert [o["type"] for o in completed["response"]["output"]] == ["reasoning", "message"]
    seq = [e["sequence_number"] for _, e in events]
    assert seq == list(range(len(seq)))


def test_parallel_tool_calls_interleaved_by_index() -> None:
    chunks = [
        _delta(role="assistant", content=""),
        _delta(
            tool_calls=[
                {
                    "index": 0,
                    "id": "call_a",
                    "type": "function",
                    "function": {"name": "exec_command", "arguments": ""},
                }
            ]
        ),
        _delta(
            tool_calls=[
                {
                    "index": 1,
                    "id": "call_b",
                    "type": "function",
                    "function": {"name": "mcp__dirty__lookup", "arguments": '{"wo'},
                }
            ]
        ),
        _delta(tool_calls=[{"index": 0, "function": {"arguments": '{"cmd":'}}]),
        _delta(tool_calls=[{"index": 1, "function": {"arguments": 'rd":"x"}'}}]),
        _delta(tool_calls=[{"index": 0, "function": {"arguments": '"ls"}'}}]),
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]},
        {"choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}},
    ]
    tools = ToolNames({"mcp__dirty__lookup": ToolTarget("function", "lookup", "mcp__dirty")})
    events = _run(chunks, tools)
    done = [e["item"] for k, e in events if k == "response.output_item.done"]
    assert [(d["call_id"], d["name"], d["arguments"], d.get("namespace")) for d in done] == [
        ("call_a", "exec_command", '{"cmd":"ls"}', None),
        ("call_b", "lookup", '{"word":"x"}', "mcp__dirty"),
    ]
    by_item: dict[str, str] = {}
    for k, e in events:
        if k == "response.function_call_arguments.delta":
            by_item[e["item_id"]] = by_item.get(e["item_id"], "") + e["delta"]
    assert sorted(by_item.values()) == ['{"cmd":"ls"}', '{"word":"x"}']
    usage = events[-1][1]["response"]["usage"]
    assert usage["input_tokens_details"] == {"cached_tokens": 0} and usage["total_tokens"] == 15


def test_text_then_call_then_length_cut() -> None:
    chunks = [
        _delta(content="Let me look."),
        _delta(
            tool_calls=[
                {
                    "index": 0,
                    "id": "c1",
                    "function": {"name": "apply_patch", "arguments": '{"input": "*** Begin'},
                }
            ]
        ),
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]},
    ]
    events = _run(chunks, ToolNames({"apply_patch": ToolTarget("custom", "apply_patch")}))
    done = [e["item"] for k, e in events if k == "response.output_item.done"]
    assert done[0]["type"] == "message"
    # invalid JSON (cut by the length limit): the raw text is passed on as the freeform input
    assert done[1]["type"] == "custom_tool_call" and done[1]["input"] == '{"input": "*** Begin'
    kind, last = events[-1]
    assert kind == "response.completed"  # not response.incomplete: Codex would retry the request
    assert last["response"]["status"] == "incomplete" and last["response"]["usage"] is None


def test_fail_and_finish_are_final() -> None:
    t = ResponseTranslator(model="m")
    events = t.fail("rate_limit_exceeded", "slow down")
    assert [k for k, _ in events] == ["response.created", "response.in_progress", "response.failed"]
    assert events[-1][1]["response"]["error"] == {"code": "rate_limit_exceeded", "message": "slow down"}
    assert t.finish() == [] and t.fail("x", "y") == []


def test_non_streamed_completion() -> None:
    completion = {
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "hi",
                    "reasoning_content": "think",
                    "tool_calls": [
                        {"id": "c9", "type": "function", "function": {"name": "f", "arguments": "{}"}}
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2, "prompt_cache_hit_tokens": 1},
    }
    out = translate_completion(completion, "m", ToolNames())
    assert out["object"] == "response" and out["status"] == "completed"
    assert [o["type"] for o in out["output"]] == ["reasoning", "message", "function_call"]
    assert out["usage"]["input_tokens_details"]["cached_tokens"] == 1 and out["usage"]["total_tokens"] == 5


def test_usage_variants() -> None:
    assert map_usage(None) is None
    assert map_usage(
        {"prompt_tokens": 9, "completion_tokens": 4, "cached_tokens": 2, "total_tokens": 13}
    ) == {
        "input_tokens": 9,
        "input_tokens_details": {"cached_tokens": 2},
        "output_tokens": 4,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 13,
    }


@given(st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=8), st.integers(1, 9))
def test_sse_decoder_any_chunking(pieces: list[str], step: int) -> None:
    payload = "".join(
        f"data: {json.dumps(p)}\r\n\r\n" if i % 2 else f": ping\ndata: {json.dumps(p)}\n\n"
        for i, p in enumerate(pieces)
    ).encode()
    dec = SSEDecoder()
    got = [d for i in range(0, len(payload), step) for d in dec.feed(payload[i : i + step])] + dec.close()
    assert [json.loads(d) for d in got] == pieces


def _final(raw: bytes, cuts: list[int]) -> list[dict[str, Any]]:
    dec = SSEDecoder()
    t = ResponseTranslator(model="m")
    bounds = [0, *sorted(c % (len(raw) + 1) for c in cuts), len(raw)]
    for a, b in itertools.pairwise(bounds):
        for data in dec.feed(raw[a:b]):
            if data != "[DONE]":
                t.feed(json.loads(data))
    for data in dec.close():
        if data != "[DONE]":
            t.feed(json.loads(data))
    events = t.finish()
    out = events[-1][1]["response"]["output"]
    return [{k: v for k, v in item.items() if k not in ("id",)} for item in out]


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_any_network_chunking_gives_the_same_response(cuts: list[int]) -> None:
    """Where TCP happens to cut the provider's stream never changes what Codex receives."""
    raw = (FIXTURES / "deepseek_stream.txt").read_bytes()
    assert _final(raw, cuts) == _final(raw, [])
