"""Minimal-diff JSON edits: `set_member` (setup claude) and `append_deny` (ignore) change only their span."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.jsonedit import append_deny, detect_indent, member_spans, render_object, set_member

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "claude_settings"


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


def test_append_deny_extends_a_multi_line_array() -> None:
    old = '{\n  "permissions": {\n    "deny": [\n      "Read(a)"\n    ]\n  }\n}\n'
    new = append_deny(old, ["Read(b)"], {"permissions": {"deny": ["Read(a)", "Read(b)"]}})
    assert new == '{\n  "permissions": {\n    "deny": [\n      "Read(a)",\n      "Read(b)"\n    ]\n  }\n}\n'


def test_append_deny_creates_permissions_keeping_crlf_and_tabs() -> None:
    old = '{\r\n\t"theme": "dark"\r\n}\r\n'
    new = append_deny(old, ["Read(x)"], {"theme": "dark", "permissions": {"deny": ["Read(x)"]}})
    assert new == (
        '{\r\n\t"theme": "dark",\r\n\t"permissions": {\r\n'
        '\t\t"deny": [\r\n\t\t\t"Read(x)"\r\n\t\t]\r\n\t}\r\n}\r\n'
    )


def test_append_deny_into_an_empty_permissions_object() -> None:
    old = '{\n  "permissions": {}\n}\n'
    new = append_deny(old, ["Read(a)"], {"permissions": {"deny": ["Read(a)"]}})
    assert new == '{\n  "permissions": {\n    "deny": [\n      "Read(a)"\n    ]\n  }\n}\n'


def test_append_deny_rewrites_only_a_one_line_array() -> None:
    old = '{\n  "permissions": {"deny": ["Read(a)"], "allow": []}\n}\n'
    expected = {"permissions": {"deny": ["Read(a)", "Read(b)"], "allow": []}}
    new = append_deny(old, ["Read(b)"], expected)
    assert new == '{\n  "permissions": {"deny": [\n    "Read(a)",\n    "Read(b)"\n  ], "allow": []}\n}\n'


def test_append_deny_declines_what_it_cannot_edit_exactly() -> None:
    assert append_deny('{"permissions": {}}', ["R"], {"permissions": {"deny": ["R"]}}) is None  # one line
    assert append_deny('{\n  "permissions": []\n}', ["R"], {"permissions": {"deny": ["R"]}}) is None
    assert append_deny('{\n  "permissions": {"deny": 1}\n}', ["R"], {"permissions": {"deny": ["R"]}}) is None
    assert append_deny("[\n  1\n]", ["R"], {"permissions": {"deny": ["R"]}}) is None
    assert append_deny('{\n  "a": 1\n}', ["R"], {"a": 2, "permissions": {"deny": ["R"]}}) is None  # not exact


def test_detect_indent_uses_key_lines() -> None:
    assert detect_indent('{"a": [\n    1\n  ],\n  "b": 2\n}') == 2  # the compact value's lines don't count
    assert detect_indent('{\n\t"a": 1\n}') == "\t"
    assert detect_indent('{\n    "a": 1\n}') == 4
    assert detect_indent('{"a": 1}') == 2
    assert detect_indent(None) == 2


_rules = st.lists(st.text(min_size=1, max_size=6), max_size=3)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["a", "b", "env"]), _values, max_size=2),
    st.one_of(st.none(), _rules),
    _rules,
    st.sampled_from([2, 4, "\t"]),
    st.sampled_from(["\n", "\r\n"]),
)
def test_append_deny_round_trip(
    base: dict[str, Any], deny: list[str] | None, added: list[str], indent: int | str, nl: str
) -> None:
    doc: dict[str, Any] = {**base, "permissions": {"deny": deny}} if deny is not None else dict(base)
    old = json.dumps(doc, indent=indent, ensure_ascii=False).replace("\n", nl) + nl
    expected = {**doc, "permissions": {"deny": [*(deny or []), *added]}}
    new = append_deny(old, added, expected)
    if new is None:  # allowed only for one-line texts
        assert "\n" not in old.strip()
        return
    assert json.loads(new) == expected
    assert new.endswith(nl) and (nl == "\r\n") == ("\r\n" in new)


def test_remove_member_keeps_every_other_byte() -> None:
    from agentcost.jsonedit import remove_member

    t = '{\r\n  "a": 1,\r\n  "statusLine": {"type": "command"},\r\n  "b": [1,\r\n 2]\r\n}\r\n'
    assert (
        remove_member(t, "statusLine", {"a": 1, "b": [1, 2]})
        == '{\r\n  "a": 1,\r\n  "b": [1,\r\n 2]\r\n}\r\n'
    )
    first = '{\n  "statusLine": 1,\n  "b": 2\n}\n'
    assert remove_member(first, "statusLine", {"b": 2}) == '{\n  "b": 2\n}\n'
    dup = '{\n  "statusLine": 1,\n  "b": 2,\n  "statusLine": 3\n}\n'
    assert remove_member(dup, "statusLine", {"b": 2}) == '{\n  "b": 2\n}\n'
    assert remove_member('{"statusLine": 1}', "statusLine", {}) is None
    assert remove_member("[1]", "statusLine", {}) is None
    assert remove_member('{"a": 1}', "statusLine", {"a": 2}) is None  # not what was expected
