"""One test per Codex finding code, each from a fixture config copied into $CODEX_HOME."""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.agents.codex.conftest import FIXTURES, codes, doctor_json

OR_KEY = {"OPENROUTER_API_KEY": "sk-or-v1-envvalue0123456789"}
ATLAS_KEY = {"ATLAS_API_KEY": "apikey-atlas0123456789abcd"}


@pytest.mark.parametrize(
    ("case", "env", "code", "severity"),
    [
        ("invalid_toml", {}, "CODEX_CONFIG_INVALID_TOML", "error"),
        ("seed004", {}, "CODEX_WIRE_API_CHAT", "error"),
        ("base_url_no_v1", ATLAS_KEY, "CODEX_BASE_URL_NO_V1", "error"),
        ("base_url_endpoint", ATLAS_KEY, "CODEX_BASE_URL_ENDPOINT", "error"),
        ("base_url_no_scheme", ATLAS_KEY, "CODEX_BASE_URL_NO_SCHEME", "error"),
        ("insecure_http", ATLAS_KEY, "CODEX_BASE_URL_INSECURE", "warning"),
        ("auth_missing", {}, "CODEX_AUTH_JSON_MISSING", "error"),
        ("auth_malformed", {}, "CODEX_AUTH_JSON_INVALID", "error"),
        ("auth_wrong_name", {}, "CODEX_AUTH_JSON_INVALID", "error"),
        ("auth_null", {}, "CODEX_AUTH_JSON_INVALID", "error"),
        ("chatgpt_tokens", {}, "CODEX_AUTH_CHATGPT_TOKENS", "error"),
        ("auth_tokens_unparseable", {}, "CODEX_AUTH_JSON_TOKENS_UNPARSEABLE", "error"),
        ("bearer_token", {}, "CODEX_BEARER_TOKEN_IN_CONFIG", "warning"),
        ("env_key_looks_like_key", {}, "CODEX_ENV_KEY_LOOKS_LIKE_KEY", "error"),
        ("env_key_unset", {}, "CODEX_ENV_KEY_UNSET", "error"),
        ("provider_missing", {}, "CODEX_PROVIDER_MISSING", "error"),
        ("provider_no_name", OR_KEY, "CODEX_PROVIDER_NO_NAME", "error"),
        ("legacy_profiles", {}, "CODEX_LEGACY_PROFILES", "warning"),
        ("legacy_profile_key", {}, "CODEX_LEGACY_PROFILES", "error"),
        ("reserved_id", {}, "CODEX_RESERVED_PROVIDER_ID", "error"),
        ("no_credential", {}, "CODEX_NO_CREDENTIAL", "error"),
        ("responses_unknown", ATLAS_KEY, "CODEX_RESPONSES_UNKNOWN", "warning"),
        ("store_keyring", {}, "CODEX_AUTH_STORE_NOT_FILE", "warning"),
        ("base_url_unset", {"GW_KEY": "sk-gw-0123456789abcdef"}, "CODEX_BASE_URL_UNSET", "warning"),
    ],
)
def test_finding_code(
    cli: Any,
    install: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    env: dict[str, str],
    code: str,
    severity: str,
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    install(case)
    data = doctor_json(cli)
    found = [f for f in data["findings"] if f["code"] == code]
    assert found, data["findings"]
    assert found[0]["severity"] == severity
    assert found[0]["agent"] == "codex"
    assert found[0]["file"]


def test_invalid_toml_has_line_and_column(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("invalid_toml")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_CONFIG_INVALID_TOML"]
    # line 4 is `[model_providers.atlas` (unterminated table header)
    assert f"{home / 'config.toml'}:4:" in f["message"]


def test_seed_004_all_problems(cli: Any, install: Callable[[str], Path]) -> None:
    """The guide's config: wire_api chat (Codex refuses to start) and a placeholder key in auth.json."""
    install("seed004")
    data = doctor_json(cli)
    assert codes(data, "error") == {"CODEX_WIRE_API_CHAT", "CODEX_AUTH_JSON_INVALID"}
    assert codes(data, "warning") == {"CODEX_RESPONSES_UNKNOWN"}
    placeholder = next(f for f in data["findings"] if f["code"] == "CODEX_AUTH_JSON_INVALID")
    assert "placeholder" in placeholder["message"]


def test_wrong_key_name_is_named(cli: Any, install: Callable[[str], Path]) -> None:
    install("auth_wrong_name")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_AUTH_JSON_INVALID"]
    assert "'openai_api_key'" in f["message"] and "NO key" in f["message"]


def test_env_key_looking_like_key_is_masked(cli: Any, install: Callable[[str], Path]) -> None:
    install("env_key_looks_like_key")
    result = cli("doctor", "codex", "--json")
    assert "sk-or-v1-0123456789abcdef0123456789abcdef" not in result.stdout + result.stderr
    assert "sk-…cdef" in result.stdout
    text = cli("doctor", "codex")
    assert "0123456789abcdef0123456789abcdef" not in text.stdout + text.stderr


def test_secret_file_mode(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("secret_mode")
    os.chmod(home / "auth.json", 0o644)
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_SECRET_FILE_MODE"]
    assert "0644" in f["message"] and f["severity"] == "warning"
    os.chmod(home / "auth.json", 0o600)
    assert "CODEX_SECRET_FILE_MODE" not in codes(doctor_json(cli))


@pytest.mark.parametrize(("case", "env"), [("good_env", OR_KEY), ("good_file", {})])
def test_good_configs_are_clean(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, case: str, env: dict[str, str]
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    install(case)
    result = cli("doctor", "codex", "--json")
    assert result.exit_code == 0, result.stdout
    assert codes(doctor_json(cli)) == set()  # OpenRouter is known to serve the Responses API


def test_no_config_is_a_note(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir()
    data = doctor_json(cli)
    assert codes(data) == {"CODEX_NO_CONFIG"}
    assert not data["errors"]


def test_codex_home_set_but_missing(cli: Any, codex_home: Path) -> None:
    data = doctor_json(cli)
    assert codes(data, "warning") == {"CODEX_HOME_MISSING"}


def test_bearer_token_in_config_masked_in_dry_run_diff(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("good_env")
    token = "tok0ABCDEFGHIJKLMNOPqrstuvwxyz"
    text = (
        (home / "config.toml")
        .read_text()
        .replace('env_key = "OPENROUTER_API_KEY"', f'experimental_bearer_token = "{token}"')
    )
    (home / "config.toml").write_text(text)
    result = cli("setup", "codex", "--provider", "deepseek", "--api-key-env", "DS", "--dry-run")
    assert result.exit_code == 0
    assert "experimental_bearer_token" in result.stdout  # the context line is shown …
    assert token not in result.stdout + result.stderr  # … masked


def test_project_config_provider_ignored(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-envvalue0123456789")
    install("project_provider")
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "project_provider" / "project", project)
    (project / ".git").mkdir()
    monkeypatch.chdir(project)
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_PROJECT_PROVIDER_IGNORED"]
    assert f["file"] == str(project / ".codex" / "config.toml")
    assert not data["errors"]


def test_profile_file_checked_as_layer(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile selecting a provider that exists nowhere is reported against the profile file."""
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-envvalue0123456789")
    home = install("good_env")
    (home / "work.config.toml").write_text('model_provider = "nope"\n', encoding="utf-8")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_PROVIDER_MISSING"]
    assert f["file"] == str(home / "work.config.toml") and "profile work" in f["message"]


def test_unselected_table_problems_are_warnings(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("good_file")
    with open(home / "config.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[model_providers.old]\nname = "Old"\nbase_url = "https://old.example.com"\n')
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_BASE_URL_NO_V1"]
    assert f["severity"] == "warning" and not data["errors"]


def test_doctor_text_output_exit_code(cli: Any, install: Callable[[str], Path]) -> None:
    install("seed004")
    result = cli("doctor", "codex")
    assert result.exit_code == 1
    assert "CODEX_WIRE_API_CHAT" in result.stdout


def test_unreadable_config_is_reported_not_crashed(cli: Any, codex_home: Path) -> None:
    (codex_home / "config.toml").mkdir(parents=True)  # a directory where the file should be
    data = doctor_json(cli)
    assert "CODEX_CONFIG_UNREADABLE" in codes(data, "error")


def test_non_utf8_auth_json_is_invalid(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("good_file")
    (home / "auth.json").write_bytes(b'{"OPENAI_API_KEY": "\xff\xfe"}')
    assert "CODEX_AUTH_JSON_INVALID" in codes(doctor_json(cli), "error")


def test_catalog_no_responses_is_an_error(
    cli: Any, install: Callable[[str], Path], isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A host the catalog marks responses_api = "no" cannot work with current Codex."""
    cfg = isolated_env / ".config" / "agentcost"
    cfg.mkdir(parents=True)
    (cfg / "providers.toml").write_text('[providers.atlas]\nresponses_api = "no"\n', encoding="utf-8")
    monkeypatch.setenv("ATLAS_API_KEY", "apikey-atlas0123456789abcd")
    install("responses_unknown")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_RESPONSES_UNKNOWN"]
    assert f["severity"] == "error" and "does not serve" in f["message"]


def test_unselected_table_without_name_is_still_an_error(cli: Any, install: Callable[[str], Path]) -> None:
    """Codex 0.171 refuses to load config.toml when ANY provider table lacks a name."""
    home = install("good_file")
    with open(home / "config.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[model_providers.old]\nbase_url = "https://old.example.com/v1"\n')
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_PROVIDER_NO_NAME"]
    assert f["severity"] == "error" and "[model_providers.old]" in f["message"]


def test_broken_profile_file_is_a_warning(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("good_file")
    (home / "bad.config.toml").write_text("model = [\n", encoding="utf-8")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_CONFIG_INVALID_TOML"]
    assert f["severity"] == "warning" and "codex -p bad" in f["message"]
    assert f"{home / 'bad.config.toml'}:" in f["message"]


def _b64(obj: Any, pad: bool = False) -> str:
    text = base64.urlsafe_b64encode(json.dumps(obj).encode()).decode()
    return text if pad else text.rstrip("=")


KEY = "sk-k1-0123456789abcdef"
JWT = f"{_b64({'alg': 'none'})}.{_b64({'email': 'u@example.com'})}.sig"
TOKENS = {"id_token": JWT, "access_token": "at-0123456789abcdef", "refresh_token": "rt", "account_id": "a"}
WHEN = "2026-11-26T00:00:00Z"
# Each row was run with the real Codex 0.171.0 against the e2e stub (requires_openai_auth provider);
# "sent" is the Authorization header that arrived: the key, the ChatGPT access token, or none.
API = {"auth_mode": "apikey", "OPENAI_API_KEY": KEY}
PADDED = f"{_b64({'alg': 'none'}, True)}.{_b64({'email': 'a@b.cd'}, True)}.sig"
NO_REFRESH = {k: v for k, v in TOKENS.items() if k != "refresh_token"}
OBSERVED: list[tuple[dict[str, Any], str, str | None]] = [
    ({**API, "tokens": {"access_token": "a"}}, "none", "tokens"),
    ({"OPENAI_API_KEY": KEY, "tokens": {"access_token": "a"}}, "none", "tokens"),
    ({"auth_mode": "chatgpt", "OPENAI_API_KEY": None, "tokens": {"access_token": "a"}}, "none", "tokens"),
    ({**API, "tokens": NO_REFRESH}, "none", "tokens"),
    ({**API, "tokens": {**TOKENS, "id_token": PADDED}}, "none", "tokens"),
    ({**API, "last_refresh": "2026-11-26"}, "none", "last_refresh"),
    ({"auth_mode": "apikey", "OPENAI_API_KEY": 123}, "none", "OPENAI_API_KEY"),
    ({"auth_mode": "bogus", "OPENAI_API_KEY": KEY}, "none", "auth_mode"),
    ({**API, "tokens": None}, "key", None),
    ({**API, "tokens": {**TOKENS, "id_token": f"{_b64({'alg': 'none'})}.{_b64({})}.sig"}}, "key", None),
    ({**API, "tokens": TOKENS, "last_refresh": WHEN}, "key", None),
    ({**API, "last_refresh": "2026-11-26 10:00:00Z"}, "key", None),
    ({**API, "last_refresh": "2026-11-26T10:00:00.123456+02:00"}, "key", None),
    ({**API, "whatever": 1}, "key", None),
    ({"OPENAI_API_KEY": KEY, "tokens": TOKENS, "last_refresh": WHEN}, "key", None),
    ({"OPENAI_API_KEY": None, "tokens": TOKENS, "last_refresh": WHEN}, "token", None),
    ({"auth_mode": "chatgpt", "OPENAI_API_KEY": KEY, "tokens": TOKENS, "last_refresh": WHEN}, "token", None),
    ({"auth_mode": "chatgpt", "tokens": TOKENS, "last_refresh": WHEN}, "token", None),
    ({"auth_mode": "apikey", "OPENAI_API_KEY": None, "tokens": TOKENS, "last_refresh": WHEN}, "none", None),
]  # fmt: skip


@pytest.mark.parametrize(("auth", "sent", "unloadable"), OBSERVED)
def test_chatgpt_login_detection_matches_codex(
    auth: dict[str, Any], sent: str, unloadable: str | None
) -> None:
    """Only a loadable file with a well-formed JWT id_token in ChatGPT mode leaks the access token;
    a file Codex cannot load sends no key at all (and is reported as such)."""
    from agentcost.agents.codex.config import auth_json_problem, chatgpt_login

    assert chatgpt_login(auth) is (sent == "token")
    problem = auth_json_problem(auth)
    assert (problem[0] if problem else None) == unloadable


def test_profile_file_next_to_legacy_table_is_an_error(cli: Any, install: Callable[[str], Path]) -> None:
    home = install("legacy_profiles")  # has [profiles.deep]
    (home / "deep.config.toml").write_text('model = "gpt-5-pro"\n', encoding="utf-8")
    data = doctor_json(cli)
    errors = [
        f for f in data["findings"] if f["code"] == "CODEX_LEGACY_PROFILES" and f["severity"] == "error"
    ]
    assert len(errors) == 1 and "codex -p deep" in errors[0]["message"]


def test_unknown_provider_key_named_with_suggestion(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-envvalue0123456789")
    install("unknown_key")
    data = doctor_json(cli)
    (f,) = [f for f in data["findings"] if f["code"] == "CODEX_PROVIDER_UNKNOWN_KEY"]
    assert "'base-url'" in f["message"] and f["fix"] == "did you mean 'base_url'?"
    assert "CODEX_BASE_URL_UNSET" in codes(data)  # the consequence: requests go to api.openai.com


def test_apikey_next_to_unparseable_tokens_sends_nothing(cli: Any, install: Callable[[str], Path]) -> None:
    """The e2e finding: {"auth_mode": "apikey", key, "tokens": {"access_token": "a"}} sends NO key."""
    install("auth_tokens_unparseable")
    result = cli("doctor", "codex", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert codes(data, "error") == {"CODEX_AUTH_JSON_TOKENS_UNPARSEABLE"}  # not a leak, not "fine"
    (f,) = data["findings"]
    assert "id_token" in f["message"] and "NO Authorization header" in f["message"]
    assert "sk-or-v1-abcdef0123456789" not in result.stdout + result.stderr


def test_malformed_chatgpt_login_is_no_credential_not_a_leak(
    cli: Any, install: Callable[[str], Path]
) -> None:
    home = install("chatgpt_tokens")
    auth = json.loads((home / "auth.json").read_text())
    auth["tokens"]["id_token"] = "eyJhbGciOiJSUzI1NiJ9.fake-id-token"  # two parts: not a JWT
    (home / "auth.json").write_text(json.dumps(auth))
    data = doctor_json(cli)
    assert codes(data, "error") == {"CODEX_AUTH_JSON_TOKENS_UNPARSEABLE"}
    assert "not a JWT" in data["findings"][0]["message"]


def test_builtin_openai_with_unloadable_auth_json_warns(cli: Any, codex_home: Path) -> None:
    codex_home.mkdir(parents=True)
    (codex_home / "config.toml").write_text('model = "gpt-5"\n', encoding="utf-8")
    (codex_home / "auth.json").write_text(
        '{"OPENAI_API_KEY": "sk-x-0123456789", "last_refresh": "2026-11-26"}'
    )
    os.chmod(codex_home / "auth.json", 0o600)
    data = doctor_json(cli)
    (f,) = data["findings"]
    assert (f["code"], f["severity"]) == ("CODEX_AUTH_JSON_INVALID", "warning")
    assert "built-in openai" in f["message"] and "last_refresh" in f["message"]


def test_bearer_token_in_config_warns_masked_and_checks_mode(
    cli: Any, install: Callable[[str], Path]
) -> None:
    home = install("bearer_token")
    token = "sk-or-v1-bearer0123456789abcdefBEEF"
    os.chmod(home / "config.toml", 0o600)
    result = cli("doctor", "codex", "--json")
    assert result.exit_code == 0  # a warning: the token IS sent
    data = json.loads(result.stdout)
    assert codes(data) == {"CODEX_BEARER_TOKEN_IN_CONFIG"}  # no CODEX_NO_CREDENTIAL
    (f,) = data["findings"]
    assert "sk-…BEEF" in f["message"] and "env_key" in f["fix"] and "auth.json" in f["fix"]
    text = cli("doctor", "codex")
    assert token not in result.stdout + result.stderr + text.stdout + text.stderr

    os.chmod(home / "config.toml", 0o644)
    data = doctor_json(cli)
    (mode,) = [f for f in data["findings"] if f["code"] == "CODEX_SECRET_FILE_MODE"]
    assert mode["file"] == str(home / "config.toml") and "0644" in mode["message"]
    assert mode["severity"] == "warning"


def test_config_mode_not_checked_without_a_secret(
    cli: Any, install: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-v1-envvalue0123456789")
    home = install("good_env")
    os.chmod(home / "config.toml", 0o644)
    assert codes(doctor_json(cli)) == set()


def test_bearer_token_wins_over_auth_json(cli: Any, install: Callable[[str], Path]) -> None:
    """Observed: bearer token + requires_openai_auth sends the bearer token, so a missing auth.json
    is not an error there."""
    home = install("bearer_token")
    with open(home / "config.toml", "a", encoding="utf-8") as fh:
        fh.write("requires_openai_auth = true\n")
    assert "CODEX_AUTH_JSON_MISSING" not in codes(doctor_json(cli))
