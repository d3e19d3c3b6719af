"""Base URL normalisation for Codex (pure) and the doctor's URL classifier."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.codex.url import base_url_problem, normalize_base_url
from agentcost.errors import AgentcostError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://api.atlascloud.ai", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/v1", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/v1/", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/v1/responses", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/v1/responses/", "https://api.atlascloud.ai/v1"),
        ("https://api.deepseek.com/v1/chat/completions", "https://api.deepseek.com/v1"),
        ("https://api.z.ai/api/paas/v4", "https://api.z.ai/api/paas/v4"),
        ("https://api.z.ai/api/coding/paas/v4/chat/completions", "https://api.z.ai/api/coding/paas/v4"),
        ("https://host/responses", "https://host/v1"),
        ("HTTPS://Host:8443/openai/v1//", "https://Host:8443/openai/v1"),
        ("  http://127.0.0.1:8080/v1  ", "http://127.0.0.1:8080/v1"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_base_url(raw).url == expected


def test_normalize_reports_changes() -> None:
    n = normalize_base_url("https://api.atlascloud.ai")
    assert n.changed and any("/v1" in c for c in n.changes)
    n = normalize_base_url("https://h/v1/responses")
    assert any("'/responses'" in c for c in n.changes)
    assert normalize_base_url("https://h/v1").changes == ()


@pytest.mark.parametrize(
    "raw",
    ["api.atlascloud.ai/v1", "ftp://host/v1", "https://", "", "https://h/v1?x=1", "https://u:p4ssw0rd@h/v1"],
)
def test_normalize_refuses(raw: str) -> None:
    with pytest.raises(AgentcostError):
        normalize_base_url(raw)


_segment = st.sampled_from(["v1", "v4", "api", "paas", "responses", "chat", "completions", "openai", "", "x"])


@settings(max_examples=150, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=st.sampled_from(["api.example.com", "127.0.0.1:8080", "h", "responses"]),
    segments=st.lists(_segment, max_size=5),
    trailing=st.sampled_from(["", "/", "//"]),
)
def test_normalize_properties(scheme: str, host: str, segments: list[str], trailing: str) -> None:
    raw = f"{scheme}://{host}" + "".join("/" + s for s in segments) + trailing
    once = normalize_base_url(raw).url
    assert normalize_base_url(once).url == once  # idempotent
    assert not once.lower().endswith("/responses")
    assert not once.lower().endswith("/chat/completions")
    assert not once.endswith("/")
    assert base_url_problem(once) is None  # the doctor accepts what setup writes


@pytest.mark.parametrize(
    ("url", "code", "suggestion"),
    [
        ("https://api.atlascloud.ai", "CODEX_BASE_URL_NO_V1", "https://api.atlascloud.ai/v1"),
        ("https://api.atlascloud.ai/", "CODEX_BASE_URL_NO_V1", "https://api.atlascloud.ai/v1"),
        ("https://h/v1/responses", "CODEX_BASE_URL_ENDPOINT", "https://h/v1"),
        ("https://h/v1/chat/completions", "CODEX_BASE_URL_ENDPOINT", "https://h/v1"),
        ("api.atlascloud.ai/v1", "CODEX_BASE_URL_NO_SCHEME", "https://api.atlascloud.ai/v1"),
    ],
)
def test_base_url_problem(url: str, code: str, suggestion: str) -> None:
    p = base_url_problem(url)
    assert p is not None and p.code == code and p.suggestion == suggestion


def test_base_url_problem_accepts_roots() -> None:
    assert base_url_problem("https://api.z.ai/api/paas/v4") is None
    assert base_url_problem("https://openrouter.ai/api/v1/") is None  # a trailing slash works in Codex
