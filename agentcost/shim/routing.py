"""Cost routing rules (`<config dir>/routing.toml`): cheap work to cheap models (pure logic).

    mode = "on"            # "off" (default when the file has no mode) | "dry-run" | "on"

    [upstreams.cheap]      # optional: another Chat Completions provider for the shim
    url = "https://api.deepseek.com/v1"
    api_key_env = "DEEPSEEK_API_KEY"

    [[rules]]
    name = "tool results to flash"
    when_model = ["deepseek-v4-pro"]     # the model Codex asked for (any when absent)
    tool_result_only = true              # the turn only sends tool results back
    max_input_tokens = 20000             # estimated prompt size below this
    no_tools = false                     # true: only requests that offer no tools
    reasoning_effort = ["low", "minimal", "none"]
    to_model = "deepseek-v4-flash"
    to_upstream = "cheap"                # default: the shim's own upstream

The first rule whose conditions all hold routes the request; no rule = the model Codex asked for.
A request that carries an image is never routed unless the rule says `images = true` (a cheaper
model often has no vision). Errors name file:line:col.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentcost.errors import ConfigError
from agentcost.fileio import parse_toml, read_text
from agentcost.paths import config_dir
from agentcost.secrets import register
from agentcost.shim.route import Route, Router, Upstream, single_upstream

MODES = ("off", "dry-run", "on")
EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
RULE_KEYS = {
    "name",
    "when_model",
    "no_tools",
    "max_input_tokens",
    "tool_result_only",
    "reasoning_effort",
    "images",
    "to_model",
    "to_upstream",
}
UPSTREAM_KEYS = {"url", "api_key_env"}
CHARS_PER_TOKEN = 4  # the estimate of input tokens: characters of the prompt / 4


def rules_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "routing.toml"


@dataclass(frozen=True)
class NamedUpstream:
    name: str
    url: str
    api_key_env: str


@dataclass(frozen=True)
class Rule:
    name: str
    to_model: str
    to_upstream: str | None = None
    when_model: tuple[str, ...] = ()
    no_tools: bool | None = None
    max_input_tokens: int | None = None
    tool_result_only: bool | None = None
    reasoning_effort: tuple[str, ...] = ()
    images: bool = False
    line: int | None = None

    def describe(self) -> str:
        conds: list[str] = []
        if self.when_model:
            conds.append("model in " + ", ".join(self.when_model))
        if self.no_tools is not None:
            conds.append("no tools" if self.no_tools else "tools offered")
        if self.max_input_tokens is not None:
            conds.append(f"input < ~{self.max_input_tokens} tokens")
        if self.tool_result_only is not None:
            conds.append("tool-result-only turn" if self.tool_result_only else "not a tool-result-only turn")
        if self.reasoning_effort:
            conds.append("effort in " + ", ".join(self.reasoning_effort))
        target = self.to_model + (f" @ {self.to_upstream}" if self.to_upstream else "")
        return f"{self.name}: {' and '.join(conds) or 'every request'} -> {target}"


@dataclass(frozen=True)
class RoutingRules:
    mode: str = "off"
    rules: tuple[Rule, ...] = ()
    upstreams: dict[str, NamedUpstream] = field(default_factory=dict)
    path: Path | None = None

    @property
    def active(self) -> bool:
        return self.mode != "off" and bool(self.rules)


# ------------------------------------------------------------------------------------ request facts


@dataclass(frozen=True)
class RequestFacts:
    """What a Responses request is, as far as the rules look at it."""

    model: str
    has_tools: bool
    input_tokens_estimate: int
    tool_result_only: bool
    reasoning_effort: str | None
    has_images: bool


_OUTPUT_KINDS = {"function_call_output", "custom_tool_call_output", "mcp_tool_call_output"}


def _has_image(node: Any) -> bool:
    if isinstance(node, Mapping):
        if node.get("type") in ("input_image", "image_url") or "image_url" in node:
            return True
        return any(_has_image(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_image(v) for v in node)
    return False


def facts(request: Mapping[str, Any]) -> RequestFacts:
    model = request.get("model")
    tools = request.get("tools")
    items = request.get("input")
    items = items if isinstance(items, list) else ([] if items is None else [items])
    # The turn's new items: those after the model's last output (assistant message, call, reasoning).
    tail: list[Any] = []
    for item in reversed(items):
        if not isinstance(item, Mapping):
            break
        kind = item.get("type", "message")
        if kind in ("function_call", "custom_tool_call", "reasoning") or (
            kind == "message" and item.get("role") == "assistant"
        ):
            break
        tail.append(item)
    tool_result_only = bool(tail) and all(
        isinstance(i, Mapping) and i.get("type") in _OUTPUT_KINDS for i in tail
    )
    prompt = json.dumps([request.get("instructions") or "", items, tools or []], ensure_ascii=False)
    reasoning = request.get("reasoning")
    effort = reasoning.get("effort") if isinstance(reasoning, Mapping) else None
    return RequestFacts(
        model=model if isinstance(model, str) else "",
        has_tools=isinstance(tools, list) and len(tools) > 0,
        input_tokens_estimate=len(prompt) // CHARS_PER_TOKEN,
        tool_result_only=tool_result_only,
        reasoning_effort=effort if isinstance(effort, str) else None,
        has_images=_has_image(items),
    )


def rule_matches(rule: Rule, f: RequestFacts) -> bool:
    if rule.when_model and f.model not in rule.when_model:
        return False
    if rule.no_tools is not None and rule.no_tools == f.has_tools:
        return False
    if rule.max_input_tokens is not None and f.input_tokens_estimate >= rule.max_input_tokens:
        return False
    if rule.tool_result_only is not None and rule.tool_result_only != f.tool_result_only:
        return False
    if rule.reasoning_effort and (f.reasoning_effort or "none") not in rule.reasoning_effort:
        return False
    if f.has_images and not rule.images:
        return False  # a cheaper model may have no vision: never routed unless the rule says so
    return rule.to_model != f.model


def first_match(rules: Iterable[Rule], f: RequestFacts) -> Rule | None:
    return next((r for r in rules if rule_matches(r, f)), None)


# ------------------------------------------------------------------------------------------ parsing


class _Where:
    def __init__(self, path: Path | str, text: str) -> None:
        self.path, self.lines = path, text.splitlines()

    def _table_starts(self, header: str) -> list[int]:
        pat = re.compile(r"^\s*\[+\s*" + header + r"\s*\]+")
        return [i for i, ln in enumerate(self.lines) if pat.match(ln)]

    def locate(self, header: str | None, index: int, key: str | None) -> tuple[int | None, int | None]:
        start = 0
        if header is not None:
            heads = self._table_starts(header)
            if index >= len(heads):
                return None, None
            start = heads[index]
            if key is None:
                return start + 1, 1
        pat = re.compile(r"^(\s*)\"?" + re.escape(key or "") + r"\"?\s*=")
        for i in range(start, len(self.lines)):
            if i > start and header is not None and self.lines[i].lstrip().startswith("["):
                break
            if header is None and self.lines[i].lstrip().startswith("["):
                break
            m = pat.match(self.lines[i])
            if m:
                return i + 1, len(m.group(1)) + 1
        return (start + 1, 1) if header is not None else (None, None)

    def error(
        self, msg: str, header: str | None = None, index: int = 0, key: str | None = None
    ) -> ConfigError:
        line, col = self.locate(header, index, key)
        return ConfigError(
            msg, path=self.path, line=line, column=col, hint="fix the file; see docs/routing.md"
        )


def _strings(v: Any) -> tuple[str, ...] | None:
    if isinstance(v, str):
        return (v,)
    if isinstance(v, list) and all(isinstance(x, str) and x for x in v):
        return tuple(str(x) for x in v)
    return None


def parse_rules(text: str, path: Path | str) -> RoutingRules:
    """Validate a rules file; a ConfigError with file:line:col for the first problem."""
    doc = parse_toml(text, path).unwrap()
    w = _Where(path, text)
    unknown = set(doc) - {"mode", "rules", "upstreams"}
    if unknown:
        key = sorted(unknown)[0]
        raise w.error(f"unknown setting {key!r} (mode, [upstreams.NAME], [[rules]])", key=key)
    mode = doc.get("mode", "off")
    if mode not in MODES:
        raise w.error(f"mode must be one of {', '.join(MODES)}, not {mode!r}", key="mode")
    ups_raw = doc.get("upstreams", {})
    if not isinstance(ups_raw, dict):
        raise w.error("upstreams must be tables: [upstreams.NAME]", key="upstreams")
    upstreams: dict[str, NamedUpstream] = {}
    for name, u in ups_raw.items():
        header = r"upstreams\.\"?" + re.escape(name) + r"\"?"
        if not isinstance(u, dict):
            raise w.error(f"upstream {name!r} must be a table", header=header)
        bad = set(u) - UPSTREAM_KEYS
        if bad:
            k = sorted(bad)[0]
            raise w.error(f"upstream {name!r}: unknown key {k!r} (url, api_key_env)", header, 0, k)
        url, env_name = u.get("url"), u.get("api_key_env")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise w.error(f"upstream {name!r}: url must be an http(s) URL", header, 0, "url")
        if not isinstance(env_name, str) or not env_name.isidentifier():
            raise w.error(
                f"upstream {name!r}: api_key_env must name an environment variable", header, 0, "api_key_env"
            )
        upstreams[name] = NamedUpstream(name, url, env_name)
    rules_raw = doc.get("rules", [])
    if not isinstance(rules_raw, list):
        raise w.error("rules must be an array of tables: [[rules]]", key="rules")
    rules: list[Rule] = []
    for i, r in enumerate(rules_raw):
        hdr = "rules"
        if not isinstance(r, dict):
            raise w.error("each rule must be a table", hdr, i)
        bad = set(r) - RULE_KEYS
        if bad:
            k = sorted(bad)[0]
            raise w.error(f"rule {i + 1}: unknown key {k!r} ({', '.join(sorted(RULE_KEYS))})", hdr, i, k)
        to_model = r.get("to_model")
        if not isinstance(to_model, str) or not to_model.strip():
            raise w.error(f"rule {i + 1}: to_model (the model to send to) is required", hdr, i, "to_model")
        to_up = r.get("to_upstream")
        if to_up is not None and (not isinstance(to_up, str) or to_up not in upstreams):
            known = ", ".join(sorted(upstreams)) or "none defined"
            raise w.error(
                f"rule {i + 1}: to_upstream {to_up!r} is not an [upstreams.NAME] table ({known})",
                hdr,
                i,
                "to_upstream",
            )
        for k in ("no_tools", "tool_result_only", "images"):
            if k in r and not isinstance(r[k], bool):
                raise w.error(f"rule {i + 1}: {k} must be true or false", hdr, i, k)
        mit = r.get("max_input_tokens")
        if mit is not None and (isinstance(mit, bool) or not isinstance(mit, int) or mit <= 0):
            raise w.error(
                f"rule {i + 1}: max_input_tokens must be a positive integer", hdr, i, "max_input_tokens"
            )
        models = _strings(r.get("when_model", []))
        if models is None:
            raise w.error(
                f"rule {i + 1}: when_model must be a model name or a list of them", hdr, i, "when_model"
            )
        efforts = _strings(r.get("reasoning_effort", []))
        if efforts is None or any(e not in EFFORTS for e in efforts):
            raise w.error(
                f"rule {i + 1}: reasoning_effort must be among {', '.join(EFFORTS)}",
                hdr,
                i,
                "reasoning_effort",
            )
        name = r.get("name", f"rule {i + 1}")
        if not isinstance(name, str):
            raise w.error(f"rule {i + 1}: name must be a string", hdr, i, "name")
        line, _ = w.locate(hdr, i, None)
        rules.append(
            Rule(
                name=name,
                to_model=to_model.strip(),
                to_upstream=to_up,
                when_model=models,
                no_tools=r.get("no_tools"),
                max_input_tokens=mit,
                tool_result_only=r.get("tool_result_only"),
                reasoning_effort=efforts,
                images=bool(r.get("images", False)),
                line=line,
            )
        )
    return RoutingRules(mode=str(mode), rules=tuple(rules), upstreams=upstreams, path=Path(path))


def load_rules(env: Mapping[str, str] | None = None, path: Path | None = None) -> RoutingRules:
    """The rules file, or RoutingRules() (off) when there is none."""
    p = path or rules_path(env)
    text = read_text(p)
    if text is None:
        return RoutingRules(path=p if path else None)
    return parse_rules(text, p)


# ------------------------------------------------------------------------------------------ router


def make_router(
    rules: RoutingRules,
    default: Upstream,
    upstreams: Mapping[str, Upstream],
    model_override: str | None = None,
) -> Router:
    """A `Router` applying `rules` (first match wins) on top of the single-upstream default.
    `upstreams` maps each [upstreams.NAME] to its Upstream (with its key)."""
    base = single_upstream(default, model_override)
    for up in upstreams.values():
        register(up.api_key)
    if not rules.active:
        return base

    def route(request: Mapping[str, Any]) -> Route:
        plain = base(request)
        if not request:
            return plain  # GET /v1/models
        f = facts(request)
        rule = first_match(rules.rules, f)
        if rule is None:
            return plain
        up = upstreams[rule.to_upstream] if rule.to_upstream else default
        if rules.mode == "dry-run":
            return Route(
                upstream=plain.upstream,
                model=plain.model,
                asked=plain.model,
                rule=rule.name,
                dry_run=True,
                would_model=rule.to_model,
                would_upstream=up.host,
            )
        return Route(upstream=up, model=rule.to_model, asked=plain.model, rule=rule.name)

    return route


def summary(rules: RoutingRules, upstreams: Mapping[str, Upstream], model_override: str | None) -> list[str]:
    """What `agentcost shim` prints at start about routing (plain text)."""
    where = f" ({rules.path})" if rules.path else ""
    if not rules.rules:
        return [f"routing: off (no rules{where})"] if rules.path else ["routing: off (no routing.toml)"]
    if rules.mode == "off":
        return [f'routing: off (mode = "off" in{where}; {len(rules.rules)} rule(s) not applied)']
    head = (
        "routing: DRY-RUN, logs what it would route, sends nothing elsewhere"
        if rules.mode == "dry-run"
        else "routing: on"
    )
    lines = [f"{head}{where}, first matching rule wins:"]
    if model_override:
        lines.append(f"  note: rules see the model Codex asks for; others go to --model {model_override}")
    for r in rules.rules:
        up = f" ({upstreams[r.to_upstream].host})" if r.to_upstream and r.to_upstream in upstreams else ""
        lines.append(f"  {r.describe()}{up}")
    return lines
