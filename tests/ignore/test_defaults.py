from __future__ import annotations

import pathspec
import pytest

from agentcost.ignore.defaults import ExclusionGroup, all_patterns, default_catalog, default_exclusions

EXPECTED_GROUPS = {
    "dependencies",
    "vcs",
    "data",
    "build",
    "caches",
    "minified",
    "lockfiles",
    "logs",
    "media",
    "secrets",
}


def test_groups_have_reasons_and_patterns() -> None:
    groups = default_exclusions()
    assert {g.name for g in groups} == EXPECTED_GROUPS
    for g in groups:
        assert isinstance(g, ExclusionGroup)
        assert g.reason.strip()
        assert g.patterns
        assert all(p.strip() == p and p for p in g.patterns)


def test_catalog_is_sourced() -> None:
    cat = default_catalog()
    assert "observed with Claude Code 2.1.197 and Codex 0.171.0" in cat.source
    assert "shared/" not in cat.source  # users do not have agentcost's research files
    assert cat.as_of == "2026-11-26"


def test_all_patterns_no_duplicates_and_valid_gitignore() -> None:
    pats = all_patterns()
    assert len(pats) == len(set(pats))
    pathspec.GitIgnoreSpec.from_lines(pats)  # raises on invalid syntax


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("node_modules/react/index.js", True),
        ("web/node_modules/x.js", True),
        (".git/objects/ab/cdef", True),
        ("data/app.sqlite", True),
        ("db.sqlite3", True),
        ("dist/bundle.js", True),
        ("pkg/__pycache__/m.cpython-311.pyc", True),
        ("static/app.min.js", True),
        ("static/app.js.map", True),
        ("package-lock.json", True),
        ("server.log", True),
        ("img/logo.png", True),
        (".env", True),
        (".env.local", True),
        ("config/.env.production", True),
        (".env.example", False),
        ("config/.env.example", False),
        ("src/main.py", False),
        ("README.md", False),
        ("package.json", False),
        ("src/build.py", False),
        ("schema.sql", False),
    ],
)
def test_defaults_match_as_expected(path: str, ignored: bool) -> None:
    spec = pathspec.GitIgnoreSpec.from_lines(all_patterns())
    assert spec.match_file(path) is ignored


def test_default_exclusions_returns_fresh_list() -> None:
    a = default_exclusions()
    a.clear()
    assert default_exclusions()
