"""agentcost's exclusions (owned by `agentcost.ignore`) as one matcher for the walk.

View 3 applies agentcost's default exclusions plus, when the repository already has an agentcost
block (written by `agentcost ignore`) in one of its ignore files, the patterns of that block, so
that patterns added with `agentcost ignore --extra` (or `--apply-detected`) count too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agentcost.audit.ignorematch import IgnoreMatcher

SOURCE_PREFIX = "agentcost:"
# Ignore files `agentcost ignore` writes its fenced block into, in the order they are looked at.
BLOCK_FILES = (".cursorignore", ".aiderignore", ".geminiignore", ".ignore")
BEGIN = "# >>> agentcost >>>"
END = "# <<< agentcost <<<"
# Section titles of the block (see agentcost.gitignore.block): "<group>: <reason>" for default groups.
EXTRA_PREFIX = "extra:"
DETECTED_PREFIX = "detected in this repository:"
MAX_BLOCK_BYTES = 1 << 20


@dataclass(frozen=True)
class Block:
    """The agentcost block of one ignore file: its patterns in order, each with its section."""

    file: str  # ".cursorignore"
    patterns: list[tuple[str, str]]  # (pattern, group): group "extra", "detected" or a default group


@dataclass(frozen=True)
class Exclusions:
    matcher: IgnoreMatcher
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


def parse_block(text: str, file: str) -> Block | None:
    """The agentcost block of `text`; None without one. ValueError when the fence is damaged."""
    lines = [ln.strip() for ln in text.splitlines()]
    begins = [i for i, ln in enumerate(lines) if ln == BEGIN]
    ends = [i for i, ln in enumerate(lines) if ln == END]
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(f"{len(begins)} start line(s), {len(ends)} end line(s)")
    group = "agentcost"
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ln in lines[begins[0] + 1 : ends[0]]:
        if ln.startswith("#"):
            title = ln[1:].strip()
            if title.startswith(EXTRA_PREFIX):
                group = "extra"
            elif title.startswith(DETECTED_PREFIX):
                group = "detected"
            elif ":" in title and " " not in title.split(":", 1)[0]:
                group = title.split(":", 1)[0]
            continue
        if ln and ln not in seen:
            seen.add(ln)
            out.append((ln, group))
    return Block(file, out)


def find_block(root: Path) -> tuple[Block | None, list[str]]:
    """The first agentcost block among `BLOCK_FILES` at `root`, and notes (damaged or differing blocks)."""
    notes: list[str] = []
    found: list[Block] = []
    for name in BLOCK_FILES:
        p = root / name
        try:
            if not p.is_file():
                continue
            with p.open("rb") as fh:
                text = fh.read(MAX_BLOCK_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        try:
            block = parse_block(text, name)
        except ValueError as e:
            notes.append(f"{name}: the agentcost block is damaged ({e}); its patterns are not applied")
            continue
        if block is not None:
            found.append(block)
    if not found:
        return None, notes
    first = found[0]
    for other in found[1:]:
        if {p for p, _ in other.patterns} != {p for p, _ in first.patterns}:
            notes.append(f"{other.file}'s agentcost block differs from {first.file}'s; using {first.file}'s")
    return first, notes


def load_exclusions(root: Path | None = None) -> Exclusions:
    """Compile agentcost's exclusions for the repository at `root`.

    With an agentcost block in one of `BLOCK_FILES` at `root`, the block's patterns are what the
    repository really applies (defaults as written, minus groups left out with `--without`, plus
    `--extra` and detected patterns), so they are used instead of the bundled defaults. Without a
    block: `agentcost.ignore.default_exclusions()` (none, with `available` False, if unavailable).
    """
    block, notes = find_block(root) if root is not None else (None, [])
    try:
        from agentcost.ignore import default_exclusions

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
        return Exclusions(IgnoreMatcher.from_patterns(items), reasons, available, notes=notes)
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
    return Exclusions(IgnoreMatcher.from_patterns(items), reasons, True, block.file, added, notes)
