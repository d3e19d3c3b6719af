"""`doctor` findings about the guard: hooks installed but unable to run."""

from __future__ import annotations

from collections.abc import Mapping

from agentcost.agents.findings import Finding, Severity
from agentcost.guard import config, install


def findings(env: Mapping[str, str], agents: tuple[str, ...] = ("claude", "codex")) -> list[Finding]:
    out: list[Finding] = []
    for h in install.installed(env):
        if h["agent"] not in agents or not h["events"] or h["live"]:
            continue
        out.append(
            Finding(
                code="GUARD_HOOK_DEAD",
                severity=Severity.ERROR,
                message="agentcost guard hooks are installed but cannot run: "
                + (h.get("problem") or "unknown problem")
                + " (the client then ignores the failing hook: no cap and no loop stop is enforced)",
                fix="`agentcost guard install` again from the agentcost you use now (it rewrites the path), "
                "or `agentcost guard uninstall`",
                file=h["path"],
                agent=h["agent"],
            )
        )
    try:
        config.load(env)
    except Exception as e:  # a ConfigError: the hook fails open on it
        out.append(
            Finding(
                code="GUARD_CONFIG_INVALID",
                severity=Severity.ERROR,
                message=f"guard.toml cannot be read, so the guard lets everything through: {e}",
                fix="fix the file (file:line:col above) or `agentcost guard unset` the bad value",
                file=str(config.config_path(env)),
                agent=None,
            )
        )
    return out
