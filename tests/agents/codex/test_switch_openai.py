"""Switching to the built-in openai provider after a third-party setup: no stale model id, the kept
auth.json key is called out (masked), and doctor flags a third-party model id on openai."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from agentcost.agents.codex.models import is_openai_model, third_party_hint
from agentcost.secrets import mask
from tests.agents.codex.conftest import FAKE_KEY, codes, doctor_json


def _config(home: Path) -> dict[str, Any]:
    doc: dict[str, Any] = tomlkit.parse((home / "config.toml").read_text(encoding="utf-8")).unwrap()
    return doc


def _atlas_then_openai(cli: Any, *extra: str) -> Any:
    first = cli(
        "setup", "codex", "--provider", "atlas", "--auth", "file", "--api-key", FAKE_KEY,
        "--model", "deepseek-ai/deepseek-v4-pro", "--yes",
    )  # fmt: skip
    assert first.exit_code == 0, first.stderr
    return cli("setup", "codex", "--provider", "openai", "--yes", *extra)


def test_switch_removes_previous_providers_model_and_warns_about_key(cli: Any, codex_home: Path) -> None:
    result = _atlas_then_openai(cli)
    assert result.exit_code == 0, result.stderr
    cfg = _config(codex_home)
    assert cfg["model_provider"] == "openai" and "model" not in cfg
    assert "atlas" in cfg["model_providers"]  # other tables kept
    assert "removed model = 'deepseek-ai/deepseek-v4-pro'" in result.stderr
    assert "model left as it is" not in result.stderr
    out = result.stdout + result.stderr
    assert f"warning: auth.json holds an API key ({mask(FAKE_KEY)})" in result.stderr
    assert "api.openai.com" in result.stderr and "'atlas'" in result.stderr
    assert FAKE_KEY not in out  # masked
    data = doctor_json(cli)
    assert "CODEX_MODEL_PROVIDER_MISMATCH" not in codes(data)


def test_switch_with_model_sets_it_and_json_summary(cli: Any, codex_home: Path) -> None:
    result = _atlas_then_openai(cli, "--model", "gpt-5", "--json")
    assert result.exit_code == 0, result.stderr
    assert _config(codex_home)["model"] == "gpt-5"
    data = json.loads(result.stdout)
    assert FAKE_KEY not in result.stdout
    assert any("api.openai.com" in w for w in data.get("warnings", [])), data


def test_openai_model_is_kept_and_no_key_notice_without_switch(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text('model = "gpt-5-codex"\n', encoding="utf-8")
    (codex_home / "auth.json").write_text(json.dumps({"auth_mode": "apikey", "OPENAI_API_KEY": FAKE_KEY}))
    os.chmod(codex_home / "auth.json", 0o600)
    result = cli("setup", "codex", "--provider", "openai", "--yes")
    assert result.exit_code == 0, result.stderr
    assert _config(codex_home)["model"] == "gpt-5-codex"
    assert "model left as it is" in result.stderr and "holds an API key" not in result.stderr


def test_doctor_flags_third_party_model_on_builtin_openai(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text(
        'model_provider = "openai"\nmodel = "deepseek-ai/deepseek-v4-pro"\n', encoding="utf-8"
    )
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_MODEL_PROVIDER_MISMATCH"]
    assert f["severity"] == "warning" and "deepseek-ai/deepseek-v4-pro" in f["message"]
    assert f["file"].endswith("config.toml") and "--model gpt-5" in f["fix"]


@pytest.mark.parametrize(
    "model", ["glm-4.6", "kimi-k2", "qwen3-coder-plus", "MiniMax-M2", "claude-sonnet-4-5"]
)
def test_doctor_flags_known_families_without_slash(cli: Any, codex_home: Path, model: str) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text(f'model = "{model}"\n', encoding="utf-8")  # openai by default
    assert "CODEX_MODEL_PROVIDER_MISMATCH" in codes(doctor_json(cli))


def test_doctor_quiet_for_openai_models_and_third_party_tables(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text('model = "o3"\n', encoding="utf-8")
    assert "CODEX_MODEL_PROVIDER_MISMATCH" not in codes(doctor_json(cli))
    (codex_home / "config.toml").write_text(
        'model_provider = "atlas"\nmodel = "deepseek-ai/deepseek-v4-pro"\n\n[model_providers.atlas]\n'
        'name = "Atlas"\nbase_url = "https://api.atlascloud.ai/v1"\nenv_key = "ATLAS_API_KEY"\n',
        encoding="utf-8",
    )
    assert "CODEX_MODEL_PROVIDER_MISMATCH" not in codes(doctor_json(cli))


def test_model_rules() -> None:
    for m in ("gpt-5", "gpt-5-codex", "o3", "o4-mini", "codex-mini-latest", "GPT-4.1"):
        assert is_openai_model(m) and third_party_hint(m) is None, m
    for m in ("openai/gpt-5", "deepseek-ai/deepseek-v4-pro", "deepseek-chat", "my-model", "opus"):
        assert not is_openai_model(m), m
    assert third_party_hint("my-model") is None  # doctor does not guess
    assert third_party_hint("deepseek-chat") is not None and third_party_hint("x/y") is not None
