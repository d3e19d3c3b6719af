"""Billing plans as data: the bundled `data/plans.toml`, the user's `<config dir>/plans.toml`, `--plans FILE`.

Every value may carry its provenance: `price = 20` inherits the plan's `source` / `as_of`, while
`price = { value = 20, source = "...", as_of = "2026-05", estimate = true }` states its own.
A value nobody publishes is the string "unknown": the plan is then skipped by `recommend`, which
names the fields to supply. The schema is documented in docs/recommend.md.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from agentcost.billing.examples import EXAMPLE_PREFIX, EXAMPLES, example_text
from agentcost.errors import ConfigError
from agentcost.fileio import parse_toml, read_text
from agentcost.paths import config_dir

UNKNOWN = "unknown"
KINDS = ("subscription", "packs", "metered")
OVERFLOWS = ("block", "metered", "packs")
UNITS = ("usd", "requests", "tokens")
_WINDOW = re.compile(r"^(daily|weekly|monthly|[1-9]\d*h)$")
_PLAN_FIELDS = {
    "name",
    "vendor",
    "kind",
    "price",
    "period_days",
    "overflow",
    "packs",
    "pack_credit",
    "valid_days",
    "daily_cap",
    "reset_tz",
    "limits",
    "models",
    "price_as",
    "upgrade",
    "source",
    "as_of",
    "note",
}
_LIMIT_FIELDS = {"window", "unit", "amount", "calls_per_unit", "source", "as_of", "estimate", "note"}
BUNDLED = "agentcost/data/plans.toml"


@dataclass(frozen=True)
class Fact:
    """A number with its provenance; `value` is None when it is "unknown"."""

    value: Decimal | None
    source: str
    as_of: str
    estimate: bool = False

    @property
    def known(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": str(self.value) if self.value is not None else UNKNOWN,
            "source": self.source,
            "as_of": self.as_of,
            "estimate": self.estimate,
        }


@dataclass(frozen=True)
class LimitSpec:
    """An allowance per window: `amount` in dollars of API-priced credit, requests or tokens.

    `calls_per_unit`: how many API calls one counted request covers (MiniMax: 1 prompt ≈ 15 calls).
    """

    window: str
    unit: str
    amount: Fact
    calls_per_unit: Fact

    def as_dict(self) -> dict[str, Any]:
        return {
            "window": self.window,
            "unit": self.unit,
            "amount": self.amount.as_dict(),
            "calls_per_unit": self.calls_per_unit.as_dict(),
        }


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    kind: str  # subscription | packs | metered
    vendor: str = ""
    price: Fact | None = None  # subscription / metered (base fee): USD per period; packs: USD per pack
    period_days: int = 30
    overflow: str = "block"
    packs: str | None = None  # id of a packs plan usable as overflow
    pack_credit: Fact | None = None  # packs: USD of API-priced credit per pack
    valid_days: int = 90
    daily_cap: Fact | None = None  # metered: refuse calls beyond this spend per day
    reset_tz: str | None = None  # time zone of the plan's midnight / Monday (IANA name)
    limits: tuple[LimitSpec, ...] = ()
    models: tuple[str, ...] = ()  # globs of the models the plan serves; () = not stated
    models_source: str = ""  # where the model list comes from (defaults to the plan's source)
    price_as: str | None = None  # a served model whose API price re-prices your work for a switch
    upgrade: str | None = None  # mid-period upgrade rule: "prorated"; None = not known
    upgrade_source: str = ""
    source: str = ""
    as_of: str = ""
    note: str = ""
    origin: str = "bundled"  # bundled | user | user-override
    where: str = BUNDLED

    def serves(self, model: str) -> bool:
        """Whether `model` is listed ("deepseek-ai/deepseek-v4-pro" is matched by its last part).

        A plan that states no models is taken to serve any (a metered key, a user's own offer).
        """
        if not self.models:
            return True
        name = model.lower().rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(name, g.lower()) for g in self.models)

    def missing(self) -> list[str]:
        """The fields still "unknown" that the simulation needs."""
        out: list[str] = []
        if self.kind in ("subscription", "packs") and (self.price is None or not self.price.known):
            out.append("price")
        if self.kind == "metered" and self.price is not None and not self.price.known:
            out.append("price")  # a metered plan's price is an optional base fee per period
        if self.kind == "packs" and (self.pack_credit is None or not self.pack_credit.known):
            out.append("pack_credit")
        if self.daily_cap is not None and not self.daily_cap.known:
            out.append("daily_cap")
        for i, lim in enumerate(self.limits):
            if not lim.amount.known:
                out.append(f"limits[{i}].amount ({lim.window} {lim.unit})")
            if not lim.calls_per_unit.known:
                out.append(f"limits[{i}].calls_per_unit")
        return out

    def number_sources(self) -> list[str]:
        """Distinct "source (as of ...)" of the numbers the simulation uses (the plan's, if none)."""
        facts = [self.price, self.pack_credit, self.daily_cap]
        for lim in self.limits:
            facts.append(lim.amount)
            if lim.calls_per_unit.value != 1:  # the default ratio is no one's claim
                facts.append(lim.calls_per_unit)
        out: list[str] = []
        for f in facts:
            if f is not None and f.known:
                text = f"{f.source} (as of {f.as_of}{', estimate' if f.estimate else ''})"
                if text not in out:
                    out.append(text)
        return out or [f"{self.source} (as of {self.as_of})"]

    @property
    def has_estimates(self) -> bool:
        facts = [self.price, self.pack_credit, self.daily_cap]
        facts += [lim.amount for lim in self.limits] + [lim.calls_per_unit for lim in self.limits]
        return any(f is not None and f.estimate for f in facts)

    def as_dict(self) -> dict[str, Any]:
        def fact(f: Fact | None) -> dict[str, Any] | None:
            return f.as_dict() if f else None

        return {
            "id": self.id,
            "name": self.name,
            "vendor": self.vendor,
            "kind": self.kind,
            "price": fact(self.price),
            "period_days": self.period_days,
            "overflow": self.overflow,
            "packs": self.packs,
            "pack_credit": fact(self.pack_credit),
            "valid_days": self.valid_days,
            "daily_cap": fact(self.daily_cap),
            "reset_tz": self.reset_tz,
            "limits": [lim.as_dict() for lim in self.limits],
            "models": list(self.models),
            "models_source": self.models_source or None,
            "price_as": self.price_as,
            "upgrade": {"rule": self.upgrade or UNKNOWN, "source": self.upgrade_source or None},
            "source": self.source,
            "as_of": self.as_of,
            "note": self.note,
            "origin": self.origin,
        }


@dataclass
class _Ctx:
    """Where we are, for error messages with file:line:col."""

    path: str
    text: str
    plan: str
    lines: list[str] = field(default_factory=list)
    limit: int | None = None  # index of the [[plans.ID.limits]] table being read, if any

    def locate(self, key: str | None = None) -> tuple[int | None, int | None]:
        if not self.lines:
            self.lines = self.text.splitlines()
        header = re.compile(r"^\s*\[+\s*plans\.(\"?)" + re.escape(self.plan) + r"\1(\.|\s*\])")
        start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), None)
        if start is None:
            return None, None
        if self.limit is not None:
            lim = re.compile(r"^\s*\[\[\s*plans\.(\"?)" + re.escape(self.plan) + r"\1\.limits\s*\]\]")
            heads = [i for i, ln in enumerate(self.lines) if lim.match(ln)]
            if self.limit < len(heads):
                start = heads[self.limit]
        if key is None:
            return start + 1, 1
        pat = re.compile(r"^(\s*)" + re.escape(key) + r"\s*=")
        for i in range(start, len(self.lines)):
            m = pat.match(self.lines[i])
            if m:
                return i + 1, len(m.group(1)) + 1
            if (
                i > start
                and self.lines[i].lstrip().startswith("[")
                and "plans." + self.plan not in self.lines[i]
            ):
                break
        return start + 1, 1

    def error(self, message: str, key: str | None = None, hint: str | None = None) -> ConfigError:
        line, col = self.locate(key)
        return ConfigError(f"plan {self.plan!r}: {message}", path=self.path, line=line, column=col, hint=hint)

    def check_fields(self, raw: Mapping[str, Any], allowed: Set[str], prefix: str = "") -> None:
        """Raise for keys of `raw` outside `allowed`, located at the first of them (sorted)."""
        extra = set(raw) - allowed
        if extra:
            raise self.error(
                f"{prefix}unknown field(s) {', '.join(sorted(extra))}",
                sorted(extra)[0],
                hint=f"allowed: {', '.join(sorted(allowed))}",
            )


