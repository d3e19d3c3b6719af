"""A tiny MCP server (stdio, newline-delimited JSON-RPC) whose one tool has a schema that strict
Chat Completions providers reject: `$schema`, a `type: null` property, a nullable type list,
`const`, `examples`, an object without `properties`. Codex forwards MCP tool schemas to the
model; `agentcost shim` must repair them. Run by Codex as `python mcp_dirty_server.py`."""

from __future__ import annotations

import json
import sys
from typing import Any

TOOL = {
    "name": "lookup",
    "description": "Look a word up in the e2e dictionary.",
    "inputSchema": {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "word": {"type": "string", "examples": ["shim"]},
            "limit": {"type": ["integer", "null"]},
            "mode": {"const": "exact"},
            "legacy": {"type": "null"},
            "options": {"type": "object"},
        },
        "required": ["word", "legacy"],
    },
}


def answer(msg: dict[str, Any]) -> dict[str, Any] | None:
    method, mid = msg.get("method"), msg.get("id")
    if mid is None:
        return None  # a notification
    if method == "initialize":
        version = (msg.get("params") or {}).get("protocolVersion", "2025-06-18")
        result: Any = {
            "protocolVersion": version,
            "capabilities": {"tools": {}},
            "serverInfo": {"name": "dirty", "version": "1.0.0"},
        }
    elif method == "tools/list":
        result = {"tools": [TOOL]}
    elif method == "tools/call":
        word = ((msg.get("params") or {}).get("arguments") or {}).get("word", "?")
        result = {
            "content": [{"type": "text", "text": f"definition of {word}: a thin adapter"}],
            "isError": False,
        }
    elif method == "ping":
        result = {}
    else:
        return {"jsonrpc": "2.0", "id": mid, "error": {"code": -32601, "message": f"no method {method}"}}
    return {"jsonrpc": "2.0", "id": mid, "result": result}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = answer(json.loads(line))
        if reply is not None:
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
