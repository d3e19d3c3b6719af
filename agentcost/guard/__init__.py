"""`agentcost guard`: budgets in API-priced dollars and runaway-loop stops, enforced through the
agents' own hooks (see docs/guard.md).

- `config`: guard.toml (budgets, loop rules, strict mode), validated with file:line:col;
- `meter`: spend per scope from the spend index (`agentcost.spend`), on the hot path;
- `rules`: the pure rules and messages; `state`: per-session state, events, pause, error log;
- `hook`: the hook itself (`python -m agentcost guard hook <Event>`), dispatched before typer loads;
- `install`: hooks in Claude Code's and Codex's user settings; `edit`: guard.toml edits;
- `status`: where every cap stands, as data.
"""
