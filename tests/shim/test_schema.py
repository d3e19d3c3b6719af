"""Tool-schema repair: what strict chat providers reject is gone, nothing else changes."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from agentcost.shim.schema import UNSUPPORTED, repair_parameters
from tests.shim.conftest import recorded


def _nodes(schema: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(schema, dict):
        out.append(schema)
        for v in schema.values():
            out += _nodes(v)
    elif isinstance(schema, list):
        for v in schema:
            out += _nodes(v)
    return out


def test_codex_mcp_schema_with_null_types_is_repaired() -> None:
    """The schema Codex 0.171.0 really forwarded for an MCP tool (type null, nullable list)."""
    body = recorded("codex_mcp_request.json")
    ns = next(t for t in body["tools"] if t.get("name") == "mcp__dirty")
    params = ns["tools"][0]["parameters"]
    assert params["properties"]["legacy"] == {"type": "null"}  # the recording holds the problem
    fixed = repair_parameters(params)
    assert fixed == {
        "type": "object",
        "properties": {
            "limit": {"type": "integer"},
            "mode": {"type": "string", "enum": ["exact"]},
            "options": {"type": "object", "properties": {}},
            "word": {"type": "string"},
        },
        "required": ["word"],  # "legacy" was required but can only be null: dropped with it
    }


def test_keywords_const_refs_and_missing_parts() -> None:
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "$defs": {
            "Point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x", "z"]}
        },
        "properties": {
            "kind": {"const": "a", "examples": ["a"]},
            "at": {"$ref": "#/$defs/Point"},
            "tags": {"type": "array"},
            "maybe": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "d"},
            "meta": {"type": "object", "patternProperties": {"^x": {"type": "string"}}},
        },
    }
    before = copy.deepcopy(schema)
    fixed = repair_parameters(schema)
    assert schema == before  # pure
    props = fixed["properties"]
    assert props["kind"] == {"enum": ["a"]}
    assert props["at"] == {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}
    assert props["tags"] == {"type": "array", "items": {}}
    assert props["maybe"] == {"type": "string", "description": "d"}
    assert props["meta"] == {"type": "object", "properties": {}}
    assert "$defs" not in fixed and "$schema" not in fixed


def test_not_an_object_at_the_top() -> None:
    assert repair_parameters(None) == {"type": "object", "properties": {}}
    assert repair_parameters({"type": "string"}) == {
        "type": "object",
        "properties": {"value": {"type": "string"}},
        "required": ["value"],
    }
    assert repair_parameters({"properties": {"a": {"type": "string"}}}) == {
        "type": "object",
        "properties": {"a": {"type": "string"}},
    }


def test_recursive_ref_stops() -> None:
    schema = {
        "type": "object",
        "definitions": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/definitions/Node"}}}},
        "properties": {"head": {"$ref": "#/definitions/Node"}},
    }
    fixed = repair_parameters(schema)
    depth, node = 0, fixed["properties"]["head"]
    while "next" in node.get("properties", {}):
        node, depth = node["properties"]["next"], depth + 1
    assert 3 < depth < 20


def test_codex_own_tools_are_left_as_they_are() -> None:
    """Only an empty `required: []` goes (some validators reject an empty list; it means nothing)."""
    body = recorded("codex_first_request.json")
    for tool in body["tools"]:
        if tool["type"] == "function":
            expected = dict(tool["parameters"])
            if expected.get("required") == []:
                del expected["required"]
            assert repair_parameters(tool["parameters"]) == expected, tool["name"]


_json_types = st.sampled_from(["string", "number", "integer", "boolean", "object", "array", "null"])
_schemas = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(_json_types, st.lists(_json_types, max_size=3)),
            "const": st.integers(),
            "$schema": st.just("x"),
            "examples": st.just([1]),
            "required": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3),
        },
    ),
    lambda inner: st.fixed_dictionaries(
        {},
        optional={
            "type": _json_types,
            "properties": st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
            "items": inner,
            "anyOf": st.lists(inner, max_size=3),
        },
    ),
    max_leaves=12,
)


@given(_schemas)
def test_repaired_schemas_have_none_of_the_rejected_shapes(schema: dict[str, Any]) -> None:
    fixed = repair_parameters(schema)
    assert fixed["type"] == "object"
    for node in _nodes(fixed):
        if "type" in node and not isinstance(node.get("type"), dict):
            assert node["type"] != "null"
            assert not (isinstance(node["type"], list) and "null" in node["type"])
        assert not (set(node) & UNSUPPORTED), node
        assert "const" not in node
        if node.get("type") == "object":
            assert isinstance(node.get("properties"), dict)
            assert set(node.get("required", [])) <= set(node["properties"])
        if node.get("type") == "array":
            assert "items" in node
