from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.errors import ConfigError
from agentcost.ignore.claude import claude_rules, is_valid_rule, merge_deny_rules, pattern_to_rule
from agentcost.ignore.defaults import ExclusionGroup, default_exclusions


@pytest.mark.parametrize(
    ("pattern", "rule"),
    [
        ("node_modules/", "Read(**/node_modules/**)"),
        ("/node_modules/", "Read(/node_modules/**)"),
        (".env", "Read(**/.env)"),
        ("/.env", "Read(/.env)"),
        ("*.sqlite", "Read(**/*.sqlite)"),
        (".yarn/cache/", "Read(/.yarn/cache/**)"),
        ("docs/generated/api.json", "Read(/docs/generated/api.json)"),
        ("**/fixtures/", "Read(**/fixtures/**)"),
        ("/tests/fixtures/", "Read(/tests/fixtures/**)"),
        ("*.egg-info/", "Read(**/*.egg-info/**)"),
        ("npm-debug.log*", "Read(**/npm-debug.log*)"),
        ("logs/**", "Read(/logs/**)"),
        ("  dist/  ", "Read(**/dist/**)"),
        ("\\#notes", "Read(**/#notes)"),
    ],
)
def test_pattern_to_rule(pattern: str, rule: str) -> None:
    assert pattern_to_rule(pattern) == rule
    assert is_valid_rule(rule)


@pytest.mark.parametrize("pattern", ["", "   ", "# comment", "!.env.example", "/", "weird(name)"])
def test_inexpressible_patterns(pattern: str) -> None:
    assert pattern_to_rule(pattern) is None


def test_default_rules_are_valid_and_match_documented_style() -> None:
    out = claude_rules(default_exclusions())
    assert out.rules, "no rules"
    assert len(out.rules) == len(set(out.rules))
    for r in out.rules:
        assert is_valid_rule(r), r
        assert re.fullmatch(r"Read\((/|\*\*/)[^()!\s/][^()]*\)", r), r
        assert "!" not in r
    # the shapes of shared/facts/claude-code.md (Read(**/*.sqlite)); anchored ones use "/" not "./"
    # (see test_claude_semantics.test_dot_slash_would_not_anchor_a_single_name)
    for expected in [
        "Read(**/node_modules/**)",
        "Read(**/.git/**)",
        "Read(**/*.sqlite)",
        "Read(**/*.db)",
        "Read(**/build/**)",
        "Read(**/.env)",
        "Read(**/.env.local)",
        "Read(**/.env.production)",
        "Read(**/*.pem)",
        "Read(**/package-lock.json)",
    ]:
        assert expected in out.rules
    # the exception stays readable: no rule covers .env.* wholesale or .env.example
    assert "Read(**/.env.*)" not in out.rules
    assert not any("example" in r for r in out.rules)
    assert any(s.pattern == ".env.*" for s in out.skipped)


def test_negated_pattern_expands_to_existing_files() -> None:
    group = ExclusionGroup(
        "secrets", "r", [".env", ".env.*", "!.env.example"], claude_expand={".env.*": [".env.local"]}
    )
    files = [".env.example", ".env.staging2", "api/.env.qa", "src/a.py", "web/.env.local", "x/.env.example"]
    out = claude_rules([group], repo_files=files)
    assert out.rules == [
        "Read(**/.env)",
        "Read(**/.env.local)",
        "Read(/.env.staging2)",
        "Read(/api/.env.qa)",
    ]  # web/.env.local is covered by Read(**/.env.local) already: no redundant exact rule


def test_extra_negation_is_skipped_not_written() -> None:
    out = claude_rules([], extra=["fixtures/", "!fixtures/keep.json"])
    assert out.rules == ["Read(**/fixtures/**)"]
    assert [s.pattern for s in out.skipped] == ["!fixtures/keep.json"]


# --- merge ----------------------------------------------------------------------------------

USER_SETTINGS = """{
    "model": "claude-sonnet-4-5",
    "permissions": {
        "allow": ["Bash(npm test)"],
        "deny": ["Read(./secrets/**)", "Read(**/node_modules/**)"],
        "defaultMode": "acceptEdits"
    },
    "env": {"FOO": "1"}
}
"""


def test_merge_keeps_user_rules_keys_and_order() -> None:
    rules = ["Read(**/node_modules/**)", "Read(**/.env)", "Read(**/*.sqlite)"]
    res = merge_deny_rules(USER_SETTINGS, rules, "s.json")
    data = json.loads(res.text)
    assert data["permissions"]["deny"] == [
        "Read(./secrets/**)",
        "Read(**/node_modules/**)",
        "Read(**/.env)",
        "Read(**/*.sqlite)",
    ]
    assert res.added == ["Read(**/.env)", "Read(**/*.sqlite)"]
    assert res.already == 1
    assert list(data) == ["model", "permissions", "env"]
    assert list(data["permissions"]) == ["allow", "deny", "defaultMode"]
    assert data["permissions"]["allow"] == ["Bash(npm test)"]
    assert data["env"] == {"FOO": "1"}
    assert '\n    "model"' in res.text  # the file's 4-space indentation is kept


def test_merge_twice_is_identity() -> None:
    rules = ["Read(**/.env)"]
    once = merge_deny_rules(USER_SETTINGS, rules, "s.json").text
    twice = merge_deny_rules(once, rules, "s.json")
    assert twice.text == once
    assert twice.added == []


