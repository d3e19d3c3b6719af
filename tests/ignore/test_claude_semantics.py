"""The generated Read(...) rules, run through a model of Claude Code's matcher, deny what the
gitignore patterns exclude.

Model (read from Claude Code 2.1.197's bundled source: `patternWithRoot` + `matchingRuleForInput`):
a rule's pattern starting with `./` loses it and is matched relative to the session's directory; one
starting with `/` keeps it and is matched relative to the directory holding `.claude/` (the same
directory when Claude Code is started at the repository root); a trailing `/**` is dropped ("dir"
then covers the directory and everything in it); the rest is gitignore matching by the `ignore`
library, for which pathspec's GitIgnoreSpec stands in here.
"""

from __future__ import annotations

import pathspec
import pytest

from agentcost.ignore.claude import claude_rules
from agentcost.ignore.defaults import all_patterns, default_exclusions


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


# --- any simple pattern, any path ---------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from agentcost.gitignore import Matcher  # noqa: E402
from agentcost.ignore.claude import pattern_to_rule  # noqa: E402

name_st = st.sampled_from(["a", "b", "node_modules", ".env", "x.db", "data", "c.py"])
glob_st = st.sampled_from(["*.db", "*.py", ".env*", "x.*"])
segment_st = st.one_of(name_st, glob_st)
pattern_st = st.builds(
    lambda lead, segs, trail: lead + "/".join(segs) + trail,
    st.sampled_from(["", "/", "**/"]),
    st.lists(segment_st, min_size=1, max_size=2),
    st.sampled_from(["", "/"]),
)
path_st = st.lists(name_st, min_size=1, max_size=4).map("/".join)


@settings(max_examples=300, deadline=None)
@given(pattern=pattern_st, path=path_st)
def test_translation_matches_git_for_simple_patterns(pattern: str, path: str) -> None:
    rule = pattern_to_rule(pattern)
    assert rule is not None
    git_says = Matcher([pattern]).ignored(path)
    claude_says = claude_matcher([rule]).match_file(path)
    if pattern.endswith("/") and not git_says and claude_says:
        # the one documented difference: `dir/` -> `Read(**/dir/**)`, and Claude Code drops the
        # trailing `/**`, so a FILE with the directory's name is denied too
        assert Matcher([pattern.rstrip("/")]).ignored(path), (pattern, rule, path)
        return
    assert claude_says == git_says, (pattern, rule, path)


def test_dot_slash_would_not_anchor_a_single_name() -> None:
    """Why anchored patterns become `Read(/x)`: Claude Code strips `./`, and `build` alone then
    matches at any depth - `Read(./build/**)` would deny `packages/ui/build/` too."""
    assert claude_matcher(["Read(./build/**)"]).match_file("packages/ui/build/x.js")
    assert not claude_matcher(["Read(/build/**)"]).match_file("packages/ui/build/x.js")
    assert claude_matcher(["Read(/build/**)"]).match_file("build/x.js")
