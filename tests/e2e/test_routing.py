"""Cost routing, end to end: the real Codex CLI 0.171.0 -> `agentcost shim` with a routing.toml ->
a loopback Chat-Completions stub serving exactly two models (any other model gets 404).

One rule sends tool-result-only turns from deepseek-v4-pro (what Codex asks for) to deepseek-v4-flash
(both priced in the bundled catalog). The stub must see flash for the second request of a tool
session, Codex must still finish, and `agentcost usage` must count every request once, at the model
that answered, with the cost at both models' prices and the saving.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.e2e.harness import E2E_TEST_TIMEOUT, World, doctor_codes
from tests.e2e.stub_chat import ChatTurn
from tests.e2e.stub_provider import StubProvider
from tests.e2e.test_shim import BYPASS, ENV_VAR, KEY, Shim, _free_port

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

ASKED = "deepseek-v4-pro"
CHEAP = "deepseek-v4-flash"
RULES = f"""\
mode = "{{mode}}"

[[rules]]
name = "tool results to flash"
when_model = "{ASKED}"
tool_result_only = true
to_model = "{CHEAP}"
"""


@pytest.fixture
def two_models(provider: StubProvider) -> StubProvider:
    stub = provider.chat_only(strict_schemas=True)
    stub.chat_models = {ASKED, CHEAP}
    return stub


def _start(world: World, stub: StubProvider, mode: str) -> Shim:
    port = _free_port()
    setup = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", stub.url + "/v1",
        "--api-key-env", ENV_VAR, "--model", ASKED, "--via-shim", "--shim-port", str(port), "--yes",
        extra={ENV_VAR: KEY},
    )  # fmt: skip
    assert setup.returncode == 0, setup.explain()
    rules = world.home / ".config" / "agentcost" / "routing.toml"
    rules.write_text(RULES.format(mode=mode))
    shim = Shim(world)
    assert f"listening on http://127.0.0.1:{port}/v1" in shim.banner, (shim.banner, shim.proc.poll())
    return shim


@pytest.fixture
def routed_shim(world: World, two_models: StubProvider) -> Iterator[Shim]:
    s = _start(world, two_models, "on")
    yield s
    s.stop()
    assert KEY not in s.log


def _tool_session(stub: StubProvider) -> None:
    stub.script_chat(
        ChatTurn(reasoning="Run it.", tool_calls=[("exec_command", {"cmd": "echo routed-ok"})]),
        ChatTurn(text="The tool said routed-ok."),
    )


def test_rule_routes_tool_results_and_usage_shows_the_saving(
    world: World, two_models: StubProvider, routed_shim: Shim
) -> None:
    # the rules in effect are printed at start (stdout, after the banner line)
    assert routed_shim.proc.stdout is not None
    head = routed_shim.proc.stdout.readline() + routed_shim.proc.stdout.readline()
    assert "routing: on" in head and f"tool-result-only turn -> {CHEAP}" in head, head
    _tool_session(two_models)
    run = world.codex_exec("run the tool", BYPASS)
    assert run.returncode == 0, f"{run.explain()}\nshim:\n{routed_shim.log}\nstub:\n{two_models.describe()}"
    assert "The tool said routed-ok." in run.stdout
    first, second = two_models.api_requests()
    assert (first.model, first.status) == (ASKED, 200)  # the user's prompt: not tool-result-only
    assert (second.model, second.status) == (CHEAP, 200), two_models.describe()  # routed
    assert "routed-ok" in second.body["messages"][-1]["content"]
    assert f"model={CHEAP}" in routed_shim.log and f"routed from {ASKED}" in routed_shim.log

    record = world.home / ".local" / "share" / "agentcost" / "routing.jsonl"
    (line,) = record.read_text().splitlines()
    rec = json.loads(line)
    assert (rec["asked"], rec["routed"], rec["dry_run"]) == (ASKED, CHEAP, False)
    assert rec["tokens"]["input"] == second.usage["input_tokens"]
    assert Decimal(rec["cost_asked"]) > Decimal(rec["cost_routed"]) > 0
    assert rec["response_id"] in "".join(
        p.read_text() for p in (world.codex_home / "sessions").rglob("*.jsonl")
    )  # Codex logged the same response id: that is how usage matches the two

    usage = world.agentcost("usage", "--json", "--agent", "codex", "--by", "model", "--tz", "UTC")
    assert usage.returncode == 0, usage.explain()
    data = usage.json()
    assert data["totals"]["requests"] == 2  # each request once
    groups = {g["key"]: g for g in data["rows"]}
    assert set(groups) == {ASKED, CHEAP} and groups[CHEAP]["requests"] == 1
    routing = data["routing"]
    assert routing["routed_requests"] == 1 and routing["unmatched_records"] == 0
    (pair,) = routing["routes"]
    assert (pair["asked"], pair["routed"], pair["requests"]) == (ASKED, CHEAP, 1)
    at_asked, at_routed = Decimal(pair["cost_at_asked_usd"]), Decimal(pair["cost_at_routed_usd"])
    assert at_asked > at_routed > 0  # rounded to the micro-dollar, as every usd field
    assert abs(Decimal(routing["saved_usd"]) - (at_asked - at_routed)) <= Decimal("0.000001")
    assert Decimal(groups[CHEAP]["cost_usd"]) == at_routed  # the table bills the model that answered

    text = world.agentcost("usage", "--agent", "codex", "--by", "model", "--tz", "UTC")
    assert "Routing saved $" in text.stdout and f"{ASKED} -> {CHEAP}: 1 request(s)" in text.stdout, (
        text.explain()
    )

    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_ROUTING_OK" in doctor_codes(doc), doc.explain()


def test_dry_run_only_logs(world: World, two_models: StubProvider) -> None:
    shim = _start(world, two_models, "dry-run")
    try:
        _tool_session(two_models)
        run = world.codex_exec("run the tool", BYPASS)
        assert run.returncode == 0, f"{run.explain()}\nshim:\n{shim.log}"
        assert [r.model for r in two_models.api_requests()] == [ASKED, ASKED]  # nothing rerouted
        assert f"would route to {CHEAP}" in shim.log
    finally:
        shim.stop()
    usage = world.agentcost("usage", "--json", "--agent", "codex", "--by", "model", "--tz", "UTC")
    routing = usage.json()["routing"]
    assert (routing["routed_requests"], routing["dry_run_requests"]) == (0, 1)
    assert {g["key"] for g in usage.json()["rows"]} == {ASKED}
