"""agentcost's exclusions (owned by `agentcost.ignore`) as one matcher for the walk.

View 3 applies agentcost's default exclusions plus, when the repository already has an agentcost
block (written by `agentcost ignore`) in one of its ignore files, the patterns of that block, so
that patterns added with `agentcost ignore --extra` (or `--apply-detected`) count too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agentcost.gitignore import Matcher
from agentcost.gitignore.block import find_block

SOURCE_PREFIX = "agentcost:"


@dataclass(frozen=True)
class Exclusions:
    matcher: Matcher
    reasons: dict[str, str]  # group name -> why it is excluded
    available: bool  # False when agentcost.ignore could not provide its list
    block_file: str | None = None  # the ignore file whose agentcost block was used
    added: list[str] = field(default_factory=list)  # block patterns beyond the defaults
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """Where view 3's exclusions come from, for people."""
        if self.block_file is None:
            return "agentcost defaults" if self.available else "none (agentcost's defaults unavailable)"
        n = len(self.added)
        more = f", with {n} pattern{'' if n == 1 else 's'} beyond the defaults" if n else ""
        return f"from {self.block_file}'s agentcost block{more}"


def load_exclusions(root: Path | None = None) -> Exclusions:
    """Compile agentcost's exclusions for the repository at `root`.

    With an agentcost block in one of the ignore files at `root`, the block's patterns are what the
    repository really applies (defaults as written, minus groups left out with `--without`, plus
    `--extra` and detected patterns), so they are used instead of the bundled defaults. Without a
    block: `agentcost.ignore.default_exclusions()` (none, with `available` False, if unavailable).
    """
    block, notes = find_block(root) if root is not None else (None, [])
    try:
        from agentcost.ignore.defaults import default_exclusions

        groups = default_exclusions()
        available = True
    except Exception:  # the ignore module is optional for the audit: view 3 then equals view 2
        groups, available = [], False
    reasons: dict[str, str] = {}
    default_group: dict[str, str] = {}
    for g in groups:
        reasons[str(g.name)] = str(g.reason)
        for p in g.patterns:
            default_group.setdefault(str(p), str(g.name))
    if block is None:
        items = [(p, SOURCE_PREFIX + g) for p, g in default_group.items()]
        return Exclusions(Matcher.from_patterns(items), reasons, available, notes=notes)
    items = []
    added: list[str] = []
    for pat, section in block.patterns:
        if pat not in default_group:
            added.append(pat)
        items.append((pat, SOURCE_PREFIX + default_group.get(pat, section)))
    reasons.setdefault("extra", "added with `agentcost ignore --extra`")
    reasons.setdefault("detected", "added with `agentcost ignore --apply-detected`")
    for _, section in block.patterns:
        reasons.setdefault(section, "in the agentcost block")
    missing = sum(1 for p in default_group if p not in {q for q, _ in block.patterns})
    if missing:
        notes.append(
            f"{missing} of agentcost's default patterns are not in {block.file}'s block (left out with "
            "--without, or written by an older version): re-run `agentcost ignore` to update it"
        )
    return Exclusions(Matcher.from_patterns(items), reasons, True, block.file, added, notes)
