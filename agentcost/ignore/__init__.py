"""`agentcost ignore`: keep coding agents away from files, with each agent's own mechanism.

- `defaults`: the bundled default exclusions (`agentcost/data/exclusions.toml`), grouped by reason;
- `detect`: what a repository holds beyond them (big data directories, databases, generated code,
  large files), bounded scan, proposals only;
- `claude`: gitignore patterns -> Claude Code `permissions.deny` `Read(...)` rules;
- `codex`: the opt-in Codex permission profile denying reads of secrets;
- `apply`: the plan `agentcost ignore` shows and writes.

Gitignore matching and the fenced block written into ignore files are `agentcost.gitignore`'s.
"""
