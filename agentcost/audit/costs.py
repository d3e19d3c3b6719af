"""Which models to price, and what reading a set of files costs on each.

Models come from the user's Claude Code settings (`model` and the `env.ANTHROPIC_*MODEL` slots in
`<claude config dir>/settings.json`), Codex's `model` in `<codex home>/config.toml`, and `--model`.
Dollars use the *base* input and cache-read rates: a repository is read over many requests, so
the long-context tier of one huge prompt does not apply. Token counts are o200k counts multiplied by
the documented factor of the model's family (`token_ratios.toml`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from agentcost import paths
from agentcost.audit.tokens import RatioTable
from agentcost.errors import AgentcostError

CLAUDE_MODEL_VARS = (
    "ANTHROPIC_MODEL",
    "ANTHROPIC_DEFAULT_OPUS_MODEL",
    "ANTHROPIC_DEFAULT_SONNET_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL",
)
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class ModelRef:
    model: str
    origin: str  # "--model", "claude settings.json (env.ANTHROPIC_MODEL)", "codex config.toml", "default"


@dataclass(frozen=True)
class ModelCost:
    model: str
    origin: str
    priced_as: str | None  # the catalog key the price resolved to
    family: str | None  # correction family, None = uncorrected o200k
    factor: float
    tokens: dict[str, int]  # per view name: corrected tokens
    read_once: dict[str, Decimal | None]  # per view: $ at the input rate
    read_cached: dict[str, Decimal | None]  # per view: $ at the cache-read rate
    context_window: int | None
    unpriced: str | None  # label when unpriced, else None
    source: str | None
    as_of: str | None

    def fits(self, view: str) -> bool | None:
        if self.context_window is None:
            return None
        return self.tokens[view] <= self.context_window


def configured_models(env: Mapping[str, str] | None = None) -> tuple[list[ModelRef], list[str]]:
    """Models named in Claude Code's and Codex's user config, and notes on files that failed to load."""
    from agentcost.fileio import read_json_object, read_toml

    refs: list[ModelRef] = []
    notes: list[str] = []
    settings = paths.claude_config_dir(env) / "settings.json"
    try:
        data, _ = read_json_object(settings)
    except AgentcostError as e:
        data = None
        notes.append(f"{settings}: {e.message} (its models are not priced)")
    if data:
        if isinstance(data.get("model"), str) and data["model"].strip():
            refs.append(ModelRef(data["model"].strip(), "claude settings.json (model)"))
        envs = data.get("env")
        if isinstance(envs, dict):
            for var in CLAUDE_MODEL_VARS:
                v = envs.get(var)
                if isinstance(v, str) and v.strip():
                    refs.append(ModelRef(v.strip(), f"claude settings.json (env.{var})"))
    config = paths.codex_home(env) / "config.toml"
    try:
        doc, _ = read_toml(config)
    except AgentcostError as e:
        doc = None
        notes.append(f"{config}: {e.message} (its model is not priced)")
    if doc is not None:
        m = doc.get("model")
        if isinstance(m, str) and m.strip():
            refs.append(ModelRef(m.strip(), "codex config.toml (model)"))
    return refs, notes


def dedupe(refs: list[ModelRef]) -> list[ModelRef]:
    seen: set[str] = set()
    out: list[ModelRef] = []
    for r in refs:
        if r.model not in seen:
            seen.add(r.model)
            out.append(r)
    return out


def _dollars(tokens: int, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (Decimal(tokens) * rate / MILLION).quantize(Decimal("0.0001"))


def model_costs(refs: list[ModelRef], view_tokens: dict[str, int], table: RatioTable) -> list[ModelCost]:
    """Per model: corrected tokens, $ to read each view once and from cache, context-window fit."""
    try:
        from agentcost.pricing import price_for, unpriced_label
    except ImportError:  # pragma: no cover - pricing is part of the package
        price_for = None  # type: ignore[assignment]

        def unpriced_label(model: str) -> str:
            return "n/a (unpriced: pricing unavailable)"

    out: list[ModelCost] = []
    for ref in refs:
        corr = table.correction(ref.model)
        factor = corr.factor if corr else 1.0
        tokens = {v: round(n * factor) for v, n in view_tokens.items()}
        try:
            price = price_for(ref.model) if price_for is not None else None
        except AgentcostError:  # e.g. a broken user price override: this model stays unpriced
            price = None
        if price is None or price.input is None:
            none: dict[str, Decimal | None] = dict.fromkeys(tokens)
            family = corr.family if corr else None
            label = unpriced_label(ref.model)
            out.append(
                ModelCost(
                    ref.model, ref.origin, None, family, factor, tokens, none, none, None, label, None, None
                )
            )
            continue
        out.append(
            ModelCost(
                ref.model,
                ref.origin,
                price.model,
                corr.family if corr else None,
                factor,
                tokens,
                {v: _dollars(n, price.input) for v, n in tokens.items()},
                {v: _dollars(n, price.cache_read) for v, n in tokens.items()},
                price.context_window,
                None,
                price.source,
                price.as_of,
            )
        )
    return out
