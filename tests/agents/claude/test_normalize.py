"""URL normalisation for ANTHROPIC_BASE_URL: examples and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.claude import normalize_base_url
from agentcost.errors import AgentcostError


@pytest.mark.parametrize(
    ("given_url", "expected", "noticed"),
    [
        ("https://api.atlascloud.ai", "https://api.atlascloud.ai", False),
        ("https://api.atlascloud.ai/", "https://api.atlascloud.ai", True),
        ("https://api.atlascloud.ai/v1", "https://api.atlascloud.ai", True),
        ("https://api.atlascloud.ai/v1/", "https://api.atlascloud.ai", True),
        ("https://api.atlascloud.ai/v1/messages", "https://api.atlascloud.ai", True),
        ("https://api.atlascloud.ai/v1/messages/", "https://api.atlascloud.ai", True),
        ("https://api.deepseek.com/anthropic", "https://api.deepseek.com/anthropic", False),
        ("https://api.deepseek.com/anthropic/v1", "https://api.deepseek.com/anthropic", True),
        ("https://api.z.ai/api/anthropic//", "https://api.z.ai/api/anthropic", True),
        ("https://h.example/V1", "https://h.example", True),
        ("https://h.example/v1/v1", "https://h.example", True),
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080", True),
        ("  https://h.example  ", "https://h.example", False),
        ("https://h.example/v10", "https://h.example/v10", False),
        ("https://h.example/api/v1beta", "https://h.example/api/v1beta", False),
    ],
)
def test_examples(given_url: str, expected: str, noticed: bool) -> None:
    url, notice = normalize_base_url(given_url)
    assert url == expected
    assert (notice is not None) is noticed
    if notice:
        assert expected in notice


def test_notice_explains_the_v1_trap() -> None:
    _, notice = normalize_base_url("https://api.atlascloud.ai/v1")
    assert notice is not None and "/v1/v1/messages" in notice and "'/v1'" in notice


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("api.atlascloud.ai", "no scheme"),
        ("api.atlascloud.ai/v1", "no scheme"),
        ("ftp://h.example", "not an http"),
        ("https://", "not an http"),
        ("https://user:pw@h.example", "credentials"),
        ("https://h.example/v1?x=1", "query"),
        ("https://h.example#frag", "query"),
    ],
)
def test_refused(bad: str, match: str) -> None:
    with pytest.raises(AgentcostError, match=match):
        normalize_base_url(bad)


def test_credentials_not_echoed() -> None:
    with pytest.raises(AgentcostError) as e:
        normalize_base_url("https://user:sk-test-SECRET-abcdef123456@h.example")
    assert "SECRET" not in str(e.value) and "SECRET" not in (e.value.hint or "")


_segment = st.one_of(
    st.sampled_from(["v1", "V1", "messages", "anthropic", "api", "", "v1beta", "apps", "v2"]),
    st.text(alphabet="abcxyz019-_.~", min_size=1, max_size=6),
)
_urls = st.builds(
    lambda scheme, host, port, segs, slash: (
        f"{scheme}://{host}{port}" + "".join("/" + s for s in segs) + ("/" if slash else "")
    ),
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["api.example.com", "127.0.0.1", "localhost", "[::1]", "h-1.example.org"]),
    st.sampled_from(["", ":8080", ":443"]),
    st.lists(_segment, max_size=5),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(_urls)
def test_properties(url: str) -> None:
    out, _ = normalize_base_url(url)
    again, notice = normalize_base_url(out)
    assert again == out and notice is None  # idempotent
    low = out.lower()
    assert not low.endswith("/v1") and not low.endswith("/v1/messages") and not out.endswith("/")
    assert out.split("://", 1)[0] == url.split("://", 1)[0]  # scheme preserved as given
    assert url.startswith(out)  # only a suffix is ever removed


@pytest.mark.parametrize("url", ["https://h.example/v1/chat/completions", "https://h.example/v1/responses/"])
def test_openai_endpoints_refused(url: str) -> None:
    with pytest.raises(AgentcostError, match="OpenAI-style endpoint"):
        normalize_base_url(url)
