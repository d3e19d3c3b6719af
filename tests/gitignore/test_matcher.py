"""Matcher: git's "last matching line wins" inside each kind of pattern and across kinds."""

from __future__ import annotations

import pytest

from agentcost.gitignore import Matcher


def _excluded(lines: list[str], rel: str, is_dir: bool = False) -> bool | None:
    m = Matcher.from_lines(lines, ".gitignore").match(rel, is_dir)
    return None if m is None else m.excluded


@pytest.mark.parametrize(
    ("lines", "rel", "is_dir", "expected"),
    [
        (["a*", "!ab*"], "abc", False, False),  # two basename globs: the later wins
        (["!ab*", "a*"], "abc", False, True),
        (["/x/*", "!/x/y*"], "x/yz", False, False),  # two path patterns: the later wins
        (["!/x/y*", "/x/*"], "x/yz", False, True),
        (["*.log", "!keep.log"], "d/keep.log", False, False),  # suffix then literal
        (["!keep.log", "*.log"], "d/keep.log", False, True),
        (["build/"], "src/build", False, None),  # directory-only
        (["build/"], "src/build", True, True),
        (["/top"], "sub/top", False, None),  # anchored
        (["/top"], "top", False, True),
        (["# comment", "", "   "], "x", False, None),
        (["**/gen/"], "a/b/gen", True, True),
        (["a/**/z"], "a/z", False, True),
        (["[Tt]mp*"], "Tmp1", False, True),
        (["\\!bang"], "!bang", False, True),
    ],
)
def test_precedence_and_pattern_kinds(
    lines: list[str], rel: str, is_dir: bool, expected: bool | None
) -> None:
    assert _excluded(lines, rel, is_dir) is expected


def test_rule_reports_source_line() -> None:
    m = Matcher.from_lines(["*.tmp", "node_modules/"], "pkg/.gitignore").match("node_modules", True)
    assert m is not None and m.rule.source == "pkg/.gitignore:2" and m.rule.pattern == "node_modules/"
