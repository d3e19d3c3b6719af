"""The provider catalog: bundled entries, user additions and overrides, validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_providers_json(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("providers", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    ids = {p["id"] for p in doc["providers"]}
    assert {
        "atlas",
        "deepseek",
        "openrouter",
        "moonshot",
        "zai",
        "minimax",
        "dashscope",
        "anthropic",
        "openai",
        "custom",
    } <= ids
    for p in doc["providers"]:
        assert p["source"] and p["as_of"]
        assert not p["claude_base_url"].rstrip("/").endswith("/v1")


def test_user_provider_override(cli, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text(
        '[providers.atlas]\nmain_model = "zai-org/glm-5.1"\n\n[providers.mylab]\nname = "Lab"\n'
        'claude_base_url = "https://llm.example.com"\n'
    )
    doc = json.loads(cli("providers", "--json").stdout)
    by_id = {p["id"]: p for p in doc["providers"]}
    assert by_id["atlas"]["main_model"] == "zai-org/glm-5.1"
    assert by_id["atlas"]["origin"] == "user-override"
    assert by_id["mylab"]["origin"] == "user"


def test_malformed_user_providers_is_clean_error(cli, isolated_env: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text("[providers.x\n")
    r = cli("providers")
    assert r.exit_code == 1
    assert "providers.toml:1" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ('[providers.y]\nname = "Y"\nresponses_api = "maybe"\n', 3, "responses_api must be"),
        ('[providers.y]\nname = "Y"\nbogus_field = 1\n', 3, "unknown field(s) bogus_field"),
        ('[providers.y]\nclaude_base_url = "ftp//x"\n', 2, "http(s) URL with a host"),
        ('[providers.y]\nclaude_base_url = "https://evil.example.com/v1"\n', 2, "must not end in /v1"),
        ('[providers.y]\ncodex_base_url = "https://x.example.com/v1/responses"\n', 2, "not an endpoint"),
    ],
)
def test_user_provider_validation_names_line(
    cli, isolated_env: Path, body: str, line: int, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text(body)
    r = cli("providers")
    assert r.exit_code == 1
    assert f"providers.toml:{line}:1: provider 'y': " in r.stderr
    assert fragment in r.stderr


def test_providers_help_shows_the_schema_header(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("providers", "--help")
    assert "[providers.mylab]" in r.stdout


def test_catalog_sources_cite_nothing_users_cannot_open() -> None:
    from agentcost.providers import load_providers

    for p in load_providers({}).values():
        assert p.source.strip(), p.id
        assert "shared/" not in p.source and "seeds" not in p.source, p.id
