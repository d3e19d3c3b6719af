"""`setup openclaw` and `doctor openclaw` through the CLI, on files in the fake home."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from agentcost.agents.openclaw.config import load
from agentcost.agents.openclaw.json5 import parse_node
from agentcost.agents.openclaw.online import online_findings

COMMENTED = """// mine
{
  // gateway settings
  gateway: { port: 18789 },  // keep me
  agents: {
    defaults: {
      model: { primary: "anthropic/claude-sonnet-4-5" },
    },
  },
}
"""


def cfg_file(home: Path) -> Path:
    return home / ".openclaw" / "openclaw.json"


def write(home: Path, text: str, mode: int = 0o644) -> Path:
    p = cfg_file(home)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    p.chmod(mode)
    return p


def codes(result: Any) -> set[str]:
    return {f["code"] for f in json.loads(result.stdout)["findings"]}


def test_setup_merges_and_keeps_comments(cli: Any, isolated_env: Path) -> None:
    p = write(isolated_env, COMMENTED)
    r = cli("setup", "openclaw", "--provider", "atlas", "--model", "deepseek-ai/deepseek-v4-pro", "--yes")
    assert r.exit_code == 0, r.output
    text = p.read_text()
    assert text.startswith(COMMENTED[: COMMENTED.index("  agents:")])  # comments and layout kept
    data = parse_node(text).value
    prov = data["models"]["providers"]["atlas"]
    assert prov["baseUrl"] == "https://api.atlascloud.ai/v1"
    assert prov["apiKey"] == "${ATLAS_API_KEY}"
    assert prov["api"] == "openai-completions"
    (m,) = prov["models"]
    assert m["id"] == "deepseek-ai/deepseek-v4-pro"
    assert m["cost"]["input"] > 0 and m["cost"]["output"] > 0  # USD per million tokens
    assert data["agents"]["defaults"]["model"]["primary"] == "atlas/deepseek-ai/deepseek-v4-pro"
    assert data["gateway"] == {"port": 18789}
    backups = list(p.parent.glob("openclaw.json.agentcost-backup-*"))
    assert len(backups) == 1 and backups[0].read_text() == COMMENTED
    # second run: nothing to change, nothing written
    r2 = cli("setup", "openclaw", "--provider", "atlas", "--model", "deepseek-ai/deepseek-v4-pro", "--yes")
    assert r2.exit_code == 0 and "already configured" in r2.output
    assert len(list(p.parent.glob("openclaw.json.agentcost-backup-*"))) == 1


def test_new_file_and_unpriced_model_says_so(cli: Any, isolated_env: Path) -> None:
    r = cli(
        "setup",
        "openclaw",
        "--provider",
        "custom",
        "--base-url",
        "https://llm.example.com",
        "--api-key-env",
        "MY_KEY",
        "--model",
        "totally-unknown-model-x",
        "--yes",
    )
    assert r.exit_code == 0, r.output
    data = parse_node(cfg_file(isolated_env).read_text()).value
    prov = data["models"]["providers"]["custom"]
    assert prov["baseUrl"] == "https://llm.example.com/v1"  # openai-completions: /v1 added to a bare host
    assert "cost" not in prov["models"][0]
    assert "unpriced" in r.output and "$0" in r.output


@pytest.mark.parametrize(
    ("api", "given", "written"),
    [
        ("anthropic-messages", "https://h.example/v1", "https://h.example"),
        ("anthropic-messages", "https://h.example/v1/messages", "https://h.example"),
        ("openai-responses", "https://h.example/v1/responses", "https://h.example/v1"),
        (
            "openai-completions",
            "https://h.example/api/paas/v4/chat/completions",
            "https://h.example/api/paas/v4",
        ),
    ],
)
def test_base_url_rules_per_api(cli: Any, isolated_env: Path, api: str, given: str, written: str) -> None:
    r = cli(
        "setup",
        "openclaw",
        "--provider",
        "custom",
        "--base-url",
        given,
        "--api",
        api,
        "--api-key-env",
        "K",
        "--model",
        "m",
        "--yes",
    )
    assert r.exit_code == 0, r.output
    assert (
        parse_node(cfg_file(isolated_env).read_text()).value["models"]["providers"]["custom"]["baseUrl"]
        == written
    )


def test_dry_run_masks_literal_key_and_writes_nothing(cli: Any, isolated_env: Path) -> None:
    p = write(isolated_env, COMMENTED)
    key = "sk-literal-secret-9876543210"
    r = cli(
        "setup",
        "openclaw",
        "--provider",
        "atlas",
        "--model",
        "m",
        "--auth",
        "file",
        "--api-key",
        key,
        "--dry-run",
    )
    assert r.exit_code == 0, r.output
    assert key not in r.output and "sk-…3210" in r.output
    assert p.read_text() == COMMENTED


def test_literal_key_makes_file_0600(cli: Any, isolated_env: Path) -> None:
    p = write(isolated_env, COMMENTED, 0o644)
    key = "sk-literal-secret-9876543210"
    r = cli(
        "setup",
        "openclaw",
        "--provider",
        "atlas",
        "--model",
        "m",
        "--auth",
        "file",
        "--api-key",
        key,
        "--yes",
    )
    assert r.exit_code == 0, r.output
    assert key not in r.output
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert parse_node(p.read_text()).value["models"]["providers"]["atlas"]["apiKey"] == key


def test_api_key_with_env_storage_is_refused(cli: Any) -> None:
    r = cli(
        "setup", "openclaw", "--provider", "atlas", "--model", "m", "--api-key", "sk-abcdefgh12345", "--yes"
    )
    assert r.exit_code == 2
    assert "sk-abcdefgh12345" not in r.output


def test_malformed_file_refused_with_position(cli: Any, isolated_env: Path) -> None:
    p = write(isolated_env, "{\n  a: 1,\n  b: [1,,2],\n}\n")
    r = cli("setup", "openclaw", "--provider", "atlas", "--model", "m", "--yes")
    assert r.exit_code == 1
    assert f"{p}:3:9" in r.output
    assert p.read_text() == "{\n  a: 1,\n  b: [1,,2],\n}\n"
    d = cli("doctor", "openclaw", "--json")
    assert d.exit_code == 1 and codes(d) == {"OPENCLAW_CONFIG_MALFORMED"}


def _provider(**kw: Any) -> str:
    prov = {
        "baseUrl": "https://h.example/v1",
        "apiKey": "${OC_KEY}",
        "api": "openai-completions",
        "models": [{"id": "m", "name": "m", "cost": {"input": 1, "output": 2}}],
    }
    prov.update(kw)
    return json.dumps(
        {"models": {"providers": {"p": prov}}, "agents": {"defaults": {"model": {"primary": "p/m"}}}}
    )


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"api": "openai-chat"}, "OPENCLAW_API_UNKNOWN"),
        ({"baseUrl": "https://h.example"}, "OPENCLAW_BASE_URL_NO_V1"),
        ({"api": "openai-responses", "baseUrl": "https://h.example/"}, "OPENCLAW_BASE_URL_NO_V1"),
        ({"baseUrl": "https://h.example/v1/chat/completions"}, "OPENCLAW_BASE_URL_ENDPOINT"),
        (
            {"api": "anthropic-messages", "baseUrl": "https://h.example/v1/messages"},
            "OPENCLAW_BASE_URL_ENDPOINT",
        ),
        ({"apiKey": "${NOT_SET_ANYWHERE}"}, "OPENCLAW_API_KEY_UNSET"),
        ({"apiKey": "sk-literal-readable-123456"}, "OPENCLAW_LITERAL_KEY_READABLE"),
        ({"models": [{"id": "claude-sonnet-4-5", "name": "x"}]}, "OPENCLAW_DEFAULT_MODEL_UNLISTED"),
        (
            {"models": [{"id": "m", "name": "m"}, {"id": "claude-sonnet-4-5", "name": "s"}]},
            "OPENCLAW_ZERO_COST",
        ),
    ],
)
def test_doctor_codes(
    cli: Any, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, kw: dict[str, Any], code: str
) -> None:
    monkeypatch.setenv("OC_KEY", "sk-set-in-env-000000")
    write(isolated_env, _provider(**kw), 0o644)
    r = cli("doctor", "openclaw", "--json")
    assert code in codes(r), r.output
    assert "sk-literal-readable-123456" not in r.output


def test_doctor_clean_config_and_anthropic_v1_is_fine(
    cli: Any, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OC_KEY", "sk-set-in-env-000000")
    # anthropic-messages: OpenClaw strips a trailing /v1 itself (observed), so it is no mistake
    write(isolated_env, _provider(api="anthropic-messages", baseUrl="https://h.example/v1"))
    r = cli("doctor", "openclaw", "--json")
    assert r.exit_code == 0 and codes(r) == set(), r.output


def test_key_from_openclaw_dotenv_counts_as_set(cli: Any, isolated_env: Path) -> None:
    write(isolated_env, _provider())
    (isolated_env / ".openclaw" / ".env").write_text("OC_KEY=sk-from-dotenv-11111\n")
    r = cli("doctor", "openclaw", "--json")
    assert "OPENCLAW_API_KEY_UNSET" not in codes(r)


def test_doctor_all_includes_openclaw(cli: Any, isolated_env: Path) -> None:
    r = cli("doctor", "--json")
    assert "OPENCLAW_NOT_CONFIGURED" in codes(r)


def test_online_probe_per_api(isolated_env: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(req: httpx.Request) -> httpx.Response:
        seen.append(req)
        return httpx.Response(401 if "anthropic" in str(req.url) else 200, json={})

    env = {"HOME": str(isolated_env), "OC_KEY": "sk-online-key-123456"}
    write(isolated_env, _provider())
    out = online_findings(load(env), env, httpx.MockTransport(handler))
    assert [f.code for f in out] == ["OPENCLAW_ONLINE_OK"]
    assert str(seen[-1].url) == "https://h.example/v1/chat/completions"
    assert seen[-1].headers["authorization"] == "Bearer sk-online-key-123456"
    write(isolated_env, _provider(api="anthropic-messages", baseUrl="https://anthropic.example/v1"))
    out = online_findings(load(env), env, httpx.MockTransport(handler))
    assert [f.code for f in out] == ["OPENCLAW_ONLINE_UNAUTHORIZED"]
    assert str(seen[-1].url) == "https://anthropic.example/v1/messages"
    assert "sk-online-key-123456" not in out[0].message


def test_failed_write_leaves_the_original(
    cli: Any, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = write(isolated_env, COMMENTED)

    def boom(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    r = cli("setup", "openclaw", "--provider", "atlas", "--model", "m", "--yes")
    assert r.exit_code == 1 and "original is unchanged" in r.output
    assert p.read_text() == COMMENTED
    assert not list(p.parent.glob(".openclaw.json.*agentcost-tmp"))


def test_existing_provider_keeps_its_other_keys_and_models(cli: Any, isolated_env: Path) -> None:
    text = """{
  // hand-written
  models: {
    providers: {
      atlas: {
        baseUrl: "https://api.atlascloud.ai/v1",
        headers: { "X-Team": "a" },  // keep
        models: [{ id: "other", name: "Other" }],
      },
    },
  },
}
"""
    p = write(isolated_env, text)
    r = cli("setup", "openclaw", "--provider", "atlas", "--model", "deepseek-ai/deepseek-v4-pro", "--yes")
    assert r.exit_code == 0, r.output
    new = p.read_text()
    assert "// hand-written" in new and 'headers: { "X-Team": "a" },  // keep' in new
    prov = parse_node(new).value["models"]["providers"]["atlas"]
    assert [m["id"] for m in prov["models"]] == ["other", "deepseek-ai/deepseek-v4-pro"]
    assert prov["headers"] == {"X-Team": "a"}
