"""The shim with a routing router in-process: the routed request reaches the other upstream with its
own key and the target model; the routing record callback gets the response id and usage."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from agentcost.shim.route import Route, Upstream
from agentcost.shim.routing import make_router, parse_rules
from agentcost.shim.server import ShimSettings, build_app
from tests.shim.conftest import parse_sse

RULES = """\
mode = "{mode}"
[upstreams.cheap]
url = "https://cheap.example.com/v1"
api_key_env = "CHEAP_KEY"
[[rules]]
name = "short"
no_tools = true
max_input_tokens = 500
to_model = "tiny"
to_upstream = "cheap"
"""


def _run(mode: str, body: dict[str, Any]) -> tuple[list[httpx.Request], list[Any], list[str], list[Any]]:
    seen: list[httpx.Request] = []

    def provider(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        chunks = [
            {"choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": "stop"}]},
            {"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 2, "total_tokens": 9}},
        ]
        data = b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"
        return httpx.Response(200, content=data, headers={"content-type": "text/event-stream"})

    main = Upstream("https://main.example.com/v1", "main-key-123456", "MAIN_KEY")
    cheap = Upstream("https://cheap.example.com/v1", "cheap-key-654321", "CHEAP_KEY")
    records: list[Any] = []
    logs: list[str] = []

    def on_routed(route: Route, rid: str, usage: Any) -> None:
        records.append((route, rid, usage))

    settings = ShimSettings(
        router=make_router(parse_rules(RULES.format(mode=mode), "r.toml"), main, {"cheap": cheap}),
        upstream_host=main.host,
        log=logs.append,
        transport=httpx.MockTransport(provider),
        on_routed=on_routed,
    )
    with TestClient(build_app(settings)) as client:
        r = client.post("/v1/responses", json=body)
    assert r.status_code == 200
    return seen, parse_sse(r.content), logs, records


SHORT = {
    "model": "big",
    "stream": True,
    "input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}],
}


def test_routed_to_the_named_upstream_with_its_key() -> None:
    seen, events, logs, records = _run("on", SHORT)
    (req,) = seen
    assert str(req.url) == "https://cheap.example.com/v1/chat/completions"
    assert req.headers["authorization"] == "Bearer cheap-key-654321"
    assert json.loads(req.content)["model"] == "tiny"
    done = events[-1][1]["response"]
    ((route, rid, usage),) = records
    assert (route.asked, route.model, rid) == ("big", "tiny", done["id"])
    assert usage["input_tokens"] == 7
    assert "routed from big by rule 'short'" in logs[-1] and "cheap-key" not in "".join(logs)


def test_dry_run_sends_the_asked_model_and_logs() -> None:
    seen, _, logs, records = _run("dry-run", SHORT)
    (req,) = seen
    assert str(req.url).startswith("https://main.example.com/") and json.loads(req.content)["model"] == "big"
    assert "would route to tiny @ cheap.example.com" in logs[-1]
    ((route, _, _),) = records
    assert route.dry_run and route.would_model == "tiny"


def test_unmatched_request_is_not_recorded() -> None:
    body = dict(SHORT, tools=[{"type": "function", "name": "f", "parameters": {"type": "object"}}])
    seen, _, _, records = _run("on", body)
    assert json.loads(seen[0].content)["model"] == "big" and records == []
