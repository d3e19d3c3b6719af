"""`agentcost recommend` (which billing plan fits your usage) and `agentcost upgrade-cost`."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path

import typer

from agentcost.billing.demand import DEFAULT_REQUEST_USD, Demand, pattern_demand, pattern_requests
from agentcost.billing.inputs import demand_from_logs, price_or_error, zone
from agentcost.billing.measured import MeasuredAllowance, from_limits
from agentcost.billing.plans import Plan, load_plans
from agentcost.billing.recommend import MaxBlocked, recommend, upgrade_cost
from agentcost.commands.options import AgentChoice, log_readers
from agentcost.errors import AgentcostError, UsageError
from agentcost.limits.measure import measured_allowances
from agentcost.tokens import TokenCounts
from agentcost.ui.console import console, emit_json, err_console, progress_bar
from agentcost.ui.recommend import recommendation_dict, render

MIN_REQUEST_USD = Decimal("0.001")
MAX_PATTERN_REQUESTS = 500_000  # about a minute of simulation on a slow machine


class Pattern(str, Enum):
    steady = "steady"
    weekday = "weekday"
    bursty = "bursty"


def _money(text: str, option: str) -> Decimal:
    try:
        v = Decimal(text.strip().lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise UsageError(f"{option}: not an amount: {text!r}", hint="e.g. 0.90 or $20") from None
    if not v.is_finite() or v < 0:
        raise UsageError(f"{option} must be a non-negative amount")
    return v


def _max_blocked(text: str) -> MaxBlocked:
    """A count, or a percentage applied to each demand it judges (the 0.5x / 2x runs included)."""
    t = text.strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", t)
    if m:
        share = Decimal(m.group(1))
        if share > 100:
            raise UsageError(f"--max-blocked: {t} is more than all requests", hint="use 0% to 100%")
        return MaxBlocked(percent=share)
    if t.isdigit():
        return MaxBlocked(int(t))
    raise UsageError(f"--max-blocked: expected a number of requests or a percentage, got {text!r}")


def _start_day(text: str | None, tz: tzinfo) -> date:
    if not text:
        return datetime.now(tz).date()
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--start: not a date: {text!r}", hint="use YYYY-MM-DD") from None
    if day.year > 9000:  # the horizon and its billing periods must still be dates
        raise AgentcostError(
            f"--start: {day} is too far ahead to simulate", hint="give a date before 9000-01-01"
        )
    return day


def _pattern(
    pattern: Pattern,
    tz: tzinfo,
    start: str | None,
    horizon: int,
    spend: str | None,
    tokens: int | None,
    model: str | None,
    request_usd: str | None,
    active_days: int | None,
    heavy_days: int,
    heavy_factor: str,
) -> tuple[Demand, Callable[[str], Demand | None]]:
    if (spend is None) == (tokens is None):
        raise UsageError("--pattern needs exactly one of --spend-per-day USD or --tokens-per-day N")
    if tokens is not None and not model:
        raise UsageError(
            "--tokens-per-day needs --model (to price the tokens)", hint="e.g. --model claude-sonnet-4-5"
        )
    if active_days is not None and pattern is not Pattern.steady:
        raise UsageError("--active-days applies to --pattern steady only")
    if heavy_days and pattern is Pattern.bursty:
        raise UsageError("--heavy-days applies to --pattern steady or weekday (bursty has its heavy week)")
    factor = _money(heavy_factor, "--heavy-factor")
    if factor <= 0:
        raise UsageError("--heavy-factor must be more than 0")
    size = _money(request_usd, "--request-usd") if request_usd else DEFAULT_REQUEST_USD
    if size < MIN_REQUEST_USD:
        raise UsageError(f"--request-usd must be at least {MIN_REQUEST_USD} (a tenth of a cent)")
    daily = _money(spend, "--spend-per-day") if spend is not None else None
    first = _start_day(start, tz)
    # Refuse to build an absurd replay before building it (memory and minutes, not seconds): count
    # the calls the pattern would make, exactly, without making them.
    n = pattern_requests(
        pattern.value,
        first,
        horizon,
        spend_per_day=daily,
        tokens_per_day=tokens,
        request_usd=size,
        active_days=active_days,
        heavy_days=heavy_days,
        heavy_factor=factor,
    )
    if n > MAX_PATTERN_REQUESTS:
        raise UsageError(
            f"that pattern makes {n:,} requests over {horizon} days (limit {MAX_PATTERN_REQUESTS:,})",
            hint="describe bigger calls: raise --request-usd (spend mode) or shorten --horizon",
        )

    def build(price_model: str | None) -> Demand:
        price_fn = None
        if tokens is not None and price_model:
            from agentcost.pricing import cost

            price, _ = price_or_error(price_model)

            def price_fn(t: TokenCounts) -> Decimal:
                return cost(t, price).total

        return pattern_demand(
            pattern.value,
            first,
            tz,
            horizon_days=horizon,
            spend_per_day=daily,
            tokens_per_day=tokens,
            price_tokens=price_fn,
            request_usd=size,
            active_days=active_days,
            heavy_days=heavy_days,
            heavy_factor=factor,
            model=price_model,
        )

    def reprice(other: str) -> Demand | None:
        from agentcost.pricing import price_for

        if tokens is None or price_for(other) is None:
            return None  # a spend pattern is dollars, not tokens: nothing to re-price
        return build(other)

    return build(model), reprice


@contextmanager
def _status(message: str) -> Iterator[None]:
    """A spinner on stderr (terminals only) for work that may take a few seconds."""
    if getattr(sys.stderr, "isatty", lambda: False)():
        with err_console().status(message):
            yield
    else:
        yield


def recommend_cmd(
    pattern: Pattern | None = typer.Option(
        None, "--pattern", help="Describe usage instead of reading logs: steady | weekday | bursty."
    ),
    spend_per_day: str | None = typer.Option(
        None, "--spend-per-day", metavar="USD", help="Pattern: API-priced dollars on an ordinary active day."
    ),
    tokens_per_day: int | None = typer.Option(
        None,
        "--tokens-per-day",
        metavar="N",
        min=1,
        help="Pattern: tokens on an ordinary day (needs --model).",
    ),
    model: str | None = typer.Option(
        None, "--model", help="Pattern: the model that prices --tokens-per-day."
    ),
    request_usd: str | None = typer.Option(
        None, "--request-usd", metavar="USD", help="Pattern: size of one call in spend mode (default 0.05)."
    ),
    active_days: int | None = typer.Option(
        None, "--active-days", min=1, max=30, help="Steady pattern: active days per 30, evenly spaced."
    ),
    heavy_days: int = typer.Option(
        0,
        "--heavy-days",
        min=0,
        max=30,
        help="Steady/weekday: N active days per 30 are heavy (evenly spaced).",
    ),
    heavy_factor: str = typer.Option(
        "4", "--heavy-factor", metavar="F", help="How many ordinary days' work a heavy day holds."
    ),
    start: str | None = typer.Option(
        None, "--start", metavar="YYYY-MM-DD", help="Pattern: first day (default today)."
    ),
    days: int = typer.Option(30, "--days", min=1, max=365, help="Logs: days of history to replay."),
    horizon: int = typer.Option(30, "--horizon", min=1, max=365, help="Days to simulate (fees pro-rated)."),
    agent: AgentChoice = typer.Option(AgentChoice("all"), "--agent", help="Logs: which agent's logs."),
    as_model: str | None = typer.Option(
        None, "--as-model", metavar="MODEL", help="Logs: re-price every request at this model's API price."
    ),
    tz: str | None = typer.Option(
        None,
        "--tz",
        metavar="ZONE",
        help="Time zone of 'midnight' (IANA name, UTC or UTC+8; default: local; a plan may set its own).",
    ),
    plans_files: list[Path] = typer.Option(
        [], "--plans", metavar="FILE", help="Add or override plans (TOML, same schema; repeatable)."
    ),
    only: list[str] = typer.Option(
        [], "--plan", metavar="ID", help="Compare only these plan ids (repeatable)."
    ),
    max_blocked: str = typer.Option(
        "0",
        "--max-blocked",
        metavar="N|P%",
        help="Accept strategies refusing up to N requests (or P% of them, 0-100%).",
    ),
    switch_models: bool = typer.Option(
        False,
        "--switch-models",
        help="Let plans that need a model switch compete (priced at a model they serve).",
    ),
    json_out: bool = typer.Option(
        False, "--json", help="Every strategy's figures as JSON (stable, documented)."
    ),
) -> None:
    """Which billing plan is cheapest for your usage: replayed request by request, arithmetic shown.

    Demand comes from your Claude Code / Codex logs (the last --days, default 30, from your first
    record if the logs are younger; repeated to fill the --horizon when shorter), each request
    priced at its model's API price (or --as-model's). Requests on unpriced models are left out
    and listed, never counted as $0.

    Or describe it with --pattern (no logs needed). A day's spend is cut into calls of
    --request-usd ($0.05, about one agentic call of a Sonnet-class model), or a day's tokens
    into 50,000-token calls (1,000 input + 4,000 cache write + 44,000 cache read + 1,000 output)
    priced at --model; the calls are spread evenly over 09:00-17:00 local time:

      steady   every day (or --active-days N of 30, evenly spaced)
      weekday  Monday to Friday
      bursty   a heavy week at 4x the daily amount, then one ordinary day in each of the next
               two weeks and nothing else: the same monthly total as steady

    --heavy-days N makes N of every 30 days' active days (evenly spaced) hold --heavy-factor
    (default 4) ordinary days' work: a steady base with a few heavy days.

    Each plan becomes strategies: metered API (optionally with a hard daily cap); each
    subscription alone (past its limits: wait for the reset, or API-rate billing where the plan
    says so); PAYG packs alone (a pack is bought when the balance cannot pay the next request;
    packs last 90 days; the soonest-expiring is drained first); each subscription + its packs.
    Only plans serving the demand's models compete (a pattern without --model is taken to run on
    claude-sonnet-4-5, and says so); the others are replayed on your work re-priced at a model they
    serve, under "If you switch models", and compete only with --switch-models. The answer is the
    cheapest strategy refusing at most --max-blocked requests (default 0; ties: fewer refused,
    then strategy id), with the runner-up and the winners at half and twice your requests.

    Plans with unknown numbers are skipped and listed with the fields to supply and their
    break-even: the allowance per window they would need to beat the best fully-known strategy,
    next to your busiest window. Supply numbers in a TOML file passed with --plans (schema:
    docs/recommend.md; a shipped example: --plans example:seed).

    Examples:

      agentcost recommend
      agentcost recommend --days 14 --as-model deepseek-v4-pro
      agentcost recommend --pattern bursty --spend-per-day 3
      agentcost recommend --pattern steady --spend-per-day 1 --heavy-days 3 --heavy-factor 5
      agentcost recommend --pattern weekday --tokens-per-day 2000000 --model claude-sonnet-4-5
      agentcost recommend --plans example:seed --plan sub --plan pack --plan api
      agentcost recommend --plans my-offer.toml --plan my-offer --plan api --json
    """
    tzone = zone(tz)
    plans = load_plans(list(plans_files))
    unknown = [p for p in only if p not in plans]
    if unknown:
        raise UsageError(
            f"unknown plan id(s): {', '.join(unknown)}", hint=f"known: {', '.join(sorted(plans))}"
        )
    measured: list[MeasuredAllowance] = []
    measured_as_of = ""
    if pattern is not None:
        if as_model:
            raise UsageError("--as-model re-prices logs; with --pattern use --tokens-per-day N --model MODEL")
        demand, reprice = _pattern(
            pattern,
            tzone,
            start,
            horizon,
            spend_per_day,
            tokens_per_day,
            model,
            request_usd,
            active_days,
            heavy_days,
            heavy_factor,
        )
    else:
        given = [
            o for o, v in (("--spend-per-day", spend_per_day), ("--tokens-per-day", tokens_per_day)) if v
        ]
        given += [
            o
            for o, v in (
                ("--active-days", active_days),
                ("--heavy-days", heavy_days),
                ("--start", start),
                ("--request-usd", request_usd),
            )
            if v
        ]
        if given:
            verb = "describes" if len(given) == 1 else "describe"
            raise UsageError(
                f"{' and '.join(given) if len(given) <= 2 else ', '.join(given)} {verb} a pattern: "
                "add --pattern steady|weekday|bursty"
            )
        agents = log_readers(agent)
        with progress_bar("Reading logs") as bar:
            demand, reprice = demand_from_logs(agents, days, horizon, tzone, as_model, progress=bar)
        # The window sizes `agentcost limits` measures from the clients' own reports fill the plan
        # numbers no vendor publishes (a --plans file still wins; billing.measured.apply_measured).
        measured = from_limits(measured_allowances(agents))
        measured_as_of = date.today().isoformat()
    limit = _max_blocked(max_blocked)
    with _status(f"Replaying {len(demand.requests):,} requests against each plan"):
        rec = recommend(
            plans,
            demand,
            max_blocked=limit,
            only=set(only) or None,
            reprice=reprice,
            switch_models=switch_models,
            measured=measured,
            measured_as_of=measured_as_of,
        )
    if json_out:
        emit_json(recommendation_dict(rec, plans))
    else:
        render(rec, console(), plans)


def _price_arg(text: str, option: str, plans: Mapping[str, Plan]) -> tuple[Decimal, Plan | None]:
    """A price in USD, or a plan id whose price is known."""
    try:
        return _money(text, option), None
    except UsageError:
        pass
    p = plans.get(text.strip())
    if p is None or p.price is None or p.price.value is None:
        raise UsageError(f"{option}: neither an amount nor a plan with a known price: {text!r}")
    return p.price.value, p


ATLAS_RULE = "the Atlas Cloud Coding Plan documentation (May 2026)"


def _rule_caveat(old: Plan | None, new: Plan | None) -> tuple[str, str | None]:
    """Whose pro-rating rule this is, and a caveat where a plan's own rule is not known."""
    named = [p for p in (old, new) if p is not None]
    if not named:
        return ATLAS_RULE, (
            "the pro-rating rule is Atlas Cloud's; other vendors' rules may differ (name the plans "
            "with --from / --to to use theirs)"
        )
    unknown = [p for p in named if p.upgrade is None]
    if unknown:
        names = ", ".join(f"{p.name} ({p.id})" for p in unknown)
        return ATLAS_RULE, (
            f"the upgrade rule of {names} is not known to agentcost (no source); this is Atlas Cloud's "
            "pro-rating rule applied as an estimate: check with the vendor"
        )
    return "; ".join(dict.fromkeys(p.upgrade_source for p in named)), None


