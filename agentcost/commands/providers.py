"""`agentcost providers`: the provider catalog."""

from __future__ import annotations

import typer
from rich.table import Table

from agentcost.output import console, emit_json
from agentcost.providers.catalog import load_providers, user_providers_file


def providers_cmd(
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List the providers agentcost can configure, with the URLs each agent needs.

    [bold]claude base URL[/] is what Claude Code's ANTHROPIC_BASE_URL gets (never ending in /v1);
    [bold]codex base_url[/] is the OpenAI-compatible API root Codex appends /responses to.
    [bold]responses[/]: whether the provider is known to serve the Responses API, which current
    Codex requires ("unknown" = not documented anywhere we could source).

    Add or override providers in the file shown at the bottom, e.g.:

        [providers.mylab]
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
    table = Table(title="Providers", show_lines=False)
    for col in ("id", "name", "claude base URL", "auth variable", "codex base_url", "responses", "models"):
        table.add_column(col, overflow="fold")
    for p in providers.values():
        models = p.main_model or "(client default)"
        if p.fast_model and p.fast_model != p.main_model:
            models += f" / {p.fast_model}"
        claude_url = {"": "(built-in)", "none": "—"}.get(p.claude_base_url, p.claude_base_url)
        codex_url = {"": "(built-in)", "none": "—"}.get(p.codex_base_url, p.codex_base_url)
        origin = "" if p.origin == "bundled" else f" [{p.origin}]"
        table.add_row(
            p.id + origin, p.name, claude_url, p.claude_auth_var, codex_url, p.responses_api, models
        )
    con = console()
    con.print(table)
    con.print(f"Sources and dates: agentcost providers --json.  Your own providers: {user_file}")


def register(app: typer.Typer) -> None:
    app.command("providers")(providers_cmd)
