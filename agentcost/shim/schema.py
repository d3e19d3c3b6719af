"""Repair a tool's JSON schema so that strict Chat Completions providers accept it.

Codex forwards tool schemas as it gets them (its own tools, MCP servers' tools). The OpenAI API
accepts most of JSON Schema; many chat-only providers validate with a smaller subset and answer
400 to the whole request for one odd node. What is repaired (each seen to break some provider):

* `type: "null"` or a type list with "null" (`["string", "null"]`): the null is dropped
  (a property that is *only* null carries nothing and is removed); `anyOf`/`oneOf` branches of
  type null are dropped and a single remaining branch is inlined;
* an object without `properties` gets `properties: {}`; `required` names that are not properties
  are dropped (and an empty `required` with them); an array without `items` gets `items: {}`;
* `const` becomes a one-value `enum`; local `$ref`s (`#/$defs/x`, `#/definitions/x`) are inlined
  (recursion stops at a depth limit with a plain object);
* keywords outside the common subset are removed (`UNSUPPORTED`).

The function is pure and never mutates its input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Keywords chat providers' validators commonly reject; removing them only loosens the schema.
UNSUPPORTED = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$anchor",
        "$vocabulary",
        "$dynamicRef",
        "$dynamicAnchor",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "if",
        "then",
        "else",
        "dependentSchemas",
        "dependentRequired",
        "dependencies",
        "unevaluatedProperties",
        "unevaluatedItems",
        "patternProperties",
        "propertyNames",
        "not",
    }
)
# Keywords whose value is a schema / a map of schemas / a list of schemas.
_SCHEMA_MAPS = ("properties",)
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_ONE = ("items", "additionalProperties", "contains")
_MAX_REF_DEPTH = 8
EMPTY_OBJECT: dict[str, Any] = {"type": "object", "properties": {}}


def repair_parameters(schema: Any) -> dict[str, Any]:
    """The `parameters` of a function tool, repaired; always an object schema."""
    if not isinstance(schema, Mapping):
        return dict(EMPTY_OBJECT, properties={})
    defs: dict[str, Any] = {}
    for key in ("$defs", "definitions"):
        value = schema.get(key)
        if isinstance(value, Mapping):
            defs.update({f"#/{key}/{name}": v for name, v in value.items()})
    out = _repair(schema, defs, 0)
    if out is None or out.get("type") != "object":
        # Chat APIs require an object at the top: wrap anything else (rare) as one property.
        if out is None or not out:
            return dict(EMPTY_OBJECT, properties={})
        if "type" not in out and "properties" in out:
            return {"type": "object", **out}
        return {"type": "object", "properties": {"value": out}, "required": ["value"]}
    return out


def _only_null(node: Mapping[str, Any]) -> bool:
    t = node.get("type")
    return t == "null" or (isinstance(t, list) and bool(t) and all(x == "null" for x in t))


def _repair(node: Any, defs: Mapping[str, Any], depth: int) -> dict[str, Any] | None:
    """One schema node repaired; None when the node only allows null (the caller drops it)."""
    if not isinstance(node, Mapping):
        return {} if node is True or node is None else {"type": "string"}
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = defs.get(ref)
        if target is None or depth >= _MAX_REF_DEPTH:
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _repair({"type": "object", **rest}, defs, depth + 1)
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _repair(merged, defs, depth + 1)
    if _only_null(node):
        return None
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in UNSUPPORTED or key in ("$defs", "definitions", "$ref"):
            continue
        if key == "type":
            if isinstance(value, list):
                kept = [t for t in value if t != "null"]
                value = kept[0] if len(kept) == 1 else kept
            out["type"] = value
        elif key == "const":
            out["enum"] = [value]
        elif key == "enum" and isinstance(value, list):
            out["enum"] = [v for v in value if v is not None] or value
        elif key in _SCHEMA_MAPS and isinstance(value, Mapping):
            kept_props: dict[str, Any] = {}
            for name, sub in value.items():
                fixed = _repair(sub, defs, depth + 1)
                if fixed is not None:
                    kept_props[str(name)] = fixed
            out[key] = kept_props
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            branches = [b for b in (_repair(s, defs, depth + 1) for s in value) if b is not None]
            if len(branches) == 1 and key != "allOf":
                out.update({k: v for k, v in branches[0].items() if k not in out})
            elif branches:
                out[key] = branches
        elif key in _SCHEMA_ONE and isinstance(value, Mapping):
            fixed = _repair(value, defs, depth + 1)
            out[key] = fixed if fixed is not None else {}
        else:
            out[key] = value
    if out.get("type") == []:
        del out["type"]
    if out.get("type") == "object" or "properties" in out:
        if not isinstance(out.get("properties"), dict):
            out["properties"] = {}
        props: dict[str, Any] = out["properties"]
        required = out.get("required")
        if isinstance(required, list):
            kept_required = [r for r in required if r in props]
            if kept_required:
                out["required"] = kept_required
            else:
                del out["required"]
        elif "required" in out:
            del out["required"]
    if out.get("type") == "array" and "items" not in out:
        out["items"] = {}
    return out
