"""Findings for people (`doctor`, and `setup` on what it wrote): compiler-style blocks, then a count."""

from __future__ import annotations

import textwrap

from rich.markup import escape
from rich.text import Text

from agentcost.agents.findings import Finding, Severity
from agentcost.sanitize import sanitize
from agentcost.ui.console import console

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
