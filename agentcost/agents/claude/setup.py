"""Claude Code: write the settings.json `env` block for a provider, and check it (`diagnose`).

`setup` = `plan_setup()` (reads the files, computes the merged JSON; no writes) + `apply_plan()`
(writes with backup/atomic rename/0600, then runs the checks on the result). The checks live in
`claude_checks.py` (offline; settings locations and precedence in `claude_settings.py`) and
`claude_online.py` (`--online`); `diagnose` is re-exported here
because `doctor` calls `agentcost.agents.claude.diagnose`.

Where things go (observed with Claude Code 2.1.197 against a local stub, agentcost e2e tests):
  --scope user     $CLAUDE_CONFIG_DIR/settings.json (default ~/.claude/settings.json): everything
  --scope project  <git root>/.claude/settings.json (shared, committed): URL, models, flags — never
                   the key; the key (and a pinned copy of the URL, so a later change to the committed
                   file cannot redirect it) goes to .claude/settings.local.json (git-ignored)
  --scope local    <git root>/.claude/settings.local.json: everything
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlunsplit

from agentcost.agents.claude.checks import check, diagnose
from agentcost.agents.claude.guard import Protection, overridden_here, override_warnings, protect_local
from agentcost.agents.claude.settings import (
    API_KEY,
    AUTH_TOKEN,
    BASE_URL,
    CRED_VARS,
    DISABLE_BETAS,
    DISABLE_TRAFFIC,
    FAST_SLOTS,
    MAIN_SLOTS,
    MODEL_VARS,
    SCOPES,
    SettingsFile,
    is_third_party,
    load_sources,
    openai_suffix,
    project_root,
    settings_from_data,
    settings_path,
)
from agentcost.agents.findings import Finding
from agentcost.agents.results import SetupResult
from agentcost.agents.urls import insecure_http_warning, split_url
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import (
    SECRET_MODE,
    WriteResult,
    file_mode,
    read_json_object,
    resolve_target,
    unified_diff,
    write_atomic,
)
from agentcost.jsonedit import render_object, set_member
from agentcost.providers import UNKNOWN, Provider
from agentcost.safepath import check_write_target
from agentcost.secrets import mask, register

__all__ = [
    "SCOPES",
    "ClaudePlan",
    "SetupRequest",
    "apply_plan",
    "diagnose",
    "normalize_base_url",
    "plan_setup",
]


# --------------------------------------------------------------------------------------------- pure


def normalize_base_url(url: str) -> tuple[str, str | None]:
    """Return (normalised URL, notice or None). Pure; raises AgentcostError for an unusable URL.

    Strips trailing slashes and a trailing /v1 or /v1/messages (repeatedly, case-insensitively),
    because Claude Code appends /v1/messages itself; keeps provider prefixes such as /anthropic and
    the scheme, host and port as given. Refuses a URL without http(s) scheme, with credentials
    (user:pass@), a query or a fragment.
    """
    parts = split_url(url)
    if "@" in parts.netloc:
        raise AgentcostError(
            "--base-url must not contain credentials (user:password@host)",
            hint="give the key with --api-key-env; the URL is stored and shown in clear",
        )
    if parts.query or parts.fragment:
        raise AgentcostError(
            "--base-url must not contain a query (?…) or fragment (#…)",
            hint="give only scheme://host[:port][/prefix], e.g. https://api.deepseek.com/anthropic",
        )
    endpoint = openai_suffix(url)
    if endpoint:
        raise AgentcostError(
            f"--base-url ends in {endpoint}, an OpenAI-style endpoint; Claude Code needs an "
            "Anthropic-compatible base URL (it appends /v1/messages)",
            hint="see `agentcost providers` for each provider's Claude Code URL (often …/anthropic)",
        )
    path = parts.path
    while True:
        new = path.rstrip("/")
        low = new.lower()
        if low.endswith("/v1/messages"):
            new = new[: -len("/v1/messages")]
        elif low.endswith("/v1"):
            new = new[: -len("/v1")]
        if new == path:
            break
        path = new
    original = url.strip()
    scheme = original.split(":", 1)[0]  # as typed (urlsplit lower-cases it)
    result = urlunsplit((scheme, parts.netloc, path, "", ""))
    if result == original:
        return result, None
    dropped = original[len(result) :] if original.startswith(result) else None
    why = (
        "Claude Code appends /v1/messages itself; a base URL ending in /v1 would call /v1/v1/messages (404)"
        if path != parts.path.rstrip("/")
        else "trailing slash removed"
    )
    detail = f" (dropped {dropped!r})" if dropped else ""
    return result, f"base URL normalised to {result}{detail}: {why}"


def build_env(
    provider: Provider, base_url: str | None, key: str, main: str | None, fast: str | None
) -> dict[str, str]:
    """The `env` entries to write, in a stable, readable order. Pure."""
    auth_var = provider.claude_auth_var if provider.claude_auth_var in CRED_VARS else AUTH_TOKEN
    env: dict[str, str] = {}
    if base_url:
        env[BASE_URL] = base_url
    env[auth_var] = key
    if provider.claude_blank_api_key and auth_var != API_KEY:
        # OpenRouter's instruction: an empty ANTHROPIC_API_KEY shadows one exported in the shell.
        env[API_KEY] = ""
    if main:
        for var in MAIN_SLOTS:
            env[var] = main
    if fast:
        for var in FAST_SLOTS:
            env[var] = fast
    if base_url and is_third_party(base_url):
        env[DISABLE_BETAS] = "1"
        env[DISABLE_TRAFFIC] = "1"
    return env


def _insert_after(d: Mapping[str, str], after: str, key: str, value: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        out[k] = v
        if k == after:
            out[key] = value
    return out


def merge_env(
    data: Mapping[str, Any] | None, set_vars: Mapping[str, str], remove: Iterable[str]
) -> dict[str, Any]:
    """A copy of `data` with its `env` block updated. Pure; order of keys and env entries preserved.

    Existing entries are updated in place, new ones appended, `remove` dropped; everything else
    (permissions, hooks, other env entries) is carried over unchanged.
    """
    out = dict(data or {})
    raw_env = out.get("env")
    env: dict[str, Any] = dict(raw_env) if isinstance(raw_env, dict) else {}
    for k in remove:
        if k not in set_vars:  # a key being set keeps its place
            env.pop(k, None)
    for k, v in set_vars.items():
        env[k] = v
    out["env"] = env
    return out


# ------------------------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class SetupRequest:
    provider: Provider
    key: str
    base_url: str | None = None
    model: str | None = None
    fast_model: str | None = None
    scope: str = "user"


@dataclass
class FilePlan:
    scope: str
    path: Path
    old_text: str | None
    old_data: dict[str, Any] | None
    new_data: dict[str, Any]
    secret: bool
    set_vars: dict[str, str] = field(default_factory=dict)  # what this run sets in the file

    @property
    def changed(self) -> bool:
        return self.old_data != self.new_data

    @property
    def new_text(self) -> str:
        """The file after the change: only the `env` member's text is replaced when possible."""
        if not self.changed:
            return self.old_text or ""
        if self.old_text and self.old_text.strip():
            spliced = set_member(self.old_text, "env", self.new_data["env"], self.new_data)
            if spliced is not None:
                return spliced
        return render_object(self.new_data, self.old_text)


