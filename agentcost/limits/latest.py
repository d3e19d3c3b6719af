"""The last measured allowances, kept small for the status line: `<cache dir>/limits-latest.json`.

`agentcost limits` writes {"claude": {"300": "20.12", "10080": "151.3"}, "codex": {...}} (window
minutes -> API dollars); the status line shows "of ~$20" beside a window when it is there.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from typing import Any

from agentcost import paths

FILENAME = "limits-latest.json"


def read_latest(env: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    try:
        with open(paths.cache_dir(env) / FILENAME, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict):
        return {}
    return {k: v for k, v in doc.items() if isinstance(v, dict)}


def write_latest(values: dict[str, dict[str, str]], env: Mapping[str, str] | None = None) -> None:
    import tempfile  # not at the top: the status line imports this module and never writes it

    d = paths.cache_dir(env)
    tmp: Any = None
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".limits-", dir=d)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(values, f)
        os.replace(tmp, d / FILENAME)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
