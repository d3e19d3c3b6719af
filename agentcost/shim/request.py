"""Translate an OpenAI Responses API request (what Codex sends) into a Chat Completions request.

Shapes were taken from Codex 0.171.0's real requests (tests/fixtures/shim/) and its source
(codex-rs/protocol `ResponseItem`): `input` is a list of items — `message` (roles developer,
system, user, assistant; content parts input_text / output_text / input_image), `reasoning`
(summary + content of reasoning_text), `function_call` (call_id, name, arguments as a JSON
string), `function_call_output` (call_id, output as a string or a list of content parts),
`custom_tool_call` / `custom_tool_call_output` (freeform tools); `tools` holds `function`,
`custom`, `namespace` (a group of functions) and hosted tools (`web_search`) that a chat
provider cannot run.

Pure: `translate_request(body) -> ChatRequest`; the `ToolNames` it returns maps the chat
function names back to what Codex must see in the answer.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentcost.shim.schema import repair_parameters

# A namespaced function `ns` / `name` is offered to the chat model as `ns__name` (chat function
# names allow [A-Za-z0-9_-]{1,64}).
NAMESPACE_SEP = "__"
CUSTOM_INPUT = "input"  # the single string argument a freeform (custom) tool is given


class RequestError(ValueError):
    """The Responses request cannot be translated (answered 400 invalid_request_error)."""


@dataclass(frozen=True)
class ToolTarget:
    """What a chat function name stands for in the Responses API."""

    kind: str  # "function" | "custom"
    name: str
    namespace: str | None = None


@dataclass
class ToolNames:
    """Chat function name -> the Responses tool it stands for."""

    by_chat_name: dict[str, ToolTarget] = field(default_factory=dict)

    def target(self, chat_name: str) -> ToolTarget:
        return self.by_chat_name.get(chat_name) or ToolTarget("function", chat_name)

    def chat_name(self, name: str, namespace: str | None = None) -> str:
        return f"{namespace}{NAMESPACE_SEP}{name}" if namespace else name


@dataclass
class ChatRequest:
    """The translated request: the JSON body for POST {root}/chat/completions, and facts about it."""

    body: dict[str, Any]
    tools: ToolNames
    stream: bool
    model: str
    dropped_tools: list[str] = field(default_factory=list)  # hosted tools a chat API cannot run


# ------------------------------------------------------------------------------------------ content


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts: list[str] = []
    if isinstance(content, list):
        for part in content:
            if isinstance(part, Mapping) and isinstance(part.get("text"), str):
                parts.append(part["text"])
            elif isinstance(part, str):
                parts.append(part)
    return "".join(parts)


def _chat_content(content: Any) -> str | list[dict[str, Any]]:
    """Responses content parts -> a chat string, or a list of parts when an image is present."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    parts: list[dict[str, Any]] = []
    has_image = False
    for part in content:
        if not isinstance(part, Mapping):
            continue
        kind = part.get("type")
        if kind in ("input_text", "output_text", "text", "summary_text", "reasoning_text"):
            parts.append({"type": "text", "text": str(part.get("text", ""))})
        elif kind == "input_image":
            url = part.get("image_url")
            if isinstance(url, Mapping):
                url = url.get("url")
            if isinstance(url, str) and url:
                has_image = True
                parts.append({"type": "image_url", "image_url": {"url": url}})
        elif kind == "refusal":
            parts.append({"type": "text", "text": str(part.get("refusal", ""))})
    if has_image:
        return parts
    return "".join(p["text"] for p in parts)


def _tool_output(output: Any) -> str:
    """A function_call_output's `output` (string, or a list of content parts) as tool message text."""
    if isinstance(output, str):
        return output
    if isinstance(output, Mapping):  # an older Codex shape: {"content": "...", "success": false}
        return str(output.get("content", ""))
    if isinstance(output, list):
        texts = []
        for part in output:
            if isinstance(part, Mapping) and part.get("type") in ("input_text", "output_text", "text"):
                texts.append(str(part.get("text", "")))
            elif isinstance(part, Mapping) and part.get("type") == "input_image":
                texts.append("[image omitted: the provider's chat API takes no images in tool results]")
        return "\n".join(texts)
    return "" if output is None else json.dumps(output)


def _reasoning_text(item: Mapping[str, Any]) -> str:
    content = item.get("content")
    text = _text_of(content) if isinstance(content, list) else ""
    if not text:
        text = _text_of(item.get("summary"))
    return text


# --------------------------------------------------------------------------------------------- input


