"""`agentcost providers`: the provider catalog."""

from __future__ import annotations

import typer
from rich.text import Text

from agentcost.providers.catalog import load_providers, user_providers_file
from agentcost.ui.console import console, emit_json


def providers_cmd(
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the providers agentcost can configure, with the URLs each agent needs.

    Examples:

        agentcost providers
        agentcost providers --json | jq '.providers[] | {id, codex_base_url, responses_api}'

    [bold]claude base URL[/] is what Claude Code's ANTHROPIC_BASE_URL gets (never ending in /v1);
    [bold]codex base_url[/] is the OpenAI-compatible API root Codex appends /responses to.
    [bold]responses[/]: whether the provider is known to serve the Responses API, which current
    Codex requires ("unknown" = not documented anywhere we could source).

    Add or override providers in the file shown at the bottom, e.g.:

        \\[providers.mylab]
        name = "My lab gateway"
        claude_base_url = "https://llm.example.com"
        codex_base_url = "https://llm.example.com/v1"
        responses_api = "yes"
        key_env = "MYLAB_API_KEY"
        main_model = "big-model"
        fast_model = "small-model"
    """
    providers = load_providers()
    user_file = user_providers_file()
    if json_out:
        emit_json({"providers": [p.as_dict() for p in providers.values()], "user_file": str(user_file)})
        return
    con = console()
    for p in providers.values():
        # One block per provider, one fact per line: URLs and variable names stay copyable.
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


def register(app: typer.Typer) -> None:
    app.command("providers")(providers_cmd)
