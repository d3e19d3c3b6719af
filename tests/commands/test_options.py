"""Shared CLI choices/options (agentcost.commands.options): setup claude and setup codex agree; --agent."""

from __future__ import annotations

import click

from agentcost.commands import load_command
from agentcost.commands.options import AgentChoice

SHARED = ("provider", "api_key", "api_key_env", "base_url", "model", "dry_run", "yes", "json_out")


def _params(name: str) -> dict[str, click.Parameter]:
    group = load_command("setup")
    assert isinstance(group, click.Group)
    cmd = group.commands[name]
    return {("provider" if p.name == "provider_id" else str(p.name)): p for p in cmd.params}


def test_shared_options_agree() -> None:
    claude, codex = _params("claude"), _params("codex")
    for name in SHARED:
        a, b = claude[name], codex[name]
        assert isinstance(a, click.Option) and isinstance(b, click.Option)
        assert a.opts == b.opts and a.secondary_opts == b.secondary_opts, name
        assert a.metavar == b.metavar, name
    assert claude["api_key_env"].metavar == "VAR"
    for name in ("provider", "dry_run", "json_out"):  # no agent-specific sentence: identical help
        assert getattr(claude[name], "help", None) == getattr(codex[name], "help", None), name
    for name in ("api_key", "api_key_env", "yes"):  # a common first part, then the agent's own note
        common = str(getattr(claude[name], "help", ""))
        assert str(getattr(codex[name], "help", "")).startswith(common), name


def test_help_shows_the_metavars(cli) -> None:  # type: ignore[no-untyped-def]
    for agent in ("claude", "codex", "openclaw"):
        r = cli("setup", agent, "--help")
        assert r.exit_code == 0
        text = " ".join(r.stdout.split())
        assert "--api-key-env VAR" in text and "--provider -p ID" in text, agent


def test_agent_choice_agents() -> None:
    assert AgentChoice.all.agents == ("claude", "codex", "openclaw")
    assert AgentChoice.claude.agents == ("claude",)
    assert AgentChoice.codex.agents == ("codex",)
    assert AgentChoice.openclaw.agents == ("openclaw",)
    assert [c.value for c in AgentChoice] == ["claude", "codex", "openclaw", "all"]  # the order --help shows
