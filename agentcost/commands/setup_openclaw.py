"""`agentcost setup openclaw`: add a provider to OpenClaw (~/.openclaw/openclaw.json, JSON5)."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

import typer

from agentcost.agents.choice import choose_model, choose_provider
from agentcost.agents.keys import resolve_key
from agentcost.agents.openclaw import setup as oc_setup
from agentcost.commands.options import (
    api_key_env_option,
    api_key_option,
    base_url_option,
    dry_run_option,
    json_option,
    model_option,
    provider_option,
    yes_option,
)
from agentcost.commands.setup_shared import KeyStorage, confirm_writes, env_key_only
from agentcost.errors import UsageError
from agentcost.ui.prompts import asker, interactive_allowed
from agentcost.ui.setup import render_setup


class ApiChoice(str, Enum):
    openai_completions = "openai-completions"
    openai_responses = "openai-responses"
    anthropic_messages = "anthropic-messages"


def setup_openclaw_cmd(
    provider_id: str | None = provider_option(),
    api_key: str | None = api_key_option("OpenClaw: written into openclaw.json only with --auth file."),
    api_key_env: str | None = api_key_env_option(
        'With --auth env (default) it becomes apiKey: "${VAR}" (default: the catalog\'s, e.g. ATLAS_API_KEY).'
    ),
    base_url: str | None = base_url_option(
        "API root. openai-*: OpenClaw appends /chat/completions or /responses, so a bare host gets /v1; "
        "anthropic-messages: OpenClaw appends /v1/messages, so /v1 is cut. Endpoint URLs are cut back."
    ),
    model: str | None = model_option("Model id as the provider names it."),
    api: ApiChoice | None = typer.Option(
        None,
        "--api",
        help="OpenClaw's request adapter (default: openai-completions where the catalog has an "
        "OpenAI-compatible root, else anthropic-messages).",
        case_sensitive=False,
    ),
    name: str | None = typer.Option(
        None, "--name", metavar="ID", help="Provider id in openclaw.json (default: the catalog id)."
    ),
    auth: KeyStorage = typer.Option(
        KeyStorage.env,
        "--auth",
        help='env (default): apiKey: "${VAR}", the key is stored nowhere. file: the key itself in '
        "openclaw.json, which is then made 0600.",
        case_sensitive=False,
    ),
    dry_run: bool = dry_run_option(),
    yes: bool = yes_option(),
    json_out: bool = json_option(),
) -> None:
    """Configure OpenClaw for an API-key provider: models.providers.<id> and the default model.

    Merges into ~/.openclaw/openclaw.json ($OPENCLAW_CONFIG_PATH, $OPENCLAW_STATE_DIR): comments,
    trailing commas and every other setting are kept; only the changed members are rewritten.
    Backs the file up first; writes nothing when nothing changes. Model cost is filled from
    agentcost's price catalog (USD per million tokens, OpenClaw's unit), so OpenClaw stops showing $0.
    Then runs the same checks as `agentcost doctor openclaw` on the result.

    Examples:

      export ATLAS_API_KEY=...    # in your shell profile
      agentcost setup openclaw --provider atlas --model deepseek-ai/deepseek-v4-pro --yes

      agentcost setup openclaw --provider custom --base-url https://llm.example.com --api openai-responses \\
          --api-key-env MY_KEY --model my-model --dry-run

    Exit status: 0 when the checks afterwards find no error, or only the one expected right after
    set-up (the key variable not exported in this shell yet); 1 otherwise. --dry-run exits 0.
    """
    env = dict(os.environ)
    interactive = interactive_allowed(yes=yes, json_out=json_out)
    provider = choose_provider(provider_id, agent="openclaw", ask=asker(interactive), env=env)
    chosen_api = api.value if api is not None else oc_setup.default_api(provider)
    if base_url is None and not oc_setup.catalog_base_url(provider, chosen_api) and interactive:
        base_url = str(typer.prompt("API base URL (e.g. https://host/v1)", err=True)).strip()
    key: str | None = None
    env_key: str | None = None
    if auth is KeyStorage.env:
        env_key = env_key_only(
            api_key,
            api_key_env,
            provider.key_env,
            client="OpenClaw",
            store_where="openclaw.json",
            explicit=False,
        )
    else:
        key = resolve_key(
            api_key, api_key_env, prompt_label=f"{provider.name} API key", ask=asker(interactive), env=env
        )
    chosen_model = choose_model(model, provider.main_model, label="Model", ask=asker(interactive))
    if not chosen_model:
        raise UsageError("no model given", hint="give --model MODEL")

    request = oc_setup.SetupRequest(
        provider=provider,
        model=chosen_model,
        api=chosen_api,
        base_url=base_url,
        auth=auth.value,
        env_key=env_key,
        key=key,
        provider_name=name,
    )
    cwd = Path.cwd()
    plan = oc_setup.plan_setup(request, env, cwd, dry_run=dry_run)
    if interactive and not dry_run and plan.changed:
        preview = oc_setup.apply_setup(plan, env, cwd, dry_run=True)
        confirm_writes(preview.warnings, preview.writes)
    render_setup(oc_setup.apply_setup(plan, env, cwd, dry_run=dry_run), json_out=json_out)


def register(app: typer.Typer) -> None:
    app.command("openclaw")(setup_openclaw_cmd)
