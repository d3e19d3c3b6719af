"""`agentcost ignore [PATH]`: write each agent's own exclusion mechanism for a repository."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import typer

from agentcost.errors import UsageError
from agentcost.formats import size
from agentcost.ignore.apply import IgnorePlan, apply_plan, build_plan, parse_agents, shell_caveat
from agentcost.ignore.apply import resolve_root as _resolve_root
from agentcost.ignore.defaults import ExclusionGroup, all_patterns, default_catalog, default_exclusions
from agentcost.ignore.detect import DetectReport, Proposal, detect_report, list_files
from agentcost.ui.console import console, emit_json, err_console, is_interactive


class Scope(str, Enum):
    project = "project"
    local = "local"


class DiffMode(str, Enum):
    grouped = "grouped"
    all = "all"


def _proposal_json(p: Proposal) -> dict[str, Any]:
    return {"pattern": p.pattern, "reason": p.reason, "bytes": p.bytes, "files": p.files, "kind": p.kind}


def _groups_without(names: list[str]) -> list[ExclusionGroup]:
    groups = default_exclusions()
    known = {g.name for g in groups}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(
            f"unknown group(s): {', '.join(unknown)}", hint=f"groups: {', '.join(sorted(known))}"
        )
    return [g for g in groups if g.name not in names]


def _payload(
    plan: IgnorePlan, report: DetectReport | None, applied: list[str], dry_run: bool
) -> dict[str, Any]:
    """The --json document (see docs/ignore.md)."""
    cat = default_catalog()
    agents: dict[str, Any] = {}
    for c in plan.changes:
        r = c.result
        counts_rules = c.agent in ("claude", "codex")
        agents[c.agent] = {
            "file": str(c.path) if c.path else None,
            "changed": bool(r and r.changed),
            "created": bool(r and r.created),
            "backup": str(r.backup) if r and r.backup else None,
            "rules_added": len(c.rules_added) if counts_rules else None,
            "added": c.rules_added if counts_rules else None,
            "patterns": c.rules_total,
            "skipped": [{"pattern": s.pattern, "why": s.why} for s in c.skipped],
            "note": c.note,
            "notes": c.notes,
            "diff": r.diff if dry_run and r else None,
        }
    detected = None
    if report is not None:
        detected = {
            "scanned_files": report.scanned_files,
            "scanned_bytes": report.scanned_bytes,
            "covered_files": report.covered_files,
            "covered_bytes": report.covered_bytes,
            "method": report.method,
            "truncated": report.truncated,
            "seconds": report.seconds,
            "omitted": report.omitted,
            "omitted_bytes": report.omitted_bytes,
            "proposals": [_proposal_json(p) for p in report.proposals],
            "applied": applied,
        }
    return {
        "root": str(plan.root),
        "dry_run": dry_run,
        "scope": plan.scope,
        "files_changed": [str(c.path) for c in plan.changes if c.result is not None and c.result.changed],
        "agents": agents,
        "detected": detected,
        "exclusions_source": cat.source,
        "exclusions_as_of": cat.as_of,
        "caveat": shell_caveat(plan),
    }


def ignore_cmd(
    path: Path | None = typer.Argument(
        None, help="Repository to configure (default: the git root of the current directory, else it)."
    ),
    agents: str | None = typer.Option(
        None,
        "--agents",
        help="Comma-separated from claude,cursor,aider,gemini,codex,rg (default: all but rg).",
    ),
    rg: bool = typer.Option(False, "--rg", help="Also write .ignore (ripgrep and tools built on it)."),
    scope: Scope = typer.Option(
        Scope.project,
        "--scope",
        help="Claude Code file: project = .claude/settings.json (shared), local = settings.local.json.",
    ),
    extra: list[str] = typer.Option(
        [], "--extra", help="Another pattern (gitignore syntax); repeatable; kept on later runs."
    ),
    without: list[str] = typer.Option(
        [],
        "--without",
        help="Leave out a default group (repeatable): dependencies, vcs, data, build, caches, minified, "
        "lockfiles, logs, media, secrets.",
    ),
    apply_detected: bool = typer.Option(
        False, "--apply-detected", help="Also add the patterns proposed for what this repository holds."
    ),
    no_detect: bool = typer.Option(False, "--no-detect", help="Skip the repository scan."),
    codex_profile: bool = typer.Option(
        False,
        "--codex-profile",
        help="Codex: add a permission profile denying reads of secrets to the commands it runs, "
        "in $CODEX_HOME/config.toml (applies to every project).",
    ),
    reset: bool = typer.Option(
        False,
        "--reset",
        help="Drop earlier --extra / detected patterns from the blocks (Claude rules are never removed).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the diffs; write nothing."),
    diff_mode: DiffMode = typer.Option(
        DiffMode.grouped,
        "--diff",
        help="With --dry-run: grouped (default) prints an identical ignore-file change once and lists "
        "the other files; all prints every file's diff. --json always holds every diff.",
        case_sensitive=False,
    ),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable summary."),
) -> None:
    """Keep coding agents away from dependencies, VCS internals, data, build output and secrets.

    PATH is the repository (default: the git root of the current directory, else the directory).
    Writes each agent's REAL mechanism (there is no .claudeignore and no .codexignore):

    \b
      Claude Code  permissions.deny Read(...) rules merged into .claude/settings.json
                   (--scope local: .claude/settings.local.json); your rules and keys are kept
      Cursor       .cursorignore    Aider  .aiderignore    Gemini CLI  .geminiignore
      ripgrep      .ignore (with --rg)
      Codex CLI    no ignore file exists: prints what is possible; with --codex-profile, adds a
                   permission profile denying reads of secrets ($CODEX_HOME/config.toml)

    Ignore files get a fenced block (# >>> agentcost >>> ... # <<< agentcost <<<) that is
    replaced on every run; lines outside it are never touched. Running twice changes nothing.
    The default patterns are grouped by reason in agentcost/data/exclusions.toml.

    The repository is also scanned (git ls-files, bounded to a few seconds) for big data
    directories, database files, generated code and large files; those are only PROPOSED
    unless you pass --apply-detected (or confirm on a terminal).

    None of this stops an agent that runs a shell command (cat, grep through Bash): it only
    steers the agent's own file tools and search.

    \b
    Examples:
      agentcost ignore --dry-run                 # see the changes first
      agentcost ignore --dry-run --diff all      # every file's diff, even identical ones
      agentcost ignore                           # default agents, current repository
      agentcost ignore --agents claude --scope local
      agentcost ignore --rg --extra 'fixtures/' --extra '*.csv'
      agentcost ignore --without media           # let Claude look at screenshots
      agentcost ignore --apply-detected --json
    """
    cwd = Path.cwd()
    agent_list = parse_agents(agents, rg)
    if codex_profile and "codex" not in agent_list:
        agent_list.append("codex")
    for p in extra:
        if not p.strip() or p.strip().startswith("#"):
            raise UsageError(f"--extra {p!r} is not a pattern")
    if apply_detected and no_detect:
        raise UsageError("--apply-detected needs the scan: drop --no-detect")
    root = _resolve_root(path, cwd)
    extra = [p.strip() for p in extra]
    groups = _groups_without(without)

    listing = None
    report: DetectReport | None = None
    if not no_detect or "claude" in agent_list:
        # outside git, the walk skips the default directories (node_modules/, .git/, ...) and extras
        listing = list_files(root, prune=[*all_patterns(groups), *extra])
    if not no_detect and listing is not None:
        report = detect_report(root, groups=groups, extra=extra, listing=listing)
    applied: list[str] = []
    if report is not None and report.proposals:
        if apply_detected:
            applied = [q.pattern for q in report.proposals]
        elif not json_out and not dry_run and is_interactive():
            err = err_console()
            for prop in report.proposals:
                err.print(
                    f"  {prop.pattern}  {size(prop.bytes)}  {prop.files:,} files  {prop.reason}",
                    markup=False,
                )
            if typer.confirm(f"Add these {len(report.proposals)} detected pattern(s) too?", default=False):
                applied = [q.pattern for q in report.proposals]

    plan = build_plan(
        root,
        agent_list,
        scope=scope.value,
        groups=groups,
        extra=extra,
        detected=applied,
        listing=listing,
        reset=reset,
        codex_profile=codex_profile,
    )
    apply_plan(plan, dry_run=dry_run)

    if json_out:
        emit_json(_payload(plan, report, applied, dry_run))
        return
    from agentcost.ui.ignore import render

    render(plan, report, applied, dry_run, grouped=diff_mode is DiffMode.grouped, con=console())


def register(app: typer.Typer) -> None:
    app.command("ignore")(ignore_cmd)
