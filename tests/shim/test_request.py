"""Responses -> Chat request translation, from request bodies Codex 0.171.0 really sent."""

from __future__ import annotations

import json

import pytest

from agentcost.shim.request import RequestError, ToolTarget, translate_request
from tests.shim.conftest import recorded


def test_first_request_of_a_turn() -> None:
    body = recorded("codex_first_request.json")
    chat = translate_request(body)
    msgs = chat.body["messages"]
    # Codex's developer messages become ONE leading system message (strict providers want that)
    assert [m["role"] for m in msgs] == ["system", "user", "user"]
    assert msgs[0]["content"].startswith("You are a coding agent running in the Codex CLI")
    assert msgs[-1] == {"role": "user", "content": "say hi"}
    assert chat.body["stream"] is True
    assert chat.body["stream_options"] == {"include_usage": True}
    assert chat.body["tool_choice"] == "auto"
    assert chat.body["parallel_tool_calls"] is True
    names = [t["function"]["name"] for t in chat.body["tools"]]
    assert "exec_command" in names and "multi_agent_v1__spawn_agent" in names
    assert chat.dropped_tools == ["web_search"]  # a hosted tool a chat API cannot run
    assert chat.tools.target("multi_agent_v1__spawn_agent") == ToolTarget(
        "function", "spawn_agent", "multi_agent_v1"
    )
    for key in ("store", "include", "prompt_cache_key", "reasoning", "input", "client_metadata"):
        assert key not in chat.body  # Responses-only fields do not reach the chat provider
    assert all(t["type"] == "function" and "strict" not in t["function"] for t in chat.body["tools"])


def test_reasoning_and_tool_result_round_trip() -> None:
    """After a tool call: the reasoning goes back as reasoning_content on the assistant message that
    carries the call (DeepSeek's thinking mode requires it), the output as a tool message."""
    chat = translate_request(recorded("codex_tool_result_request.json"))
    assistant, tool = chat.body["messages"][-2:]
    assert assistant == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_stub_000001",
                "type": "function",
                "function": {"name": "exec_command", "arguments": '{"cmd": "echo hi-from-tool"}'},
            }
        ],
        "reasoning_content": "I should list.",
    }
    assert tool["role"] == "tool" and tool["tool_call_id"] == "call_stub_000001"
    assert tool["content"].endswith("hi-from-tool\n")


def test_parallel_calls_fold_into_one_assistant_message() -> None:
    chat = translate_request(recorded("codex_parallel_result_request.json"))
    msgs = chat.body["messages"]
    assistant = msgs[-3]
    assert [c["function"]["arguments"] for c in assistant["tool_calls"]] == [
        '{"cmd": "echo one"}',
        '{"cmd": "echo two"}',
    ]
    assert [m["role"] for m in msgs[-2:]] == ["tool", "tool"]
    assert [m["tool_call_id"] for m in msgs[-2:]] == [c["id"] for c in assistant["tool_calls"]]


def test_namespaced_mcp_call_gets_its_chat_name_back() -> None:
    chat = translate_request(recorded("codex_mcp_result_request.json"))
    call = chat.body["messages"][-2]["tool_calls"][0]
    assert call["function"]["name"] == "mcp__dirty__lookup"
    tool = next(t for t in chat.body["tools"] if t["function"]["name"] == "mcp__dirty__lookup")
    assert tool["function"]["parameters"]["required"] == ["word"]  # repaired on the way


def test_options_and_model_override() -> None:
    body = {
        "model": "asked",
        "instructions": "be brief",
        "input": "hi",
        "max_output_tokens": 64,
        "reasoning": {"effort": "xhigh", "summary": "auto"},
        "temperature": 0.2,
        "stream": False,
        "tools": [
            {"type": "function", "name": "f", "parameters": {"type": "object"}},
            {
                "type": "custom",
                "name": "apply_patch",
                "format": {"type": "grammar", "syntax": "lark", "definition": "start: x"},
            },
        ],
        "tool_choice": {"type": "function", "name": "f"},
        "text": {"format": {"type": "json_schema", "name": "out", "schema": {"type": "object"}}},
    }
    chat = translate_request(body, model="routed")
    b = chat.body
    assert b["model"] == "routed" and chat.model == "routed"
    assert b["messages"] == [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"}]
    assert b["max_tokens"] == 64 and b["reasoning_effort"] == "high" and b["temperature"] == 0.2
    assert "stream_options" not in b and b["stream"] is False
    assert b["tool_choice"] == {"type": "function", "function": {"name": "f"}}
    assert "parallel_tool_calls" not in b
    patch = b["tools"][1]["function"]
    assert patch["parameters"]["required"] == ["input"] and "start: x" in json.dumps(patch)
    assert chat.tools.target("apply_patch").kind == "custom"
    assert b["response_format"]["json_schema"]["name"] == "out"


def test_custom_tool_call_and_images() -> None:
    body = {
        "model": "m",
        "input": [
            {
                "type": "message",
                "role": "user",
                "content": [
                    {"type": "input_text", "text": "look"},
                    {"type": "input_image", "image_url": "data:image/png;base64,AAAA"},
                ],
            },
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "patching"}],
            },
            {"type": "custom_tool_call", "call_id": "c1", "name": "apply_patch", "input": "*** Begin Patch"},
            {"type": "custom_tool_call_output", "call_id": "c1", "output": "ok"},
            {
                "type": "function_call_output",
                "call_id": "c2",
                "output": [{"type": "input_text", "text": "a"}, {"type": "input_image", "image_url": "x"}],
            },
        ],
    }
    msgs = translate_request(body).body["messages"]
    assert msgs[0]["content"][1] == {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    assert msgs[1]["content"] == "patching"  # text then a call: one assistant message
    assert msgs[1]["tool_calls"][0]["function"] == {
        "name": "apply_patch",
        "arguments": '{"input": "*** Begin Patch"}',
    }
    assert msgs[2] == {"role": "tool", "tool_call_id": "c1", "content": "ok"}
    assert msgs[3]["content"].startswith("a\n[image omitted")


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"input": "hi"},
        {"model": "m"},
        {"model": "m", "input": 3},
        {"model": "m", "input": [{"type": "message", "role": "robot"}]},
    ],
)
def test_malformed_requests_are_refused(body: object) -> None:
    with pytest.raises(RequestError):
        translate_request(body)
