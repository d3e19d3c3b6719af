from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

MB = 1024 * 1024


def write(root: Path, rel: str, data: bytes | str = "x\n") -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        p.write_bytes(data.encode())
    else:
        p.write_bytes(data)
    return p


def sparse(root: Path, rel: str, size: int, head: bytes = b"") -> Path:
    """A file of `size` bytes that costs no disk (st_size is what detection measures)."""
    p = write(root, rel, head)
    with open(p, "r+b") as f:
        f.truncate(size)
    return p


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git work tree (nothing committed: `git ls-files -co` lists untracked files too)."""
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root
