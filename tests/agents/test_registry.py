"""The agent registry: every sub-package of agentcost.agents is an agent behind one interface, and
adding an agent is adding a folder (docs/architecture.md)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentcost import agents
from agentcost.agents.base import Agent, get, names


@pytest.fixture
def clean_registry() -> Iterator[None]:
    agents.names.cache_clear()
    yield
    agents.names.cache_clear()


def test_the_agents_are_the_folders(clean_registry: None) -> None:
    assert names() == ("claude", "codex", "openclaw")
    for n in names():
        a = get(n)
        assert isinstance(a, Agent) and a.name == n and a.label


def test_one_interface() -> None:
    # diagnose(env, cwd, online=False, ..., probe_project_urls=False) for every agent
    for n in names():
        params = inspect.signature(get(n).diagnose).parameters
        assert list(params)[:3] == ["env", "cwd", "online"] and "probe_project_urls" in params
        assert list(inspect.signature(get(n).plan_setup).parameters)[:3] == ["req", "env", "cwd"]
        assert list(inspect.signature(get(n).apply_setup).parameters)[:3] == ["plan", "env", "cwd"]


def test_unknown_agent() -> None:
    with pytest.raises(ValueError, match="unknown agent 'nope'"):
        get("nope")


AGENT_SOURCE = """
from agentcost.agents.base import Agent
from agentcost.agents.findings import Finding, Severity


def diagnose(env, cwd, online=False, *, probe_project_urls=False):
    return [Finding("ZZ_CHECKED", Severity.INFO, "checked by the new agent", None, None, "zzagent")]


def _no_setup(*args, **kwargs):
    raise NotImplementedError


AGENT = Agent(name="zzagent", label="ZZ", diagnose=diagnose, plan_setup=_no_setup, apply_setup=_no_setup)
"""


def test_adding_an_agent_is_adding_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_registry: None, cli: Any
) -> None:
    from agentcost.commands.options import AgentChoice

    # the CLI's choices are built once (at import), before the fake agent appears
    assert [c.value for c in AgentChoice] == ["claude", "codex", "openclaw", "all"]

    folder = tmp_path / "zzagent"
    folder.mkdir()
    (folder / "__init__.py").write_text(AGENT_SOURCE, encoding="utf-8")
    monkeypatch.setattr(agents, "__path__", [*agents.__path__, str(tmp_path)])
    agents.names.cache_clear()
    assert names() == ("claude", "codex", "openclaw", "zzagent")
    assert get("zzagent").label == "ZZ"
    # `doctor` (all agents) runs it without any other change
    r = cli("doctor", "--json")
    codes = {f["code"] for f in json.loads(r.stdout)["findings"]}
    assert "ZZ_CHECKED" in codes
