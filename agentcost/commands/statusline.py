"""`agentcost statusline`: a Claude Code status line (model, API-priced costs, windows, pace)."""

from __future__ import annotations

import typer

from agentcost.ui.console import console, emit_json


def register(app: typer.Typer) -> None:
    sl = typer.Typer(
        name="statusline",
        invoke_without_command=True,
        no_args_is_help=False,
        help=__doc__,
        pretty_exceptions_show_locals=False,
    )

    @sl.callback()
    def statusline(ctx: typer.Context) -> None:
        """Claude Code statusLine command: reads Claude Code's JSON on stdin, prints one line.

        Shows the model, this session's API-priced cost (from its transcript; "~… (Claude est.)"
        when it falls back to Claude Code's own figure), today's API-priced cost of Claude Code and
        Codex, the 5-hour and weekly windows' used % with time to reset (subscribers), and a
        warning when, at the pace since the window began, it runs out before it resets. Records
        each reading for `agentcost limits`. Never fails: on an error it prints a short line.

        Set it up with `agentcost statusline install` (user settings; undo with `uninstall`).
        """
        if ctx.invoked_subcommand is None:
            from agentcost.statusline.run import main

            main()

    @sl.command("install")
    def install_cmd(
        replace: bool = typer.Option(
            False, "--replace", help="Replace an existing statusLine (kept; `uninstall` restores it)."
        ),
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Make `agentcost statusline` Claude Code's status line (user settings.json, minimal edit).

        Writes {"statusLine": {"type": "command", "command": "<this python> -m agentcost statusline"}}
        into ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR/settings.json), with a backup. An
        existing statusLine of another tool is not replaced unless --replace is given.
        """
        from agentcost.statusline.install import install

        _report(install(replace=replace, dry_run=dry_run), json_out)

    @sl.command("uninstall")
    def uninstall_cmd(
        dry_run: bool = typer.Option(False, "--dry-run", help="Show the change, write nothing."),
        json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Remove agentcost's status line (restoring the one `install --replace` replaced)."""
        from agentcost.statusline.install import uninstall

        _report(uninstall(dry_run=dry_run), json_out)

    app.add_typer(sl)


def _report(outcome: object, json_out: bool) -> None:
    from agentcost.statusline.install import Outcome

    assert isinstance(outcome, Outcome)
    w = outcome.write
    dry = bool(w and w.dry_run)
    if json_out:
        emit_json(
            {
                "path": str(outcome.path),
                "action": outcome.action,
                "command": outcome.command,
                "previous": outcome.previous,
                "changed": bool(w and w.changed),
                "dry_run": dry,
                "backup": str(w.backup) if w and w.backup else None,
                "diff": w.diff if w and dry else None,
            }
        )
        return
    from agentcost.ui.statusline import render_outcome

    render_outcome(outcome, console())
