"""Minimal-diff JSON edits: only the `env` member's text changes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.jsonedit import member_spans, render_object, set_member

from .conftest import FIXTURES


def test_only_env_lines_change() -> None:
    old = (FIXTURES / "with_permissions_hooks.json").read_text()
    data = json.loads(old)
    data["env"] = {**data["env"], "ANTHROPIC_MODEL": "new", "X": "1"}
    new = set_member(old, "env", data["env"], data)
    assert new is not None and json.loads(new) == data
    before, after = old.split('  "env": {')[0], new.split('  "env": {')[0]
    assert before == after  # everything before env byte-identical (incl. the compact arrays)
    tail = '  "hooks": {\n    "PostToolUse": [\n      {"matcher": "Edit|Write", "hooks"'
    assert tail in new  # the compact hook line survives untouched
    assert '  "env": {\n    "MY_TOOL_FLAG": "on",\n    "ANTHROPIC_MODEL": "new",\n' in new


def test_append_env_when_missing_keeps_crlf_and_tabs() -> None:
    old = '{\r\n\t"theme": "dark",\r\n\t"permissions": {"deny": []}\r\n}\r\n'
    data = {"theme": "dark", "permissions": {"deny": []}, "env": {"A": "1"}}
    new = set_member(old, "env", data["env"], data)
    assert (
        new == '{\r\n\t"theme": "dark",\r\n\t"permissions": {"deny": []},\r\n'
        '\t"env": {\r\n\t\t"A": "1"\r\n\t}\r\n}\r\n'
    )


def test_one_line_and_empty_objects_fall_back() -> None:
    assert set_member('{"theme": "dark"}', "env", {}, {"theme": "dark", "env": {}}) is None
    assert set_member("{}", "env", {}, {"env": {}}) is None
    assert set_member("[1]", "env", {}, {"env": {}}) is None


def test_duplicate_key_replaces_the_last_one() -> None:
    old = '{\n  "env": {"A": "1"},\n  "env": {"B": "2"}\n}\n'
    new = set_member(old, "env", {"C": "3"}, {"env": {"C": "3"}})
    assert new == '{\n  "env": {"A": "1"},\n  "env": {\n    "C": "3"\n  }\n}\n'


def test_member_spans_with_tricky_strings() -> None:
    text = '{"a\\"}": "x,}", "b": [1, {"c": "}"}]}'
    assert [s[0] for s in member_spans(text)] == ['a"}', "b"]


def test_render_object_keeps_newline_style() -> None:
    assert render_object({"a": 1}, '{\r\n    "x": 2\r\n}') == '{\r\n    "a": 1\r\n}'
    assert render_object({"a": 1}, None) == '{\n  "a": 1\n}\n'


_scalars = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none())
_values = st.recursive(
    _scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=6,
)


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=6), _values, min_size=1, max_size=4),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=4),
    st.sampled_from([2, 4, "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_set_member_round_trip(base: dict[str, Any], env: dict[str, str], indent: int | str, nl: str) -> None:
    old = json.dumps(base, indent=indent, ensure_ascii=False).replace("\n", nl) + nl
    expected = {**base, "env": env}
    new = set_member(old, "env", env, expected)
    if new is None:  # allowed only for one-line texts
        assert "\n" not in old.rstrip()
        return
    assert json.loads(new) == expected
    assert list(json.loads(new)) == list(expected)
    if "env" not in base:
        assert new.startswith(old.rstrip()[:-1].rstrip())  # existing members untouched