def test_merge_keeps_crlf() -> None:
    crlf = USER_SETTINGS.replace("\n", "\r\n")
    res = merge_deny_rules(crlf, ["Read(**/.env)"], "s.json")
    assert "\r\n" in res.text
    assert "\n" not in res.text.replace("\r\n", "")


def test_merge_into_empty_or_missing() -> None:
    for old in (None, "", "  \n"):
        res = merge_deny_rules(old, ["Read(**/.env)"], "s.json")
        assert json.loads(res.text) == {"permissions": {"deny": ["Read(**/.env)"]}}
        assert res.text.endswith("\n")


def test_merge_adds_permissions_without_deny() -> None:
    res = merge_deny_rules('{"permissions": {"allow": []}}', ["Read(**/.env)"], "s.json")
    assert json.loads(res.text) == {"permissions": {"allow": [], "deny": ["Read(**/.env)"]}}
    assert not res.text.endswith("\n")  # the original had no final newline


def test_malformed_json_refused_with_position() -> None:
    with pytest.raises(ConfigError) as e:
        merge_deny_rules('{\n  "permissions": {\n    "deny": [,]\n  }\n}\n', ["Read(**/.env)"], "s.json")
    assert "s.json:3:14" in e.value.message


@pytest.mark.parametrize(
    "text",
    [
        '["a"]',
        '{"permissions": []}',
        '{"permissions": {"deny": "Read(x)"}}',
        '{"permissions": {"deny": [1]}}',
    ],
)
def test_wrong_shape_refused(text: str) -> None:
    with pytest.raises(ConfigError):
        merge_deny_rules(text, ["Read(**/.env)"], Path("s.json"))


rule_st = st.from_regex(r"Read\(\*\*/[a-z][a-z0-9_.]{0,8}\)", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(user=st.lists(rule_st, max_size=6), ours=st.lists(rule_st, max_size=6, unique=True))
def test_merge_property_superset_no_dupes_user_first(user: list[str], ours: list[str]) -> None:
    old = json.dumps({"permissions": {"deny": user}, "x": 1}, indent=2) + "\n"
    res = merge_deny_rules(old, ours, "s.json")
    deny = json.loads(res.text)["permissions"]["deny"]
    assert deny[: len(user)] == user  # the user's rules untouched, in order
    assert set(deny) == set(user) | set(ours)
    assert len(deny) == len(user) + len(res.added)
    assert merge_deny_rules(res.text, ours, "s.json").text == res.text


# --- minimal edits: only the new rules appear in the diff ------------------------------------

COMPACT_USER = """{
  "permissions": {
    "allow": ["Bash(npm test)", "Bash(ls)"],
    "deny": [
      "Read(./legacy/**)"
    ]
  },
  "model": "claude-sonnet-4-5"
}
"""


def _changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    import difflib

    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


def test_minimal_edit_appends_after_last_rule_only() -> None:
    res = merge_deny_rules(COMPACT_USER, ["Read(**/.env)", "Read(**/*.sqlite)"], "s.json")
    removed, added = _changed_lines(COMPACT_USER, res.text)
    assert removed == ['      "Read(./legacy/**)"']
    assert added == ['      "Read(./legacy/**)",', '      "Read(**/.env)",', '      "Read(**/*.sqlite)"']
    assert '"allow": ["Bash(npm test)", "Bash(ls)"],' in res.text  # the compact array is untouched


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        (  # no permissions key: appended as the last member
            '{\n    "model": "x"\n}\n',
            '{\n    "model": "x",\n    "permissions": {\n        "deny": [\n            "Read(**/.env)"\n'
            "        ]\n    }\n}\n",
        ),
        (  # permissions without deny
            '{\n  "permissions": {\n    "allow": []\n  }\n}\n',
            '{\n  "permissions": {\n    "allow": [],\n    "deny": [\n      "Read(**/.env)"\n    ]\n  }\n}\n',
        ),
        (  # empty deny array
            '{\n  "permissions": {\n    "deny": []\n  }\n}\n',
            '{\n  "permissions": {\n    "deny": [\n      "Read(**/.env)"\n    ]\n  }\n}\n',
        ),
        (  # one-line deny array: just that array goes one rule per line
            '{\n  "permissions": {\n    "deny": ["Read(x)"], "ask": []\n  }\n}\n',
            '{\n  "permissions": {\n    "deny": [\n      "Read(x)",\n      "Read(**/.env)"\n    ],'
            ' "ask": []\n  }\n}\n',
        ),
        (  # empty permissions object
            '{\n  "permissions": {}\n}\n',
            '{\n  "permissions": {\n    "deny": [\n      "Read(**/.env)"\n    ]\n  }\n}\n',
        ),
        (  # tabs
            '{\n\t"permissions": {\n\t\t"deny": [\n\t\t\t"Read(x)"\n\t\t]\n\t}\n}\n',
            '{\n\t"permissions": {\n\t\t"deny": [\n\t\t\t"Read(x)",\n\t\t\t"Read(**/.env)"\n\t\t]\n\t}\n}\n',
        ),
    ],
)
def test_minimal_edit_layouts(old: str, expected: str) -> None:
    assert merge_deny_rules(old, ["Read(**/.env)"], "s.json").text == expected
    crlf = merge_deny_rules(old.replace("\n", "\r\n"), ["Read(**/.env)"], "s.json").text
    assert crlf == expected.replace("\n", "\r\n")


def test_one_line_file_is_reserialised() -> None:
    res = merge_deny_rules('{"model": "x"}', ["Read(**/.env)"], "s.json")
    assert json.loads(res.text) == {"model": "x", "permissions": {"deny": ["Read(**/.env)"]}}