def upgrade_cost_cmd(
    old: str = typer.Option(
        ..., "--from", metavar="USD|PLAN", help="Current plan's price per period (or plan id)."
    ),
    new: str = typer.Option(
        ..., "--to", metavar="USD|PLAN", help="New plan's price per period (or plan id)."
    ),
    days_left: int | None = typer.Option(None, "--days-left", min=0, help="Days left in the current period."),
    expires: str | None = typer.Option(
        None, "--expires", metavar="YYYY-MM-DD", help="Current period's end date."
    ),
    today: str | None = typer.Option(
        None, "--today", metavar="YYYY-MM-DD", help="Upgrade date (default today)."
    ),
    period_days: int = typer.Option(30, "--period-days", min=1, help="Length of a billing period."),
    plans_files: list[Path] = typer.Option(
        [], "--plans", metavar="FILE", help="Add or override plans (TOML, as for recommend; repeatable)."
    ),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """What a mid-period upgrade costs: (new - old) x days left / 30, rounded half-up to cents.

    The rule is the Atlas Cloud Coding Plan documentation's (May 2026): pro-rated, the expiry date
    stays, no downgrade mid-period. A plan states its own rule in plans.toml (`upgrade =
    "prorated"`, with its source); for a plan whose rule is not known the answer carries a caveat.

    Examples:

      agentcost upgrade-cost --from 10 --to 20 --days-left 14            # $4.67
      agentcost upgrade-cost --from atlas-starter --to atlas-lite --today 2026-05-14 --expires 2026-05-28
    """
    plans = load_plans(list(plans_files))
    old_price, old_plan = _price_arg(old, "--from", plans)
    new_price, new_plan = _price_arg(new, "--to", plans)
    if old_plan and new_plan and old_plan.vendor != new_plan.vendor:
        raise UsageError(
            f"{old_plan.id} ({old_plan.vendor}) and {new_plan.id} ({new_plan.vendor}) are different "
            "vendors' plans: an upgrade stays with one vendor"
        )
    if (days_left is None) == (expires is None):
        raise UsageError("give exactly one of --days-left N or --expires YYYY-MM-DD")
    if expires is not None:
        try:
            end = date.fromisoformat(expires)
            start = date.fromisoformat(today) if today else date.today()
        except ValueError:
            raise UsageError("--expires / --today: use YYYY-MM-DD") from None
        days_left = (end - start).days
    assert days_left is not None
    try:
        amount = upgrade_cost(old_price, new_price, days_left, period_days)
    except ValueError as e:
        raise AgentcostError(str(e)) from None
    rule_source, caveat = _rule_caveat(old_plan, new_plan)
    if json_out:
        emit_json(
            {
                "from_usd": str(old_price),
                "to_usd": str(new_price),
                "days_left": days_left,
                "period_days": period_days,
                "upgrade_usd": str(amount),
                "formula": "(to - from) x days_left / period_days, rounded half-up to cents",
                "rule_source": rule_source,
                "caveat": caveat,
            }
        )
        return
    from agentcost.ui.recommend import render_upgrade

    old_name = old_plan.name if old_plan else None
    new_name = new_plan.name if new_plan else None
    names = f" ({old_name or '$' + str(old_price)} -> {new_name or '$' + str(new_price)})"
    render_upgrade(
        names, amount, old_price, new_price, days_left, period_days, rule_source, caveat, console()
    )


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend_cmd)
    # A separate command: it takes prices and dates, none of recommend's demand options.
    app.command("upgrade-cost")(upgrade_cost_cmd)
