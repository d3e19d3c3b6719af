"""Regressions from the QA pass on `agentcost prices`."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentcost.commands import prices as prices_cmd
from agentcost.errors import NetworkError
from agentcost.pricing.refresh import refresh, retry_command

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pricing"
LITELLM = (FIXTURES / "litellm-subset-2026-07-24.json").read_bytes()
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def serve(body: bytes, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, content=body))


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


def test_refresh_cli_wording(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prices_cmd, "_transport", lambda: serve(json.dumps({"x": 1}).encode()))
    r = cli("prices", "--refresh", "--url", "http://127.0.0.1:9/p.json")
    assert r.exit_code != 0
    assert "--url http://127.0.0.1:9/p.json" in r.stderr and "connection" not in r.stderr


def test_sonnet_4_5_context_is_coherent(cli: Any) -> None:
    r = cli("prices", "claude-sonnet-4-5")
    assert r.exit_code == 0, r.stderr
    assert "200,000 (see notes)" in r.stdout
    assert "1M-token context in beta" in r.stdout
    doc = json.loads(cli("prices", "claude-sonnet-4-5", "--json").stdout)
    row = doc["models"][0]
    assert row["context_window"] == 200000 and "1M-token context in beta" in row["note"]
    # a model whose window already covers its tier is shown plainly
    assert "(see notes)" not in cli("prices", "claude-sonnet-4-20250514").stdout


def test_markup_in_patterns_and_override_names_is_literal(cli: Any, isolated_env: Path) -> None:
    from agentcost.pricing.catalog import overrides_path

    path = overrides_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[models."x[/b]evil[red]"]\ninput = 1\noutput = 2\n', encoding="utf-8")
    r = cli("prices", "evil")
    assert r.exit_code == 0, r.stderr
    assert "x[/b]evil[red]" in r.stdout
    r = cli("prices", "[/b]")
    assert r.exit_code == 1 and "Traceback" not in r.stdout + r.stderr


def test_bundled_prices_cite_no_internal_files() -> None:
    text = Path(__file__).parents[2].joinpath("agentcost/data/prices.json").read_text(encoding="utf-8")
    for word in ("shared/", "facts/", "seed 0"):
        assert word not in text
