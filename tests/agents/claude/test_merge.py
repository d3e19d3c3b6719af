"""merge_env / build_env: pure pieces of `setup claude`."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.claude import build_env, merge_env
from agentcost.providers import get_provider

_names = st.sampled_from(["A", "B", "ANTHROPIC_MODEL", "ANTHROPIC_API_KEY", "X_Y", "env", "perm"])


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(_names, st.one_of(st.text(max_size=3), st.integers()), max_size=5),
    st.one_of(st.none(), st.dictionaries(_names, st.text(max_size=3), max_size=5)),
    st.dictionaries(_names, st.text(max_size=3), max_size=4),
    st.lists(_names, max_size=3),
)
def test_merge_env_properties(
    top: dict[str, Any], env: dict[str, str] | None, set_vars: dict[str, str], remove: list[str]
) -> None:
    data: dict[str, Any] = dict(top)
    if env is not None:
        data["env"] = env
    before = {k: v for k, v in data.items()}
    out = merge_env(data, set_vars, remove)
    assert data == before  # input untouched
    assert [k for k in out if k != "env"] == [k for k in data if k != "env"]
    assert all(out[k] == data[k] for k in data if k != "env")
    new_env = out["env"]
    old_env = env or {}
    for k, v in set_vars.items():
        assert new_env[k] == v
    for k in remove:
        assert k in set_vars or k not in new_env
    kept = [k for k in old_env if k not in remove or k in set_vars]
    assert [k for k in new_env if k in old_env] == kept  # surviving entries keep their order
    assert [k for k in new_env if k not in old_env] == [k for k in set_vars if k not in old_env]


def test_build_env_atlas_and_openrouter_and_anthropic() -> None:
    atlas = build_env(get_provider("atlas"), "https://api.atlascloud.ai", "k", "M", "F")
    assert list(atlas) == [
        "ANTHROPIC_BASE_URL",
        "ANTHROPIC_AUTH_TOKEN",
        "ANTHROPIC_MODEL",
        "ANTHROPIC_DEFAULT_OPUS_MODEL",
        "ANTHROPIC_DEFAULT_SONNET_MODEL",
        "CLAUDE_CODE_SUBAGENT_MODEL",
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
        "ANTHROPIC_SMALL_FAST_MODEL",
        "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS",
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    ]
    assert atlas["ANTHROPIC_DEFAULT_HAIKU_MODEL"] == "F" and atlas["CLAUDE_CODE_SUBAGENT_MODEL"] == "M"
    orr = build_env(get_provider("openrouter"), "https://openrouter.ai/api", "k", "M", "F")
    assert orr["ANTHROPIC_API_KEY"] == "" and orr["ANTHROPIC_AUTH_TOKEN"] == "k"
    assert build_env(get_provider("anthropic"), None, "k", None, None) == {"ANTHROPIC_API_KEY": "k"}
    # An explicit api.anthropic.com URL is not a third-party host: no beta/traffic switches.
    assert "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS" not in build_env(
        get_provider("anthropic"), "https://api.anthropic.com", "k", None, None
    )
