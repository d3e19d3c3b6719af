"""One module per coding agent (claude.py, codex.py), each exposing the same small interface:

setup(...)                        -> SetupResult   (write/merge the agent's config)
diagnose(env, cwd, online=False)  -> list[Finding] (read the effective config, report problems)
"""
