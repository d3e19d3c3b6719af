"""`--refresh`: both source formats via httpx.MockTransport; every failure keeps the old cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from agentcost.errors import NetworkError
from agentcost.pricing import price_for
from agentcost.pricing.catalog import cache_path
from agentcost.pricing.refresh import refresh, retry_command
from agentcost.pricing.sources import SOURCES, from_litellm, from_openrouter

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pricing"
LITELLM = (FIXTURES / "litellm-subset-2026-07-24.json").read_bytes()
OPENROUTER = (FIXTURES / "openrouter-models.json").read_bytes()
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def serve(body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "GET"
        return httpx.Response(status, content=body, headers=headers)

    return httpx.MockTransport(handler)


def raising(exc: Callable[[httpx.Request], Exception]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(request)

    return httpx.MockTransport(handler)


def test_litellm_refresh_writes_cache_and_wins_over_bundled() -> None:
    doc = json.loads(LITELLM)
    doc["claude-sonnet-4-5"]["input_cost_per_token"] = 4e-06  # a price change, to see it win
    res = refresh("litellm", transport=serve(json.dumps(doc).encode()), now=NOW)
    path = cache_path("litellm")
    assert res.path == path and path.exists()
    cached = json.loads(path.read_text())
    assert cached["url"] == SOURCES["litellm"]
    assert cached["fetched_at"] == "2026-11-26T12:00:00+00:00"
    assert res.compared_with == "bundled snapshot"
    assert res.changed == ["claude-sonnet-4-5"]
    # the bundled snapshot took claude-sonnet-5 out (expired promo); the raw sample still prices it
    assert res.added == ["claude-sonnet-5"]
    assert res.removed == []
    p = price_for("claude-sonnet-4-5")
    assert p is not None and p.input == Decimal(4) and p.origin == "cache:litellm"
    assert p.as_of == "2026-11-26"
    # the peak schedule is ours, not LiteLLM's: it survives the refresh
    ds = price_for("deepseek-v4-pro")
    assert ds is not None and ds.origin == "cache:litellm" and ds.peak is not None


def test_second_refresh_reports_against_previous_cache() -> None:
    refresh("litellm", transport=serve(LITELLM), now=NOW)
    doc = json.loads(LITELLM)
    doc["gpt-5"]["output_cost_per_token"] = 1.2e-05
    del doc["gpt-4"]
    doc["brand-new-model"] = {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "mode": "chat"}
    res = refresh("litellm", transport=serve(json.dumps(doc).encode()), now=NOW)
    assert res.compared_with == "previous cache"
    assert (res.added, res.changed, res.removed) == (["brand-new-model"], ["gpt-5"], ["gpt-4"])


def test_openrouter_refresh_parses_per_token_strings() -> None:
    res = refresh("openrouter", transport=serve(OPENROUTER), now=NOW)
    assert res.priced >= 50
    p = price_for("anthropic/claude-sonnet-4.5")
    assert p is not None and p.origin == "cache:openrouter" and p.resolution == "exact"
    assert (p.input, p.output, p.cache_read, p.cache_write_5m) == (
        Decimal(3),
        Decimal(15),
        Decimal("0.3"),
        Decimal("3.75"),
    )
    assert p.context_window == 200000
    free = price_for("deepseek/deepseek-v4-flash:free")
    assert free is not None and free.free and free.input == 0  # the source marks it free: a real $0
    assert price_for("openrouter/auto") is None  # -1 = router, variable price
    assert price_for("example/zero-priced") is None  # $0/$0 without :free is not "free"


def test_openrouter_conversion_units() -> None:
    doc = {"data": [{"id": "x/y", "pricing": {"prompt": "0.00000014", "completion": "0.00000028"}}]}
    conv = from_openrouter(doc)
    assert conv.models["x/y"]["input"] == Decimal("0.14") and conv.models["x/y"]["output"] == Decimal("0.28")


def test_litellm_conversion_tiers_and_1h() -> None:
    conv = from_litellm(json.loads(LITELLM, parse_float=Decimal))
    e = conv.models["claude-sonnet-4-5"]
    assert e["cache_write_1h"] == 6
    assert e["tiers"] == [
        {
            "above_input_tokens": 200000,
            "input": 6,
            "output": Decimal("22.5"),
            "cache_write_5m": Decimal("7.5"),
            "cache_write_1h": 12,
            "cache_read": Decimal("0.6"),
        }
    ]
    assert conv.models["gpt-5.4"]["tiers"][0]["above_input_tokens"] == 272000
    assert "gpt-image-1" not in conv.models  # image generation is not a text model


@pytest.fixture
def old_cache() -> bytes:
    refresh("litellm", transport=serve(LITELLM), now=NOW)
    return cache_path("litellm").read_bytes()


@pytest.mark.parametrize(
    ("transport", "message"),
    [
        (serve(LITELLM[: len(LITELLM) // 2]), "not valid JSON"),
        (serve(LITELLM[:-100], headers={"content-length": str(len(LITELLM))}), "truncated"),
        (serve(b"<html>captive portal</html>"), "not valid JSON"),
        (serve(b"[1, 2, 3]"), "expected a JSON object"),
        (serve(json.dumps({"gpt-5": json.loads(LITELLM)["gpt-5"]}).encode()), "only 1 priced models"),
        (serve(b"{}", status=503), "HTTP 503"),
        (serve(b"\xff\xfe\x00garbage"), "not UTF-8"),
        (raising(lambda r: httpx.ConnectError("no route to host", request=r)), "ConnectError"),
        (raising(lambda r: httpx.ReadTimeout("slow", request=r)), "timed out"),
    ],
)
def test_failures_keep_the_previous_cache(
    old_cache: bytes, transport: httpx.MockTransport, message: str
) -> None:
    with pytest.raises(NetworkError) as exc:
        refresh("litellm", transport=transport, now=NOW)
    assert message in str(exc.value)
    assert "previous price data was kept" in str(exc.value)
    assert cache_path("litellm").read_bytes() == old_cache
    assert not [p for p in cache_path("litellm").parent.iterdir() if p.name.endswith(".agentcost-tmp")]


def test_size_cap(old_cache: bytes) -> None:
    with pytest.raises(NetworkError, match="cap"):
        refresh("litellm", transport=serve(LITELLM), now=NOW, max_bytes=1000)
    assert cache_path("litellm").read_bytes() == old_cache


def test_wrong_shape_for_openrouter_is_rejected() -> None:
    with pytest.raises(NetworkError, match='expected \\{"data"'):
        refresh("openrouter", transport=serve(LITELLM), now=NOW)
    assert not cache_path("openrouter").exists()


def test_failed_first_refresh_leaves_no_cache() -> None:
    with pytest.raises(NetworkError):
        refresh("litellm", transport=serve(b"{"), now=NOW)
    assert not cache_path("litellm").exists()
    p = price_for("claude-sonnet-4-5")
    assert p is not None and p.origin == "bundled"


def test_corrupt_cache_file_is_a_clear_error(old_cache: bytes) -> None:
    from agentcost.errors import ConfigError
    from agentcost.pricing.catalog import clear_cache

    cache_path("litellm").write_text("{ not json", encoding="utf-8")
    clear_cache()
    with pytest.raises(ConfigError, match="refreshed price cache is unreadable"):
        price_for("gpt-5")


def test_openrouter_cache_does_not_replace_vendor_prices_for_bare_names() -> None:
    doc = json.loads(OPENROUTER)
    for item in doc["data"]:
        if item["id"] == "deepseek/deepseek-v4-pro":
            item["pricing"]["prompt"] = "0.000001"  # a reseller's different rate
    only_here = {"id": "newlab/only-here", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}
    doc["data"].append(only_here)
    refresh("openrouter", transport=serve(json.dumps(doc).encode()), now=NOW)
    own = price_for("deepseek-v4-pro")  # DeepSeek's API (e.g. Claude Code on api.deepseek.com)
    assert own is not None and own.origin == "bundled" and own.input == Decimal("0.435")
    atlas = price_for("deepseek-ai/deepseek-v4-pro")
    assert atlas is not None and atlas.origin == "bundled"
    reseller = price_for("deepseek/deepseek-v4-pro")  # OpenRouter's own id
    assert reseller is not None and reseller.origin == "cache:openrouter" and reseller.input == Decimal(1)
    via = price_for("openrouter/anthropic/claude-sonnet-4.5")
    assert via is not None and via.origin == "cache:openrouter" and via.model == "anthropic/claude-sonnet-4.5"
    only = price_for("only-here")  # nobody else knows it: the reseller's price is better than none
    assert only is not None and only.model == "newlab/only-here" and only.output == Decimal(2)


def test_gzip_encoded_download_is_not_mistaken_for_truncation() -> None:
    import gzip

    body = gzip.compress(LITELLM)
    headers = {"content-encoding": "gzip", "content-length": str(len(body))}
    res = refresh("litellm", transport=serve(body, headers=headers), now=NOW)
    assert res.bytes == len(LITELLM) and res.priced == 190


def test_truncated_gzip_is_rejected() -> None:
    import gzip

    body = gzip.compress(LITELLM)[:-2000]
    with pytest.raises(NetworkError, match="previous price data was kept"):
        refresh(
            "litellm",
            transport=serve(body, headers={"content-encoding": "gzip"}),
            now=NOW,
        )
    assert not cache_path("litellm").exists()


def test_write_failing_half_way_keeps_old_cache(old_cache: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from agentcost.errors import ConfigError

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    doc = json.loads(LITELLM)
    doc["gpt-5"]["input_cost_per_token"] = 9e-06
    with monkeypatch.context() as m, pytest.raises(ConfigError, match="original is unchanged"):
        m.setattr(os, "replace", broken_replace)
        refresh("litellm", transport=serve(json.dumps(doc).encode()), now=NOW)
    assert cache_path("litellm").read_bytes() == old_cache
    assert [p.name for p in cache_path("litellm").parent.iterdir() if p.name != "locks"] == [
        "prices-litellm.json"
    ]


def _hint(transport: httpx.MockTransport, url: str | None = None) -> str:
    with pytest.raises(NetworkError) as exc:
        refresh("litellm", transport=transport, now=NOW, url=url)
    return exc.value.hint or ""


def test_refresh_hint_names_the_cause() -> None:
    bad = _hint(serve(b"<html>captive portal</html>"))
    assert "download worked but the document is not a usable litellm price file" in bad
    assert "connection" not in bad
    assert "check the URL" in _hint(serve(b"{}", status=404))
    down = httpx.MockTransport(lambda r: (_ for _ in ()).throw(httpx.ConnectError("down", request=r)))
    assert "check your connection" in _hint(down)


def test_retry_hint_keeps_the_url() -> None:
    hint = _hint(serve(b"[1]"), url="http://127.0.0.1:9/prices file.json")
    assert "`agentcost prices --refresh --source litellm --url 'http://127.0.0.1:9/prices file.json'`" in hint
    assert retry_command("openrouter") == "agentcost prices --refresh --source openrouter"
