"""`agentcost providers` for people: one block per provider, one fact per line (URLs stay copyable)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from agentcost.providers import Provider


def render(providers: list[Provider], user_file: str, con: Console) -> None:
    for p in providers:
        origin = "" if p.origin == "bundled" else f"  [{p.origin}]"
        con.print(Text.assemble((p.id, "bold"), f"  {p.name}{origin}"), soft_wrap=True)
        if p.claude_base_url != "none":
            url = p.claude_base_url or "(built-in endpoint)"
            blank = ' (+ ANTHROPIC_API_KEY="")' if p.claude_blank_api_key else ""
            con.print(f"  claude  {url}  key in {p.claude_auth_var}{blank}", soft_wrap=True, markup=False)
        if p.codex_base_url != "none":
            url = p.codex_base_url or "(built-in provider)"
            con.print(f"  codex   {url}  Responses API: {p.responses_api}", soft_wrap=True, markup=False)
        models = p.main_model or "(client default)"
        if p.fast_model and p.fast_model != p.main_model:
            models += f" / fast: {p.fast_model}"
        con.print(f"  models  {models}  key env: {p.key_env}", soft_wrap=True, markup=False)
    con.print()
    con.print(
        f"Sources and dates: agentcost providers --json.  Your own providers: {user_file}",
        soft_wrap=True,
        markup=False,
    )
