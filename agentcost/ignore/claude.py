"""Claude Code: gitignore patterns -> `permissions.deny` `Read(...)` rules, merged into settings JSON.

Claude Code has no ignore file. It matches `Read(<pattern>)` rules with gitignore semantics (the
`ignore` library) after rooting them: `//x` = absolute, `~/x` = home, `/x` = the directory holding
`.claude/`, `x` or `./x` = the current directory; a trailing `/**` is dropped so `dir/**` covers the
directory and everything in it (docs.anthropic.com/en/docs/claude-code/iam, "Read & Edit").

Translation (for a session started at the repository root, which is where the settings live):
- unanchored gitignore pattern (no inner `/`): matches at any depth -> `Read(**/<p>)`
- anchored (`/x` or `a/b`): relative to the root -> `Read(/<p>)` (not `./<p>`: Claude Code strips
  `./`, and a one-segment pattern left without a slash would match at any depth)
- directory pattern (`dir/`) -> `Read(<prefix>dir/**)`
- negation (`!x`) cannot be expressed (deny always wins) -> skipped; the group's `claude_expand`
  table and the files present in the repository give precise rules instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentcost.errors import ConfigError
from agentcost.fileio import parse_json
from agentcost.gitignore import Matcher
from agentcost.ignore.defaults import ExclusionGroup
from agentcost.jsonedit import append_deny, render_object

_RULE_RE = re.compile(r"^Read\((?P<p>[^()\s][^()]*)\)$")


@dataclass(frozen=True)
class Skipped:
    pattern: str
    why: str


@dataclass
class ClaudeRules:
    rules: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, rule: str) -> None:
        if rule not in self.rules:
            self.rules.append(rule)


def is_valid_rule(rule: str) -> bool:
    """A `Read(<pattern>)` rule as agentcost writes it: non-empty, no parentheses, no negation."""
    m = _RULE_RE.match(rule)
    if m is None:
        return False
    p = m.group("p")
    return not p.startswith("!") and p.strip() == p


def pattern_to_rule(pattern: str) -> str | None:
    """One positive gitignore pattern -> one Claude Code `Read(...)` rule (None: not expressible)."""
    p = pattern.strip()
    if not p or p.startswith("#") or p.startswith("!"):
        return None
    if "(" in p or ")" in p:
        return None  # would break the Tool(specifier) syntax
    if p.startswith("\\"):
        p = p[1:]  # gitignore escape of a leading '#' or '!'
    directory = p.endswith("/")
    p = p.rstrip("/")
    if not p:
        return None
    if p.startswith("**/"):
        body = p
    elif "/" in p:
        # Anchored. Not "./x": Claude Code strips "./" and a one-segment "x" then matches at any depth
        # (gitignore); "/x" is rooted at the directory holding .claude/, i.e. the repository root.
        body = "/" + p.lstrip("/")
    else:
        body = "**/" + p
    if directory and not body.endswith("/**"):
        body += "/**"
    return f"Read({body})"


def claude_rules(
    groups: Sequence[ExclusionGroup],
    extra: Sequence[str] = (),
    repo_files: Iterable[str] = (),
) -> ClaudeRules:
    """Deny rules for `groups` + `extra` patterns.

    `repo_files` (repository-relative POSIX paths) lets a pattern carved by a negation be replaced by
    exact rules for the files that really exist (e.g. `.env.staging2` but not `.env.example`).
    """
    out = ClaudeRules()
    files = list(repo_files)
    for g in groups:
        negated = g.negated
        for p in g.positive:
            if negated and _overlaps(p, negated):
                expand = g.claude_expand.get(p, [])
                for q in expand:
                    _add_pattern(out, q)
                spec = Matcher([p, *("!" + n for n in negated)])  # git's semantics, fast
                already = Matcher(expand)
                for f in files:
                    if spec.ignored(f) and not already.ignored(f) and _literal(f):
                        out.add(f"Read(/{f})")
                out.skipped.append(
                    Skipped(
                        p,
                        f"exceptions ({', '.join('!' + n for n in negated)}) cannot be expressed as deny "
                        "rules; denied the usual variants and the matching files found instead",
                    )
                )
                continue
            _add_pattern(out, p)
        for n in negated:
            out.skipped.append(Skipped("!" + n, "negation: stays readable (nothing to deny)"))
    for p in extra:
        if p.startswith("!"):
            out.skipped.append(Skipped(p, "negation: Claude Code deny rules cannot re-include a path"))
            continue
        _add_pattern(out, p)
    return out


def _add_pattern(out: ClaudeRules, pattern: str) -> None:
    rule = pattern_to_rule(pattern)
    if rule is None:
        out.skipped.append(Skipped(pattern, "not expressible as a Read(...) rule"))
    else:
        out.add(rule)


def _literal(path: str) -> bool:
    """A path usable verbatim inside a rule (no glob or rule-syntax characters, valid UTF-8)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not any(c in path for c in "()*?[]\\!#\n\r") and not path.startswith("/") and path == path.strip()


def _overlaps(positive: str, negated: Sequence[str]) -> bool:
    """Does some negated path fall under `positive`? (checked on the negation's literal form)"""
    spec = Matcher([positive])
    return any(spec.ignored(n.strip("/")) for n in negated)


# --- merging into settings JSON -------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    text: str
    added: list[str]
    already: int  # rules that were present before


def merge_deny_rules(old_text: str | None, rules: Sequence[str], path: Path | str) -> MergeResult:
    """Add the missing `rules` to `permissions.deny` of a settings document.

    The user's rules and every other key keep their order, values and formatting: only the new
    elements are inserted (in the file's indentation and line endings); a layout the minimal editor
    cannot handle is re-serialised instead. Malformed JSON or a wrong shape raises ConfigError.
    """
    data: dict[str, Any]
    if old_text is None or not old_text.strip():
        data = {}
    else:
        parsed = parse_json(old_text, path)
        if not isinstance(parsed, dict):
            raise ConfigError(
                f"expected a JSON object at the top level, found {type(parsed).__name__}", path=path
            )
        data = parsed
    perms = data.get("permissions")
    if perms is None:
        perms = {}
    if not isinstance(perms, dict):
        raise ConfigError('"permissions" must be a JSON object', path=path, hint="fix it by hand")
    deny = perms.get("deny")
    if deny is None:
        deny = []
    if not isinstance(deny, list) or not all(isinstance(r, str) for r in deny):
        raise ConfigError('"permissions.deny" must be a list of strings', path=path, hint="fix it by hand")
    present = {r.strip() for r in deny}
    added = [r for r in rules if r not in present]
    already = len(rules) - len(added)
    if not added and old_text is not None and old_text.strip():
        return MergeResult(text=old_text, added=[], already=already)
    perms["deny"] = [*deny, *added]
    data["permissions"] = perms  # an existing key keeps its place; a new one goes last
    edited = append_deny(old_text, added, data) if old_text is not None else None
    if edited is not None:  # the minimal edit means exactly the merged data
        return MergeResult(text=edited, added=added, already=already)
    # no file yet, a one-line file, or a layout the editor does not handle: re-serialise
    return MergeResult(text=render_object(data, old_text), added=added, already=already)