class _Messages:
    """Builds the chat message list; folds consecutive calls into one assistant message."""

    def __init__(self, names: ToolNames) -> None:
        self.out: list[dict[str, Any]] = []
        self.names = names
        self.pending_reasoning = ""

    def system(self, text: str) -> None:
        if not text:
            return
        last = self.out[-1] if self.out else None
        if last is not None and last["role"] == "system" and isinstance(last.get("content"), str):
            last["content"] += "\n\n" + text  # strict providers want one system message, first
        else:
            self.out.append({"role": "system", "content": text})

    def _take_reasoning(self, msg: dict[str, Any]) -> None:
        if self.pending_reasoning:
            msg["reasoning_content"] = self.pending_reasoning
            self.pending_reasoning = ""

    def user(self, content: str | list[dict[str, Any]]) -> None:
        self.pending_reasoning = ""
        self.out.append({"role": "user", "content": content})

    def assistant_text(self, text: str) -> None:
        msg: dict[str, Any] = {"role": "assistant", "content": text}
        self._take_reasoning(msg)
        self.out.append(msg)

    def tool_call(self, call_id: str, chat_name: str, arguments: str) -> None:
        call = {"id": call_id, "type": "function", "function": {"name": chat_name, "arguments": arguments}}
        last = self.out[-1] if self.out else None
        if last is not None and last["role"] == "assistant" and not self.pending_reasoning:
            last.setdefault("tool_calls", []).append(call)  # parallel calls / text then calls
            if last.get("content") == "":
                last["content"] = None
            return
        msg: dict[str, Any] = {"role": "assistant", "content": None, "tool_calls": [call]}
        self._take_reasoning(msg)
        self.out.append(msg)

    def tool_result(self, call_id: str, text: str) -> None:
        self.out.append({"role": "tool", "tool_call_id": call_id, "content": text})


def _add_item(m: _Messages, item: Any) -> None:
    if isinstance(item, str):
        m.user(item)
        return
    if not isinstance(item, Mapping):
        raise RequestError(f"input item is a {type(item).__name__}, not an object")
    kind = item.get("type", "message")
    if kind == "message":
        role = item.get("role")
        content = item.get("content")
        if role in ("developer", "system"):
            m.system(_text_of(content))
        elif role == "assistant":
            m.assistant_text(_text_of(content))
        elif role == "user":
            m.user(_chat_content(content))
        else:
            raise RequestError(f"message with unknown role {role!r}")
    elif kind == "reasoning":
        m.pending_reasoning += _reasoning_text(item)
    elif kind == "function_call":
        name = str(item.get("name", ""))
        namespace = item.get("namespace") if isinstance(item.get("namespace"), str) else None
        args = item.get("arguments")
        m.tool_call(
            str(item.get("call_id", "")),
            m.names.chat_name(name, namespace),
            args if isinstance(args, str) else json.dumps(args or {}),
        )
    elif kind == "custom_tool_call":
        args = json.dumps({CUSTOM_INPUT: str(item.get("input", ""))})
        m.tool_call(str(item.get("call_id", "")), str(item.get("name", "")), args)
    elif kind in ("function_call_output", "custom_tool_call_output"):
        m.tool_result(str(item.get("call_id", "")), _tool_output(item.get("output")))
    # Other items (web_search_call, compaction, ghost snapshots, item references) have no chat form.


# --------------------------------------------------------------------------------------------- tools


def _function_tool(name: str, description: Any, parameters: Any) -> dict[str, Any]:
    fn: dict[str, Any] = {"name": name, "parameters": repair_parameters(parameters)}
    if isinstance(description, str) and description:
        fn["description"] = description
    return {"type": "function", "function": fn}


def _custom_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    """A freeform tool (e.g. apply_patch with a grammar) as a function taking one string."""
    fmt = tool.get("format")
    hint = ""
    if isinstance(fmt, Mapping) and isinstance(fmt.get("definition"), str):
        hint = f" Format ({fmt.get('syntax', 'grammar')}):\n{fmt['definition']}"
    params = {
        "type": "object",
        "properties": {CUSTOM_INPUT: {"type": "string", "description": "The raw input." + hint}},
        "required": [CUSTOM_INPUT],
    }
    return _function_tool(str(tool.get("name", "")), tool.get("description"), params)


_TOOLS_CACHE: OrderedDict[str, tuple[list[dict[str, Any]], list[str], dict[str, ToolTarget]]] = OrderedDict()
_TOOLS_CACHE_SIZE = 16


def translate_tools(tools: Any, names: ToolNames) -> tuple[list[dict[str, Any]], list[str]]:
    """(chat tools, dropped hosted tool types). Codex sends the same tools with every request of a
    session: the translation (schema repair included) is cached by the tools' JSON text."""
    try:
        key = json.dumps(tools, separators=(",", ":"))
    except (TypeError, ValueError):
        key = ""
    hit = _TOOLS_CACHE.get(key) if key else None
    if hit is not None:
        _TOOLS_CACHE.move_to_end(key)
        names.by_chat_name.update(hit[2])
        return list(hit[0]), list(hit[1])  # shared tool objects: only ever serialised, never changed
    out, dropped = _translate_tools(tools, names)
    if key:
        _TOOLS_CACHE[key] = (list(out), list(dropped), dict(names.by_chat_name))
        while len(_TOOLS_CACHE) > _TOOLS_CACHE_SIZE:
            _TOOLS_CACHE.popitem(last=False)
    return out, dropped


