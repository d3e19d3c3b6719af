"""`agentcost shim`: let Codex use a provider that only serves Chat Completions."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from agentcost.agents.keys import validate_env_var_name
from agentcost.clikit import new_typer
from agentcost.errors import AgentcostError, UsageError
from agentcost.secrets import mask
from agentcost.ui.console import console, err_console
from agentcost.ui.setup import render_write

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from agentcost.shim.config import ShimConfig
    from agentcost.shim.route import Route, Upstream
    from agentcost.shim.routing import RoutingRules

shim_app = new_typer()  # help: the callback's docstring


def _resolve(
    upstream: str | None,
    api_key_env: str | None,
    port: int | None,
    host: str | None,
    model: str | None,
) -> ShimConfig:
    from agentcost.shim import config

    saved = config.load()
    if upstream is None and saved is None:
        raise UsageError(
            "--upstream is required (no saved settings in " + str(config.config_path()) + ")",
            hint="agentcost shim --upstream https://api.provider.com/v1 --api-key-env PROVIDER_API_KEY",
        )
    if upstream is None and saved is not None:
        upstream, api_key_env = saved.upstream, api_key_env or saved.api_key_env
        port = port if port is not None else saved.port
        host = host or (saved.host if saved.host != config.LOOPBACK else None)
        model = model or saved.model
    if not api_key_env:
        raise UsageError(
            "--api-key-env is required", hint="the NAME of the variable holding the provider's key"
        )
    return config.ShimConfig(
        upstream=config.normalize_upstream(upstream or ""),
        api_key_env=validate_env_var_name(api_key_env),
        port=config.DEFAULT_PORT if port is None else port,
        host=host or config.LOOPBACK,
        model=model or None,
    )


@shim_app.callback(invoke_without_command=True, no_args_is_help=False)
def shim_cmd(
    ctx: typer.Context,
    upstream: str | None = typer.Option(
        None,
        "--upstream",
        metavar="URL",
        help="The provider's OpenAI-compatible API root (the shim calls URL/chat/completions). A bare host "
        "gets /v1. Default: the saved settings of `setup codex --via-shim`.",
    ),
    api_key_env: str | None = typer.Option(
        None, "--api-key-env", metavar="VAR", help="Environment variable holding the provider's key."
    ),
    port: int | None = typer.Option(
        None, "--port", min=0, max=65535, help="Port to listen on (default 8765; 0 = any)."
    ),
    host: str | None = typer.Option(
        None,
        "--host",
        help="Address to bind (default 127.0.0.1). Anything else lets the network use your key: warned.",
    ),
    model: str | None = typer.Option(
        None, "--model", help="Send every request to this model, whatever Codex asks."
    ),
    max_request_mb: float = typer.Option(
        32.0, "--max-request-mb", min=0.1, help="Refuse larger requests (413)."
    ),
    env_file: Path | None = typer.Option(
        None,
        "--env-file",
        metavar="FILE",
        help="Read VAR=value lines (mode 0600) before starting: for services.",
    ),
    rules_file: Path | None = typer.Option(
        None,
        "--rules",
        metavar="FILE",
        help="Cost routing rules (default: routing.toml in agentcost's config dir; see docs/routing.md).",
    ),
) -> None:
    """Let Codex use a Chat-Completions-only provider: serve the Responses API on 127.0.0.1.

    Runs in the foreground: Codex -> 127.0.0.1:PORT/v1/responses -> the provider's /chat/completions,
    translated both ways (streaming passes through as it arrives). See docs/shim.md.

    Examples:

      export DEEPSEEK_API_KEY=...
      agentcost shim --upstream https://api.deepseek.com/v1 --api-key-env DEEPSEEK_API_KEY --port 8765

      agentcost setup codex --provider deepseek --via-shim --yes   # points Codex at it, saves settings
      agentcost shim                                               # then runs with the saved settings

      agentcost shim install-service    # a systemd user unit / launchd agent running it at login

    Prints where it listens, then one line per request (model, status, time, tokens); the key is
    never printed. Stop with Ctrl-C.
    """
    if ctx.invoked_subcommand is not None:
        return
    from agentcost.shim import config, routing, server
    from agentcost.shim.route import Upstream

    env = dict(os.environ)
    if env_file is not None:
        env.update(config.read_env_file(env_file))
    cfg = _resolve(upstream, api_key_env, port, host, model)
    key = (env.get(cfg.api_key_env) or "").strip()
    if not key:
        raise AgentcostError(
            f"${cfg.api_key_env} is not set: the shim has no key for {cfg.upstream}",
            hint=f'export {cfg.api_key_env}="<your key>" (or a line {cfg.api_key_env}=<your key> in a 0600 '
            "--env-file)",
        )
    server.register_key(key)
    if cfg.host not in (config.LOOPBACK, "localhost", "::1"):
        err_console().print(
            f"[yellow]warning:[/] binding {cfg.host}: anyone who can reach this address can use your "
            f"{cfg.upstream} key through the shim (it has no authentication). Keep the default 127.0.0.1 "
            "unless you know why."
        )
    try:
        sock = server.bind(cfg.host, cfg.port)
    except OSError as e:
        raise AgentcostError(
            f"cannot listen on {cfg.host}:{cfg.port}: {e.strerror or e}",
            hint="another shim may already run (`agentcost doctor codex`), or pick another --port",
        ) from None
    actual = sock.getsockname()[1]
    cfg = config.ShimConfig(cfg.upstream, cfg.api_key_env, actual, cfg.host, cfg.model)
    up = Upstream(root=cfg.upstream, api_key=key, api_key_env=cfg.api_key_env)
    rules = routing.load_rules(env, rules_file)
    extra = _named_upstreams(rules, env)
    settings = server.ShimSettings(
        router=routing.make_router(rules, up, extra, cfg.model),
        upstream_host=up.host,
        max_request_bytes=int(max_request_mb * 1024 * 1024),
        on_routed=_record_route if rules.active else None,
    )
    console().print(
        f"agentcost shim listening on {cfg.local_url} -> {cfg.upstream}/chat/completions "
        f"(key from ${cfg.api_key_env}: {mask(key)}). Ctrl-C stops it.",
        soft_wrap=True,
        highlight=False,
    )
    for line in routing.summary(rules, extra, cfg.model):
        console().print(line, soft_wrap=True, highlight=False, markup=False)
    import sys

    sys.stdout.flush()
    server.serve(server.build_app(settings), sock)


def _named_upstreams(rules: RoutingRules, env: dict[str, str]) -> dict[str, Upstream]:
    from agentcost.shim import config
    from agentcost.shim.route import Upstream

    out: dict[str, Upstream] = {}
    for name, nu in rules.upstreams.items():
        key = (env.get(nu.api_key_env) or "").strip()
        if not key and rules.active:
            raise AgentcostError(
                f"${nu.api_key_env} is not set: the shim has no key for upstream {name!r} ({nu.url}) of "
                f"{rules.path}",
                hint=f'export {nu.api_key_env}="<its key>" (or a line in the --env-file)',
            )
        out[name] = Upstream(
            root=config.normalize_upstream(nu.url), api_key=key or None, api_key_env=nu.api_key_env
        )
    return out


def _record_route(route: Route, response_id: str, usage: Mapping[str, Any] | None) -> None:
    from agentcost.shim import routelog

    routed = route.would_model if route.dry_run else route.model
    routelog.append(
        routelog.make_line(
            response_id=response_id,
            asked=route.asked or "",
            routed=routed or "",
            upstream=(route.would_upstream or "") if route.dry_run else route.upstream.host,
            rule=route.rule or "",
            dry_run=route.dry_run,
            usage=usage,
        )
    )


@shim_app.command("install-service")
def install_service_cmd(
    upstream: str | None = typer.Option(None, "--upstream", metavar="URL", help="As for `agentcost shim`."),
    api_key_env: str | None = typer.Option(
        None, "--api-key-env", metavar="VAR", help="As for `agentcost shim`."
    ),
    port: int | None = typer.Option(None, "--port", min=1, max=65535, help="As for `agentcost shim`."),
    model: str | None = typer.Option(None, "--model", help="As for `agentcost shim`."),
    kind: str | None = typer.Option(
        None, "--kind", help="systemd (Linux user unit) or launchd (macOS agent); default: this system's."
    ),
    store_key: bool = typer.Option(
        False,
        "--store-key",
        help="Also write the key from $VAR into the service's env file (mode 0600); otherwise you write it.",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be written."),
) -> None:
    """Write a systemd user unit (or a launchd agent) that runs the shim at login. Starts nothing.

    The service reads the key from <config dir>/shim.env (VAR=<key>, mode 0600), since services do
    not see your shell's exports. Prints the commands that enable and start it.
    """
    from agentcost.fileio import write_atomic
    from agentcost.shim import service

    cfg = _resolve(upstream, api_key_env, port, None, model)
    chosen = kind or service.default_kind()
    if chosen not in ("systemd", "launchd"):
        raise UsageError(f"--kind {chosen!r}: use systemd or launchd")
    env = dict(os.environ)
    sf = service.service_file(cfg, chosen, env)
    render_write(write_atomic(sf.path, sf.text, dry_run=dry_run))
    env_file = service.env_file_path(env)
    if store_key:
        key = (env.get(cfg.api_key_env) or "").strip()
        if not key:
            raise AgentcostError(f"--store-key: ${cfg.api_key_env} is not set in this shell")
        from agentcost.secrets import register

        register(key)
        render_write(write_atomic(env_file, f"{cfg.api_key_env}={key}\n", secret=True, dry_run=dry_run))
    out = console()
    if not store_key:
        out.print(
            f"Put your key in {env_file} (one line: {cfg.api_key_env}=<your key>), then chmod 600 it.",
            soft_wrap=True,
            highlight=False,
        )
    out.print("Start it with:", highlight=False)
    for line in sf.start:
        out.print(f"  {line}", soft_wrap=True, highlight=False)
    out.print(f"Check it with: agentcost doctor codex   (Codex's base_url: {cfg.local_url})", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(shim_app, name="shim", help=inspect.cleandoc(shim_cmd.__doc__ or ""))
