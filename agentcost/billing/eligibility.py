"""Which plans can serve the demand's models: they compete; the others need a model switch.

Pure. A plan that states no models (a metered key, a user's own offer) is taken to serve any model and
competes; `recommend` says so in a caveat if it wins. Requests whose model was not logged say nothing
about eligibility and are left out of this test (and said so).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentcost.billing.demand import NO_MODEL, Demand
from agentcost.billing.plans import Plan

# A pattern without --model prices calls in dollars sized on this model ($0.05 ~ one agentic call of
# Sonnet 4.5: docs/recommend.md); eligibility assumes the work runs on it.
PATTERN_MODEL = "claude-sonnet-4-5"


@dataclass
class Eligibility:
    models: dict[str, int]  # the models eligibility was judged on -> requests
    assumed: str | None = None  # why `models` is an assumption (a pattern without --model), else None
    competing: list[str] = field(default_factory=list)  # plan ids serving every model of the demand
    unstated: list[str] = field(default_factory=list)  # competing because they state no models
    switch: dict[str, list[str]] = field(default_factory=dict)  # plan id -> the demand's models it lacks
    unlogged: int = 0  # requests without a model (not judged)

    def competes(self, plan_id: str) -> bool:
        return plan_id in self.competing

    def as_dict(self, plans: Mapping[str, Plan]) -> dict[str, Any]:
        return {
            "demand_models": dict(sorted(self.models.items())),
            "assumed": self.assumed,
            "requests_without_model": self.unlogged,
            "plans": {
                pid: {
                    "competes": pid in self.competing,
                    "models": list(plans[pid].models) if pid in plans else [],
                    "models_source": (plans[pid].models_source or None) if pid in plans else None,
                    "lacks": self.switch.get(pid, []),
                }
                for pid in sorted([*self.competing, *self.switch])
            },
        }


def demand_models(demand: Demand) -> tuple[dict[str, int], str | None, int]:
    """The models to judge by, the assumption made (if any), and requests without a model."""
    named = {m: n for m, n in demand.models.items() if m != NO_MODEL}
    unlogged = demand.models.get(NO_MODEL, 0)
    if named or demand.source == "logs":
        return named, None, unlogged
    model = demand.assumed_model or PATTERN_MODEL
    why = (
        f"the pattern names no model (--model), so it is assumed to run on {model}, "
        "the model its default $0.05 call is sized on"
    )
    return {model: len(demand.requests)}, why, 0


def judge(plans: Mapping[str, Plan], demand: Demand, ids: list[str] | None = None) -> Eligibility:
    """Split `ids` (default: every plan) into competing plans and plans needing a model switch.

    A packs plan named as a subscription's overflow follows its own `models`.
    """
    models, assumed, unlogged = demand_models(demand)
    out = Eligibility(models, assumed, unlogged=unlogged)
    for pid in ids if ids is not None else list(plans):
        p = plans[pid]
        lacks = sorted(m for m in models if not p.serves(m))
        if lacks:
            out.switch[pid] = lacks
        else:
            out.competing.append(pid)
            if not p.models:
                out.unstated.append(pid)
    return out
