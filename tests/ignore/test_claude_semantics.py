"""The generated Read(...) rules, run through a model of Claude Code's matcher, deny what the
gitignore patterns exclude.

Model (read from Claude Code 2.1.197's bundled source: `patternWithRoot` + `matchingRuleForInput`):
a rule's pattern starting with `./` loses it and is matched relative to the session's directory;
a trailing `/**` is dropped ("dir" then covers the directory and everything in it); the rest is
gitignore matching by the `ignore` library, for which pathspec's GitIgnoreSpec stands in here.
"""

from __future__ import annotations

import pathspec
import pytest

from agentcost.ignore import all_patterns, claude_rules, default_exclusions


def claude_matcher(rules: list[str]) -> pathspec.GitIgnoreSpec:
    pats = []
    for r in rules:
        assert r.startswith("Read(") and r.endswith(")")
        p = r[len("Read(") : -1]
        if p.startswith("./"):
            p = p[2:]
        if p.endswith("/**") and p[:-3].strip("/"):
            p = p[:-3]
        pats.append(p)
    return pathspec.GitIgnoreSpec.from_lines(pats)


SAMPLE = [
    "node_modules/react/index.js",
    "web/node_modules/x/y.js",
    ".git/HEAD",
    "sub/.git/config",
    "data/app.sqlite",
    "db.sqlite3",
    "deep/a/b/c.db",
    "dist/main.js",
    "packages/ui/dist/index.js",
    "build/out.o",
    "src/__pycache__/a.cpython-311.pyc",
    ".venv/lib/python3.11/site-packages/x.py",
    "static/app.min.js",
    "static/app.js.map",
    "package-lock.json",
    "web/yarn.lock",
    "server.log",
    "img/logo.png",
    ".env",
    "api/.env",
    ".env.local",
    "api/.env.production",
    ".env.example",
    "api/.env.example",
    "keys/server.pem",
    ".yarn/cache/pkg.zip",
    "src/main.py",
    "src/build.py",
    "README.md",
    "package.json",
    "docs/guide.md",
    "schema.sql",
    ".envrc",
]


@pytest.mark.parametrize("path", SAMPLE)
def test_rules_deny_exactly_what_gitignore_excludes(path: str) -> None:
    groups = default_exclusions()
    gitignore = pathspec.GitIgnoreSpec.from_lines(all_patterns(groups))
    claude = claude_matcher(claude_rules(groups).rules)
    assert claude.match_file(path) == gitignore.match_file(path), path


def test_env_variants_outside_the_usual_list_are_the_documented_gap() -> None:
    """`.env.qa2` is excluded by `.env.*` in ignore files; for Claude it is denied only when the
    file exists in the repository (exact rule) - the price of keeping `.env.example` readable."""
    groups = default_exclusions()
    without = claude_matcher(claude_rules(groups).rules)
    assert not without.match_file(".env.qa2")
    with_file = claude_matcher(claude_rules(groups, repo_files=[".env.qa2", ".env.example"]).rules)
    assert with_file.match_file(".env.qa2")
    assert not with_file.match_file(".env.example")
