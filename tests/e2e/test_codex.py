"""Codex CLI 0.171.0 reading what `agentcost setup codex` wrote.

Each test: a fresh HOME / CODEX_HOME, configuration written by the agentcost CLI (a subprocess),
the real `codex exec` (with the flags that keep it off github.com / chatgpt.com) talking to the
stub provider on 127.0.0.1, and assertions on what arrived there.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import tomlkit

from tests.e2e.harness import E2E_TEST_TIMEOUT, Run, World, doctor_codes
from tests.e2e.proxy_guard import ProxyGuard
from tests.e2e.stub_provider import StubProvider

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

KEY = "sk-e2e-codex-key-4b2e"
ENV_KEY = "sk-e2e-codex-envkey-5c3f"
ENV_VAR = "E2E_CODEX_KEY"
MODEL = "e2e-codex-model"
CHATGPT_ACCESS_TOKEN = "e2e-chatgpt-access-token-0a0a"
ONLINE_FAILURES = {"CODEX_ONLINE_UNAUTHORIZED", "CODEX_ONLINE_NOT_FOUND", "CODEX_ONLINE_UNREACHABLE"}


def setup_codex_file(world: World, base_url: str) -> Run:
    run = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", base_url, "--api-key", KEY,
        "--model", MODEL, "--auth", "file", "--yes",
    )  # fmt: skip
    assert run.returncode == 0, run.explain()
    return run


def setup_codex_env(world: World, base_url: str) -> Run:
    run = world.agentcost(
        "setup", "codex", "--provider", "custom", "--base-url", base_url, "--api-key-env", ENV_VAR,
        "--model", MODEL, "--auth", "env", "--yes",
        extra={ENV_VAR: ENV_KEY},
    )  # fmt: skip
    assert run.returncode == 0, run.explain()
    return run


def edit_provider_table(world: World, **changes: object) -> None:
    """Hand-edit the active [model_providers.<id>] table (what setup refuses to write)."""
    path = world.codex_home / "config.toml"
    doc = tomlkit.parse(path.read_text())
    table = doc["model_providers"][str(doc["model_provider"])]
    for k, v in changes.items():
        table[k] = v
    path.write_text(tomlkit.dumps(doc))


def test_auth_file_sends_bearer_from_auth_json(world: World, provider: StubProvider) -> None:
    """--auth file: requires_openai_auth + auth.json -> Bearer <key>; bare host gets /v1 from setup."""
    setup_codex_file(world, provider.url)  # no /v1: setup must add it
    run = world.codex_exec("say hi")
    assert run.returncode == 0, f"{run.explain()}\nstub saw:\n{provider.describe()}"
    assert provider.reply_text in run.stdout
    (req,) = provider.api_requests()
    assert (req.method, req.path, req.model) == ("POST", "/v1/responses", MODEL)
    assert req.header_equals("authorization", f"Bearer {KEY}"), req.header("authorization")
    assert req.body.get("stream") is True


def test_auth_env_sends_bearer_from_environment(world: World, provider: StubProvider) -> None:
    """--auth env: env_key names a variable; the key in that variable is sent, auth.json is not used.
    (The endpoint URL given to setup also checks that /responses is cut off.)"""
    setup_codex_env(world, provider.url + "/v1/responses")
    assert not (world.codex_home / "auth.json").exists()
    run = world.codex_exec("say hi", extra={ENV_VAR: ENV_KEY, "OPENAI_API_KEY": "sk-e2e-ignored-openai-key"})
    assert run.returncode == 0, f"{run.explain()}\nstub saw:\n{provider.describe()}"
    (req,) = provider.api_requests()
    assert (req.path, req.model) == ("/v1/responses", MODEL)
    assert req.header_equals("authorization", f"Bearer {ENV_KEY}"), req.header("authorization")


def test_auth_env_without_the_variable_fails_before_any_request(world: World, provider: StubProvider) -> None:
    setup_codex_env(world, provider.url + "/v1")
    run = world.codex_exec("say hi")
    assert run.returncode != 0
    assert f"Missing environment variable: `{ENV_VAR}`" in run.output, run.explain()
    assert provider.api_requests() == []
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_ENV_KEY_UNSET" in doctor_codes(doc), doc.explain()


def test_wire_api_chat_is_refused_by_codex_and_doctor(world: World, provider: StubProvider) -> None:
    """Hand-written wire_api = "chat": Codex refuses to start; doctor reports CODEX_WIRE_API_CHAT."""
    setup_codex_file(world, provider.url + "/v1")
    edit_provider_table(world, wire_api="chat")
    run = world.codex_exec("say hi")
    assert run.returncode != 0
    assert '`wire_api = "chat"` is no longer supported' in run.output, run.explain()
    assert provider.api_requests() == []
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_WIRE_API_CHAT" in doctor_codes(doc), doc.explain()
    assert doc.returncode == 1


def test_base_url_without_v1_hits_root_responses(world: World, provider: StubProvider) -> None:
    """Hand-written base_url without /v1: Codex POSTs /responses at the root (404) and fails;
    doctor reports CODEX_BASE_URL_NO_V1."""
    setup_codex_file(world, provider.url + "/v1")
    # retries off so the 404 ends after one attempt instead of six
    edit_provider_table(world, base_url=provider.url, request_max_retries=0, stream_max_retries=0)
    run = world.codex_exec("say hi")
    assert run.returncode != 0
    reqs = provider.api_requests()
    assert reqs and {(r.method, r.path, r.status) for r in reqs} == {("POST", "/responses", 404)}, (
        provider.describe()
    )
    assert "404 Not Found" in run.output, run.explain()
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_BASE_URL_NO_V1" in doctor_codes(doc), doc.explain()


def test_malformed_auth_json_sends_no_authorization(world: World, provider: StubProvider) -> None:
    """requires_openai_auth with a malformed auth.json: Codex sends NO Authorization header, silently;
    doctor reports CODEX_AUTH_JSON_INVALID."""
    setup_codex_file(world, provider.url + "/v1")
    auth = world.codex_home / "auth.json"
    auth.write_text('{"auth_mode": "apikey", "OPENAI_API_KEY": ')  # truncated, as after a bad edit
    run = world.codex_exec("say hi")
    assert run.returncode == 0, run.explain()  # the stub does not check keys; a real provider would 401
    (req,) = provider.api_requests()
    assert req.path == "/v1/responses"
    assert req.header("authorization") is None, req.header("authorization")
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_AUTH_JSON_INVALID" in doctor_codes(doc), doc.explain()


def test_doctor_online_ok_against_the_stub(world: World, provider: StubProvider) -> None:
    setup_codex_file(world, provider.url + "/v1")
    doc = world.agentcost("doctor", "codex", "--online", "--json")
    assert doc.returncode == 0, doc.explain()
    assert not doctor_codes(doc) & ONLINE_FAILURES
    reqs = provider.api_requests()
    assert reqs and all(r.path in ("/v1/models", "/v1/responses") for r in reqs), provider.describe()
    assert all(r.header_equals("authorization", f"Bearer {KEY}") for r in reqs if r.path == "/v1/responses")


@pytest.mark.parametrize(
    ("status", "code"), [(401, "CODEX_ONLINE_UNAUTHORIZED"), (404, "CODEX_ONLINE_NOT_FOUND")]
)
def test_doctor_online_names_the_http_failure(
    world: World, provider: StubProvider, status: int, code: str
) -> None:
    setup_codex_env(world, provider.url + "/v1")
    provider.fail_with(status)
    doc = world.agentcost("doctor", "codex", "--online", "--json", extra={ENV_VAR: ENV_KEY})
    codes = doctor_codes(doc)
    assert code in codes, doc.explain()
    assert codes & ONLINE_FAILURES == {code}
    assert doc.returncode == 1
    assert ENV_KEY not in doc.output


def test_profile_file_is_used_with_codex_p(world: World, provider: StubProvider) -> None:
    """--profile NAME writes $CODEX_HOME/NAME.config.toml, which `codex exec -p NAME` reads."""
    run = world.agentcost(
        "setup", "codex", "--profile", "e2eprof", "--provider", "custom", "--base-url", provider.url,
        "--api-key", KEY, "--model", "e2e-profile-model", "--auth", "file", "--yes",
    )  # fmt: skip
    assert run.returncode == 0, run.explain()
    assert (world.codex_home / "e2eprof.config.toml").exists()
    ran = world.codex_exec("say hi", "-p", "e2eprof")
    assert ran.returncode == 0, f"{ran.explain()}\nstub saw:\n{provider.describe()}"
    (req,) = provider.api_requests()
    assert (req.path, req.model) == ("/v1/responses", "e2e-profile-model")
    assert req.header_equals("authorization", f"Bearer {KEY}")


def _b64(obj: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


# What `codex login` stores for a ChatGPT account. Codex parses id_token as a JWT: with a token it
# cannot parse, it ignores the whole file (no Authorization at all), so the fake must be well-formed.
_CLAIMS = {
    "email": "e2e@example.com",
    "exp": 4102444800,
    "https://api.openai.com/auth": {"chatgpt_plan_type": "plus"},
}


def _recent_refresh() -> str:
    """A `last_refresh` the real Codex treats as fresh (it refreshes logins older than ~8 days by calling
    auth.openai.com). Relative to now, so the suite does not depend on the wall-clock date."""
    return (datetime.now(timezone.utc) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


CHATGPT_TOKENS = {
    "id_token": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_CLAIMS)}.sig",
    "access_token": CHATGPT_ACCESS_TOKEN,
    "refresh_token": "e2e-refresh-token",
    "account_id": "e2e-account",
}


@pytest.mark.parametrize(
    ("auth", "sent", "flagged"),
    [
        # a ChatGPT login left in auth.json: its access token goes to the third-party host
        (
            {
                "auth_mode": "chatgpt",
                "OPENAI_API_KEY": None,
                "tokens": CHATGPT_TOKENS,
                "last_refresh": _recent_refresh(),
            },
            CHATGPT_ACCESS_TOKEN,
            True,
        ),
        # API-key mode with stale tokens next to the key: the key is sent, nothing leaks
        ({"auth_mode": "apikey", "OPENAI_API_KEY": KEY, "tokens": CHATGPT_TOKENS}, KEY, False),
    ],
    ids=["chatgpt-login", "apikey-with-stale-tokens"],
)
def test_chatgpt_tokens_in_auth_json(
    world: World, provider: StubProvider, guard: ProxyGuard, auth: dict[str, Any], sent: str, flagged: bool
) -> None:
    """Which credential Codex sends from auth.json, AND whether doctor reports CODEX_AUTH_CHATGPT_TOKENS."""
    setup_codex_file(world, provider.url + "/v1")
    (world.codex_home / "auth.json").write_text(json.dumps(auth))
    run = world.codex_exec("say hi")
    assert run.returncode == 0, run.explain()
    responses = [r for r in provider.api_requests() if r.path == "/v1/responses"]
    assert len(responses) == 1, provider.describe()
    assert responses[0].header_equals("authorization", f"Bearer {sent}"), responses[0].header("authorization")
    doc = world.agentcost("doctor", "codex", "--json")
    assert ("CODEX_AUTH_CHATGPT_TOKENS" in doctor_codes(doc)) is flagged, doc.explain()
    # Observed with 0.171.0: a ChatGPT login also makes Codex call chatgpt.com (despite
    # `--disable plugins` and analytics off); the API-key case stays on 127.0.0.1.
    attempts = set(guard.snapshot())
    if flagged:
        assert attempts <= {"CONNECT chatgpt.com:443 HTTP/1.1"}, attempts
    else:
        assert not attempts
    guard.reset()  # checked above


def test_setup_replaces_a_chatgpt_login(world: World, provider: StubProvider) -> None:
    """The remedy for the leak above: `setup codex --auth file --yes` over a ChatGPT login. Afterwards
    the API key is sent, chatgpt.com is not contacted, and doctor is quiet about tokens."""
    world.codex_home.mkdir(parents=True)
    login = {
        "auth_mode": "chatgpt",
        "OPENAI_API_KEY": None,
        "tokens": CHATGPT_TOKENS,
        "last_refresh": _recent_refresh(),
    }
    (world.codex_home / "auth.json").write_text(json.dumps(login))
    setup_codex_file(world, provider.url + "/v1")
    assert CHATGPT_ACCESS_TOKEN not in (world.codex_home / "auth.json").read_text()
    run = world.codex_exec("say hi")
    assert run.returncode == 0, run.explain()
    (req,) = provider.api_requests()
    assert req.header_equals("authorization", f"Bearer {KEY}"), req.header("authorization")
    doc = world.agentcost("doctor", "codex", "--json")
    assert "CODEX_AUTH_CHATGPT_TOKENS" not in doctor_codes(doc), doc.explain()