@dataclass
class ClaudePlan:
    provider: str
    files: list[FilePlan] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    key_in_repo: bool = False  # the key goes to .claude/settings.local.json: it must be git-ignored

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def diffs(self) -> str:
        return "".join(unified_diff(f.old_text, f.new_text, f.path) for f in self.files if f.changed)


def _read(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    data, text = read_json_object(path)  # ConfigError (file:line:col) for malformed JSON
    if data is not None and data.get("env") is not None and not isinstance(data["env"], dict):
        raise ConfigError(
            f'"env" is a {type(data["env"]).__name__}, expected an object',
            path=path,
            hint="fix the file by hand; nothing was written",
        )
    return data, text


def resolve_models(
    provider: Provider, model: str | None, fast: str | None
) -> tuple[str | None, str | None, str | None]:
    """(main, fast, notice). "" in the catalog = client default (write nothing); unknown needs --model."""
    main = model or (provider.main_model if provider.main_model != UNKNOWN else None)
    if main is None:
        raise AgentcostError(
            f"the catalog has no default model for {provider.id}",
            hint="give --model (and --fast-model) with the provider's model ids",
        )
    notice = None
    if not fast:
        if provider.fast_model not in ("", UNKNOWN):
            fast = provider.fast_model
        else:
            fast = main
            notice = (
                f"no fast model given and none in the catalog for {provider.id}: the haiku slot and "
                f"background tasks use {main} too (pass --fast-model for a cheaper one)"
            )
    return (main or None), (fast or None), notice


def plan_setup(req: SetupRequest, env: Mapping[str, str], cwd: Path, *, dry_run: bool = False) -> ClaudePlan:
    """Compute what `setup claude` would write. Reads files, writes nothing. Raises on bad input."""
    if req.scope not in SCOPES:
        raise AgentcostError(f"unknown scope {req.scope!r}", hint="use user, project or local")
    register(req.key)
    p = req.provider
    plan = ClaudePlan(provider=p.id)

    if req.base_url:
        base_url: str | None
        base_url, note = normalize_base_url(req.base_url)
        if note:
            plan.notices.append(note)
        if p.claude_base_url not in ("", UNKNOWN, "none") and base_url != p.claude_base_url:
            plan.notices.append(f"--base-url overrides the catalog's {p.claude_base_url} for {p.id}")
    elif p.claude_base_url == UNKNOWN:
        raise AgentcostError(
            f"provider {p.id!r} needs --base-url", hint="e.g. --base-url https://llm.example.com"
        )
    elif p.claude_base_url == "":
        base_url = None
    else:
        base_url, note = normalize_base_url(p.claude_base_url)
        if note:
            plan.notices.append(f"catalog entry {p.id}: {note}")
    if base_url:
        warning = insecure_http_warning(base_url)
        if warning:
            plan.warnings.append(warning)

    if p.main_model == "" and not req.model:
        main, fast, note = None, req.fast_model, None
    else:
        main, fast, note = resolve_models(p, req.model, req.fast_model)
    if note:
        plan.notices.append(note)
    new_env = build_env(p, base_url, req.key, main, fast)
    if AUTH_TOKEN in new_env and API_KEY not in new_env and str(env.get(API_KEY) or "").strip():
        # A key exported in the shell would be sent too (x-api-key) — to a third party, or alongside
        # the token; an empty value in settings shadows it (Claude Code treats "" as unset).
        new_env = _insert_after(new_env, AUTH_TOKEN, API_KEY, "")
        plan.notices.append(
            'ANTHROPIC_API_KEY is exported in your shell: added "ANTHROPIC_API_KEY": "" so that Claude Code '
            "does not send it along with the token"
        )

    if req.scope != "user" and settings_path("project", env, cwd).resolve() == (
        settings_path("user", env, cwd).resolve()
    ):
        raise AgentcostError(
            f"--scope {req.scope}: the project here is your home directory, whose .claude/ holds your "
            "user settings",
            hint="cd into the project first, or use --scope user",
        )
    creds = {k: v for k, v in new_env.items() if k in CRED_VARS}
    if req.scope == "project":
        shared = {k: v for k, v in new_env.items() if k not in CRED_VARS}
        pinned = {BASE_URL: base_url} if base_url else {}
        layout = [("project", shared, False), ("local", {**pinned, **creds}, True)]
    else:
        layout = [(req.scope, new_env, True)]

    for scope, set_vars, holds_key in layout:
        path = settings_path(scope, env, cwd)
        # Before reading: a committed `.claude/settings.local.json -> /elsewhere` is refused, dry run too.
        check_write_target(path, root=write_root(scope, cwd))
        old_data, old_text = _read(path)
        old_env = dict(old_data.get("env") or {}) if old_data else {}
        remove = _stale(old_env, set_vars, scope=scope, req_scope=req.scope)
        removed = [k for k in remove if k in old_env]
        if removed:
            plan.notices.append(
                f"removed {', '.join(removed)} from {path} ({_why_removed(scope, req.scope)})"
            )
        plan.files.append(
            FilePlan(
                scope,
                path,
                old_text,
                old_data,
                merge_env(old_data, set_vars, remove),
                secret=holds_key,
                set_vars=dict(set_vars),
            )
        )

    key_path = plan.files[-1].path
    where = "your personal file, keep it git-ignored" if req.scope != "user" else "your user settings"
    verb = "would be" if dry_run else "is"
    plan.notices.append(f"the key {verb} stored in {key_path} ({where}, mode 0600)")
    if req.scope == "project":
        plan.notices.append(
            f"the key is NOT in the shared {plan.files[0].path}: it goes to {key_path}, together with a "
            "pinned copy of the base URL so that a change to the committed file cannot send your key "
            "elsewhere"
        )
    plan.key_in_repo = req.scope in ("project", "local")  # apply_plan makes git ignore it
    plan.summary = {k: (mask(v) if k in CRED_VARS and v else v or '""') for k, v in new_env.items()}
    for fp in plan.files:
        # An empty credential left by an earlier set-up (OpenRouter's "ANTHROPIC_API_KEY": ""): kept,
        # since it only shadows a key exported in some shell, but shown so the file holds no surprise.
        kept = fp.new_data.get("env") or {}
        for var in CRED_VARS:
            if var not in new_env and var in kept and kept[var] == "":
                plan.summary[var] = (
                    f'"" (kept from an earlier set-up in {fp.path}: an empty value is ignored by Claude Code '
                    f"but stops an {var} exported in a shell from being sent; delete it if you want)"
                )
    return plan


def _stale(
    old_env: Mapping[str, Any], set_vars: Mapping[str, str], *, scope: str, req_scope: str
) -> list[str]:
    """Entries left over from a previous provider that would break the new set-up."""
    remove: list[str] = []
    # A non-empty credential not being written now would be sent too (both headers go out); the shared
    # project file must not keep one at all. An empty one ("") is harmless: it shadows the shell's.
    remove += [v for v in CRED_VARS if v not in set_vars and str(old_env.get(v) or "")]
    if req_scope == "project" and scope == "local":
        remove += [v for v in MODEL_VARS if v not in set_vars]  # would override the shared models
    old_base = str(old_env.get(BASE_URL) or "")
    if BASE_URL not in set_vars and old_base and is_third_party(old_base):
        # Back to Anthropic's own endpoint: the old host, its model ids and the beta switch must go,
        # or the (Anthropic) key would still be sent to the old host.
        remove += [BASE_URL, DISABLE_BETAS, *(v for v in MODEL_VARS if v not in set_vars)]
    return list(dict.fromkeys(remove))


def _why_removed(scope: str, req_scope: str) -> str:
    if req_scope == "project" and scope == "project":
        return "keys do not belong in the committed file; rotate the key if it was ever committed"
    if req_scope == "project":
        return "left over from an earlier set-up; they would override the shared settings"
    return "left over from the previous provider; Claude Code would still send/use them"


# ------------------------------------------------------------------------------------------ apply


def write_root(scope: str, cwd: Path) -> Path | None:
    """The work tree a scope's file must stay inside (None: user scope, the user's own files)."""
    return None if scope == "user" else project_root(cwd)


def preview_findings(plan: ClaudePlan, env: Mapping[str, str], cwd: Path) -> list[Finding]:
    """The checks run on the settings as they would be after the plan (for --dry-run)."""
    return check(preview_files(plan, env, cwd), env)


def preview_files(plan: ClaudePlan, env: Mapping[str, str], cwd: Path) -> list[SettingsFile]:
    """The settings files as they would be after the plan."""
    files = load_sources(env, cwd)
    planned = {fp.path: fp for fp in plan.files}
    preview = []
    for f in files:
        fp = planned.get(f.path)
        if fp is None:
            preview.append(f)
        else:
            mode = (f.mode & ~0o077 if f.mode is not None else SECRET_MODE) if fp.secret else f.mode
            preview.append(settings_from_data(f.scope, f.path, fp.new_data, mode))
    return preview


def _tighten_mode(path: Path) -> str | None:
    """chmod go-rwx on an unchanged file that holds the key (POSIX); a notice when it changed."""
    if os.name != "posix":
        return None
    target = resolve_target(path)
    mode = file_mode(target)
    if mode is None or not mode & 0o077:
        return None
    try:
        os.chmod(target, mode & ~0o077)
    except OSError as e:
        return f"could not make {path} private ({e.strerror}); run chmod 600 {path}"
    return f"{path} holds the key: its mode was {mode:04o}, now {mode & ~0o077:04o}"


def apply_plan(plan: ClaudePlan, env: Mapping[str, str], cwd: Path, *, dry_run: bool = False) -> SetupResult:
    """Write every changed file (or, with dry_run, only compute the diffs); then run the checks."""
    result = SetupResult(
        agent="claude",
        provider=plan.provider,
        notices=list(plan.notices),
        warnings=list(plan.warnings),
        summary=dict(plan.summary),
        dry_run=dry_run,
    )
    protected = Protection(ok=True)
    if plan.key_in_repo:
        # Before any write: git must ignore the key file before the key is in it (a kill between the
        # two steps must not leave a committable key), and a file git tracks gets no key at all.
        key_path = plan.files[-1].path
        protected = protect_local(key_path, dry_run=dry_run)
        if not protected.ok and not dry_run:
            raise AgentcostError(
                f"{protected.warning or f'{key_path} is not git-ignored'}; nothing was written "
                "(CLAUDE_LOCAL_NOT_IGNORED)",
                hint="`git rm --cached .claude/settings.local.json`, add it to .gitignore, rotate the key if "
                "it was ever pushed, and run the command again",
            )
        result.notices += [protected.notice] if protected.notice else []
        result.warnings += [protected.warning] if protected.warning else []
    for fp in plan.files:
        if not fp.changed:
            result.writes.append(WriteResult(path=fp.path, changed=False, dry_run=dry_run))
            if fp.secret and not dry_run:
                check_write_target(fp.path, root=write_root(fp.scope, cwd))
                tightened = _tighten_mode(fp.path)
                if tightened:
                    result.notices.append(tightened)
            continue
        result.writes.append(
            write_atomic(
                fp.path,
                fp.new_text,
                secret=fp.secret,
                dry_run=dry_run,
                old_text=fp.old_text,
                within=write_root(fp.scope, cwd),
            )
        )
    after = preview_files(plan, env, cwd) if dry_run else load_sources(env, cwd)
    overrides = overridden_here(((fp.scope, fp.path, fp.set_vars) for fp in plan.files), after, env)
    result.warnings += override_warnings(overrides, cwd)
    result.extra["overridden_here"] = [o.as_dict() for o in overrides]
    result.findings = preview_findings(plan, env, cwd) if dry_run else diagnose(env, cwd)
    return result
