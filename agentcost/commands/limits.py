"""`agentcost limits`: what a subscription's 5-hour and weekly windows hold in API-priced dollars."""

from __future__ import annotations

import time

import typer

from agentcost.commands.options import AgentChoice, log_readers
from agentcost.ui.console import console, emit_json


def limits_cmd(
    agent: AgentChoice = typer.Option(AgentChoice("all"), "--agent", "-a", help="Which agent's windows."),
    json_out: bool = typer.Option(
        False, "--json", help="Machine-readable output (schema_version 1; see docs/limits.md)."
    ),
) -> None:
    """Measure each subscription window (5-hour, weekly, …) in API-priced dollars.

    Codex writes how full its windows are (used %, reset time, plan) into every token_count event
    of its session logs; Claude Code passes them only to a statusLine command, so for Claude run
    `agentcost statusline install` first and let it record readings. Between two readings of one
    window, the API-priced cost of the requests in between divided by the rise in used % is the
    window's size: per agent and window this shows that allowance with a low–high range (readings
    are whole percents), how many windows and readings it rests on, limit hits and what was spent
    before each, and the current used %, time to reset and pace.

    Examples:

      agentcost limits

      agentcost limits --agent codex --json
    """
    from agentcost.limits.latest import read_latest, write_latest
    from agentcost.limits.measure import measured_allowances
    from agentcost.limits.report import latest_values, limits_dict

    now = time.time()
    windows = measured_allowances(log_readers(agent), now=now)
    latest = latest_values(windows)
    if latest:  # for the status line ("5h 42% of ~$20"); other agents' values are kept
        write_latest({**read_latest(), **latest})
    if json_out:
        emit_json(limits_dict(windows, now))
        return
    from agentcost.ui.limits import render

    render(console(), windows, now)


def register(app: typer.Typer) -> None:
    app.command("limits")(limits_cmd)
