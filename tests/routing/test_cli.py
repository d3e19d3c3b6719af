"""`agentcost shim` with a routing.toml: refuses a broken file or a missing key before listening."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

KEY = "sk-routingcli-key-0123456789ab"


def _rules(text: str) -> Path:
    path = Path(os.environ["AGENTCOST_CONFIG_DIR"]) / "routing.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_malformed_rules_refuse_to_start(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _rules('mode = "on"\n[[rules]]\nto_model = "small"\nmax_input_tokens = "lots"\n')
    monkeypatch.setenv("EX_KEY", KEY)
    r = cli("shim", "--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--port", "0")
    assert r.exit_code == 1 and f"{path}:4:1" in r.stderr and "max_input_tokens" in r.stderr
    assert "Traceback" not in r.output and KEY not in r.output


def test_named_upstream_needs_its_key(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _rules(
        'mode = "on"\n[upstreams.cheap]\nurl = "https://cheap.example.com/v1"\napi_key_env = "CHEAP_UNSET"\n'
        '[[rules]]\nno_tools = true\nto_model = "small"\nto_upstream = "cheap"\n'
    )
    monkeypatch.setenv("EX_KEY", KEY)
    monkeypatch.delenv("CHEAP_UNSET", raising=False)
    r = cli("shim", "--upstream", "https://llm.example.com/v1", "--api-key-env", "EX_KEY", "--port", "0")
    assert r.exit_code == 1 and "$CHEAP_UNSET is not set" in r.stderr and "'cheap'" in r.stderr
