"""Claude Code 2.1.197 reading what `agentcost setup claude` / `agentcost ignore` wrote.

Each test: a fresh HOME, configuration written by the agentcost CLI (a subprocess), the real
`claude -p` talking to the stub provider on 127.0.0.1, and assertions on what arrived there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.harness import E2E_TEST_TIMEOUT, Run, World, doctor_codes
from tests.e2e.stub_provider import StubProvider, tool_result_text

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(E2E_TEST_TIMEOUT)]

KEY = "sk-e2e-claude-token-7a1c"
STRAY = "sk-e2e-stray-shell-key-9d9d"
MAIN = "e2e-main-model"
ONLINE_FAILURES = {"CLAUDE_ONLINE_UNAUTHORIZED", "CLAUDE_ONLINE_NOT_FOUND", "CLAUDE_ONLINE_UNREACHABLE"}
FAST = "e2e-fast-model"


def setup_claude(world: World, *args: str) -> Run:
    run = world.agentcost(
        "setup", "claude", "--api-key", KEY, "--model", MAIN, "--fast-model", FAST, "--yes", *args
    )
    assert run.returncode == 0, run.explain()
    return run


def claude_ok(world: World, provider: StubProvider, *args: str, cwd: Path | None = None) -> Run:
    run = world.claude("-p", *args, cwd=cwd)
    assert run.returncode == 0, f"{run.explain()}\nstub saw:\n{provider.describe()}"
    assert provider.reply_text in run.stdout
    return run


def test_auth_token_provider_sends_bearer_to_v1_messages(world: World, provider: StubProvider) -> None:
    """custom provider (ANTHROPIC_AUTH_TOKEN): Bearer key, POST /v1/messages?beta=true, main model."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    claude_ok(world, provider, "say hi")
    reqs = provider.api_requests()
    assert reqs, "Claude Code sent nothing to the stub"
    for r in reqs:
        assert (r.method, r.path) == ("POST", "/v1/messages"), provider.describe()
        assert r.query.get("beta") == ["true"]
        assert r.header_equals("authorization", f"Bearer {KEY}"), r.header("authorization")
        assert r.header("x-api-key") is None, "AUTH_TOKEN provider must not also get x-api-key"
    assert reqs[0].model == MAIN


def test_api_key_provider_sends_x_api_key(world: World, provider: StubProvider) -> None:
    """minimax (ANTHROPIC_API_KEY): x-api-key, no Authorization. The /v1 given to setup is dropped."""
    setup_claude(world, "--provider", "minimax", "--base-url", provider.url + "/v1/")
    assert world.claude_settings()["env"]["ANTHROPIC_BASE_URL"].rstrip("/") == provider.url
    claude_ok(world, provider, "say hi")
    reqs = provider.api_requests()
    assert [r.path for r in reqs] == ["/v1/messages"] * len(reqs) and reqs, provider.describe()
    for r in reqs:
        assert r.header_equals("x-api-key", KEY), r.header("x-api-key")
        assert r.header("authorization") is None


def test_blank_api_key_hides_a_stray_shell_key(world: World, provider: StubProvider) -> None:
    """openrouter writes ANTHROPIC_API_KEY="": a key exported in the shell must not reach the provider.
    (The endpoint URL given to setup also checks that /v1/messages is cut off.)"""
    setup_claude(world, "--provider", "openrouter", "--base-url", provider.url + "/v1/messages")
    assert world.claude_settings()["env"].get("ANTHROPIC_API_KEY") == ""
    run = world.claude("-p", "say hi", extra={"ANTHROPIC_API_KEY": STRAY})
    assert run.returncode == 0, run.explain()
    assert provider.api_requests(), provider.describe()
    for r in provider.api_requests():
        assert r.path == "/v1/messages"
        assert r.header("x-api-key") is None, "the shell's stray ANTHROPIC_API_KEY leaked to the provider"
        assert r.header_equals("authorization", f"Bearer {KEY}")


