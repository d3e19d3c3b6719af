"""`agentcost doctor [claude|codex]`: read the effective configuration, report findings."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from agentcost.agents.base import get
from agentcost.agents.findings import Finding, has_errors, sort_findings
from agentcost.commands.options import AgentChoice
from agentcost.ui.console import emit_json, is_interactive, notice
from agentcost.ui.doctor import render_findings


def doctor_cmd(
    agent: AgentChoice = typer.Argument(AgentChoice("all"), help="Which agent to check."),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    online: bool = typer.Option(
        False,
        "--online",
        help=(
            "Also probe the configured endpoints over the network (opt-in): Claude: one Messages "
            "request with max_tokens=1; Codex: GET {base_url}/models and a minimal Responses request. "
            "Sends your key to the configured host; costs a fraction of a cent. A base URL set by the "
            "repository's own .claude/ files is not probed (see --probe-project-urls)."
        ),
    ),
    probe_project_urls: bool = typer.Option(
        False,
        "--probe-project-urls",
        help=(
            "With --online: also probe a Claude base URL set by the repository (.claude/settings.json or "
            "settings.local.json). RISK: sends your key to a host the repository chose."
        ),
    ),
) -> None:
    """Check Claude Code and Codex configurations for the mistakes that fail silently.

    Reads, for Claude Code: ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR), the project's
    .claude/settings.json and .claude/settings.local.json, and the environment; for Codex:
    $CODEX_HOME/config.toml (default ~/.codex), profile files and auth.json. Nothing is written.

    Each finding has a stable code (e.g. CLAUDE_BASE_URL_V1), a severity and a fix.
    Exit status: 0 no errors, 1 at least one error.

    Examples:

        agentcost doctor                  # both agents
        agentcost doctor codex --json     # for scripts: {"findings": [{"code", "severity", ...}]}
        agentcost doctor claude --online  # also send one tiny request to the configured endpoint
    """
    env = dict(os.environ)
    cwd = Path.cwd()
    if online and not json_out and is_interactive():
        notice(
            "[dim]--online: sending one minimal request per configured endpoint (a fraction of a cent).[/]"
        )
    findings: list[Finding] = []
    for name in agent.agents:
        findings += get(name).diagnose(env, cwd, online=online, probe_project_urls=probe_project_urls)
    from agentcost.agents.leftovers import check_leftovers

    findings += check_leftovers(env, cwd)  # agentcost's own backups/temp files that expose a key
    from agentcost.guard.checks import findings as guard_findings

    findings += guard_findings(env, agent.agents)
    findings = sort_findings(findings)
    if json_out:
        emit_json({"findings": [f.as_dict() for f in findings], "errors": has_errors(findings)})
    else:
        render_findings(findings, title=f"agentcost doctor ({agent.value})")
    if has_errors(findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_cmd)
