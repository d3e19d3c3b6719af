"""The coding agents agentcost configures and checks: one sub-package each (claude/, codex/), behind
one interface (`base.Agent`), plus what they share (findings, keys, choice, urls, online, results).

`names()` lists the agents — the sub-packages of this package — without importing any of them: the
CLI builds its `--agent` choices from it at no cost. `base.get(name)` imports one.
"""

from __future__ import annotations

import pkgutil
from functools import cache


@cache
def names() -> tuple[str, ...]:
    """Every agent's name, in a stable order (the sub-packages of agentcost.agents, sorted)."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg))
