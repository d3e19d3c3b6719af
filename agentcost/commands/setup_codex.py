"""`agentcost setup codex`: point Codex CLI at a provider ($CODEX_HOME/config.toml, auth.json)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from agentcost.agents import codex
from agentcost.agents.choice import choose_model, choose_provider
from agentcost.agents.keys import resolve_key
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


def setup_codex_cmd(
    provider_id: str | None = provider_option(),
    api_key: str | None = api_key_option(
        "Codex: stored in auth.json, so only with --auth file (refused with --auth env, where it would be "
        "stored nowhere)."
    ),
    api_key_env: str | None = api_key_env_option(
        "With --auth env it becomes the provider's env_key (default: the catalog's, e.g. ATLAS_API_KEY); "
        "with --auth file the key is read from it."
    ),
    base_url: str | None = base_url_option(
        "OpenAI-compatible API root (Codex appends /responses). A bare host gets /v1; a trailing "
        "/responses or /chat/completions is cut off; other paths are kept (e.g. /api/paas/v4)."
    ),
    model: str | None = model_option("Model id as the provider names it."),
    auth: KeyStorage | None = typer.Option(
        None,
        "--auth",
        help=(
            "env (default): config names an environment variable (env_key), the key is stored nowhere. "
            "file: requires_openai_auth + $CODEX_HOME/auth.json (0600), for GUIs/IDEs without your shell "
            "environment; replaces the single global auth.json. The built-in openai provider uses file."
        ),
        case_sensitive=False,
    ),
    profile: str | None = typer.Option(
        None,
        "--profile",
        metavar="NAME",
        help="Write $CODEX_HOME/NAME.config.toml (used with `codex -p NAME`) instead of config.toml.",
    ),
    via_shim: bool = typer.Option(
        False,
        "--via-shim",
        help="For a provider that serves only Chat Completions: point Codex at `agentcost shim` on "
        "127.0.0.1 and save the shim's settings (the provider's API root, --api-key-env). See docs/shim.md.",
    ),
    shim_port: int = typer.Option(
        8765, "--shim-port", min=1, max=65535, help="The shim's port (--via-shim)."
    ),
    dry_run: bool = dry_run_option(),
    yes: bool = yes_option("With --auth file, also replace a ChatGPT login in auth.json."),
    json_out: bool = json_option(),
) -> None:
    """Configure Codex CLI for an API-key provider: config.toml (and auth.json with --auth file).

    Merges into $CODEX_HOME/config.toml (default ~/.codex): comments, order, CRLF, other tables kept.
    Backs the file up first; writes nothing when nothing changes.
    Then runs the same checks as `agentcost doctor codex` on the result.

    Examples:

      export ATLAS_API_KEY=...    # in your shell profile
      agentcost setup codex --provider atlas --model deepseek-ai/deepseek-v4-pro --yes

      agentcost setup codex --provider custom --base-url https://llm.example.com \\
          --api-key-env MY_KEY --model my-model --auth file --yes

      agentcost setup codex --provider deepseek --profile ds --dry-run    # then: codex -p ds

      agentcost setup codex --provider custom --base-url https://chat-only.example.com/v1 \\
          --api-key-env MY_KEY --model my-model --via-shim --yes         # then: agentcost shim

    Keys are never printed (masked as sk-…1234), nor are the tokens of an existing auth.json.
    Current Codex speaks only the OpenAI Responses API: a finding says when a provider may not serve it;
    --via-shim puts `agentcost shim` (Responses -> Chat Completions) in between.

    Exit status: 0 when the checks afterwards find no error, or only the one expected right after
    set-up (the --auth env variable not exported in this shell yet); 1 ("written, but …") for any
    other error; 2 for --api-key with --auth env. --dry-run exits 0.
    """
    env = dict(os.environ)
    interactive = interactive_allowed(yes=yes, json_out=json_out)
    provider = choose_provider(provider_id, agent="codex", ask=asker(interactive), env=env)
    builtin = provider.id == "openai"
    if base_url is None and not builtin and not provider.known(provider.codex_base_url) and interactive:
        base_url = str(typer.prompt("OpenAI-compatible API root (e.g. https://host/v1)", err=True)).strip()
    mode = auth.value if auth is not None else codex.default_auth(provider)
    if via_shim:
        if auth is KeyStorage.file or api_key is not None:
            raise UsageError(
                "--via-shim keeps the key with the shim, which reads it from a variable",
                hint="give --api-key-env VAR (export VAR=<your key>); for a service, "
                "`agentcost shim install-service --store-key` writes it to a 0600 file",
            )
        mode = "env"

    key: str | None = None
    env_key: str | None = None
    if mode == "env":
        env_key = env_key_only(
            api_key,
            api_key_env,
            provider.key_env,
            client="Codex",
            store_where="$CODEX_HOME/auth.json",
            explicit=auth is not None,
        )
    elif builtin and api_key is None and not api_key_env:
        key = None  # keep the existing login / key in auth.json
    else:
        if api_key is not None and api_key_env:
            api_key_env = None  # --api-key wins; the variable is not needed for --auth file
        key = resolve_key(
            api_key,
            api_key_env,
            prompt_label=f"{provider.name} API key",
            ask=asker(interactive),
            env=env,
        )

    if builtin:
        chosen_model = model.strip() if model and model.strip() else None
    else:
        chosen_model = choose_model(model, provider.main_model, label="Model", ask=asker(interactive))

    def confirm(message: str) -> bool:
        if yes:
            return True
        if not interactive:
            return False
        return bool(typer.confirm(f"{message}\nReplace it?", default=False, err=True))

    request = codex.SetupRequest(
        provider,
        base_url=base_url,
        model=chosen_model,
        auth=mode,
        env_key=env_key,
        key=key,
        profile=profile,
        confirm=confirm,
        shim_port=shim_port if via_shim else None,
    )
    cwd = Path.cwd()
    plan = codex.plan_setup(request, env, cwd)
    if interactive and not dry_run and plan.changed:
        confirm_writes(plan.preview.warnings, plan.preview.writes)
    render_setup(codex.apply_plan(plan, env, cwd, dry_run=dry_run), json_out=json_out)


def register(app: typer.Typer) -> None:
    app.command("codex")(setup_codex_cmd)
