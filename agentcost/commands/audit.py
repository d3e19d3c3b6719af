"""`agentcost audit-repo`: what a coding agent would read in a repository, and what it costs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from agentcost.errors import UsageError


def audit_repo_cmd(
    path: Path = typer.Argument(Path("."), help="Directory to audit (default: the current directory)."),
    exact: bool = typer.Option(
        False,
        "--exact",
        help="Exact o200k counts (needs `pip install 'agentcost\\[exact]'`), cached by content.",
    ),
    model: list[str] = typer.Option(
        [], "--model", "-m", help="Also price this model (repeatable); configured models are always priced."
    ),
    top: int = typer.Option(
        10, "--top", min=1, max=1000, help="How many directories, files and savings to list."
    ),
    table: bool = typer.Option(False, "--table", help="Top directories as a table instead of a tree."),
    budget: int | None = typer.Option(
        None, "--budget", min=0, help="Exit 1 when the included tokens (o200k) exceed this (for CI)."
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, help="Worker processes (default: all cores; 1 = none)."
    ),
    detect: bool = typer.Option(
        False,
        "--detect",
        help="Also ask `agentcost ignore`'s repository scan for proposals (up to 3 s more).",
    ),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable report (see docs/audit-repo.md)."),
) -> None:
    """Audit a repository: what coding agents would read, what it costs per model, what to exclude.

    Walks the tree once and reports three views side by side: everything on disk (what an agent
    with a shell can reach, `.git/` included), what survives `.gitignore` (nested files, negations,
    `.git/info/exclude`), and what is left after agentcost's exclusions: the agentcost block that
    `agentcost ignore` wrote into .cursorignore / .aiderignore / .geminiignore / .ignore (with your
    --extra patterns), or its defaults when there is none. Binary files are detected by content
    and never counted as tokens.

    Tokens are estimated from file sizes with per-type ratios calibrated on o200k (±10% on a whole
    repository), or counted exactly with `--exact`. Costs use the models in your Claude Code and
    Codex configuration plus any `--model`, with a documented correction factor per model family.

    Examples:

      agentcost audit-repo

      agentcost audit-repo ~/src/monorepo --exact --model claude-opus-4-7

      agentcost audit-repo --budget 2000000 --json   # CI: exit 1 above 2 M tokens
    """
    from agentcost.audit.build import build_report
    from agentcost.audit.costs import ModelRef, configured_models, dedupe, model_costs
    from agentcost.audit.exclusions import load_exclusions
    from agentcost.audit.scan import scan
    from agentcost.audit.tokens import ratio_table
    from agentcost.paths import cache_dir
    from agentcost.ui.audit import render
    from agentcost.ui.console import console, emit_json, err_console, walk_spinner

    root = path.expanduser()
    if not root.exists():
        raise UsageError(f"{path}: no such directory")
    if not root.is_dir():
        raise UsageError(f"{path}: not a directory")
    root = root.resolve()
    table_data = ratio_table()
    excl = load_exclusions(root)
    # detection first: the scan then measures what each proposal removes from the included view
    detected: list[Any] = []
    detect_note: str | None = None
    if detect:
        try:
            from agentcost.ignore.detect import detect as ignore_detect

            detected = [d for d in ignore_detect(root, max_seconds=3.0) if not str(d.pattern).startswith("!")]
        except Exception as e:  # another area's scan failing must not sink the audit
            detect_note = f"agentcost ignore's detection failed ({type(e).__name__}); proposals skipped"
    with walk_spinner(enabled=not json_out) as update:
        result = scan(
            root,
            exclusions=excl.matcher,
            exact=exact,
            jobs=jobs,
            top=top,
            cache_dir=cache_dir(),
            progress=update,
            probe=_probe([str(d.pattern) for d in detected]) if detected else None,
        )
    if detect_note:
        result.notes.append(detect_note)
    refs, notes = configured_models()
    refs += [ModelRef(m, "--model") for m in model]
    if not refs:
        refs = [ModelRef(m, "default (no model configured; add --model)") for m in table_data.default_models]
    view_tokens = {
        name: result.aggregate.views[v].tokens for v, name in ((1, "disk"), (2, "gitignore"), (3, "included"))
    }
    costs = model_costs(dedupe(refs), view_tokens, table_data)
    result.notes.extend(notes)
    report = build_report(
        result,
        costs,
        table_data,
        budget=budget,
        detected=detected,
        exclusions=excl,
    )
    if json_out:
        emit_json(report)
    else:
        render(report, console(), tree=not table)
    if report["budget"] is not None and report["budget"]["exceeded"]:
        if not json_out:
            err_console().print(
                f"[bold red]over budget:[/] {report['budget']['tokens']:,} included tokens > {budget:,}"
            )
        raise typer.Exit(1)


def _probe(patterns: list[str]) -> Any:
    from agentcost.ignore.detect import pattern_probe

    return pattern_probe(patterns)


def register(app: typer.Typer) -> None:
    app.command("audit-repo")(audit_repo_cmd)
