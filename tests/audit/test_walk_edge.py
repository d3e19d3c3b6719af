"""Symlinks (loops, outside the tree), unreadable directories and files, binary detection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentcost.audit import binary
from agentcost.audit.scan import scan
from agentcost.audit.walk import WalkStats, walk


def test_symlink_loops_and_links_outside_are_not_followed(make_tree, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x" * 1000)
    root = make_tree({"src/a.py": "print(1)\n"})
    os.symlink(root, root / "src" / "loop")  # a directory loop
    os.symlink(outside, root / "escape")  # a directory outside the tree
    os.symlink(outside / "secret.txt", root / "secret-link.txt")  # a file outside the tree
    os.symlink(root / "missing", root / "dangling")
    os.symlink(root / "src" / "a.py", root / "alias.py")  # inside: counted once, where it lives
    stats = WalkStats()
    rels = sorted(f.rel for f in walk(root, None, stats=stats))
    assert rels == ["src/a.py"]
    assert (stats.symlinks, stats.symlinks_outside, stats.symlinks_broken) == (5, 2, 1)


def test_directory_visited_twice_is_skipped(make_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bind mounts can make two directories the same inode; simulate it with a repeated (dev, ino).
    root = make_tree({"a/x.txt": "x", "b/y.txt": "y"})
    real_stat = os.DirEntry.stat  # type: ignore[attr-defined]
    ino = os.stat(root / "a").st_ino

    class Fake:
        def __init__(self, s: os.stat_result) -> None:
            self.s = s

        def __getattr__(self, k: str) -> object:
            return ino if k == "st_ino" else getattr(self.s, k)

    def fake_stat(self: os.DirEntry[str], *, follow_symlinks: bool = True) -> object:
        s = real_stat(self, follow_symlinks=follow_symlinks)
        return Fake(s) if self.name == "b" else s

    monkeypatch.setattr(os.DirEntry, "stat", fake_stat, raising=False)
    stats = WalkStats()
    try:
        rels = {f.rel for f in walk(root, None, stats=stats)}
    except TypeError:
        pytest.skip("os.DirEntry.stat cannot be patched on this Python")
    assert stats.loops == 1 and len(rels) == 1


def test_permission_denied_directory_is_counted_not_fatal(make_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree({"ok/a.py": "x = 1\n", "locked/b.py": "y = 2\n"})
    real = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = scan(root)
    assert result.walk.unreadable_dirs == 1 and result.walk.unreadable_examples == ["locked/"]
    assert result.aggregate.views[3].files == 1


def test_unreadable_file_is_counted_not_fatal(make_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree({"a.py": "x = 1\n", "b.py": "y = 2\n"})
    real = os.open

    def fake_open(path: str, flags: int, *a: object) -> int:
        if str(path).endswith("b.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, flags, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)
    result = scan(root)
    assert result.aggregate.unreadable_files == 1 and result.aggregate.views[3].files == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", False),
        (b"plain text\n", False),
        ("héllo wörld ✓\n".encode(), False),
        (b"\x1b[31mcoloured log\x1b[0m\n", False),
        (b"text\x00with a NUL", True),
        (bytes(range(1, 32)) * 10, True),  # mostly control bytes
        (b"SQLite format 3\x00" + b"\x00" * 100, True),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
    ],
)
def test_binary_by_content(data: bytes, expected: bool) -> None:
    assert binary.is_binary_bytes(data) is expected


def test_binary_detected_without_a_telling_extension(make_tree) -> None:
    root = make_tree(
        {"notes.txt": b"\x00\x01\x02" * 4000, "code.py": "x = 1\n" * 100, "logo.png": "not read"}
    )
    result = scan(root)
    inc = result.aggregate.views[3]
    assert (inc.files, inc.binary_files, inc.text_files) == (3, 2, 1)
    assert inc.tokens == round(600 / 4.6) or inc.tokens > 0
    assert [b[0] for b in result.aggregate.top_binaries()] == ["notes.txt", "logo.png"]


def test_agentcost_exclusions_with_negation_and_reasons(make_tree) -> None:
    from agentcost.gitignore import Matcher

    root = make_tree({".env": "SECRET=1\n", ".env.example": "SECRET=\n", "db/app.sqlite": b"\x00" * 10,
                      "src/a.py": "x = 1\n", "dist/bundle.js": "var a;\n"})  # fmt: skip
    excl = Matcher.from_patterns(
        [
            (".env", "agentcost:secrets"),
            ("!.env.example", "agentcost:secrets"),
            ("*.sqlite", "agentcost:data"),
            ("dist/", "agentcost:build"),
        ]
    )
    files = {f.rel: f for f in walk(root, excl)}
    assert {r for r, f in files.items() if f.view == 3} == {".env.example", "src/a.py"}
    assert (files[".env"].view, files[".env"].source) == (2, "agentcost:secrets")
    assert (files["dist/bundle.js"].rule, files["dist/bundle.js"].root) == ("dist/", "dist/")
    assert files["db/app.sqlite"].rule == "*.sqlite"


def test_table_layout(cli, make_tree) -> None:
    root = make_tree({"src/a.py": "x = 1\n" * 100, "lib/b.py": "y = 2\n"})
    out = cli("audit-repo", str(root), "--table", "--top", "1").stdout
    assert "Top directories (included)" in out and "src/" in out and "lib/" not in out.split("Top files")[0]
