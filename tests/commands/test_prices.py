"""`agentcost prices` end to end through the CLI (CliRunner; no network unless --refresh)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentcost.commands import prices as prices_cmd
from agentcost.pricing.catalog import cache_path, overrides_path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pricing"
LITELLM = (FIXTURES / "litellm-subset-2026-07-24.json").read_bytes()


def _row(out: str, model: str) -> str:
    """The table line whose first cell is `model` (a wrapped note may start with a model name too)."""
    return next(
        ln for ln in out.splitlines() if ln.split("│")[1:2] and ln.split("│")[1].split()[:1] == [model]
    )


@pytest.fixture
def no_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> Any:
        raise AssertionError("a listing must never build an HTTP transport")

    monkeypatch.setattr(prices_cmd, "_transport", fail)


def test_sonnet_offline(cli: Any, no_transport: None) -> None:
    r = cli("prices", "sonnet")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "claude-sonnet-4-5 " in out and "claude-sonnet-4-6" in out
    row = _row(out, "claude-sonnet-4-5")
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[:7] == [
        "claude-sonnet-4-5",
        "3",
        "3.75",
        "6",
        "0.3",
        "15",
        "200,000 (see notes)",
    ]
    assert cells[7].startswith("prompt >200k: in/out 6/22.5; 1M-token")
    # source, date and layer are one footnote per distinct source: "[n] <source>, as of ...; bundled"
    note = next(line for line in out.splitlines() if line.startswith(cells[8] + " "))
    assert "2026-07-24" in note and note.endswith("; bundled")
    assert "n/a" in out and "unpriced: LiteLLM's only figure" in out  # claude-sonnet-5
    assert "confirmed against vendor pricing pages (agentcost maintainers' survey, late 2026)" in out
    assert "$0" not in out.replace("$0 input", "")


def test_deepseek_shows_peak_and_unpriced(cli: Any, no_transport: None) -> None:
    r = cli("prices", "deepseek")
    assert r.exit_code == 0
    assert "×2 09:00-12:00, 14:00-18:00 Beijing time (UTC+8)" in r.stdout
    row = _row(r.stdout, "deepseek-flash")
    assert [c.strip() for c in row.split("│")[2:7]] == ["0.15", "0", "—", "0.003", "0.6"]
    row = _row(r.stdout, "deepseek-v4-flash")
    assert [c.strip() for c in row.split("│")[2:7]] == ["0.14", "0", "—", "0.0028", "0.28"]


def test_resolution_is_shown(cli: Any, no_transport: None) -> None:
    r = cli("prices", "claude-sonnet-4-5-2025-09-29")
    assert r.exit_code == 0
    assert (
        r.stdout.splitlines()[0] == "claude-sonnet-4-5-2025-09-29 → claude-sonnet-4-5 (date suffix stripped)"
    )
    r = cli("prices", "deepseek-ai/deepseek-v4-pro")
    assert "deepseek-ai/deepseek-v4-pro → deepseek-v4-pro (provider prefix stripped)" in r.stdout
    assert "Atlas Cloud's rates may differ" in r.stdout


def test_json_is_complete_and_never_zero_for_unpriced(cli: Any, no_transport: None) -> None:
    r = cli("prices", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 1 and doc["unit"] == "USD per million tokens"
    by_name = {m["model"]: m for m in doc["models"]}
    s = by_name["claude-sonnet-4-5"]
    assert (s["input"], s["output"], s["cache_write_1h"], s["as_of"]) == ("3", "15", "6", "2026-07-24")
    assert s["tiers"][0]["above_input_tokens"] == 200000
    for m in doc["models"]:
        assert m["source"] and m["as_of"]
        if m["priced"]:
            assert m["input"] is not None and m["output"] is not None
        else:
            assert "input" not in m and m["unpriced_reason"]
    defaults = {(d["provider"], d["slot"]): d for d in doc["provider_defaults"]}
    assert defaults[("atlas", "main")]["resolution"]["model"] == "deepseek-v4-pro"
    assert defaults[("deepseek", "fast")]["resolution"]["priced"] is True
    assert defaults[("zai", "main")]["resolution"]["priced"] is True
    assert defaults[("dashscope", "main")]["resolution"]["priced"] is False


def test_glob_and_all(cli: Any, no_transport: None) -> None:
    r = cli("prices", "gpt-5.*codex*", "--json")
    names = {m["model"] for m in json.loads(r.stdout)["models"]}
    assert names == {
        "gpt-5.1-codex",
        "gpt-5.1-codex-max",
        "gpt-5.1-codex-mini",
        "gpt-5.2-codex",
        "gpt-5.3-codex",
        "gpt-5.3-codex-spark",
    }
    r = cli("prices", "--all", "--json")
    assert len(json.loads(r.stdout)["models"]) == 197  # 193 priced + 4 unpriced in the bundled snapshot


def test_no_match_exits_1(cli: Any, no_transport: None) -> None:
    r = cli("prices", "no-such-model-xyz")
    assert r.exit_code == 1
    assert "no model matches 'no-such-model-xyz'" in r.stderr
    r = cli("prices", "no-such-model-xyz", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["models"] == []


def test_overridden_rows_are_marked(cli: Any, no_transport: None) -> None:
    p = overrides_path()
    p.parent.mkdir(parents=True)
    p.write_text('[models."gpt-5"]\ninput = 9\noutput = 99\n[models."house-model"]\ninput = 1\noutput = 2\n')
    r = cli("prices", "gpt-5")
    row = _row(r.stdout, "gpt-5")
    assert "override" in row and " 9 " in row and " 99 " in row
    r = cli("prices", "house")
    assert "house-model" in r.stdout and "override" in r.stdout


def test_malformed_overrides_exit_1_with_location(cli: Any) -> None:
    p = overrides_path()
    p.parent.mkdir(parents=True)
    p.write_text('[models."x"]\ninput = 1\noutput = = 2\n')
    r = cli("prices", "sonnet")
    assert r.exit_code == 1
    assert f"{p}:3:" in r.stderr and "invalid TOML" in r.stderr
    assert "Traceback" not in r.stderr


def test_help_shows_overrides_path_and_example(cli: Any) -> None:
    r = cli("prices", "--help")
    assert r.exit_code == 0
    flat = " ".join(r.stdout.split())
    assert str(overrides_path()) in flat.replace(" ", "") or str(overrides_path()) in flat
    assert '[models."my-model"]' in r.stdout and "input = 0.5" in r.stdout


def test_refresh_via_cli(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads(LITELLM)
    doc["gpt-5"]["output_cost_per_token"] = 1.1e-05
    body = json.dumps(doc).encode()
    monkeypatch.setattr(
        prices_cmd, "_transport", lambda: httpx.MockTransport(lambda r: httpx.Response(200, content=body))
    )
    r = cli("prices", "--refresh")
    assert r.exit_code == 0, r.stderr
    assert "Compared with the bundled snapshot: 1 added, 1 changed price, 0 removed." in r.stdout
    assert "Changed: gpt-5" in r.stdout
    r = cli("prices", "gpt-5", "--json")
    m = next(m for m in json.loads(r.stdout)["models"] if m["model"] == "gpt-5")
    assert m["output"] == "11" and m["origin"] == "cache:litellm"
    r = cli("prices", "gpt-5")
    assert "refreshed (litellm)" in r.stdout


def test_refresh_offline_exit_1_keeps_cache(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    monkeypatch.setattr(prices_cmd, "_transport", lambda: httpx.MockTransport(down))
    r = cli("prices", "--refresh", "--source", "openrouter")
    assert r.exit_code == 1
    assert "previous price data was kept" in r.stderr and "Traceback" not in r.stderr
    assert not cache_path("openrouter").exists()


def test_usage_errors(cli: Any) -> None:
    assert cli("prices", "--refresh", "--source", "bogus").exit_code == 2
    assert cli("prices", "--url", "http://127.0.0.1:1/x").exit_code == 2
    assert cli("prices", "sonnet", "--refresh").exit_code == 2


@pytest.fixture
def local_stub() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(LITELLM)))
            self.end_headers()
            self.wfile.write(LITELLM)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/model_prices_and_context_window.json"
    finally:
        server.shutdown()
        server.server_close()


def test_refresh_against_a_local_stub_over_real_http(cli: Any, local_stub: str) -> None:
    r = cli("prices", "--refresh", "--url", local_stub, "--json")
    assert r.exit_code == 0, r.stderr
    res = json.loads(r.stdout)["refresh"]
    assert res["url"] == local_stub and res["priced_models"] == 190 and res["changed_price"] == 0
    cached = json.loads(cache_path("litellm").read_text())
    assert cached["url"] == local_stub


def test_rows_shadowed_by_an_override_are_hidden_or_marked(cli: Any, no_transport: None) -> None:
    p = overrides_path()
    p.parent.mkdir(parents=True)
    p.write_text(
        '[models."claude-sonnet-4-5"]\ninput = 1\noutput = 2\n[aliases]\n"corp/fast" = "claude-haiku-4-5"\n'
    )
    r = cli("prices", "claude-sonnet-4-5", "--json")
    rows = {m["model"]: m for m in json.loads(r.stdout)["models"]}
    assert set(rows) == {"claude-sonnet-4-5"} and rows["claude-sonnet-4-5"]["origin"] == "override"
    r = cli("prices", "claude-sonnet-4-5", "--all")
    dated = _row(r.stdout, "claude-sonnet-4-5-20250929")
    assert "bundled (shadowed)" in dated
    r = cli("prices", "claude-sonnet-4-5-20250929")
    assert r.stdout.startswith("claude-sonnet-4-5-20250929 → claude-sonnet-4-5 (date suffix stripped)")
    assert "override" in r.stdout
    r = cli("prices", "haiku-4-5", "--json")
    haiku = next(m for m in json.loads(r.stdout)["models"] if m["model"] == "claude-haiku-4-5")
    assert haiku["aliases"] == ["corp/fast"]


def test_brackets_in_user_text_are_not_markup(cli: Any, no_transport: None) -> None:
    p = overrides_path()
    p.parent.mkdir(parents=True)
    p.write_text(
        '[models."lab[x]-model"]\ninput = 1\noutput = 2\n'
        'source = "[bold]invoice[/bold]"\nnote = "[red]n[/]"\n'
    )
    r = cli("prices", "lab")
    assert r.exit_code == 0, r.stderr
    assert "lab[x]-model" in r.stdout and "[bold]invoice[/bold]" in r.stdout and "[red]n[/]" in r.stdout


def serve(body: bytes, status: int = 200) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, content=body))


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
