"""The agents' shared parts: keys (key acquisition), choice (provider and model), urls, results."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentcost.agents import choice, keys, results, urls
from agentcost.errors import AgentcostError, UsageError
from agentcost.fileio import WriteResult
from agentcost.secrets import scrub
from agentcost.ui import prompts
from agentcost.ui.prompts import TerminalAsk

KEY = "sk-test-SECRET-abcdef123456"


def test_resolve_key_from_flag_is_registered_and_stripped() -> None:
    assert keys.resolve_key(f"  {KEY}\n", None, prompt_label="k", ask=None) == KEY
    assert KEY not in scrub(f"x {KEY} y")


def test_resolve_key_from_env() -> None:
    env = {"MY_KEY": KEY}
    assert keys.resolve_key(None, "MY_KEY", prompt_label="k", ask=None, env=env) == KEY


@pytest.mark.parametrize("env", [{}, {"MY_KEY": ""}, {"MY_KEY": "  "}])
def test_resolve_key_env_unset_or_empty(env: dict[str, str]) -> None:
    with pytest.raises(AgentcostError, match=r"\$MY_KEY is (not set|empty)"):
        keys.resolve_key(None, "MY_KEY", prompt_label="k", ask=None, env=env)


def test_resolve_key_nothing_given_non_interactive_names_flags() -> None:
    with pytest.raises(AgentcostError) as e:
        keys.resolve_key(None, None, prompt_label="k", ask=None)
    assert e.value.hint is not None
    assert "--api-key-env" in e.value.hint and "--api-key " in e.value.hint


def test_resolve_key_both_flags_is_usage_error() -> None:
    with pytest.raises(UsageError):
        keys.resolve_key(KEY, "X", prompt_label="k", ask=None, env={"X": KEY})


@pytest.mark.parametrize("bad", ["", "   ", "sk-abc\ndef", "sk-abc def", "sk-\x01abc"])
def test_bad_keys_rejected_without_echo(bad: str) -> None:
    with pytest.raises(AgentcostError) as e:
        keys.resolve_key(bad, None, prompt_label="k", ask=None)
    assert "sk-abc" not in str(e.value)


def test_env_var_name_given_as_key_is_refused() -> None:
    with pytest.raises(AgentcostError, match="--api-key ATLAS_API_KEY looks like") as e:
        keys.resolve_key("ATLAS_API_KEY", None, prompt_label="k", ask=None)
    assert e.value.hint == "use --api-key-env ATLAS_API_KEY to read the key from that variable"
    assert scrub("ATLAS_API_KEY") == "ATLAS_API_KEY"


def test_key_given_as_env_var_name_is_refused_and_masked() -> None:
    with pytest.raises(AgentcostError) as e:
        keys.resolve_key(None, KEY, prompt_label="k", ask=None)
    assert KEY not in str(e.value) and "NAME" in str(e.value)


def test_resolve_key_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_prompt(text: str, **kw: object) -> str:
        seen.update(kw)
        return KEY

    monkeypatch.setattr("typer.prompt", fake_prompt)
    assert keys.resolve_key(None, None, prompt_label="Atlas key", ask=TerminalAsk()) == KEY
    assert seen["hide_input"] is True and seen["err"] is True


def test_choose_provider_by_id_and_errors() -> None:
    assert choice.choose_provider("atlas", agent="claude", ask=None).id == "atlas"
    with pytest.raises(AgentcostError) as e:
        choice.choose_provider("nope", agent="claude", ask=None)
    assert e.value.hint is not None and "atlas" in e.value.hint and "openai" not in e.value.hint
    with pytest.raises(AgentcostError, match="cannot be used with claude"):
        choice.choose_provider("openai", agent="claude", ask=None)
    with pytest.raises(AgentcostError, match="cannot be used with codex"):
        choice.choose_provider("anthropic", agent="codex", ask=None)
    with pytest.raises(AgentcostError, match="no provider given"):
        choice.choose_provider(None, agent="claude", ask=None)


def test_choose_provider_interactive(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter(["99", "deepseek"])
    monkeypatch.setattr("typer.prompt", lambda *a, **k: next(answers))
    assert choice.choose_provider(None, agent="claude", ask=TerminalAsk()).id == "deepseek"
    usable = choice.providers_for("claude")
    answers = iter(["1"])
    assert choice.choose_provider(None, agent="claude", ask=TerminalAsk()).id == usable[0].id


def test_choose_model() -> None:
    assert choice.choose_model(" m ", "d", label="x", ask=None) == "m"
    assert choice.choose_model(None, "d", label="x", ask=None) == "d"
    assert choice.choose_model(None, "unknown", label="x", ask=None) is None
    assert choice.choose_model(None, "", label="x", ask=None) is None
    with pytest.raises(AgentcostError):
        choice.choose_model("  ", "d", label="x", ask=None)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("127.9.8.7", True),
        ("::1", True),
        ("[::1]", True),
        ("foo.localhost", True),
        ("10.0.0.1", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback(host: str | None, expected: bool) -> None:
    assert urls.is_loopback(host) is expected


def test_url_helpers() -> None:
    assert urls.has_scheme("https://a.b")
    assert not urls.has_scheme("a.b/v1")
    assert not urls.has_scheme("ftp://a.b")
    assert not urls.has_scheme("https://")
    with pytest.raises(AgentcostError, match="no scheme") as e:
        urls.split_url("api.atlascloud.ai")
    assert e.value.hint is not None and "https://api.atlascloud.ai" in e.value.hint
    with pytest.raises(AgentcostError, match="not an http"):
        urls.split_url("ftp://x.y")
    assert urls.split_url(" https://x.y/p ").path == "/p"
    assert urls.insecure_http_warning("http://127.0.0.1:8080") is None
    assert urls.insecure_http_warning("https://example.com") is None
    w = urls.insecure_http_warning("http://example.com")
    assert w is not None and "example.com" in w


def test_setup_result_as_dict_and_describe(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    r = results.SetupResult(agent="claude", provider="atlas", notices=["n"])
    r.writes.append(WriteResult(path=p, changed=True, backup=tmp_path / "b"))
    d = r.as_dict()
    assert d["changed"] is True and d["files"][0]["backup"] == str(tmp_path / "b")
    assert d["files"][0]["diff"] is None and d["errors"] is False
    assert results.describe_write(r.writes[0]) == f"wrote {p} (backup: {tmp_path / 'b'})"
    assert results.describe_write(WriteResult(path=p, changed=False)) == (
        f"{p}: already configured, nothing written"
    )
    assert results.describe_write(WriteResult(path=p, changed=True, created=True, dry_run=True)).startswith(
        "would create"
    )


def test_interactive_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "is_interactive", lambda: True)
    assert prompts.interactive_allowed(yes=False)
    assert not prompts.interactive_allowed(yes=True)
    assert not prompts.interactive_allowed(yes=False, json_out=True)
    monkeypatch.setattr(prompts, "is_interactive", lambda: False)
    assert not prompts.interactive_allowed(yes=False)


def test_resolve_key_offers_the_suggested_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("typer.confirm", lambda *a, **k: True)
    monkeypatch.setattr("typer.prompt", lambda *a, **k: pytest.fail("must not prompt"))
    env = {"ATLAS_API_KEY": KEY}
    got = keys.resolve_key(
        None, None, prompt_label="k", ask=TerminalAsk(), env=env, suggest_env="ATLAS_API_KEY"
    )
    assert got == KEY
    monkeypatch.setattr("typer.confirm", lambda *a, **k: False)
    monkeypatch.setattr("typer.prompt", lambda *a, **k: "sk-typed-instead-0000")
    got = keys.resolve_key(
        None, None, prompt_label="k", ask=TerminalAsk(), env=env, suggest_env="ATLAS_API_KEY"
    )
    assert got == "sk-typed-instead-0000"


def test_non_ascii_key_rejected() -> None:
    with pytest.raises(AgentcostError, match="non-ASCII"):
        keys.resolve_key("sk-abc\u2019def123456", None, prompt_label="k", ask=None)