def test_stray_shell_api_key_is_sent_too_and_doctor_flags_it(world: World, provider: StubProvider) -> None:
    """An ANTHROPIC_API_KEY left in the shell next to an AUTH_TOKEN provider: Claude Code sends BOTH
    headers (the stray key goes to the third-party host); doctor reports CLAUDE_STRAY_API_KEY."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    run = world.claude("-p", "say hi", extra={"ANTHROPIC_API_KEY": STRAY})
    assert run.returncode == 0, run.explain()
    reqs = provider.api_requests()
    assert reqs, provider.describe()
    for r in reqs:
        assert r.header_equals("authorization", f"Bearer {KEY}")
        assert r.header_equals("x-api-key", STRAY)
    doc = world.agentcost("doctor", "claude", "--json", extra={"ANTHROPIC_API_KEY": STRAY})
    assert "CLAUDE_STRAY_API_KEY" in doctor_codes(doc), doc.explain()
    assert STRAY not in doc.output


def test_both_auth_vars_in_settings_send_both_headers(world: World, provider: StubProvider) -> None:
    """Hand-written settings with ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY: both headers go out;
    doctor reports CLAUDE_BOTH_AUTH_VARS."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    settings = world.claude_settings()
    settings["env"]["ANTHROPIC_API_KEY"] = STRAY
    world.write_claude_settings(settings)
    run = world.claude("-p", "say hi")
    assert run.returncode == 0, run.explain()
    for r in provider.api_requests():
        assert r.header_equals("authorization", f"Bearer {KEY}")
        assert r.header_equals("x-api-key", STRAY)
    doc = world.agentcost("doctor", "claude", "--json")
    assert "CLAUDE_BOTH_AUTH_VARS" in doctor_codes(doc), doc.explain()


def test_model_slots(world: World, provider: StubProvider) -> None:
    """--model haiku sends the fast model; opus and sonnet send the main one; nothing sends claude-*."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    seen: dict[str, set[str | None]] = {}
    for alias in ("haiku", "opus", "sonnet"):
        provider.reset()
        claude_ok(world, provider, "--model", alias, "say hi")
        seen[alias] = {r.model for r in provider.api_requests()}
    assert seen == {"haiku": {FAST}, "opus": {MAIN}, "sonnet": {MAIN}}


def test_explore_subagent_uses_a_configured_model(world: World, provider: StubProvider) -> None:
    """The Explore subagent (haiku-class by default) gets a configured model, never claude-haiku-*."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    provider.script_tool_use(
        "Agent", {"description": "Look around", "prompt": "List the files", "subagent_type": "Explore"}
    )
    claude_ok(world, provider, "explore the repo")
    reqs = provider.api_requests()
    assert len(reqs) == 3, provider.describe()  # parent (tool_use), subagent, parent (final text)
    models = [r.model for r in reqs]
    # setup writes CLAUDE_CODE_SUBAGENT_MODEL = main, which Claude Code prefers over the haiku slot.
    assert models == [MAIN, world.claude_settings()["env"].get("CLAUDE_CODE_SUBAGENT_MODEL", FAST), MAIN]
    assert all(m in (MAIN, FAST) for m in models)


def _make_repo(root: Path) -> Path:
    repo = root / "webapp"
    (repo / "node_modules" / "pkg").mkdir(parents=True)
    (repo / "src").mkdir()
    (repo / "node_modules" / "pkg" / "index.js").write_text("module.exports = 'DENIED_CONTENT_MARKER';\n")
    (repo / "src" / "app.py").write_text("print('ALLOWED_CONTENT_MARKER')\n")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(repo)], check=False, capture_output=True, timeout=30)
    return repo


def test_deny_rules_written_by_ignore_block_reads(world: World, provider: StubProvider) -> None:
    """`agentcost ignore` deny rules: a Read under node_modules/ is denied, a Read of src/ works."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    repo = _make_repo(world.home)
    ign = world.agentcost("ignore", "--agents", "claude", cwd=repo)
    assert ign.returncode == 0, ign.explain()
    deny = json.loads((repo / ".claude" / "settings.json").read_text())["permissions"]["deny"]
    assert any("node_modules" in rule for rule in deny), deny
    denied = repo / "node_modules" / "pkg" / "index.js"
    allowed = repo / "src" / "app.py"
    provider.script_tool_use("Read", {"file_path": str(denied)})
    provider.script_tool_use("Read", {"file_path": str(allowed)})
    claude_ok(world, provider, "read two files", cwd=repo)
    results = [tool_result_text(b) for r in provider.api_requests() for b in r.tool_results()]
    # The last request carries the whole conversation: both tool results, in order.
    last = [tool_result_text(b) for b in provider.api_requests()[-1].tool_results()]
    assert len(last) == 2, results
    assert "denied by your permission settings" in last[0], last[0]
    assert "DENIED_CONTENT_MARKER" not in "".join(results)
    assert "ALLOWED_CONTENT_MARKER" in last[1], last[1]


def test_without_deny_rules_the_same_read_succeeds(world: World, provider: StubProvider) -> None:
    """Control for the test above: with no `agentcost ignore`, node_modules/ is readable."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    repo = _make_repo(world.home)
    provider.script_tool_use("Read", {"file_path": str(repo / "node_modules" / "pkg" / "index.js")})
    claude_ok(world, provider, "read a file", cwd=repo)
    (result,) = provider.api_requests()[-1].tool_results()
    assert "DENIED_CONTENT_MARKER" in tool_result_text(result)


