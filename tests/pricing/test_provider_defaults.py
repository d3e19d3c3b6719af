"""Every default model the provider catalog picks can be priced, or says (with a source) why not.

`setup claude -p zai` used to configure glm-4.7 / glm-4.5-air, which `audit-repo` and `usage` then
showed as "unpriced" everywhere; deepseek-flash and MiniMax-M3 likewise."""

from __future__ import annotations

import pytest

from agentcost.agents.claude import resolve_models
from agentcost.errors import AgentcostError
from agentcost.pricing.catalog import explain
from agentcost.providers import load_providers

WEAK_REASON = "no price in our sources"


def _defaults() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for pid, prov in load_providers().items():
        if prov.main_model in ("", "none"):
            continue  # the client's own default: agentcost writes no model
        if prov.main_model == "unknown":
            continue  # checked below: setup refuses to pick one
        main, fast, _ = resolve_models(prov, None, None)
        out += [(pid, m) for m in dict.fromkeys((main, fast)) if m]
    return out


@pytest.mark.parametrize(("provider", "model"), _defaults())
def test_default_model_is_priced_or_carries_a_sourced_reason(provider: str, model: str) -> None:
    price, unpriced, match = explain(model)
    assert match is not None, f"{provider}: {model} is not in the price catalog at all"
    if price is not None:
        assert price.input is not None and price.output is not None
        assert price.source and price.as_of
        return
    assert unpriced is not None
    assert unpriced.reason and unpriced.source, (provider, model)
    assert WEAK_REASON not in unpriced.reason, f"{provider}: {model}: say why no price can be had"


@pytest.mark.parametrize(
    ("provider", "model", "rates"),
    [
        ("zai", "glm-4.7", ("0.6", "2.2", "0.11")),
        ("zai", "glm-4.5-air", ("0.2", "1.1", "0.03")),
        ("deepseek", "deepseek-flash", ("0.15", "0.6", "0.003")),
        ("minimax", "MiniMax-M3", ("0.3", "1.2", "0.06")),
    ],
)
def test_the_defaults_reported_unpriced_now_have_sourced_prices(
    provider: str, model: str, rates: tuple[str, str, str]
) -> None:
    assert (provider, model) in _defaults()
    price, _, _ = explain(model)
    assert price is not None, model
    assert (str(price.input), str(price.output), str(price.cache_read)) == rates
    assert "http" in price.source


def test_providers_without_a_sourced_default_make_setup_ask_for_one() -> None:
    unknown = [p for p in load_providers().values() if p.main_model == "unknown"]
    assert {p.id for p in unknown} >= {"custom"}
    for prov in unknown:
        with pytest.raises(AgentcostError, match="no default model"):
            resolve_models(prov, None, None)
