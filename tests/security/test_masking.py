"""Masking is linear and complete (issue #11, item 1/2)."""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # the stdlib's own regex parser
from typing import Any

import pytest

from agentcost import secrets
from agentcost.secrets import mask_secret_fields, scrub


def _module_patterns() -> list[re.Pattern[str]]:
    found = [v for v in vars(secrets).values() if isinstance(v, re.Pattern)]
    found += [
        p
        for v in vars(secrets).values()
        if isinstance(v, list | tuple)
        for p in v
        if isinstance(p, re.Pattern)
    ]
    return found


def _backtracking_repeats(tree: Any) -> list[str]:
    """Unbounded greedy/lazy repeats (the ones the engine backtracks into); possessive/atomic are fine."""
    bad: list[str] = []
    for op, av in tree:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, hi, sub = av
            if hi == sre_parse.MAXREPEAT:
                bad.append(f"{name}{{{lo},}}")
            bad += _backtracking_repeats(sub)
        elif name == "POSSESSIVE_REPEAT":
            bad += _backtracking_repeats(av[2])
        elif name == "ATOMIC_GROUP":
            continue  # nothing inside an atomic group is ever re-entered
        elif name == "SUBPATTERN":
            bad += _backtracking_repeats(av[-1])
        elif name == "BRANCH":
            for alt in av[1]:
                bad += _backtracking_repeats(alt)
        elif name in ("ASSERT", "ASSERT_NOT"):
            bad += _backtracking_repeats(av[1])
    return bad


def test_every_masking_pattern_is_backtracking_free() -> None:
    """Not timed: a pattern with no unbounded backtracking repeat costs one pass over its input."""
    patterns = _module_patterns()
    assert len(patterns) >= 5
    offenders = {p.pattern: _backtracking_repeats(sre_parse.parse(p.pattern, p.flags)) for p in patterns}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_long_runs_near_a_secret_field_are_masked_in_one_pass(size: int) -> None:
    run = "a" * size
    text = f'+  "note": "{run}",\n+  "ANTHROPIC_AUTH_TOKEN": "{run}x9Zk"\n{run}api_key{run}\n'
    out = mask_secret_fields(text)
    assert '"ANTHROPIC_AUTH_TOKEN": "…x9Zk"' in out
    assert out.count(run) == 3  # the note and the bare run are not secrets


def test_custom_headers_values_are_masked_names_kept() -> None:
    text = '+    "ANTHROPIC_CUSTOM_HEADERS": "X-Key: s3cr3tvalue99\\nX-Org: orgsecret12"\n'
    out = mask_secret_fields(text)
    assert "s3cr3tvalue99" not in out and "orgsecret12" not in out
    assert "X-Key: …ue99" in out and "X-Org: …et12" in out


@pytest.mark.parametrize(
    "line",
    [
        'http_headers = { "X-Custom-Auth" = "hdrsecretvalue1" }\n',
        '"X-Custom-Auth" = "hdrsecretvalue1"\n',  # inside the table below
    ],
)
def test_codex_http_headers_values_are_masked(line: str) -> None:
    text = "[model_providers.x.http_headers]\n" + line if not line.startswith("http") else line
    assert "hdrsecretvalue1" not in mask_secret_fields(text)


def test_env_http_headers_and_env_key_names_stay_readable() -> None:
    text = (
        'env_http_headers = { "X-Key" = "ATLAS_HEADER" }\nenv_key = "ATLAS_API_KEY"\n'
        '"MAX_THINKING_TOKENS": "32000"\n'
    )
    assert mask_secret_fields(text) == text


@pytest.mark.parametrize(
    "name", ["OPENAI_KEY", "ZAI_KEY", "x-api-key", "DB_PASSWORD", "client_secret", "Authorization", "my.key"]
)
def test_any_secret_named_field_is_masked_whatever_the_shape(name: str) -> None:
    out = mask_secret_fields(f'"{name}": "short-ish val"\n{name} = \'lit-value-123\'\n')
    assert "short-ish val" not in out and "lit-value-123" not in out


def test_escaped_quote_does_not_end_the_masked_value() -> None:
    out = mask_secret_fields('"api_key": "abc\\"defghijklmnop"\n')
    assert "defghijklmnop" not in out


def test_zai_id_secret_keys_are_scrubbed_anywhere() -> None:
    key = "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp"
    out = scrub(f"using {key} now")
    assert key not in out and "…MnOp" in out
    assert secrets.looks_like_key(key)
