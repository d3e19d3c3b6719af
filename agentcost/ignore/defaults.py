"""The bundled default exclusions (`data/exclusions.toml`), grouped by reason.

Patterns are .gitignore syntax. Negations (``!.env.example``) re-include a path inside a group;
tools that cannot express them (Claude Code deny rules) use the group's `claude_expand` table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from agentcost.errors import ConfigError
from agentcost.fileio import parse_toml

DATA_FILE = "exclusions.toml"


@dataclass(frozen=True)
class ExclusionGroup:
    """One reason to keep an agent away from some paths, and the gitignore patterns for it."""

    name: str
    reason: str
    patterns: list[str]
    # positive pattern -> concrete patterns to use where negations are impossible (Claude Code)
    claude_expand: dict[str, list[str]] = field(default_factory=dict)

    @property
    def positive(self) -> list[str]:
        return [p for p in self.patterns if not p.startswith("!")]

    @property
    def negated(self) -> list[str]:
        return [p[1:] for p in self.patterns if p.startswith("!")]


@dataclass(frozen=True)
class ExclusionCatalog:
    groups: list[ExclusionGroup]
    source: str
    as_of: str
    codex_note: str = ""
    codex_source: str = ""
    codex_profile: str = "agentcost"
    codex_extends: str = ":workspace"
    codex_deny: tuple[str, ...] = ()
    codex_verified: str = ""


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings", path=DATA_FILE)
    return [str(v) for v in value]


def parse_catalog(text: str, where: str = DATA_FILE) -> ExclusionCatalog:
    """Parse an exclusions TOML document (the bundled one, or a test's)."""
    doc = parse_toml(text, where).unwrap()
    groups_raw = doc.get("groups")
    if not isinstance(groups_raw, dict) or not groups_raw:
        raise ConfigError("no [groups.*] tables", path=where)
    groups: list[ExclusionGroup] = []
    for name, raw in groups_raw.items():
        if not isinstance(raw, dict) or not isinstance(raw.get("reason"), str):
            raise ConfigError(f"group {name!r}: needs a `reason` string", path=where)
        expand_raw = raw.get("claude_expand", {})
        if not isinstance(expand_raw, dict):
            raise ConfigError(f"group {name!r}: claude_expand must be a table", path=where)
        expand = {str(k): _strings(v, f"group {name!r} claude_expand {k!r}") for k, v in expand_raw.items()}
        groups.append(
            ExclusionGroup(
                name=str(name),
                reason=raw["reason"],
                patterns=_strings(raw.get("patterns"), f"group {name!r} patterns"),
                claude_expand=expand,
            )
        )
    codex = doc.get("codex", {})
    if not isinstance(codex, dict):
        raise ConfigError("[codex] must be a table", path=where)
    return ExclusionCatalog(
        groups=groups,
        source=str(doc.get("source", "unknown")),
        as_of=str(doc.get("as_of", "unknown")),
        codex_note=str(codex.get("note", "")).strip(),
        codex_source=str(codex.get("source", "")),
        codex_profile=str(codex.get("profile", "agentcost")),
        codex_extends=str(codex.get("profile_extends", ":workspace")),
        codex_deny=tuple(_strings(codex.get("profile_deny", []), "codex profile_deny")),
        codex_verified=str(codex.get("verified", "")),
    )


@lru_cache(maxsize=1)
def _bundled() -> ExclusionCatalog:
    text = resources.files("agentcost.data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_catalog(text)


def default_catalog() -> ExclusionCatalog:
    """The bundled catalog with its `source` and `as_of`."""
    return _bundled()


def default_exclusions() -> list[ExclusionGroup]:
    """The default exclusion groups, in file order (a fresh list; the groups are immutable)."""
    return list(_bundled().groups)


def all_patterns(groups: list[ExclusionGroup] | None = None) -> list[str]:
    """Every pattern of `groups` (default: the bundled ones) in order, duplicates dropped.

    Negations stay in place after the positives they qualify, so the list is valid gitignore text.
    """
    seen: set[str] = set()
    out: list[str] = []
    for g in default_exclusions() if groups is None else groups:
        for p in g.patterns:
            if p not in seen:
                seen.add(p)
                out.append(p)
    return out
