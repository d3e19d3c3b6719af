"""`agentcost setup <agent>` for people: notes and warnings (stderr), the writes, the summary, the checks."""

from __future__ import annotations

from rich.markup import escape

from agentcost.agents.findings import sort_findings
from agentcost.agents.results import SetupResult, describe_write
from agentcost.errors import AgentcostError
from agentcost.fileio import WriteResult
from agentcost.sanitize import sanitize, sanitize_lines
from agentcost.ui.console import console, emit_json, err_console
from agentcost.ui.doctor import render_findings


def render_write(w: WriteResult) -> None:
    """Print `describe_write` to stdout, plus the masked unified diff for a dry run."""
    con = console()
    con.print(sanitize(describe_write(w)), markup=False, soft_wrap=True)
    if w.dry_run and w.changed and w.diff:
        con.print(sanitize_lines(w.diff.rstrip("\n")), markup=False, soft_wrap=True)


def render_setup(result: SetupResult, *, json_out: bool) -> None:
    """Render a SetupResult: JSON document, or notices/warnings (stderr), writes and findings (stdout).

    Then the exit rule (docs/setup-claude.md, docs/setup-codex.md): after a real write, an error
    finding that is not expected right after set-up raises AgentcostError ("written, but …", exit 1);
    expected ones (e.g. the key variable not exported in this shell yet) are explained and exit 0.
    A --dry-run always exits 0: it reports what the checks would find and writes nothing.
    """
    if json_out:
        emit_json(result.as_dict())
    else:
        _render_human(result)
    if result.dry_run:
        return
    unexpected = result.unexpected_errors()
    if unexpected:
        codes = ", ".join(dict.fromkeys(f.code for f in sort_findings(unexpected)))
        done = "written" if result.changed else "nothing to change"
        raise AgentcostError(
            f"{done}, but the checks found {len(unexpected)} error(s) that {result.agent} will hit: {codes}",
            hint=f"fix them as shown above, then run `agentcost doctor {result.agent}`",
        )


def _render_human(result: SetupResult) -> None:
    err = err_console()
    for n in result.notices:
        err.print(f"note: {sanitize(n)}", markup=False, soft_wrap=True)
    for line in result.shell_lines:
        err.print(line, markup=False, soft_wrap=True, highlight=False)
    for w in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(sanitize(w))}", soft_wrap=True)
    for wr in result.writes:
        render_write(wr)
    if result.summary:
        con = console()
        for k, v in result.summary.items():
            con.print(f"  {k} = {sanitize(v)}", markup=False, soft_wrap=True)
    if result.findings or not result.dry_run:
        title = f"checks on the {'would-be ' if result.dry_run else ''}{result.agent} configuration"
        render_findings(sort_findings(result.findings), title=title)
    expected = result.expected_errors()
    if expected and not result.unexpected_errors():
        why = "; ".join(dict.fromkeys(result.expected[f.code] for f in expected))
        tail = "" if result.dry_run else " (exit status 0)"
        err.print(f"note: expected right after set-up{tail}: {why}", markup=False, soft_wrap=True)
