"""`doctor codex` checks of the shim's cost routing rules (`<config dir>/routing.toml`).

* malformed (TOML or a rule) -> CODEX_ROUTING_INVALID (error, file:line:col): the shim refuses to start;
* a rule's target (or asked-for) model without a price -> CODEX_ROUTING_UNPRICED (warning): usage
  cannot show that rule's saving, and an unknown name may not exist at the provider;
* a rule routing to a named upstream whose key variable is unset -> CODEX_ROUTING_NO_KEY (warning);
* otherwise CODEX_ROUTING_OK (info): the mode and the number of rules.
No file: nothing (routing is off by default).
"""

from __future__ import annotations

from collections.abc import Mapping

from agentcost.agents.findings import Finding, Severity
from agentcost.errors import AgentcostError
from agentcost.shim.routing import RoutingRules, load_rules, rules_path

AGENT = "codex"


def routing_findings(env: Mapping[str, str]) -> list[Finding]:
    path = rules_path(env)
    try:
        rules = load_rules(env)
    except AgentcostError as e:
        return [
            Finding(
                "CODEX_ROUTING_INVALID",
                Severity.ERROR,
                f"routing rules: {e.message}",
                "fix the file (docs/routing.md); `agentcost shim` refuses to start with it",
                str(path),
                AGENT,
            )
        ]
    if rules.path is None:
        return []
    return _check(rules, env, str(path))


def _check(rules: RoutingRules, env: Mapping[str, str], file: str) -> list[Finding]:
    from agentcost.pricing import price_for

    out: list[Finding] = []
    for r in rules.rules:
        where = f"{file}:{r.line}" if r.line else file
        names = [r.to_model, *r.when_model]
        unpriced = [m for m in names if price_for(m) is None]
        if unpriced:
            out.append(
                Finding(
                    "CODEX_ROUTING_UNPRICED",
                    Severity.WARNING,
                    f"routing rule {r.name!r} ({where}): no price for {', '.join(unpriced)}: "
                    "`agentcost usage` cannot show its saving; a misspelt name fails at the provider",
                    "check the name (`agentcost prices`), or price it in prices.toml",
                    file,
                    AGENT,
                )
            )
        if r.to_upstream:
            up = rules.upstreams[r.to_upstream]
            if not (env.get(up.api_key_env) or "").strip():
                out.append(
                    Finding(
                        "CODEX_ROUTING_NO_KEY",
                        Severity.WARNING,
                        f"routing rule {r.name!r} ({where}) sends to upstream {up.name!r} ({up.url}), but "
                        f"${up.api_key_env} is not set here: the shim refuses to start without it",
                        f"export {up.api_key_env} in the shim's environment (or its --env-file)",
                        file,
                        AGENT,
                    )
                )
    out.append(
        Finding(
            "CODEX_ROUTING_OK",
            Severity.INFO,
            f"routing rules: mode {rules.mode}, {len(rules.rules)} rule(s)"
            + ("" if rules.mode != "off" else " (off: none applied)"),
            None,
            file,
            AGENT,
        )
    )
    return out
