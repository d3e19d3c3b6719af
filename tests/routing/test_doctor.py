"""`doctor codex` on a routing.toml."""

from __future__ import annotations

from pathlib import Path

from agentcost.agents.codex.routing import routing_findings


def _env(tmp_path: Path, text: str | None) -> dict[str, str]:
    if text is not None:
        (tmp_path / "routing.toml").write_text(text)
    return {"AGENTCOST_CONFIG_DIR": str(tmp_path)}


def test_no_file_no_finding(tmp_path: Path) -> None:
    assert routing_findings(_env(tmp_path, None)) == []


def test_malformed_rule_is_an_error_with_file_line_col(tmp_path: Path) -> None:
    (f,) = routing_findings(_env(tmp_path, 'mode = "on"\n[[rules]]\nto_model = "a"\n no_tools = 1\n'))
    assert f.code == "CODEX_ROUTING_INVALID" and f.severity.value == "error"
    assert f"{tmp_path / 'routing.toml'}:4:2" in f.message


def test_unpriced_target_and_missing_key_are_warnings(tmp_path: Path) -> None:
    text = (
        'mode = "on"\n[upstreams.c]\nurl = "https://c.example.com/v1"\napi_key_env = "C_KEY_UNSET"\n'
        '[[rules]]\nto_model = "deepseek-v4-flassh"\nto_upstream = "c"\n'
    )
    codes = {f.code: f for f in routing_findings(_env(tmp_path, text))}
    assert set(codes) == {"CODEX_ROUTING_UNPRICED", "CODEX_ROUTING_NO_KEY", "CODEX_ROUTING_OK"}
    assert "deepseek-v4-flassh" in codes["CODEX_ROUTING_UNPRICED"].message
    assert "routing.toml:5" in codes["CODEX_ROUTING_UNPRICED"].message


def test_priced_rules_ok(tmp_path: Path) -> None:
    text = (
        '[[rules]]\nwhen_model = "deepseek-v4-pro"\ntool_result_only = true\nto_model = "deepseek-v4-flash"\n'
    )
    (f,) = routing_findings(_env(tmp_path, text))
    assert f.code == "CODEX_ROUTING_OK" and "mode off" in f.message
