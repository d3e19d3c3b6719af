"""`agentcost doctor [claude|codex]`: read the effective configuration, report findings."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import typer
from rich.markup import escape
from rich.text import Text

from agentcost.agents import claude, codex
from agentcost.agents.findings import Finding, Severity, has_errors, sort_findings
from agentcost.commands.options import AgentChoice
from agentcost.output import console, emit_json, err_console, is_interactive
from agentcost.sanitize import sanitize

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _indented(text: str, width: int, first: int = 0) -> str:
    """`text` wrapped to `width`, every line indented by two spaces (the first by `first` more)."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent="  " + " " * first,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def render_findings(findings: list[Finding], title: str = "Findings") -> None:
    """One block per finding, compiler-style: `error[CODE] file`, the message, then the fix."""
    con = console()
    if not findings:
        con.print("[green]No problems found.[/]")
        return
    con.print(f"[bold]{escape(title)}[/]")
    for f in findings:
        # Messages are data, not markup: "[model_providers.x]" must print as written.
        head = Text.assemble((f.severity.value, _STYLE[f.severity]), (f"[{f.code}]", "bold"))
        if f.file:
            head.append(f"  {sanitize(f.file)}", style="dim")
        con.print()
        con.print(head, soft_wrap=True)
        # Wrapped by hand (not by rich's Padding, which pads every line with trailing spaces).
        width = max(40, con.width - 2)
        # Messages quote values and paths from files a repository controls: control characters escaped.
        con.print(_indented(sanitize(f.message), width), soft_wrap=True, markup=False, highlight=False)
        if f.fix:
            fix = Text("  fix: ", style="green")
            fix.append(_indented(sanitize(f.fix), width, first=len("fix: "))[2 + len("fix: ") :])
            con.print(fix, soft_wrap=True)
    n_err = sum(f.severity is Severity.ERROR for f in findings)
    n_warn = sum(f.severity is Severity.WARNING for f in findings)
    con.print()
    con.print(f"{n_err} error(s), {n_warn} warning(s), {len(findings) - n_err - n_warn} note(s).")


def doctor_cmd(
    agent: AgentChoice = typer.Argument(AgentChoice.all, help="Which agent to check."),
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
        err_console().print(
            "[dim]--online: sending one minimal request per configured endpoint (a fraction of a cent).[/]"
        )
    findings: list[Finding] = []
    if agent in (AgentChoice.claude, AgentChoice.all):
        findings += claude.diagnose(env, cwd, online=online, probe_project_urls=probe_project_urls)
    if agent in (AgentChoice.codex, AgentChoice.all):
        findings += codex.diagnose(env, cwd, online=online)
    from agentcost.agents.leftovers import check_leftovers

    findings += check_leftovers(env, cwd)  # agentcost's own backups/temp files that expose a key
    findings = sort_findings(findings)
    if json_out:
        emit_json({"findings": [f.as_dict() for f in findings], "errors": has_errors(findings)})
    else:
        render_findings(findings, title=f"agentcost doctor ({agent.value})")
    if has_errors(findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor_cmd)
