"""Routing rules: parsing with file:line:col, request facts, matching, the router (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agentcost.errors import ConfigError
from agentcost.shim.route import Upstream
from agentcost.shim.routing import facts, first_match, load_rules, make_router, parse_rules, summary

GOOD = """\
mode = "on"

[upstreams.cheap]
url = "https://cheap.example.com/v1"
api_key_env = "CHEAP_KEY"

[[rules]]
name = "tool results"
when_model = ["big"]
tool_result_only = true
to_model = "small"

[[rules]]
name = "tiny chats"
no_tools = true
max_input_tokens = 1000
reasoning_effort = ["low", "minimal"]
to_model = "tiny"
to_upstream = "cheap"
"""

TOOLS = [{"type": "function", "name": "exec_command", "parameters": {"type": "object"}}]


def _user(text: str) -> dict[str, Any]:
    return {"type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}


def _req(items: list[dict[str, Any]], tools: list[Any] | None = None, **kw: Any) -> dict[str, Any]:
    return {"model": "big", "input": items, "tools": tools or [], **kw}


CALL = {"type": "function_call", "name": "exec_command", "arguments": "{}", "call_id": "c1"}
RESULT = {"type": "function_call_output", "call_id": "c1", "output": "ok"}


def test_parse_good_file() -> None:
    rules = parse_rules(GOOD, "routing.toml")
    assert rules.mode == "on" and rules.active
    assert [r.name for r in rules.rules] == ["tool results", "tiny chats"]
    assert rules.rules[0].line == 7 and rules.rules[1].line == 13
    assert rules.upstreams["cheap"].api_key_env == "CHEAP_KEY"
    assert rules.rules[1].describe() == (
        "tiny chats: no tools and input < ~1000 tokens and effort in low, minimal -> tiny @ cheap"
    )


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('mode = "sometimes"\n', ":1:1", "mode must be one of"),
        ('mode = "on"\n[[rules]]\nname = "x"\n', ":2:1", "to_model"),
        (
            'mode = "on"\n\n[[rules]]\nto_model = "a"\n  no_tools = "yes"\n',
            ":5:3",
            "no_tools must be true or false",
        ),
        ('[[rules]]\nto_model = "a"\n[[rules]]\nto_model = "b"\nmax_input_tokens = -3\n', ":5:1", "positive"),
        ('[[rules]]\nto_model = "a"\nto_upstream = "nowhere"\n', ":3:1", "not an [upstreams.NAME]"),
        ('[[rules]]\nto_model = "a"\nreasoning_effort = "extreme"\n', ":3:1", "reasoning_effort"),
        ('[[rules]]\nto_model = "a"\ncolour = "red"\n', ":3:1", "unknown key 'colour'"),
        ('[upstreams.x]\nurl = "ftp://x"\napi_key_env = "K"\n', ":2:1", "http(s) URL"),
        ("mode = 'on\n", ":1:", "invalid TOML"),
        ("speed = 1\n", ":1:1", "unknown setting"),
    ],
)
def test_bad_files_name_file_line_col(text: str, where: str, words: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_rules(text, "routing.toml")
    assert f"routing.toml{where}" in e.value.message and words in e.value.message


def test_no_file_means_off(tmp_path: Path) -> None:
    rules = load_rules(path=tmp_path / "none.toml")
    assert rules.mode == "off" and not rules.active
    assert load_rules({"AGENTCOST_CONFIG_DIR": str(tmp_path)}).path is None


def test_default_mode_is_off() -> None:
    rules = parse_rules('[[rules]]\nto_model = "a"\n', "r.toml")
    assert rules.mode == "off" and not rules.active


def test_facts() -> None:
    f = facts(_req([_user("hi"), CALL, RESULT], TOOLS, reasoning={"effort": "low"}))
    assert f.tool_result_only and f.has_tools and f.reasoning_effort == "low" and not f.has_images
    assert not facts(_req([_user("hi")], TOOLS)).tool_result_only
    # results, then a new user message: a user turn, not tool-result-only
    assert not facts(_req([_user("hi"), CALL, RESULT, _user("and now?")])).tool_result_only
    image = {"type": "message", "role": "user", "content": [{"type": "input_image", "image_url": "data:x"}]}
    assert facts(_req([image])).has_images
    small, big = facts(_req([_user("x" * 400)])), facts(_req([_user("x" * 40_000)]))
    assert 100 <= small.input_tokens_estimate < 200 and big.input_tokens_estimate > 10_000


def test_matching() -> None:
    rules = parse_rules(GOOD, "routing.toml").rules
    assert first_match(rules, facts(_req([_user("hi"), CALL, RESULT], TOOLS))) is rules[0]
    other_model = _req([_user("hi"), CALL, RESULT], TOOLS)
    other_model["model"] = "medium"
    assert first_match(rules, facts(other_model)) is None
    chat = _req([_user("hi")], reasoning={"effort": "low"})
    assert first_match(rules, facts(chat)) is rules[1]
    assert first_match(rules, facts(_req([_user("hi")], TOOLS, reasoning={"effort": "low"}))) is None
    assert first_match(rules, facts(_req([_user("hi")], reasoning={"effort": "high"}))) is None
    assert first_match(rules, facts(_req([_user("x" * 8000)], reasoning={"effort": "low"}))) is None


def test_images_never_routed_unless_the_rule_allows() -> None:
    img = {
        "type": "function_call_output",
        "call_id": "c1",
        "output": [{"type": "input_image", "image_url": "x"}],
    }
    req = _req([_user("hi"), CALL, img], TOOLS)
    rules = parse_rules(GOOD, "r.toml").rules
    assert first_match(rules, facts(req)) is None
    allowed = parse_rules('[[rules]]\ntool_result_only = true\nimages = true\nto_model = "s"\n', "r.toml")
    assert first_match(allowed.rules, facts(req)) is allowed.rules[0]


def test_router_routes_and_dry_run() -> None:
    main = Upstream("https://main.example.com/v1", "k-main")
    cheap = Upstream("https://cheap.example.com/v1", "k-cheap")
    rules = parse_rules(GOOD, "routing.toml")
    route = make_router(rules, main, {"cheap": cheap})
    r = route(_req([_user("hi")], reasoning={"effort": "minimal"}))
    assert (r.model, r.upstream, r.asked, r.rule, r.routed) == ("tiny", cheap, "big", "tiny chats", True)
    plain = route(_req([_user("hi")], TOOLS))
    assert (plain.model, plain.upstream, plain.asked) == ("big", main, None)
    assert route({}).model == ""  # GET /v1/models
    dry = make_router(parse_rules(GOOD.replace('"on"', '"dry-run"'), "r.toml"), main, {"cheap": cheap})
    d = dry(_req([_user("hi")], reasoning={"effort": "minimal"}))
    assert (d.model, d.upstream, d.dry_run, d.would_model, d.would_upstream) == (
        "big",
        main,
        True,
        "tiny",
        "cheap.example.com",
    )
    assert not d.routed
    off = make_router(parse_rules(GOOD.replace('"on"', '"off"'), "r.toml"), main, {"cheap": cheap})
    assert off(_req([_user("hi")], reasoning={"effort": "minimal"})).asked is None


def test_summary_lines() -> None:
    cheap = Upstream("https://cheap.example.com/v1", "k")
    lines = summary(parse_rules(GOOD, "routing.toml"), {"cheap": cheap}, None)
    assert lines[0].startswith("routing: on (routing.toml)")
    assert lines[2].endswith("-> tiny @ cheap (cheap.example.com)")
    assert summary(load_rules(path=Path("/nonexistent/r.toml")), {}, None)[0].startswith("routing: off")
