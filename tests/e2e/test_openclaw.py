"""The real OpenClaw (pinned, tests/e2e/openclaw/) reads what `agentcost setup openclaw` wrote.

One `openclaw agent --local` turn per test against the loopback stub (60-85 s each on 2 busy cores):
agentcost's configuration makes it answer, in each api the stub serves; the base-URL mistake that
doctor names fails in the real client too; its usage lands in `agentcost usage`. Nothing may leave
127.0.0.1 (the proxy guard of conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.harness import Run, World
from tests.e2e.openclaw_client import TURN_TIMEOUT, OpenClaw, ensure_openclaw
from tests.e2e.stub_provider import StubProvider

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

KEY = "sk-openclaw-e2e-key-0123456789"


@pytest.fixture(scope="session")
def openclaw() -> OpenClaw:
    return ensure_openclaw()


def turn(world: World, oc: OpenClaw, *, key: str | None = KEY) -> Run:
    extra = {"PATH": oc.path_env()}
    if key:
        extra["STUB_KEY"] = key
    return world._run([str(oc.binary), "agent", "--local", "--message", "Say hi"], None, extra, TURN_TIMEOUT)


def setup(world: World, stub: StubProvider, api: str, base: str) -> None:
    r = world.agentcost(
        "setup",
        "openclaw",
        "--provider",
        "custom",
        "--api",
        api,
        "--base-url",
        base,
        "--api-key-env",
        "STUB_KEY",
        "--model",
        "stub-model",
        "--yes",
        "--json",
        extra={"STUB_KEY": KEY},
    )
    assert r.returncode == 0, r.explain()


def config(world: World) -> Path:
    return world.home / ".openclaw" / "openclaw.json"


def test_anthropic_messages_answers_and_usage_is_read(
    world: World, openclaw: OpenClaw, provider: StubProvider
) -> None:
    # /v1 given: agentcost writes the host root (OpenClaw would strip a trailing /v1 too)
    setup(world, provider, "anthropic-messages", provider.url + "/v1")
    r = turn(world, openclaw)
    assert r.returncode == 0, r.explain()
    assert provider.reply_text in r.stdout
    reqs = provider.api_requests()
    assert reqs and all(q.path == "/v1/messages" for q in reqs), provider.describe()
    assert all(q.header_equals("x-api-key", KEY) and q.header("authorization") is None for q in reqs)
    assert {q.model for q in reqs} == {"stub-model"}
    # usage: OpenClaw's own SQLite transcript, read by agentcost
    u = world.agentcost("usage", "--agent", "openclaw", "--since", "2000-01-01", "--json")
    assert u.returncode == 0, u.explain()
    totals = json.loads(u.stdout)["totals"]
    sent = [q.usage or {} for q in reqs]  # what the stub reported, response by response
    assert totals["requests"] == len(reqs)
    assert totals["tokens"]["input"] == sum(x["input_tokens"] for x in sent)
    assert totals["tokens"]["cache_read"] == sum(x["cache_read_input_tokens"] for x in sent)
    assert totals["tokens"]["cache_write"] == sum(x["cache_creation_input_tokens"] for x in sent)
    assert totals["tokens"]["output"] == sum(x["output_tokens"] for x in sent)
    assert totals["cost_usd"] is None and totals["unpriced_tokens"] > 0  # the stub's model: never $0
    d = world.agentcost("doctor", "openclaw", "--json", extra={"STUB_KEY": KEY})
    assert d.returncode == 0, d.explain()


def test_openai_responses_answers_and_a_bare_host_fails_in_both(
    world: World, openclaw: OpenClaw, provider: StubProvider
) -> None:
    setup(world, provider, "openai-responses", provider.url)  # bare host: agentcost adds /v1
    r = turn(world, openclaw)
    assert r.returncode == 0, r.explain()
    assert provider.reply_text in r.stdout
    reqs = provider.api_requests()
    assert reqs and all(q.path == "/v1/responses" for q in reqs), provider.describe()
    assert all(q.header_equals("authorization", f"Bearer {KEY}") for q in reqs)
    # the mistake doctor names: the same provider written by hand without /v1
    path = config(world)
    path.write_text(path.read_text().replace(f'"{provider.url}/v1"', f'"{provider.url}"'))
    provider.reset()
    bad = turn(world, openclaw)
    assert bad.returncode != 0, bad.explain()
    assert [q.path for q in provider.api_requests()] == ["/responses"]
    assert "not found" in bad.output.lower()
    d = world.agentcost("doctor", "openclaw", "--json", extra={"STUB_KEY": KEY})
    assert d.returncode == 1
    assert "OPENCLAW_BASE_URL_NO_V1" in {f["code"] for f in json.loads(d.stdout)["findings"]}


def test_openai_completions_answers(world: World, openclaw: OpenClaw, provider: StubProvider) -> None:
    if not hasattr(provider, "chat_only"):
        pytest.skip("the stub has no Chat Completions mode yet (it comes with the shim branch)")
    provider.chat_only(strict_schemas=False)
    setup(world, provider, "openai-completions", provider.url)
    r = turn(world, openclaw)
    assert r.returncode == 0, r.explain()
    assert provider.reply_text in r.stdout
    reqs = provider.api_requests()
    assert reqs and all(q.path == "/v1/chat/completions" for q in reqs), provider.describe()
