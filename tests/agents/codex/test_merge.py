"""Merge-then-parse round trips of the pure TOML merge (hypothesis over assembled config files)."""

from __future__ import annotations

from typing import Any

import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from agentcost.agents.codex.config import apply_provider, repair_tables, tidy_text
from agentcost.fileio import detect_newline, with_newlines

FRAGMENTS = [
    "# a comment line\n",
    'approval_policy = "on-request"  # trailing comment\n',
    "x.y = 1\n",
    'model = "old-model"\n',
    'model_provider = "other"\n',
    "\n",
]
TABLES = [
    '[mcp_servers.docs]\ncommand = "npx"\nargs = ["-y", "docs"]\n',
    "[tui]\nnotifications = true\n",
    '[[hooks]]\nname = "a"\n',
    '[model_providers.other]\nname = "Other"\nbase_url = "https://other.example.com/v1"\nenv_key = "OTHER"\n',
    '[model_providers.atlas]\nname = "Mine"\nbase_url = "https://old.example.com"\nwire_api = "chat"\n'
    "requires_openai_auth = true\n",
    '# before a table\n[shell_environment_policy]\ninherit = "core"\n',
]


def _apply(text: str, auth: str) -> tuple[str, list[str]]:
    doc = tomlkit.parse(text)
    changes = apply_provider(
        doc,
        path="config.toml",
        table_id="atlas",
        name="Atlas Cloud",
        base_url="https://api.atlascloud.ai/v1",
        model="m-1",
        auth=auth,  # type: ignore[arg-type]
        env_key="ATLAS_API_KEY",
    )
    changes += repair_tables(doc, path="config.toml")
    if not changes:
        return text, changes
    return with_newlines(tidy_text(tomlkit.dumps(doc)), detect_newline(text)), changes


def _without(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in ("model", "model_provider", "model_providers")}
    others = {k: v for k, v in data.get("model_providers", {}).items() if k != "atlas"}
    return {**out, "others": others}


@settings(max_examples=120, deadline=None)
@given(
    head=st.lists(st.sampled_from(FRAGMENTS), max_size=4, unique=True),
    tables=st.lists(st.sampled_from(TABLES), max_size=4, unique=True),
    crlf=st.booleans(),
    auth=st.sampled_from(["env", "file"]),
)
def test_merge_round_trip(head: list[str], tables: list[str], crlf: bool, auth: str) -> None:
    text = "".join(head) + "\n".join(tables)
    if crlf:
        text = text.replace("\n", "\r\n")
    before = tomlkit.parse(text).unwrap()
    new, _ = _apply(text, auth)
    after = tomlkit.parse(new).unwrap()
    # what we set is there, at the top level
    assert after["model_provider"] == "atlas" and after["model"] == "m-1"
    table = after["model_providers"]["atlas"]
    assert table["base_url"] == "https://api.atlascloud.ai/v1" and table["wire_api"] == "responses"
    assert (table.get("env_key") == "ATLAS_API_KEY") == (auth == "env")
    assert (table.get("requires_openai_auth") is True) == (auth == "file")
    # a name the user chose is kept
    if "atlas" in before.get("model_providers", {}):
        assert table["name"] == "Mine"
    # everything else is unchanged
    assert _without(after) == _without(before)
    # comments survive, line endings are kept
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("#"):
            assert line in new
    if "\r\n" in text:
        assert "\n" not in new.replace("\r\n", "")
    # idempotent: a second run changes nothing
    again, changes = _apply(new, auth)
    assert changes == [] and again == new
