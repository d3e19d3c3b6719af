"""The per-file aggregate cache: one marshal file in `paths.cache_dir()`.

marshal (standard library) loads ~10x faster than JSON, which is what makes a repeated run cheap.
The file is versioned by format and Python version; anything unexpected means "no cache" (a cold
read), never an error. The cache lives in the user's own cache directory and is written atomically.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentcost import paths

FORMAT = 5  # bump whenever parsing rules or the entry layout change
FILENAME = "usage-files.marshal"


def cache_path(env: Mapping[str, str] | None = None) -> Path:
    return paths.cache_dir(env) / FILENAME


def _tag() -> list[int]:
    return [FORMAT, sys.version_info[0], sys.version_info[1]]


def load(env: Mapping[str, str] | None = None) -> dict[str, list[Any]]:
    try:
        data = cache_path(env).read_bytes()
        doc = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(doc, dict) or doc.get("tag") != _tag() or not isinstance(doc.get("files"), dict):
        return {}
    files: dict[str, list[Any]] = doc["files"]
    return files


def save(files: dict[str, list[Any]], env: Mapping[str, str] | None = None) -> bool:
    """Write atomically; returns False (and keeps going) when the cache cannot be written."""
    import tempfile  # here, not at the top: the status line imports this module (tempfile costs ~5 ms)

    target = cache_path(env)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".usage-", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            marshal.dump({"tag": _tag(), "files": files}, f)
        os.replace(tmp, target)
        tmp = None
        return True
    except (OSError, ValueError):
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def clear(env: Mapping[str, str] | None = None) -> None:
    with contextlib.suppress(OSError):
        cache_path(env).unlink()