def test_base_url_with_v1_fails_in_claude_and_doctor_names_it(world: World, provider: StubProvider) -> None:
    """Hand-written `ANTHROPIC_BASE_URL=.../v1`: Claude Code calls /v1/v1/messages (404) and fails;
    `agentcost doctor claude` reports CLAUDE_BASE_URL_V1."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    settings = world.claude_settings()
    settings["env"]["ANTHROPIC_BASE_URL"] = provider.url + "/v1"
    world.write_claude_settings(settings)

    run = world.claude("-p", "say hi")
    assert run.returncode != 0, run.explain()
    paths = {r.path for r in provider.api_requests()}
    assert paths == {"/v1/v1/messages"}, provider.describe()
    assert all(r.status == 404 for r in provider.api_requests())
    assert "issue with the selected model" in run.output  # Claude Code's misleading 404 message

    doc = world.agentcost("doctor", "claude", "--json")
    assert "CLAUDE_BASE_URL_V1" in doctor_codes(doc), doc.explain()
    assert doc.returncode == 1


def test_doctor_online_ok_against_the_stub(world: World, provider: StubProvider) -> None:
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    doc = world.agentcost("doctor", "claude", "--online", "--json")
    assert doc.returncode == 0, doc.explain()
    assert not doctor_codes(doc) & ONLINE_FAILURES
    probes = provider.api_requests()
    assert probes and all(r.path == "/v1/messages" for r in probes), provider.describe()
    assert all(r.header_equals("authorization", f"Bearer {KEY}") for r in probes)


@pytest.mark.parametrize(
    ("status", "code"), [(401, "CLAUDE_ONLINE_UNAUTHORIZED"), (404, "CLAUDE_ONLINE_NOT_FOUND")]
)
def test_doctor_online_names_the_http_failure(
    world: World, provider: StubProvider, status: int, code: str
) -> None:
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)
    provider.fail_with(status)
    doc = world.agentcost("doctor", "claude", "--online", "--json")
    codes = doctor_codes(doc)
    assert code in codes, doc.explain()
    assert codes & ONLINE_FAILURES == {code}
    assert doc.returncode == 1
    assert KEY not in doc.output


def test_project_scope_wins_inside_the_repository(world: World, provider: StubProvider) -> None:
    """--scope project (key in .claude/settings.local.json) beats the user settings inside the repo;
    outside it the user settings still apply."""
    setup_claude(world, "--provider", "custom", "--base-url", provider.url)  # user scope: KEY, MAIN
    repo = _make_repo(world.home)
    project_key = "sk-e2e-claude-project-3e8f"
    run = world.agentcost(
        "setup", "claude", "--scope", "project", "--provider", "custom", "--base-url", provider.url,
        "--api-key", project_key, "--model", "e2e-project-model", "--fast-model", FAST, "--yes",
        cwd=repo,
    )  # fmt: skip
    assert run.returncode == 0, run.explain()
    assert project_key not in (repo / ".claude" / "settings.json").read_text()  # the shared file
    assert project_key in (repo / ".claude" / "settings.local.json").read_text()

    claude_ok(world, provider, "say hi", cwd=repo)
    inside = provider.api_requests()
    assert inside and all(r.header_equals("authorization", f"Bearer {project_key}") for r in inside)
    assert inside[0].model == "e2e-project-model"

    provider.reset()
    claude_ok(world, provider, "say hi")  # the default workdir is outside the repository
    outside = provider.api_requests()
    assert outside and all(r.header_equals("authorization", f"Bearer {KEY}") for r in outside)
    assert outside[0].model == MAIN
