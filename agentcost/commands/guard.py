"""`agentcost guard`: budgets in API-priced dollars and runaway-loop stops, through the agents' hooks."""

from __future__ import annotations

import enum
import re
import time
from decimal import Decimal, InvalidOperation

import typer

from agentcost.errors import UsageError
from agentcost.ui.console import emit_json


class Client(str, enum.Enum):
    claude = "claude"
    codex = "codex"
    all = "all"


def _dollars(text: str) -> Decimal:
    try:
        d = Decimal(text.strip().lstrip("$"))
    except InvalidOperation:
        raise UsageError(f"not an amount: {text!r}") from None
    if not d.is_finite() or d < 0:
        raise UsageError(f"not an amount >= 0: {text!r}")
    return d


def _duration(text: str) -> float:
    """`90m`, `1h`, `1h30m`, `2d`, `45s` -> seconds."""
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text.strip().lower())
    if not parts or re.sub(r"[\d.\s smhd]", "", text.lower()):
        raise UsageError(f"not a duration: {text!r} (e.g. 30m, 1h, 1h30m, 2d)")
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(float(n) * unit[u] for n, u in parts)


def register(app: typer.Typer) -> None:
    g = typer.Typer(name="guard", help=__doc__, no_args_is_help=True, pretty_exceptions_show_locals=False)

    @g.command("status")
    def status_cmd(
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output (schema_version 1)."),
    ) -> None:
        """Where every cap stands: spend against soft / hard levels, time left in each period, loops
        stopped today, internal errors, and the installed hooks per client (live = runnable).

        Examples:

          agentcost guard status

          agentcost guard status --json
        """
        from agentcost.guard.status import build
        from agentcost.ui.guard import render_status

        data = build()
        if json_out:
            emit_json(data)
        else:
            render_status(data)

    @g.command("set")
    def set_cmd(
        name: str = typer.Argument(
            ...,
            help="session, day, week, month or project (a budget; the amount is its hard cap), "
            "or a [loops] setting: repeat, repeat_window, failures, burst_usd, burst_minutes.",
        ),
        amount: str = typer.Argument(..., help="Dollars (API prices) for a budget, or the setting's value."),
        soft: str | None = typer.Option(None, "--soft", help="Also set the warning level (dollars)."),
        period: str | None = typer.Option(
            None, "--period", help="Project budgets: day, week or month (default month)."
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
    ) -> None:
        """Set a budget's hard cap (and soft level), or a loop rule, in guard.toml.

        Budgets are API-priced dollars of every request Claude Code and Codex logged, in the local
        day / week (from Monday) / month, per session, or per project (git root, else the working
        directory). Over the soft level the agent is warned; at the hard cap it is stopped.

        Examples:

          agentcost guard set day 20 --soft 15

          agentcost guard set project 50 --period month

          agentcost guard set repeat 10        # same tool call 10 times in a row-window -> stop
        """
        from agentcost.guard import edit
        from agentcost.ui.guard import render_write

        value = _dollars(amount)
        w = edit.set_value(
            name, value, soft=_dollars(soft) if soft is not None else None, period=period, dry_run=dry_run
        )
        render_write(w, f"{name} = {amount}" + (f" (soft {soft})" if soft else ""))

    @g.command("unset")
    def unset_cmd(
        name: str = typer.Argument(..., help="A budget scope or a [loops] setting."),
        level: str | None = typer.Option(None, "--level", help="Only `soft` or only `hard`."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
    ) -> None:
        """Remove a budget (or one of its levels), or put a loop setting back to its default."""
        from agentcost.guard import edit
        from agentcost.ui.guard import render_write

        if level not in (None, "soft", "hard"):
            raise UsageError("--level is soft or hard")
        render_write(edit.unset(name, level, dry_run=dry_run), f"{name} unset")

    @g.command("pause")
    def pause_cmd(
        for_: str | None = typer.Option(
            None, "--for", help="How long (30m, 1h, 2d); default until `resume`."
        ),
    ) -> None:
        """Stop blocking for a while (or until `guard resume`); spend and loops are still recorded."""
        from agentcost.guard import state
        from agentcost.ui.guard import say

        until = time.time() + _duration(for_) if for_ else None
        state.set_pause(until)
        say(
            "Guard paused "
            + (
                f"until {time.strftime('%H:%M', time.localtime(until))}"
                if until
                else "until `agentcost guard resume`"
            )
            + ": nothing is blocked, soft warnings still show."
        )

    @g.command("resume")
    def resume_cmd() -> None:
        """End a pause: caps and loop rules block again."""
        from agentcost.guard import state
        from agentcost.ui.guard import say

        say("Guard resumed." if state.clear_pause() else "The guard was not paused.")

    @g.command("install")
    def install_cmd(
        client: Client = typer.Option(Client.all, "--client", help="Which client's hooks."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Install the guard's hooks in the clients' user settings (minimal edit, backup, idempotent).

        Claude Code: ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR) `hooks`: SessionStart,
        UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, PostToolBatch, Stop,
        StopFailure. Codex: $CODEX_HOME/hooks.json, trusted in config.toml with the hashes the
        installed `codex app-server` reports (needs `codex` on PATH or $AGENTCOST_CODEX_BIN;
        --client all skips Codex when $CODEX_HOME does not exist). The command is an absolute path
        to this interpreter: `<python> -m agentcost guard hook <Event>`.
        """
        from agentcost import paths
        from agentcost.guard import install as inst
        from agentcost.ui.guard import render_outcomes

        outs = []
        if client in (Client.claude, Client.all):
            outs.append(inst.install_claude(dry_run=dry_run))
        if client is Client.codex or (client is Client.all and paths.codex_home().is_dir()):
            outs.append(inst.install_codex(dry_run=dry_run))
        render_outcomes(outs, json_out)

    @g.command("uninstall")
    def uninstall_cmd(
        client: Client = typer.Option(Client.all, "--client", help="Which client's hooks."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Remove exactly the guard's hooks (and, for Codex, the trust entries install wrote)."""
        from agentcost.guard import install as inst
        from agentcost.ui.guard import render_outcomes

        outs = []
        if client in (Client.claude, Client.all):
            outs.append(inst.uninstall_claude(dry_run=dry_run))
        if client in (Client.codex, Client.all):
            outs.append(inst.uninstall_codex(dry_run=dry_run))
        render_outcomes(outs, json_out)

    @g.command(
        "hook",
        hidden=True,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def hook_cmd(ctx: typer.Context) -> None:
        """(run by the clients; `python -m agentcost guard hook <Event>` answers before typer loads)"""
        from agentcost.guard.hook import main

        raise typer.Exit(main(list(ctx.args)))

    app.add_typer(g)
