"""`agentcost setup claude`: write Claude Code's settings.json `env` block for a provider."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path

import typer

from agentcost.agents import claude
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
from agentcost.errors import AgentcostError
from agentcost.providers import UNKNOWN
from agentcost.ui.console import console, err_console
from agentcost.ui.prompts import TerminalAsk, asker, interactive_allowed
from agentcost.ui.setup import render_setup


class Scope(str, Enum):
    user = "user"
    project = "project"
    local = "local"


def setup_claude_cmd(
    provider: str | None = provider_option(),
    api_key: str | None = api_key_option(),
    api_key_env: str | None = api_key_env_option(),
    base_url: str | None = base_url_option(
        "Anthropic-compatible base URL (required for --provider custom; overrides the catalog). "
        "A trailing /v1 or /v1/messages is removed, since Claude Code appends /v1/messages itself."
    ),
    model: str | None = model_option("Main model (ANTHROPIC_MODEL, opus, sonnet and subagent slots)."),
    fast_model: str | None = typer.Option(
        None,
        "--fast-model",
        metavar="MODEL",
        help="Fast model (haiku slot and background tasks). Default: the catalog's, else --model.",
    ),
    scope: Scope = typer.Option(
        Scope.user,
        "--scope",
        help="user: ~/.claude/settings.json ($CLAUDE_CONFIG_DIR); project: .claude/settings.json (shared; "
        "the key goes to .claude/settings.local.json); local: .claude/settings.local.json.",
    ),
    dry_run: bool = dry_run_option(),
    yes: bool = yes_option(),
    json_out: bool = json_option(),
) -> None:
    """Point Claude Code at a provider: merge the `env` block of its settings.json.

    Writes ANTHROPIC_BASE_URL (not for the built-in anthropic provider), the key in the variable the
    provider expects (ANTHROPIC_AUTH_TOKEN or ANTHROPIC_API_KEY), ANTHROPIC_MODEL and every model slot
    (opus, sonnet, subagent -> main; haiku, small-fast -> fast), and for third-party hosts
    CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 and CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1.
    Everything else in the file is kept (order, other keys, line endings); a backup is made; files
    holding the key are written with mode 0600; a second identical run writes nothing. The key is
    never printed and never goes into the shared .claude/settings.json. Afterwards the same checks
    as `agentcost doctor claude` run on the result.

    In a git repository, a .claude/settings.local.json holding the key that git does not ignore is
    added to the clone's .git/info/exclude (never committed). Variables that a project file overrides
    in the current directory are listed as a warning.

    On a terminal, missing values are asked for (provider, hidden key, models) and the change is
    shown before writing. With --yes, a missing value is an error.

    Exit status: 0 when the checks afterwards find no error; 1 ("written, but …") when they find one
    the set-up did not fix (e.g. a project .claude/settings.json overriding the URL, or a key file git
    still does not ignore). --dry-run exits 0.

    Examples:

      export ATLAS_API_KEY=…   # then:
      agentcost setup claude --provider atlas --api-key-env ATLAS_API_KEY --yes

      agentcost setup claude --provider deepseek --api-key-env DEEPSEEK_API_KEY --scope project

      agentcost setup claude --provider custom --base-url https://llm.example.com/anthropic \\
          --api-key-env MY_KEY --model my-model --fast-model my-small-model --dry-run
    """
    env = dict(os.environ)
    cwd = Path.cwd()
    interactive = interactive_allowed(yes=yes, json_out=json_out)
    if provider is None and base_url:
        provider = "custom"
    chosen = choose_provider(provider, agent="claude", ask=asker(interactive), env=env)
    if chosen.claude_base_url == UNKNOWN and not base_url:
        if not interactive:
            raise AgentcostError(
                f"provider {chosen.id!r} needs --base-url", hint="e.g. --base-url https://llm.example.com"
            )
        base_url = str(typer.prompt("Anthropic-compatible base URL", err=True)).strip()
    key = resolve_key(
        api_key,
        api_key_env,
        prompt_label=f"API key for {chosen.name}",
        ask=asker(interactive),
        env=env,
        suggest_env=chosen.key_env,
    )
    if chosen.main_model == "" and model is None:
        main = None  # the client's own default (built-in anthropic provider)
    else:
        main = choose_model(model, chosen.main_model, label="Main model", ask=asker(interactive))
        if main is None:
            raise AgentcostError(
                f"the catalog has no default model for {chosen.id}",
                hint="give --model (and --fast-model) with the provider's model ids",
            )
    fast = fast_model
    if fast is None and interactive and main:
        default_fast = chosen.fast_model if chosen.fast_model not in ("", UNKNOWN) else main
        fast = choose_model(None, default_fast, label="Fast model", ask=TerminalAsk())
    request = claude.SetupRequest(
        provider=chosen, key=key, base_url=base_url, model=main, fast_model=fast, scope=scope.value
    )
    plan = claude.plan_setup(request, env, cwd, dry_run=dry_run)
    if interactive and plan.changed and not dry_run:
        con = console()
        con.print(plan.diffs().rstrip("\n"), markup=False, soft_wrap=True)
        if not typer.confirm("Write these changes?", default=True, err=True):
            err_console().print("Nothing written.")
            raise typer.Exit(1)
    result = claude.apply_plan(plan, env, cwd, dry_run=dry_run)
    render_setup(result, json_out=json_out)


def register(app: typer.Typer) -> None:
    app.command("claude")(setup_claude_cmd)
