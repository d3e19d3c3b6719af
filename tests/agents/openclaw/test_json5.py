"""The JSON5 span parser and minimal-diff editor behind `setup openclaw`."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.openclaw.json5 import JSON5Error, line_col, new_document, parse_node, set_path

DOC = """// my openclaw config
{
  // gateway settings
  gateway: { port: 18789 },  // trailing comment
  agents: {
    defaults: {
      model: { primary: 'anthropic/claude-sonnet-4-5' },
    },
  },
  /* block
     comment */
  list: [1, 2, 0x1F, .5, +3, -Infinity,],
}
"""


def test_parses_json5_features() -> None:
    v = parse_node(DOC).value
    assert v["gateway"] == {"port": 18789}
    assert v["agents"]["defaults"]["model"]["primary"] == "anthropic/claude-sonnet-4-5"
    assert v["list"][:5] == [1, 2, 31, 0.5, 3]
    assert v["list"][5] == -math.inf


def test_strings_escapes_and_continuation() -> None:
    assert parse_node("{a: 'it\\'s', b: \"x\\\ny\", c: '\\u0041\\x42'}").value == {
        "a": "it's",
        "b": "xy",
        "c": "AB",
    }


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("{a: 1,\n  b: [1,,2]}", 2, 9),
        ("{\n  a 1\n}", 2, 5),
        ("{a: 'x}", 1, 5),
        ("{a: 1} x", 1, 8),
        ("/* x", 1, 1),
    ],
)
def test_malformed_has_line_and_column(text: str, line: int, col: int) -> None:
    with pytest.raises(JSON5Error) as e:
        parse_node(text)
    assert line_col(text, e.value.pos) == (line, col)


def test_set_existing_leaf_changes_one_line_only() -> None:
    new = set_path(DOC, ["agents", "defaults", "model", "primary"], "atlas/m")
    old_lines, new_lines = DOC.splitlines(), new.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [
        ("      model: { primary: 'anthropic/claude-sonnet-4-5' },", '      model: { primary: "atlas/m" },')
    ]


def test_insert_keeps_comments_and_trailing_comma_style() -> None:
    new = set_path(DOC, ["models", "providers", "p"], {"api": "openai-completions", "models": [{"id": "m"}]})
    assert new.startswith(DOC[: DOC.index("  list:")])
    assert "// trailing comment" in new and "/* block" in new
    assert "  models: {\n    providers: {\n      p: {\n" in new
    assert new.rstrip().endswith("},\n}")  # the file's trailing-comma style is kept
    assert parse_node(new).value["models"]["providers"]["p"]["models"] == [{"id": "m"}]


def test_insert_after_a_line_comment_without_comma() -> None:
    text = '{\n  "a": 1 // why\n}\n'
    new = set_path(text, ["b"], 2)
    assert new == '{\n  "a": 1, // why\n  "b": 2\n}\n'


def test_json_style_file_stays_json() -> None:
    text = '{\r\n    "a": {\r\n        "x": 1\r\n    }\r\n}\r\n'
    new = set_path(text, ["a", "y"], "z")
    assert new == '{\r\n    "a": {\r\n        "x": 1,\r\n        "y": "z"\r\n    }\r\n}\r\n'
    assert json.loads(new) == {"a": {"x": 1, "y": "z"}}


def test_empty_object_and_new_document() -> None:
    assert parse_node(set_path("{}", ["a", "b"], 1)).value == {"a": {"b": 1}}
    doc = new_document({"models": {"mode": "merge"}})
    assert doc == '{\n  models: { mode: "merge" },\n}\n'


_scalars = st.one_of(st.integers(-1000, 1000), st.booleans(), st.none(), st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda c: st.one_of(
        st.lists(c, max_size=3), st.dictionaries(st.text(min_size=1, max_size=6), c, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dictionaries(st.sampled_from(["a", "b", "c d", "$e"]), _values, max_size=4),
    path=st.lists(st.sampled_from(["a", "b", "x", "y z"]), min_size=1, max_size=3),
    value=_values,
)
def test_merge_then_parse_round_trip(start: dict[str, object], path: list[str], value: object) -> None:
    for text in (json.dumps(start, indent=2), new_document(start)):
        new = set_path(text, path, value)
        cur = parse_node(new).value
        for k in path:
            cur = cur[k]
        assert cur == value