def _plain(v: Any) -> Any:
    return v.unwrap() if hasattr(v, "unwrap") else v


def _fact(
    raw: Any, ctx: _Ctx, key: str, source: str, as_of: str, estimate: bool = False, *, positive: bool = True
) -> Fact:
    raw = _plain(raw)
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "source", "as_of", "estimate"}
        if extra or "value" not in raw:
            raise ctx.error(
                f"{key} as a table takes value, source, as_of, estimate (got {', '.join(sorted(raw))})", key
            )
        est = raw.get("estimate", estimate)
        if not isinstance(est, bool):
            raise ctx.error(f"{key}.estimate must be true or false", key)
        return _fact(
            raw["value"], ctx, key, str(raw.get("source", source)), str(raw.get("as_of", as_of)), est,
            positive=positive,
        )  # fmt: skip
    if isinstance(raw, str) and raw.strip().lower() == UNKNOWN:
        return Fact(None, source, as_of, estimate)
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ctx.error(f'{key} must be a number or "unknown"', key)
    try:
        value = Decimal(str(raw).replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise ctx.error(f'{key} must be a number or "unknown", got {raw!r}', key) from None
    if not value.is_finite() or value < 0 or (positive and value == 0):
        raise ctx.error(f"{key} must be a {'positive' if positive else 'non-negative'} number", key)
    if value > MAX_NUMBER:  # 1e308 would overflow the simulator's decimal arithmetic
        raise ctx.error(f"{key} is implausibly large (at most {MAX_NUMBER:,})", key)
    return Fact(value, source, as_of, estimate)


MAX_NUMBER = Decimal(10) ** 12  # prices, credits and limits: a trillion is already absurd
MAX_WHOLE = 36_500  # valid_days and other whole numbers: a hundred years


def _int(raw: Any, ctx: _Ctx, key: str) -> int:
    raw = _plain(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw <= 0:
        raise ctx.error(f"{key} must be a positive whole number", key)
    if raw > MAX_WHOLE:  # days/counts beyond this overflow dates and C ints
        raise ctx.error(f"{key} is implausibly large (at most {MAX_WHOLE:,})", key)
    return raw


def _str(raw: Any, ctx: _Ctx, key: str, choices: tuple[str, ...] | None = None) -> str:
    raw = _plain(raw)
    if not isinstance(raw, str):
        raise ctx.error(f"{key} must be a string", key)
    if choices and raw not in choices:
        raise ctx.error(f"{key} must be one of {', '.join(choices)} (got {raw!r})", key)
    return raw


def _limits(raw: Any, ctx: _Ctx, source: str, as_of: str) -> tuple[LimitSpec, ...]:
    raw = _plain(raw)
    if not isinstance(raw, list):
        raise ctx.error("limits must be an array of tables ([[plans.ID.limits]])", "limits")
    out = []
    for i, item in enumerate(raw):
        ctx.limit = i
        if not isinstance(item, dict):
            raise ctx.error(f"limits[{i}] must be a table", "limits")
        ctx.check_fields(item, _LIMIT_FIELDS, f"limits[{i}]: ")
        for req in ("window", "unit", "amount"):
            if req not in item:
                raise ctx.error(f"limits[{i}]: missing {req}", "limits")
        window = _str(item["window"], ctx, "window")
        if not _WINDOW.match(window):
            raise ctx.error(
                f'limits[{i}].window must be daily, weekly, monthly or "<N>h" (got {window!r})', "window"
            )
        unit = _str(item["unit"], ctx, "unit", UNITS)
        src, date = str(item.get("source", source)), str(item.get("as_of", as_of))
        est = item.get("estimate", False)
        if not isinstance(est, bool):
            raise ctx.error(f"limits[{i}].estimate must be true or false", "estimate")
        amount = _fact(item["amount"], ctx, "amount", src, date, est)
        cpu = _fact(item.get("calls_per_unit", 1), ctx, "calls_per_unit", src, date, est)
        if unit != "requests" and cpu.value != 1:
            raise ctx.error(f"limits[{i}]: calls_per_unit only applies to unit = requests", "calls_per_unit")
        out.append(LimitSpec(window, unit, amount, cpu))
    ctx.limit = None
    return tuple(out)


def _models(raw: Any, ctx: _Ctx, source: str, as_of: str) -> tuple[tuple[str, ...], str]:
    """`models = ["qwen*"]` (the plan's provenance) or `{ value = [...], source = "...", as_of = "..." }`."""
    raw = _plain(raw)
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "source", "as_of"}
        if extra or "value" not in raw:
            raise ctx.error("models as a table takes value, source, as_of", "models")
        source, as_of = str(raw.get("source", source)), str(raw.get("as_of", as_of))
        raw = raw["value"]
    if not isinstance(raw, list) or not all(isinstance(m, str) and m.strip() for m in raw):
        raise ctx.error('models must be a list of model names or globs, e.g. ["qwen3-coder-*"]', "models")
    return tuple(m.strip() for m in raw), f"{source} (as of {as_of})"


UPGRADE_RULES = ("prorated", UNKNOWN)


def _upgrade(raw: Any, ctx: _Ctx, source: str, as_of: str) -> tuple[str | None, str]:
    """`upgrade = "prorated"` or `{ value = "prorated", source = "...", as_of = "..." }`."""
    raw = _plain(raw)
    if isinstance(raw, dict):
        extra = set(raw) - {"value", "source", "as_of"}
        if extra or "value" not in raw:
            raise ctx.error("upgrade as a table takes value, source, as_of", "upgrade")
        source, as_of = str(raw.get("source", source)), str(raw.get("as_of", as_of))
        raw = raw["value"]
    rule = _str(raw, ctx, "upgrade", UPGRADE_RULES)
    return (None if rule == UNKNOWN else rule), f"{source} (as of {as_of})"


def _coerce(pid: str, raw: Mapping[str, Any], base: Plan | None, origin: str, ctx: _Ctx) -> Plan:
    ctx.check_fields(raw, _PLAN_FIELDS)
    source = str(_plain(raw.get("source", base.source if base else "user file")))
    # A new source without a date is undated: the bundled date belonged to the bundled source.
    as_of = str(_plain(raw.get("as_of", base.as_of if base and "source" not in raw else UNKNOWN)))
    kind = _str(raw["kind"], ctx, "kind", KINDS) if "kind" in raw else (base.kind if base else "")
    if not kind:
        raise ctx.error("missing kind (subscription, packs or metered)", None)
    v: dict[str, Any] = {
        "id": pid,
        "kind": kind,
        "source": source,
        "as_of": as_of,
        "origin": origin,
        "where": ctx.path,
    }
    if base:
        for k in ("name", "vendor", "price", "period_days", "overflow", "packs", "pack_credit", "valid_days"):
            v[k] = getattr(base, k)
        for k in (
            "daily_cap", "reset_tz", "limits", "models", "models_source", "price_as", "upgrade",
            "upgrade_source", "note",
        ):  # fmt: skip
            v[k] = getattr(base, k)
    v["name"] = str(_plain(raw.get("name", v.get("name", pid))))
    if "vendor" in raw:
        v["vendor"] = _str(raw["vendor"], ctx, "vendor")
    if "note" in raw:
        v["note"] = _str(raw["note"], ctx, "note")
    for k in ("price", "pack_credit", "daily_cap"):
        if k in raw:
            # A free tier is a real plan (price 0); a pack without credit or a zero cap is not.
            v[k] = _fact(raw[k], ctx, k, source, as_of, positive=k != "price")
    for k in ("period_days", "valid_days"):
        if k in raw:
            v[k] = _int(raw[k], ctx, k)
    if "overflow" in raw:
        v["overflow"] = _str(raw["overflow"], ctx, "overflow", OVERFLOWS)
    if "packs" in raw:
        v["packs"] = _str(raw["packs"], ctx, "packs")
    if "reset_tz" in raw:
        v["reset_tz"] = _str(raw["reset_tz"], ctx, "reset_tz")
    if "limits" in raw:
        v["limits"] = _limits(raw["limits"], ctx, source, as_of)
    if "models" in raw:
        v["models"], v["models_source"] = _models(raw["models"], ctx, source, as_of)
    if "price_as" in raw:
        v["price_as"] = _str(raw["price_as"], ctx, "price_as").strip() or None
    if "upgrade" in raw:
        v["upgrade"], v["upgrade_source"] = _upgrade(raw["upgrade"], ctx, source, as_of)
    plan = Plan(**v)
    if plan.kind == "subscription" and plan.price is None:
        raise ctx.error('a subscription needs price (USD per period, or "unknown")', None)
    if plan.kind == "packs" and (plan.price is None or plan.pack_credit is None):
        raise ctx.error('a packs plan needs price and pack_credit (numbers or "unknown")', None)
    if plan.kind == "subscription" and not plan.limits:
        raise ctx.error("a subscription needs at least one [[plans.ID.limits]] entry", None)
    if plan.kind != "subscription" and plan.limits:
        raise ctx.error("only a subscription has limits", "limits")
    if plan.overflow == "packs" and not plan.packs:
        raise ctx.error('overflow = "packs" needs packs = "<id of a packs plan>"', "overflow")
    if plan.daily_cap is not None and plan.kind == "subscription" and plan.overflow != "metered":
        raise ctx.error(
            "daily_cap applies to metered billing (kind = metered, or overflow = metered)", "daily_cap"
        )
    return plan


def parse_plans(
    text: str, path: str, existing: Mapping[str, Plan] | None = None, origin: str = "user"
) -> dict[str, Plan]:
    """Parse a plans file; entries whose id exists in `existing` override it field by field."""
    doc = parse_toml(text, path).unwrap()
    extra = set(doc) - {"plans"}
    if extra:
        raise ConfigError(
            f"unknown top-level key(s) {', '.join(sorted(extra))}",
            path=path,
            hint="put every plan under [plans.ID]",
        )
    table = doc.get("plans", {})
    if not isinstance(table, dict):
        raise ConfigError("[plans] must be a table of tables", path=path)
    out: dict[str, Plan] = {}
    for pid, raw in table.items():
        ctx = _Ctx(path, text, pid)
        if not isinstance(raw, dict):
            raise ctx.error("must be a table ([plans.ID])")
        base = (existing or {}).get(pid)
        out[pid] = _coerce(
            pid, raw, base, ("user-override" if base else origin) if origin != "bundled" else origin, ctx
        )
    return out


def user_plans_file(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "plans.toml"


def load_plans(
    extra_files: list[Path] | None = None, env: Mapping[str, str] | None = None
) -> dict[str, Plan]:
    """Bundled plans, then `<config dir>/plans.toml`, then each `--plans FILE` (later files win)."""
    text = resources.files("agentcost.data").joinpath("plans.toml").read_text(encoding="utf-8")
    plans = parse_plans(text, BUNDLED, origin="bundled")
    files = [user_plans_file(env), *(extra_files or [])]
    for i, f in enumerate(files):
        if i and str(f).startswith(EXAMPLE_PREFIX):
            name = str(f)[len(EXAMPLE_PREFIX) :]
            plans.update(parse_plans(example_text(name), f"{EXAMPLES}/{name}.toml", plans))
            continue
        user_text = read_text(f)
        if user_text is None:
            if i == 0:
                continue  # the config-dir file is optional
            raise ConfigError(
                "file not found", path=f, hint="--plans takes a TOML file; see docs/recommend.md"
            )
        plans.update(parse_plans(user_text, str(f), plans))
    for p in plans.values():
        if p.packs and (p.packs not in plans or plans[p.packs].kind != "packs"):
            raise ConfigError(
                f"plan {p.id!r}: packs = {p.packs!r} is not a packs plan",
                path=p.where,
                hint='name the id of a plan with kind = "packs"',
            )
    return plans
