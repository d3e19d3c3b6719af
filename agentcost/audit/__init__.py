"""`agentcost audit-repo`: what a coding agent would read in a repository, and what it costs.

Modules: `walk` (one streaming walk sorting files into three views, with reasons; gitignore
matching is `agentcost.gitignore`'s), `subtree` (fast path for git-ignored trees), `binary` (text or
binary, by content), `tokens` (calibrated estimator, exact o200k, per-family corrections),
`cache` (exact counts by git blob id / file stat, in SQLite), `scan` (walk + read + count, in
worker processes), `report` (bounded aggregation), `costs` (models from config, dollars),
`build` (the JSON-ready report, drawn by `agentcost.ui.audit`), `exclusions` (agentcost's defaults
or the repository's agentcost block).
"""
