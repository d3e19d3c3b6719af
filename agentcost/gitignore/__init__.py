"""One gitignore engine that agrees with git, and agentcost's fenced block in ignore files.

- `pattern`: one line -> git's semantics (dir.c + wildmatch.c) as a regex;
- `matcher`: `Matcher`, the rules of one file compiled into a few dict lookups and two reverse-order
  regexes, with the deciding rule and its source (`Match`, `Rule`);
- `sources`: the files git reads (nested `.gitignore`, info/exclude, the global excludes file), the
  chain that decides, and `GitIgnores` (git's verdict for any path under a root);
- `block`: the one reader/writer of agentcost's `# >>> agentcost >>>` block.

Proved against git itself by tests/gitignore/test_differential.py.
"""

from agentcost.gitignore.matcher import Match, Matcher, Rule
from agentcost.gitignore.sources import Chain, Frame, GitIgnores, decide, outer_chain, push, read_ignore_lines

__all__ = [
    "Chain",
    "Frame",
    "GitIgnores",
    "Match",
    "Matcher",
    "Rule",
    "decide",
    "outer_chain",
    "push",
    "read_ignore_lines",
]
