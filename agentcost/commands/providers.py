"""`agentcost providers`: the provider catalog."""

from __future__ import annotations

import typer

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
    from agentcost.ui.providers import render

    render(list(providers.values()), str(user_file), console())


def register(app: typer.Typer) -> None:
    app.command("providers")(providers_cmd)
