"""Codex CLI: `setup` (config.toml + auth.json writer) and `diagnose` (doctor checks).

Thin I/O around pure parts: `codex_url` (base URL normalisation), `codex_config` (tomlkit merge,
auth.json content), `codex_checks` + `codex_auth_checks` (findings over a parsed `Snapshot`),
`codex_online` (probes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tomlkit

from agentcost.agents.codex.auth_checks import is_placeholder
from agentcost.agents.codex.checks import check_snapshot
from agentcost.agents.codex.config import (
    CHATGPT_KEYS,
    AuthMode,
    api_key_in,
    apply_provider,
    auth_json_problem,
    auth_secret_values,
    chatgpt_login,
    config_secret_values,
    new_auth,
    redact_auth_text,
    repair_tables,
    tidy_text,
    validate_profile_name,
    validate_table_id,
)
from agentcost.agents.codex.models import (
    is_openai_model,
    kept_key_notice,
    previous_provider,
    stale_model_notice,
)
from agentcost.agents.codex.online import bearer, probe
from agentcost.agents.codex.routing import routing_findings
from agentcost.agents.codex.shim import SHIM_SUPPRESSES, HealthProbe, plan_shim, shim_findings
from agentcost.agents.codex.snapshot import OPENAI_ROOT, AuthFile, ConfigFile, Snapshot, selections
from agentcost.agents.codex.url import normalize_base_url
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.online import Target
from agentcost.agents.results import SetupResult
from agentcost.agents.urls import has_scheme, insecure_http_warning
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import (
    detect_newline,
    dump_json,
    file_mode,
    parse_json,
    parse_toml,
    read_json_object,
    read_text,
    unified_diff,
    with_newlines,
    write_atomic,
)
from agentcost.paths import codex_home
from agentcost.providers import Provider, load_providers
from agentcost.secrets import mask, register, register_all

if TYPE_CHECKING:
    import httpx

AGENT = "codex"
PROFILE_SUFFIX = ".config.toml"


# ------------------------------------------------------------------------------------------ reading


def _read(path: Path, overrides: Mapping[Path, str]) -> tuple[str | None, str | None]:
    """(text, error): an override wins over the disk; unreadable files become an error string."""
    if path in overrides:
        return overrides[path], None
    try:
        return read_text(path), None
    except ConfigError as e:
        return None, e.message


def _config_file(path: Path, kind: str, overrides: Mapping[Path, str], name: str = "") -> ConfigFile:
    text, error = _read(path, overrides)
    if error is not None:
        return ConfigFile(path=str(path), kind=kind, error=error, name=name, readable=False)
    if text is None:
        return ConfigFile(path=str(path), kind=kind, name=name)
    try:
        data = parse_toml(text, path).unwrap()
    except ConfigError as e:
        return ConfigFile(path=str(path), kind=kind, error=e.message, name=name)
    # A planned (--dry-run) file keeps the mode of the one it replaces (write_atomic keeps it).
    return ConfigFile(path=str(path), kind=kind, data=data, name=name, mode=file_mode(path))


def _auth_file(path: Path, overrides: Mapping[Path, str]) -> AuthFile:
    text, error = _read(path, overrides)
    mode = 0o600 if path in overrides else file_mode(path)
    if error is not None:
        return AuthFile(path=str(path), exists=True, error=error, mode=mode)
    if text is None:
        return AuthFile(path=str(path))
    try:
        data = parse_json(text, path) if text.strip() else None
    except ConfigError as e:
        return AuthFile(path=str(path), exists=True, error=e.message, mode=mode)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a JSON {type(data).__name__}, not an object"
        return AuthFile(path=str(path), exists=True, error=f"{path} is {kind}", mode=mode)
    _register_secrets(data)
    return AuthFile(path=str(path), exists=True, data=data, mode=mode)


def _register_secrets(data: Mapping[str, Any]) -> None:
    """Register the key and login tokens of auth.json for scrubbing (not `auth_mode` and the like)."""
    for k, v in data.items():
        if isinstance(v, Mapping):
            _register_secrets(v)
        elif isinstance(v, str) and (k == "OPENAI_API_KEY" or "token" in k) and not is_placeholder(v):
            register(v)


def _project_configs(cwd: Path, home: Path) -> list[Path]:
    """`.codex/config.toml` in cwd and its parents up to the git root (Codex reads those too)."""
    out: list[Path] = []
    try:
        here = cwd.resolve()
        home_resolved = home.resolve()
    except OSError:
        return out
    for d in (here, *here.parents):
        candidate = d / ".codex"
        if candidate.resolve() != home_resolved and (candidate / "config.toml").is_file():
            out.append(candidate / "config.toml")
        if (d / ".git").exists():
            break
    else:
        out = out[:1]  # not in a git repository: Codex only looks at the working directory
    return out


def load_snapshot(env: Mapping[str, str], cwd: Path, overrides: Mapping[Path, str] | None = None) -> Snapshot:
    """Read everything the checks need. `overrides` replaces file contents (setup --dry-run)."""
    ov = dict(overrides or {})
    home = codex_home(env)
    base = _config_file(home / "config.toml", "base", ov)
    profile_paths = set(home.glob(f"*{PROFILE_SUFFIX}")) if home.is_dir() else set()
    profile_paths |= {p for p in ov if p.name.endswith(PROFILE_SUFFIX) and p.parent == home}
    profiles = tuple(
        _config_file(p, "profile", ov, name=p.name[: -len(PROFILE_SUFFIX)])
        for p in sorted(profile_paths)
        if p.name != "config.toml"
    )
    projects = tuple(_config_file(p, "project", ov) for p in _project_configs(cwd, home))
    try:
        catalog: Mapping[str, Provider] = load_providers(env)
    except AgentcostError:
        catalog = {}
    return Snapshot(
        base=base,
        auth=_auth_file(home / "auth.json", ov),
        env=env,
        profiles=profiles,
        projects=projects,
        catalog=catalog,
    )


# ----------------------------------------------------------------------------------------- diagnose


def online_targets(s: Snapshot) -> list[Target]:
    """One probe target per distinct (base_url, key source) that a layer selects."""
    out: dict[tuple[str, str], Target] = {}
    # An auth.json Codex cannot load sends nothing: probe without a key, as Codex would.
    auth_key = api_key_in(s.auth.data) if s.auth.data and auth_json_problem(s.auth.data) is None else None
    for sel in selections(s):
        if sel.table is None:
            if sel.provider_id != "openai" or chatgpt_login(s.auth.data):
                continue  # ChatGPT login / local built-ins: nothing a key probe can tell
            base, key, source = OPENAI_ROOT, auth_key, "auth.json"
        else:
            raw = sel.table.get("base_url")
            base = raw if isinstance(raw, str) else OPENAI_ROOT
            env_key = sel.table.get("env_key")
            if isinstance(env_key, str) and env_key:
                key, source = s.env.get(env_key) or None, f"${env_key}"
            elif sel.table.get("requires_openai_auth") is True:
                key, source = auth_key, "auth.json (requires_openai_auth)"
            else:
                key, source = None, "nowhere (no env_key / requires_openai_auth)"
        if not has_scheme(base):
            continue  # no scheme: Codex sends nothing either; reported offline already
        # Probe exactly what Codex would call (no normalisation: a missing /v1 must show as 404).
        if (base, source) not in out:
            out[(base, source)] = Target(
                base_url=base,
                credentials=bearer(key),
                key_source=source,
                model=sel.model,
                file=sel.table_file or sel.file,
                label=sel.label,
            )
    return list(out.values())


def diagnose(
    env: Mapping[str, str],
    cwd: Path,
    online: bool = False,
    *,
    transport: httpx.BaseTransport | None = None,
    overrides: Mapping[Path, str] | None = None,
    shim_probe: HealthProbe | None = None,
    probe_project_urls: bool = False,
) -> list[Finding]:
    """Check Codex's effective configuration; with `online`, probe each selected endpoint. A provider
    behind `agentcost shim` has its shim asked whether it answers (loopback, always).

    `probe_project_urls` is part of the one `diagnose` interface and changes nothing here: Codex
    ignores `model_provider` / `model_providers` in a project's .codex/config.toml (observed with
    Codex 0.171.0), so a repository cannot choose the URL that is probed with your key."""
    snap = load_snapshot(env, cwd, overrides)
    findings = check_snapshot(snap)
    shim, behind_shim = shim_findings(snap, dict(env), shim_probe)
    findings = [f for f in findings if not (f.code in SHIM_SUPPRESSES and f.file in behind_shim)] + shim
    findings += routing_findings(env)
    home = codex_home(env)
    if env.get("CODEX_HOME", "").strip() and not home.is_dir() and not overrides:
        findings.append(
            Finding(
                code="CODEX_HOME_MISSING",
                severity=Severity.WARNING,
                message=f"CODEX_HOME is set to {home}, which does not exist; Codex refuses to start until "
                "it does (`agentcost setup codex` creates it)",
                fix=f"mkdir -p {home} (or unset CODEX_HOME to use ~/.codex)",
                file=str(home),
                agent=AGENT,
            )
        )
    if online:
        settled: set[str | None] = set()
        for target in online_targets(snap):
            probed = probe(target, transport)
            findings += probed
            if target.model and any(f.code in ("CODEX_ONLINE_OK", "CODEX_ONLINE_NOT_FOUND") for f in probed):
                settled.add(target.file)  # the probe answered the Responses-API question for this file
        findings = [f for f in findings if not (f.code == "CODEX_RESPONSES_UNKNOWN" and f.file in settled)]
    return findings


# -------------------------------------------------------------------------------------------- setup


def default_auth(provider: Provider) -> AuthMode:
    """env for third-party providers (see docs/setup-codex.md); file for the built-in openai."""
    return "file" if provider.id == "openai" else "env"


def resolve_base_url(provider: Provider, base_url: str | None) -> tuple[str | None, list[str]]:
    """(base_url, notices): None for the built-in openai provider."""
    if provider.codex_base_url == "none":
        raise AgentcostError(
            f"provider {provider.id!r} ({provider.name}) cannot be used with Codex",
            hint="Codex speaks only the OpenAI Responses API; `agentcost providers` lists the usable ones",
        )
    if provider.id == "openai":
        if base_url:
            raise AgentcostError(
                "--base-url cannot be combined with the built-in openai provider",
                hint="for an OpenAI-compatible endpoint use --provider custom --base-url URL",
            )
        return None, []
    raw = base_url or (provider.codex_base_url if provider.known(provider.codex_base_url) else None)
    if not raw:
        raise AgentcostError(
            f"provider {provider.id!r} has no known Codex base URL", hint="give --base-url https://host/v1"
        )
    norm = normalize_base_url(
        raw, flag="--base-url" if base_url else f"catalog codex_base_url of {provider.id}"
    )
    notices = [f"base_url {norm.original!r} -> {norm.url!r}: {c}" for c in norm.changes]
    return norm.url, notices


def _display_name(provider: Provider, base_url: str) -> str:
    if provider.is_custom:
        from urllib.parse import urlsplit

        return f"Custom ({urlsplit(base_url).hostname or 'endpoint'})"
    return provider.name


def setup(
    provider: Provider,
    *,
    env: Mapping[str, str],
    cwd: Path,
    base_url: str | None = None,
    model: str | None = None,
    auth: AuthMode | None = None,
    env_key: str | None = None,
    key: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    confirm: Callable[[str], bool] = lambda _msg: False,
    shim_port: int | None = None,
) -> SetupResult:
    """Merge the provider into $CODEX_HOME/config.toml (or NAME.config.toml) and, for auth "file",
    auth.json. Raises before writing anything when an existing file is malformed.

    With `shim_port`, Codex is pointed at `agentcost shim` on 127.0.0.1:shim_port, whose settings
    (the provider's API root, the key's variable) are saved for `agentcost shim` to start with."""
    builtin = provider.id == "openai"
    if shim_port is not None:
        if builtin or auth == "file":
            raise AgentcostError(
                "--via-shim is for third-party Chat Completions providers with the key in a variable",
                hint="drop --auth file (the shim reads the key from --api-key-env VAR)"
                if not builtin
                else "the built-in openai provider serves the Responses API itself",
            )
        auth = "shim"
    auth = auth or default_auth(provider)
    if builtin and auth == "env":
        raise AgentcostError(
            "the built-in openai provider reads its key from auth.json, not from an env_key",
            hint="use --auth file (or `codex login --with-api-key`)",
        )
    url, notices = resolve_base_url(provider, base_url)
    table_id = provider.id if builtin else validate_table_id(provider.id)
    if not builtin and not model:
        raise AgentcostError(
            f"no model given and the catalog has no default model for {provider.id}",
            hint="give --model <model id as the provider names it>",
        )
    if auth == "file" and not builtin and not key:
        raise AgentcostError("--auth file needs the API key", hint="give --api-key-env VAR or --api-key KEY")
    env_var = env_key or provider.key_env
    result = SetupResult(agent=AGENT, provider=provider.id, dry_run=dry_run, notices=notices)
    shim = plan_shim(url, env_var, shim_port, env) if shim_port is not None and url else None
    upstream_url = url
    if shim is not None:
        result.notices += shim.notices
        url = shim.config.local_url
    if url and (w := insecure_http_warning(url)):
        result.warnings.append(w)
    responses_warning = ""
    if not builtin and provider.responses_api != "yes" and shim is None:
        who = _display_name(provider, url or "")
        responses_warning = (
            f"{who} {'does NOT serve' if provider.responses_api == 'no' else 'is not known to serve'} "
            "the OpenAI Responses API (catalog: "
            f"{provider.responses_api}, {provider.as_of}). Current Codex speaks nothing else (wire_api = "
            f'"chat" was removed in Feb 2026): if {who} only offers Chat Completions, every Codex '
            f"request fails with 404 on {url}/responses. Check with `agentcost doctor codex --online`; "
            "if so, re-run with --via-shim (agentcost shim translates)."
        )
        result.warnings.append(responses_warning)

    home = codex_home(env)
    if profile is not None:
        profile = validate_profile_name(profile)
        config_path = home / f"{profile}{PROFILE_SUFFIX}"
    else:
        config_path = home / "config.toml"
    doc, old_text = _read_config(config_path)
    prev_id, prev_used_auth_json = previous_provider(doc)
    changes = apply_provider(
        doc,
        path=str(config_path),
        table_id=table_id,
        name=f"{_display_name(provider, upstream_url or '')} via agentcost shim"
        if shim
        else (_display_name(provider, url) if url else provider.name),
        base_url=url,
        model=model,
        auth=auth,
        env_key=env_var,
    )
    result.notices += [c for c in changes if "experimental_bearer_token" in c]
    stale = doc.get("model") if builtin and model is None else None
    if isinstance(stale, str) and not is_openai_model(stale):
        del doc["model"]  # a previous provider's id: api.openai.com would reject it
        changes.append(f"removed model = {stale!r}")
        result.notices.append(stale_model_notice(stale))
    else:
        stale = None
    repaired = repair_tables(doc, path=str(config_path))
    result.notices += repaired
    changes += repaired
    new_text = tidy_text(tomlkit.dumps(doc)) if changes else (old_text or "")
    new_text = with_newlines(new_text, detect_newline(old_text)) if changes else new_text
    planned: dict[Path, str] = {config_path: new_text} if changes or old_text is None else {}

    auth_path = home / "auth.json"
    if auth == "file" and key:
        auth_text = _plan_auth(auth_path, key, url, dry_run, confirm, result)
        if auth_text is not None:
            planned[auth_path] = auth_text
    elif auth == "env":
        notices, result.shell_lines, unset = _env_notices(env_var, key, env)
        result.notices += notices
        if unset:
            result.expected_in = str(config_path)
            result.expected["CODEX_ENV_KEY_UNSET"] = (
                f"${env_var} is not exported in this shell yet; add the export line above to your shell "
                "profile and open a new shell"
            )
    elif shim is not None:
        planned[Path(shim.path)] = shim.text
        result.expected.update(shim.expected)
        result.expected_in = str(config_path)
    if builtin and model is None and stale is None:
        result.notices.append("model left as it is (give --model to set it)")
    if builtin and auth == "file" and not key and prev_id not in (None, "openai"):
        _kept_key_notice(auth_path, prev_id, prev_used_auth_json, result)

    for path, text, old, backup in write_steps(planned, auth_path, config_path):
        written = write_atomic(path, text, secret=path.name == "auth.json", dry_run=dry_run, backup=backup)
        if path.name == "auth.json" and written.diff:
            # Mask every token and key of the old and new file (a ChatGPT login's access/refresh/id
            # tokens are never registered keys), then diff: the structure shows, no secret does.
            register_all(auth_secret_values(old))
            written = replace(written, diff=_masked_auth_diff(old, text, path))
        earlier = next((i for i, w in enumerate(result.writes) if w.path == path), None)
        if earlier is not None:  # auth.json's neutral step: one entry, with the backup of the original
            first = result.writes.pop(earlier)
            written = replace(written, backup=first.backup, created=first.created)
        result.writes.append(written)
    if not planned:
        result.writes.append(write_atomic(config_path, old_text or "", dry_run=dry_run, old_text=old_text))
    result.summary = {
        "file": str(config_path),
        "model_provider": table_id,
        "model": model or ("(removed: Codex default)" if stale else "(unchanged)"),
        "base_url": url or f"{OPENAI_ROOT} (built-in)",
        "auth": f"env (env_key = {env_var})"
        if auth == "env"
        else f"file (requires_openai_auth, {auth_path})",
    }
    if shim is not None:
        result.summary["base_url"] = f"{url} (agentcost shim -> {upstream_url}/chat/completions)"
        result.summary["auth"] = f"the shim's: ${env_var}; Codex sends none"
    result.findings = diagnose(env, cwd, overrides=planned if dry_run else None)
    if shim is not None and dry_run:
        result.findings = [f for f in result.findings if f.code not in SHIM_SUPPRESSES]
    if responses_warning and any(f.code == "CODEX_RESPONSES_UNKNOWN" for f in result.findings):
        result.warnings.remove(responses_warning)  # said once, by the finding
    return result


def write_steps(
    planned: Mapping[Path, str], auth_path: Path, config_path: Path
) -> list[tuple[Path, str, str | None, bool]]:
    """The writes of a Codex set-up as (path, text, original text, backup?), in a safe order.

    Codex sends auth.json's key to whatever provider config.toml names (requires_openai_auth, or the
    built-in openai). So no intermediate state may pair a key with the wrong host: config.toml is
    written before the new key, and when auth.json already holds a key or login, that secret is first
    removed (`"OPENAI_API_KEY": null`: Codex then sends nothing) so it never meets the new host either.
    A kill after any step leaves Codex sending no key, or the right key to the right host.
    """
    # Other files (the shim's settings of --via-shim) first: config.toml then never points Codex at a
    # shim whose settings are missing.
    steps: list[tuple[Path, str, str | None, bool]] = [
        (p, t, read_text(p), True) for p, t in planned.items() if p not in (auth_path, config_path)
    ]
    auth_text = planned.get(auth_path)
    auth_old = read_text(auth_path) if auth_text is not None else None
    if auth_text is not None and config_path in planned and auth_secret_values(auth_old):
        try:
            current = json.loads(auth_old or "")
        except ValueError:
            current = None
        neutral = {**new_auth(current if isinstance(current, dict) else None, ""), "OPENAI_API_KEY": None}
        steps.append((auth_path, dump_json(neutral, detect_newline(auth_old)), auth_old, True))
    if config_path in planned:
        steps.append((config_path, planned[config_path], read_text(config_path), True))
    if auth_text is not None:
        steps.append((auth_path, auth_text, auth_old, not any(step[0] == auth_path for step in steps)))
    return steps


def _kept_key_notice(path: Path, prev_id: str | None, prev_used: bool, result: SetupResult) -> None:
    """Say (masked) that the API key kept in auth.json now goes to api.openai.com."""
    try:
        existing, _text = read_json_object(path)
    except ConfigError:
        return  # malformed: the doctor checks afterwards report it
    key = api_key_in(existing)
    if key is None:
        return
    register(key)
    msg = kept_key_notice(key, prev_id, prev_used)
    (result.warnings if prev_used else result.notices).append(msg)


def _masked_auth_diff(old: str | None, new: str, path: Path) -> str:
    """A unified diff of auth.json in which every token and key is masked before diffing."""
    return unified_diff(redact_auth_text(old), redact_auth_text(new) or "", path, mask_fields=False)


def _read_config(path: Path) -> tuple[tomlkit.TOMLDocument, str | None]:
    text = read_text(path)
    if text is None:
        return tomlkit.document(), None
    doc = parse_toml(text, path)
    register_config_secrets(doc.unwrap())
    return doc, text


def register_config_secrets(data: Mapping[str, Any]) -> None:
    """Secrets that can sit in config.toml (bearer tokens, header values, a key pasted into env_key)
    are registered before any diff of the file is shown, so context lines are masked too."""
    for value in config_secret_values(data):
        register(value)


def _plan_auth(
    path: Path,
    key: str,
    host_url: str | None,
    dry_run: bool,
    confirm: Callable[[str], bool],
    result: SetupResult,
) -> str | None:
    """The new auth.json text (None = already holds this key); asks before replacing a ChatGPT login."""
    existing, old_text = read_json_object(path)  # malformed -> ConfigError, nothing written
    register_all(auth_secret_values(old_text))  # login tokens too: masked in every message and diff
    wanted = new_auth(existing, key)
    if existing == wanted:
        return None
    if chatgpt_login(existing):
        if host_url is None:  # the built-in openai provider: the login is OpenAI's own, no leak
            why = (
                "Replacing it with the API key logs Codex out of ChatGPT mode: usage is then billed per "
                "API token instead of your ChatGPT plan. The old file is backed up next to it."
            )
        else:
            why = (
                "Replacing it with the API key logs Codex out of ChatGPT mode (auth.json is global: the "
                "built-in openai provider uses it too); keeping it with requires_openai_auth would send "
                f"your ChatGPT token to {host_url}. The old file is backed up next to it. --auth env "
                "leaves auth.json alone."
            )
        msg = f"{path} holds a ChatGPT login. {why}"
        if dry_run:
            result.warnings.append(msg)
        elif not confirm(msg):
            raise AgentcostError(
                f"{path} holds a ChatGPT login; not replaced, nothing written",
                hint=f"{why} Re-run with --yes to replace it.",
            )
        else:
            result.notices.append("replaced the ChatGPT login in auth.json by the API key (backup kept)")
    elif existing and (problem := auth_json_problem(existing)) is not None:
        result.notices.append(
            f"auth.json could not be loaded by Codex ({problem[1]}), so Codex ignored all of it and sent "
            "no key; replaced by a clean API-key auth.json (backup kept)"
        )
    elif existing and any(k in existing for k in CHATGPT_KEYS):
        result.notices.append(
            "removed the leftover ChatGPT login entries from auth.json (unused in API-key mode; backup kept)"
        )
    elif (old_key := api_key_in(existing)) and old_key != key:
        result.notices.append(
            f"auth.json held another API key ({mask(old_key)}); it serves every provider with "
            "requires_openai_auth, including the built-in openai one. Replaced (backup kept)."
        )
    return dump_json(wanted, detect_newline(old_text))


def _env_notices(var: str, key: str | None, env: Mapping[str, str]) -> tuple[list[str], list[str], bool]:
    """(notices, shell lines to copy, variable unset?) for --auth env. The export line never carries a
    key, masked or not: a masked key pasted into a profile would set a broken one."""
    current = env.get(var)
    unset = not (current and current.strip())
    if not unset:
        register(current)
        differs = key and (current or "").strip() != key
        same = f" but holds a different key ({mask(current)})" if differs else ""
        notices = [f"${var} is set in this shell{same}"]
    else:
        notices = [f'${var} is NOT set in this shell: Codex would exit with "Missing environment variable"']
    notices.append(
        f"the key is stored nowhere by agentcost: Codex reads it from ${var} (env_key). Add this line "
        "to your shell profile (~/.bashrc, ~/.zshrc, …), with your full key in place of <your key>:"
    )
    shell = [f'export {var}="<your key>"']
    return notices, shell, unset


# ------------------------------------------------------------------------------ plan -> apply


@dataclass(frozen=True)
class SetupRequest:
    """What `agentcost setup codex` was asked for (the agent-specific part of the setup interface)."""

    provider: Provider
    base_url: str | None = None
    model: str | None = None
    auth: AuthMode | None = None
    env_key: str | None = None
    key: str | None = None
    profile: str | None = None
    confirm: Callable[[str], bool] = lambda _msg: False  # may a ChatGPT login in auth.json be replaced?
    shim_port: int | None = None  # route through `agentcost shim` on this loopback port


@dataclass
class CodexPlan:
    """What setup would write: the dry run of the request (files, diffs, notes, checks)."""

    request: SetupRequest
    preview: SetupResult

    @property
    def changed(self) -> bool:
        return self.preview.changed

    def diffs(self) -> str:
        return "".join(w.diff for w in self.preview.writes if w.changed and w.diff)


def _run(req: SetupRequest, env: Mapping[str, str], cwd: Path, dry_run: bool) -> SetupResult:
    return setup(
        req.provider,
        env=env,
        cwd=cwd,
        base_url=req.base_url,
        model=req.model,
        auth=req.auth,
        env_key=req.env_key,
        key=req.key,
        profile=req.profile,
        dry_run=dry_run,
        confirm=req.confirm,
        shim_port=req.shim_port,
    )


def plan_setup(req: SetupRequest, env: Mapping[str, str], cwd: Path, *, dry_run: bool = False) -> CodexPlan:
    """Compute what setup would write (nothing is written)."""
    return CodexPlan(req, _run(req, env, cwd, dry_run=True))


def apply_plan(plan: CodexPlan, env: Mapping[str, str], cwd: Path, *, dry_run: bool = False) -> SetupResult:
    """Write the plan (recomputed against the files as they are now), then check the result; a dry
    run returns the plan's preview."""
    return plan.preview if dry_run else _run(plan.request, env, cwd, dry_run=False)
