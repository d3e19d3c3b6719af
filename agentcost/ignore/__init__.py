"""Keep coding agents away from files: default exclusions and each agent's own mechanism.

Public API (other areas import from here):
- `default_exclusions() -> list[ExclusionGroup]`, `all_patterns()`, `default_catalog()`:
  bundled data in `agentcost/data/exclusions.toml`, gitignore syntax, with `source` / `as_of`.
- `detect(root) -> list[Proposal]` / `detect_report(root)`: what this repository holds beyond the
  defaults (big data directories, database files, generated code, large files), bounded scan.
- `claude_rules(...)` / `pattern_to_rule(p)`: gitignore patterns -> Claude Code `Read(...)` rules.
- `merge_codex_profile(...)`: the opt-in Codex permission profile (deny reads of secrets).
- `build_plan(...)` / `apply_plan(...)`: what `agentcost ignore` writes.

The work is split over `ignore_defaults`, `ignore_claude` (+ `jsonedit`), `ignore_codex`,
`ignore_blocks`, `ignore_detect` (+ `ignore_match`) and `ignore_apply` to keep each module small;
import from here.
"""

from __future__ import annotations

from agentcost.gitignore.block import BEGIN, END, apply_block, render_block
from agentcost.ignore.apply import (
    AGENTS,
    DEFAULT_AGENTS,
    SHELL_CAVEAT,
    AgentChange,
    IgnorePlan,
    apply_plan,
    build_plan,
    parse_agents,
    resolve_root,
    shell_caveat,
)
from agentcost.ignore.claude import ClaudeRules, claude_rules, merge_deny_rules, pattern_to_rule
from agentcost.ignore.codex import CodexMerge, merge_codex_profile
from agentcost.ignore.defaults import (
    ExclusionCatalog,
    ExclusionGroup,
    all_patterns,
    default_catalog,
    default_exclusions,
)
from agentcost.ignore.detect import DetectReport, Proposal, detect, detect_report, list_files

__all__ = [
    "AGENTS",
    "BEGIN",
    "DEFAULT_AGENTS",
    "END",
    "SHELL_CAVEAT",
    "AgentChange",
    "ClaudeRules",
    "CodexMerge",
    "DetectReport",
    "ExclusionCatalog",
    "ExclusionGroup",
    "IgnorePlan",
    "Proposal",
    "all_patterns",
    "apply_block",
    "apply_plan",
    "build_plan",
    "claude_rules",
    "default_catalog",
    "default_exclusions",
    "detect",
    "detect_report",
    "list_files",
    "merge_codex_profile",
    "merge_deny_rules",
    "parse_agents",
    "pattern_to_rule",
    "render_block",
    "resolve_root",
    "shell_caveat",
]
