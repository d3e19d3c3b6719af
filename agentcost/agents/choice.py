"""Which provider and model `setup` configures: by flag, or asked on a terminal (through an `Ask`)."""

from __future__ import annotations

from collections.abc import Mapping

from agentcost.agents.keys import Ask
from agentcost.errors import AgentcostError
from agentcost.providers import UNKNOWN, Provider, load_providers


def usable_by(provider: Provider, agent: str) -> bool:
    """Can `agent` ("claude" / "codex" / "openclaw") use this provider?

    ("none" = not usable; "unknown" = give a URL.)
    """
    if agent == "claude":
        return provider.claude_base_url != "none"
    if agent == "codex":
        return provider.codex_base_url != "none"
    if agent == "openclaw":
        # a custom provider, or one with a third-party URL (OpenClaw's own anthropic/openai plugins are
        # configured by `openclaw onboard`, not as a custom provider)
        return provider.is_custom or any(
            provider.known(u) and u for u in (provider.codex_base_url, provider.claude_base_url)
        )
    raise ValueError(f"unknown agent {agent!r}")


def providers_for(agent: str, env: Mapping[str, str] | None = None) -> list[Provider]:
    """Catalog providers usable by `agent`, in catalog order (bundled first, then the user's)."""
    return [p for p in load_providers(env).values() if usable_by(p, agent)]


def choose_provider(
    provider_id: str | None,
    *,
    agent: str,
    ask: Ask | None,
    env: Mapping[str, str] | None = None,
) -> Provider:
    """The provider named by `--provider`, or one picked from a numbered list on a terminal."""
    usable = providers_for(agent, env)
    ids = ", ".join(p.id for p in usable)
    if provider_id:
        everything = load_providers(env)
        chosen = everything.get(provider_id)
        if chosen is None:
            raise AgentcostError(
                f"unknown provider {provider_id!r}",
                hint=f"providers usable with {agent}: {ids} (details: `agentcost providers`)",
            )
        if not usable_by(chosen, agent):
            raise AgentcostError(
                f"provider {provider_id!r} ({chosen.name}) cannot be used with {agent}",
                hint=f"providers usable with {agent}: {ids}",
            )
        return chosen
    if ask is None:
        raise AgentcostError("no provider given", hint=f"give --provider, one of: {ids}")
    ask.say(f"Providers usable with {agent}:")
    for i, p in enumerate(usable, 1):
        ask.say(f"  {i:2}. {p.id:<12} {p.name}")
    while True:
        answer = ask.text("Provider (number or id)").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(usable):
            return usable[int(answer) - 1]
        for p in usable:
            if p.id == answer:
                return p
        ask.say(f"not a choice: {answer!r}; type 1-{len(usable)} or one of: {ids}")


def choose_model(
    given: str | None,
    default: str,
    *,
    label: str,
    ask: Ask | None,
) -> str | None:
    """`given` if set; else ask on a terminal (offering `default` when known); else `default` or None.

    `default` is a catalog value: "unknown" (or "") means there is no default to offer.
    """
    if given is not None:
        given = given.strip()
        if not given:
            raise AgentcostError(f"{label}: an empty model name was given")
        return given
    known = bool(default) and default != UNKNOWN
    if ask is not None:
        if known:
            return ask.text(label, default=default).strip() or default
        answer = ask.text(f"{label} (the catalog has no default)").strip()
        return answer or None
    return default if known else None
