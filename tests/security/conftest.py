"""A hostile repository: every path, URL and string in it is chosen by an attacker.

`hostile` builds a git work tree (a `.git` marker; real git where a test needs it) beside a `victim`
directory outside it that must never be written. Every test here has a timeout: a read that blocks
on a FIFO fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

KEY = "sk-test-SECRET-hostile-987654"
KEY_TAIL = "hostile-987654"


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    d = tmp_path / "victim"
    d.mkdir()
    (d / ".bashrc").write_text("# the victim's shell profile\n")
    return d


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HOSTILE_TEST_KEY", KEY)
    return "HOSTILE_TEST_KEY"


def snapshot(d: Path) -> dict[str, bytes]:
    """Every regular file under `d` with its bytes (to prove nothing outside the tree changed)."""
    out: dict[str, bytes] = {}
    for p in sorted(d.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[str(p.relative_to(d))] = p.read_bytes()
    return out


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    p = tmp_path / "pipe"
    os.mkfifo(p)
    yield p


@pytest.fixture
def device(tmp_path: Path) -> Path:
    """A character device to point links at: our own copy of /dev/null when we may create one (root),
    so that the code before the fix (which replaced the node by a regular file) cannot damage the real
    one; otherwise /dev/null itself, which an unprivileged run cannot replace."""
    import stat

    node = tmp_path / "devnull"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError):
        return Path(os.devnull)
    return node
