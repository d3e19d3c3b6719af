"""Keep coding agents away from files: default exclusions and each agent's own mechanism.

Public API (other areas import from here):
- `default_exclusions() -> list[ExclusionGroup]`, `all_patterns()`, `default_catalog()`
  (bundled data in `agentcost/data/exclusions.toml`, gitignore syntax, with `source` / `as_of`).
"""

from __future__ import annotations

from agentcost.ignore_defaults import (
    ExclusionCatalog,
    ExclusionGroup,
    all_patterns,
    default_catalog,
    default_exclusions,
)

__all__ = [
    "ExclusionCatalog",
    "ExclusionGroup",
    "all_patterns",
    "default_catalog",
    "default_exclusions",
]