def _translate_tools(tools: Any, names: ToolNames) -> tuple[list[dict[str, Any]], list[str]]:
    out: list[dict[str, Any]] = []
    dropped: list[str] = []
    if not isinstance(tools, list):
        return out, dropped
    for tool in tools:
        if not isinstance(tool, Mapping):
            continue
        kind = tool.get("type")
        if kind == "function":
            name = str(tool.get("name", ""))
            names.by_chat_name[name] = ToolTarget("function", name)
            out.append(_function_tool(name, tool.get("description"), tool.get("parameters")))
        elif kind == "custom":
            name = str(tool.get("name", ""))
            names.by_chat_name[name] = ToolTarget("custom", name)
            out.append(_custom_tool(tool))
        elif kind == "namespace":
            ns = str(tool.get("name", ""))
            for sub in tool.get("tools") or []:
                if isinstance(sub, Mapping) and sub.get("type") == "function":
                    name = str(sub.get("name", ""))
                    chat_name = names.chat_name(name, ns)
                    names.by_chat_name[chat_name] = ToolTarget("function", name, ns)
                    out.append(_function_tool(chat_name, sub.get("description"), sub.get("parameters")))
        else:
            dropped.append(str(kind))
    return out, dropped


def _tool_choice(choice: Any, names: ToolNames) -> Any:
    if isinstance(choice, str) or choice is None:
        return choice
    if isinstance(choice, Mapping) and choice.get("type") in ("function", "custom"):
        name = str(choice.get("name", ""))
        ns = choice.get("namespace") if isinstance(choice.get("namespace"), str) else None
        return {"type": "function", "function": {"name": names.chat_name(name, ns)}}
    return "auto"


# ------------------------------------------------------------------------------------------- request


def translate_request(body: Any, *, model: str | None = None) -> ChatRequest:
    """A Responses request body -> a Chat Completions request. `model` overrides the body's (routing)."""
    if not isinstance(body, Mapping):
        raise RequestError("the request body must be a JSON object")
    chosen = model or body.get("model")
    if not isinstance(chosen, str) or not chosen:
        raise RequestError("`model` is missing")
    names = ToolNames()
    messages = _Messages(names)
    instructions = body.get("instructions")
    if isinstance(instructions, str):
        messages.system(instructions)
    raw_input = body.get("input")
    if isinstance(raw_input, str):
        messages.user(raw_input)
    elif isinstance(raw_input, list):
        for item in raw_input:
            _add_item(messages, item)
    elif raw_input is not None:
        raise RequestError("`input` must be a string or a list of items")
    if not messages.out:
        raise RequestError("the request has no input")

    stream = body.get("stream") is True
    chat: dict[str, Any] = {"model": chosen, "messages": messages.out, "stream": stream}
    if stream:
        chat["stream_options"] = {"include_usage": True}  # usage arrives in the last chunk
    tools, dropped = translate_tools(body.get("tools"), names)
    if tools:
        chat["tools"] = tools
        choice = _tool_choice(body.get("tool_choice"), names)
        if choice is not None:
            chat["tool_choice"] = choice
        if isinstance(body.get("parallel_tool_calls"), bool):
            chat["parallel_tool_calls"] = body["parallel_tool_calls"]
    max_out = body.get("max_output_tokens")
    if isinstance(max_out, int) and max_out > 0:
        chat["max_tokens"] = max_out
    reasoning = body.get("reasoning")
    if isinstance(reasoning, Mapping) and isinstance(reasoning.get("effort"), str):
        effort = reasoning["effort"]
        if effort != "none":
            chat["reasoning_effort"] = {"minimal": "low", "xhigh": "high"}.get(effort, effort)
    for key in ("temperature", "top_p", "user"):
        if key in body and body[key] is not None:
            chat[key] = body[key]
    text = body.get("text")
    fmt = text.get("format") if isinstance(text, Mapping) else None
    if isinstance(fmt, Mapping) and fmt.get("type") == "json_schema":
        schema = {k: fmt[k] for k in ("name", "schema", "strict", "description") if k in fmt}
        chat["response_format"] = {"type": "json_schema", "json_schema": schema}
    elif isinstance(fmt, Mapping) and fmt.get("type") == "json_object":
        chat["response_format"] = {"type": "json_object"}
    return ChatRequest(body=chat, tools=names, stream=stream, model=chosen, dropped_tools=dropped)
