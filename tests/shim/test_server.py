"""The shim app in-process: starlette's TestClient in front, an httpx MockTransport as the provider."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2 for its test client; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from agentcost.shim.route import Upstream, single_upstream
from agentcost.shim.server import ShimSettings, build_app
from tests.shim.conftest import parse_sse, recorded

KEY = "shimtest-upstream-key-7f3a9c0d"  # no well-known key shape: masked because registered
Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, logs: list[str], **kw: Any) -> TestClient:
    up = Upstream(root="https://llm.example.com/v1", api_key=KEY, api_key_env="EX_KEY")
    settings = ShimSettings(
        router=single_upstream(up),
        upstream_host=up.host,
        log=logs.append,
        transport=httpx.MockTransport(handler),
        **kw,
    )
    return TestClient(build_app(settings))


def _chat_stream(*chunks: dict[str, Any]) -> bytes:
    return b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"


def test_streamed_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def provider(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = _chat_stream(
            {"choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": "stop"}]},
            {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}},
        )
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    logs: list[str] = []
    with _client(provider, logs) as client:
        r = client.post("/v1/responses", json=recorded("codex_first_request.json"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(r.content)
    assert events[-1][0] == "response.completed"
    assert events[-1][1]["response"]["usage"]["input_tokens"] == 5
    (req,) = seen
    assert str(req.url) == "https://llm.example.com/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(req.content)["messages"][-1] == {"role": "user", "content": "say hi"}
    assert logs and all(KEY not in line for line in logs)


def test_non_streamed_and_models_and_health() -> None:
    def provider(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json={"object": "list", "data": [{"id": "m1"}]})
        completion = {"choices": [{"index": 0, "message": {"content": "pong"}, "finish_reason": "stop"}]}
        return httpx.Response(200, json=completion)

    with _client(provider, []) as client:
        r = client.post("/v1/responses", json={"model": "m", "input": "ping", "stream": False})
        assert r.status_code == 200
        assert r.json()["output"][0]["content"][0]["text"] == "pong"
        assert client.get("/v1/models").json()["data"] == [{"id": "m1"}]
        health = client.get("/v1/agentcost-shim").json()
        assert health["upstream"] == "llm.example.com" and health["api"] == "chat/completions"


def test_client_error_keeps_status_and_provider_message() -> None:
    def provider(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": {"message": f"bad tool schema (key {KEY})"}})

    logs: list[str] = []
    with _client(provider, logs) as client:
        r = client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True})
    assert r.status_code == 400
    msg = r.json()["error"]["message"]
    assert "llm.example.com" in msg and "answered 400" in msg and "bad tool schema" in msg
    assert KEY not in r.text and "(key shimtest-…9c0d)" in msg
    assert all(KEY not in line for line in logs)


@pytest.mark.parametrize(("status", "code"), [(429, "rate_limit_exceeded"), (503, "server_error")])
def test_retryable_errors_become_response_failed(status: int, code: str) -> None:
    """Codex replaces 429/5xx statuses by canned text; a response.failed keeps the provider's words."""

    def provider(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"message": "busy"}}, headers={"retry-after": "7"})

    with _client(provider, []) as client:
        r = client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True})
    assert r.status_code == 200
    kind, data = parse_sse(r.content)[-1]
    assert kind == "response.failed"
    assert data["response"]["error"]["code"] == code
    assert "busy" in data["response"]["error"]["message"]
    assert ("try again in 7s" in data["response"]["error"]["message"]) is (status == 429)


def test_provider_down() -> None:
    def provider(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with _client(provider, []) as client:
        r = client.post("/v1/responses", json={"model": "m", "input": "x", "stream": False})
        assert r.status_code == 502
        assert "cannot reach the provider (llm.example.com)" in r.json()["error"]["message"]
        s = client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True})
        assert parse_sse(s.content)[-1][1]["response"]["error"]["code"] == "upstream_unreachable"


def test_stream_breaking_off_midway() -> None:
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            yield b'data: {"choices":[{"index":0,"delta":{"content":"par"}}]}\n\n'
            raise httpx.ReadError("connection reset")

    def provider(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Broken(), headers={"content-type": "text/event-stream"})

    with _client(provider, []) as client:
        r = client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True})
    events = parse_sse(r.content)
    assert [k for k, _ in events if k == "response.output_text.delta"]
    assert events[-1][0] == "response.failed"
    assert "broke off" in events[-1][1]["response"]["error"]["message"]


def test_bad_requests() -> None:
    def provider(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not be called")

    with _client(provider, [], max_request_bytes=1000) as client:
        big = client.post("/v1/responses", json={"model": "m", "input": "x" * 2000})
        assert big.status_code == 413 and "larger than" in big.json()["error"]["message"]
        bad = client.post("/v1/responses", content=b"{not json", headers={"content-type": "application/json"})
        assert bad.status_code == 400 and "cannot translate" in bad.json()["error"]["message"]
        assert client.post("/v1/responses", json={"input": "x"}).status_code == 400
        assert client.get("/v1/responses").status_code == 405


def test_stream_request_answered_with_one_json_object() -> None:
    """Some providers ignore `stream: true` and answer one completion, or a 200 holding an error."""
    answers = [
        httpx.Response(200, json={"choices": [{"index": 0, "message": {"content": "whole"}}], "usage": None}),
        httpx.Response(200, json={"error": {"message": "model overloaded"}}),
    ]

    def provider(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    with _client(provider, []) as client:
        ok = parse_sse(
            client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True}).content
        )
        assert [e["delta"] for k, e in ok if k == "response.output_text.delta"] == ["whole"]
        assert ok[-1][0] == "response.completed"
        bad = parse_sse(
            client.post("/v1/responses", json={"model": "m", "input": "x", "stream": True}).content
        )
        assert bad[-1][0] == "response.failed"
        assert "model overloaded" in bad[-1][1]["response"]["error"]["message"]
