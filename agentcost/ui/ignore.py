"""`agentcost ignore` for people: what changed per agent, the dry-run diffs, the detected proposals."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from agentcost.formats import size
from agentcost.gitignore.block import BEGIN
from agentcost.ignore.apply import AgentChange, IgnorePlan, shell_caveat
from agentcost.ignore.detect import DetectReport
from agentcost.sanitize import sanitize, sanitize_lines
from agentcost.ui.console import esc
from agentcost.ui.tables import Column, fit_table


def _diff_body(diff: str) -> str:
    """A unified diff without its ---/+++ file header lines (what is compared across files)."""
    lines = diff.splitlines(keepends=True)
    start = 2 if len(lines) >= 2 and lines[0].startswith("---") and lines[1].startswith("+++") else 0
    return "".join(lines[start:])


def group_diffs(changes: list[AgentChange]) -> list[tuple[AgentChange, list[AgentChange]]]:
    """Dry-run diffs to print: (change whose diff is shown, other changes with the very same diff body).

    The Claude settings and the Codex profile are always shown on their own; ignore files whose
    change is identical line for line (the usual case: the same block into new files) are shown
    once, with the other target files listed. Pure.
    """
    out: list[tuple[AgentChange, list[AgentChange]]] = []
    by_body: dict[str, tuple[AgentChange, list[AgentChange]]] = {}
    for ch in changes:
        r = ch.result
        if r is None or not r.diff:
            continue
        if ch.agent in ("claude", "codex"):
            out.append((ch, []))
            continue
        body = _diff_body(r.diff)
        if body in by_body:
            by_body[body][1].append(ch)
        else:
            by_body[body] = (ch, [])
            out.append(by_body[body])
    return out


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return "-"
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _status(ch: AgentChange, dry_run: bool) -> str:
    r = ch.result
    if ch.path is None:
        return "note only (nothing written)"
    if r is None or not r.changed:
        return "already up to date"
    verb = "would create" if r.created and dry_run else "created" if r.created else ""
    if not verb:
        verb = "would update" if dry_run else "updated"
    return verb


def _summary(ch: AgentChange) -> str:
    n = len(ch.rules_added)
    present = ch.rules_total - n
    if ch.agent == "claude":
        return f"+{n} deny rule{'' if n == 1 else 's'} ({present} already there)"
    if ch.agent == "codex" and ch.path is not None:
        return f"+{n} deny glob{'' if n == 1 else 's'} ({present} already there)"
    if ch.path is None:
        return ""
    return f"{ch.rules_total} patterns in the block"


def _ran_before(plan: IgnorePlan) -> bool:
    """True when an earlier `agentcost ignore` left its mark: a fenced block in an ignore file, or
    Claude deny rules that are all there already."""
    for c in plan.changes:
        if c.old_text is None:
            continue
        if c.agent == "claude" and c.rules_total and not c.rules_added:
            return True
        if c.agent not in ("claude", "codex") and BEGIN in c.old_text:
            return True
    return False


def render(
    plan: IgnorePlan,
    report: DetectReport | None,
    applied: list[str],
    dry_run: bool,
    *,
    grouped: bool = True,
    con: Console,
) -> None:
    con.print(
        f"[bold]agentcost ignore[/] {esc(str(plan.root))}"
        + ("  [yellow](dry run: nothing written)[/]" if dry_run else "")
    )
    rows: list[list[object]] = [
        [
            Text(sanitize(c))
            for c in (ch.display, _rel(ch.path, plan.root), _status(ch, dry_run), _summary(ch))
        ]
        for ch in plan.changes
        if not (ch.agent == "codex" and ch.path is None)
    ]  # paths and patterns are data, never markup
    cols = [
        Column("agent", kind="text", min_width=12),
        Column("file", kind="key"),
        Column("status", kind="text", min_width=12),
        Column("content", kind="text", min_width=16),
    ]
    table, _ = fit_table(cols, rows, con.width, header_style="bold")
    con.print(table)
    if dry_run:
        for shown, same in (
            group_diffs(plan.changes)
            if grouped
            else ((c, []) for c in plan.changes if c.result is not None and c.result.diff)
        ):
            assert shown.result is not None
            if same:
                names = ", ".join(_rel(c.path, plan.root) for c in (shown, *same))
                con.print(
                    sanitize(names) + ": the same change, line for line, shown once "
                    "(--diff all prints each):",
                    markup=False,
                    highlight=False,
                )
            con.print(sanitize_lines(shown.result.diff), markup=False, highlight=False, end="")
    for ch in plan.changes:
        r = ch.result
        if r is not None and r.backup is not None:
            con.print(
                sanitize(f"backup of {_rel(ch.path, plan.root)}: {r.backup}"), style="dim", markup=False
            )
        if ch.agent == "claude":
            for s in ch.skipped:
                if not s.pattern.startswith("!"):
                    con.print(sanitize(f"Claude Code: {s.pattern}: {s.why}"), style="dim", markup=False)
        if ch.agent == "codex" and ch.path is not None:
            con.print(f"Codex CLI: {ch.note}", markup=False, highlight=False)
        for n in ch.notes:
            con.print(sanitize(f"{ch.display}: {n}"), markup=False, highlight=False)
    codex = next((c for c in plan.changes if c.agent == "codex" and c.path is None), None)
    if codex is not None and not _ran_before(plan):
        con.print("\n[bold]Codex CLI[/]")
        con.print(codex.note, markup=False, highlight=False)
    elif codex is not None:
        # the full paragraph was shown on the first run: repeating five lines every time buries the rest
        con.print(
            "\n[bold]Codex CLI[/]: no ignore file exists; `agentcost ignore --codex-profile` denies reads "
            "of secrets to the commands it runs [dim](explained in full on the first run; docs/ignore.md)[/]"
        )
    if report is not None:
        con.print(
            f"\n[bold]Detected in this repository[/] [dim](scanned {report.scanned_files:,} files, "
            f"{size(report.scanned_bytes)} via {report.method} in {report.seconds:.1f} s; "
            f"{report.covered_files:,} files / {size(report.covered_bytes)} already excluded"
            f"{'; budget reached, scan incomplete' if report.truncated else ''})[/]"
        )
        if not report.proposals:
            con.print("nothing beyond the default exclusions.")
        else:
            prows: list[list[object]] = [
                [
                    Text(sanitize(p.pattern)),
                    size(p.bytes),
                    f"{p.files:,}",
                    Text(sanitize(p.reason)),
                    "yes" if p.pattern in applied else "no",
                ]
                for p in report.proposals
            ]
            pcols = [
                Column("pattern", kind="key"),
                Column("size", kind="number", justify="right"),
                Column("files", kind="number", justify="right", drop=1),
                Column("why", kind="text", min_width=16),
                Column("applied", kind="number"),
            ]
            t, _ = fit_table(pcols, prows, con.width, header_style="bold")
            con.print(t)
            if report.omitted:
                con.print(
                    f"[dim]{report.omitted} smaller proposal(s) ({size(report.omitted_bytes)}) left out: "
                    "only the biggest are shown and applied; add others with --extra.[/]"
                )
            if not applied:
                con.print(
                    "[dim]Not applied. Add them with --apply-detected (or pick some with --extra PATTERN).[/]"
                )
    con.print(f"\n[yellow]Note:[/] {esc(shell_caveat(plan))}")
