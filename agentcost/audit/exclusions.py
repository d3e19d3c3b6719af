"""agentcost's recommended exclusions (owned by `agentcost.ignore`) as one matcher for the walk."""

from __future__ import annotations

from dataclasses import dataclass

from agentcost.audit.ignorematch import IgnoreMatcher

SOURCE_PREFIX = "agentcost:"


@dataclass(frozen=True)
class Exclusions:
    matcher: IgnoreMatcher
    reasons: dict[str, str]  # group name -> why it is excluded
    available: bool  # False when agentcost.ignore could not provide its list


def load_exclusions() -> Exclusions:
    """Compile `agentcost.ignore.default_exclusions()`; an empty set (and a note) if unavailable."""
    try:
        from agentcost.ignore import default_exclusions

        groups = default_exclusions()
    except Exception:  # the ignore module is optional for the audit: view 3 then equals view 2
        return Exclusions(IgnoreMatcher([], None), {}, False)
    items: list[tuple[str, str]] = []
    reasons: dict[str, str] = {}
    for g in groups:
        reasons[str(g.name)] = str(g.reason)
        items.extend((str(p), SOURCE_PREFIX + str(g.name)) for p in g.patterns)
    return Exclusions(IgnoreMatcher.from_patterns(items), reasons, True)
