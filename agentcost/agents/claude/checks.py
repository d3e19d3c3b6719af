"""Claude Code checks: settings files + shell environment -> findings.

* `check()`    — pure: `SettingsFile`s (see `claude_settings.py`) + shell env -> findings.
* `diagnose()` — the entry point `doctor` and `setup` call: reads the files, runs `check()`, and with
  `online=True` the probe in `claude_online.py`.
Facts used here: observed with Claude Code 2.1.197 against a local stub (agentcost e2e tests).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agentcost.agents.claude.redirects import mcp_servers_of, redirect_findings
from agentcost.agents.claude.settings import (
    AGENT,
    ANTHROPIC_HOST,
    API_KEY,
    AUTH_TOKEN,
    BASE_URL,
    HAIKU,
    MODEL,
    OPUS,
    SONNET,
    SUBAGENT,
    SettingsFile,
    Value,
    base_url_host,
    effective_env,
    is_third_party,
    load_sources,
    openai_suffix,
    project_root,
    v1_suffix,
)
from agentcost.agents.findings import Finding, Severity
from agentcost.agents.urls import has_scheme, insecure_http_warning
from agentcost.errors import ConfigError
from agentcost.fileio import read_json_object
from agentcost.gitutil import git_ignored, git_tracked


def _get(eff: Mapping[str, Value], var: str) -> str:
    v = eff.get(var)
    return v.value if v else ""


def _where(v: Value | None) -> str:
    if v is None:
        return "nowhere"
    return "the shell environment" if v.origin == "shell" else str(v.path)


# ------------------------------------------------------------------------------------------- checks

_SLOT_EFFECT = {
    OPUS: "`--model opus` and /model opus",
    SONNET: "`--model sonnet` and /model sonnet",
    HAIKU: "the Explore subagent and background tasks (haiku slot)",
    SUBAGENT: "subagents that name an unset alias",
}


def _f(code: str, sev: Severity, message: str, fix: str, file: Path | str | None = None) -> Finding:
    return Finding(code, sev, message, fix, str(file) if file else None, AGENT)


def _scheme_fix(url: str) -> str:
    """`https://<value>` only when the value looks like a host name; otherwise a generic example."""
    bare = url.strip().lstrip("/")
    host = bare.split("/", 1)[0].split(":", 1)[0]
    if host and ("." in host or host.lower() == "localhost") and not any(c.isspace() for c in bare):
        return f"write the full URL, e.g. https://{bare}"
    return (
        "write the provider's full base URL, e.g. https://api.example.com/anthropic "
        "(`agentcost providers` lists them)"
    )


def _url_findings(src: Value, overridden_by: str | None) -> list[Finding]:
    """Shape problems of one ANTHROPIC_BASE_URL value; an overridden one is a warning, not an error."""
    url, where, path = src.value.strip(), _where(src), src.path
    sev = Severity.ERROR if overridden_by is None else Severity.WARNING
    note = (
        "" if overridden_by is None else f" (overridden here by {overridden_by}, but used wherever it is not)"
    )
    if not has_scheme(url):
        return [
            _f(
                "CLAUDE_BASE_URL_NO_SCHEME",
                sev,
                f"ANTHROPIC_BASE_URL={url!r} (from {where}) has no http(s):// scheme: Claude Code "
                f"stops with 'cannot be parsed as a URL'{note}",
                _scheme_fix(url),
                path,
            )
        ]
    out: list[Finding] = []
    suffix = v1_suffix(url)
    if suffix:
        out.append(
            _f(
                "CLAUDE_BASE_URL_V1",
                sev,
                f"ANTHROPIC_BASE_URL={url} (from {where}) ends in {suffix}: Claude Code appends "
                f"/v1/messages itself, so requests go to …{suffix}/v1/messages and get 404, which "
                f'Claude Code shows as "There\'s an issue with the selected model"{note}',
                f"remove {suffix} from the URL (`agentcost setup claude` normalises it)",
                path,
            )
        )
    endpoint = openai_suffix(url)
    if endpoint:
        out.append(
            _f(
                "CLAUDE_BASE_URL_OPENAI_PATH",
                sev,
                f"ANTHROPIC_BASE_URL={url} (from {where}) ends in {endpoint}, an OpenAI-style endpoint: "
                f"Claude Code speaks the Anthropic Messages API and would call …{endpoint}/v1/messages"
                f"{note}",
                "use the provider's Anthropic-compatible base URL (`agentcost providers` lists them)",
                path,
            )
        )
    warning = insecure_http_warning(url)
    if warning:
        out.append(
            _f(
                "CLAUDE_BASE_URL_INSECURE",
                Severity.WARNING,
                f"ANTHROPIC_BASE_URL from {where}: {warning}",
                "switch to https://",
                path,
            )
        )
    return out


def check(
    files: list[SettingsFile],
    shell: Mapping[str, str],
    *,
    local_ignored: bool | None = None,
    posix: bool = os.name == "posix",
) -> list[Finding]:
    """All offline checks on already-read settings files plus the shell environment. Pure."""
    out: list[Finding] = []
    by_scope = {f.scope: f for f in files}
    for f in files:
        if f.error:
            out.append(
                _f(
                    "CLAUDE_SETTINGS_INVALID_JSON",
                    Severity.ERROR,
                    f"{f.error} — Claude Code ignores or rejects this file (strict JSON: no comments, "
                    "no trailing commas)",
                    "fix the file by hand at that line and column; agentcost will not overwrite it",
                    f.path,
                )
            )
        if f.env_error:
            out.append(
                _f(
                    "CLAUDE_SETTINGS_ENV_INVALID",
                    Severity.ERROR,
                    f.env_error,
                    'make "env" an object of strings, e.g. {"env": {"ANTHROPIC_MODEL": "…"}}',
                    f.path,
                )
            )
        if f.non_string:
            out.append(
                _f(
                    "CLAUDE_SETTINGS_ENV_INVALID",
                    Severity.WARNING,
                    f'"env" values must be strings: {"; ".join(f.non_string)}. Claude Code turns '
                    'them into text (5 becomes "5"), which is rarely what was meant',
                    'quote the value, e.g. "ANTHROPIC_BASE_URL": "https://…" or '
                    '"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"',
                    f.path,
                )
            )
        for fatal, detail in f.wrong_types:
            out.append(
                _f(
                    "CLAUDE_SETTINGS_WRONG_TYPE",
                    Severity.ERROR if fatal else Severity.WARNING,
                    detail
                    + (
                        ": Claude Code ignores this whole file, its env and credentials included"
                        if fatal
                        else ""
                    ),
                    'fix the value by hand, e.g. "permissions": {"deny": ["Read(./.env)"]} or '
                    '"apiKeyHelper": "/path/to/script"',
                    f.path,
                )
            )
        if f.token_vars() and posix and f.mode is not None and f.mode & 0o077:
            out.append(
                _f(
                    "CLAUDE_SECRET_FILE_MODE",
                    Severity.WARNING,
                    f"{f.path} holds {', '.join(f.token_vars())} but is readable by others "
                    f"(mode {f.mode:04o})",
                    f"chmod 600 {f.path}",
                    f.path,
                )
            )

    eff = effective_env(files, shell)
    base_v = eff.get(BASE_URL)
    base = _get(eff, BASE_URL).strip()
    third = is_third_party(base)
    # Never "None": a value that is no URL (e.g. a number) is shown as it is.
    host = (base_url_host(base) or repr(base)) if base else ANTHROPIC_HOST

    # Shape checks on every place that sets the URL: an overridden one still breaks elsewhere.
    url_sources = [Value(shell[BASE_URL], "shell")] if shell.get(BASE_URL, "").strip() else []
    url_sources += [Value(f.env[BASE_URL], f.scope, f.path) for f in files if f.env.get(BASE_URL, "").strip()]
    for src in url_sources:
        shadowed = base_v is None or (src.origin, src.path) != (base_v.origin, base_v.path)
        out += _url_findings(src, _where(base_v) if shadowed else None)

    token_v, key_v = eff.get(AUTH_TOKEN), eff.get(API_KEY)
    token, key = _get(eff, AUTH_TOKEN), _get(eff, API_KEY)
    helper = any(f.api_key_helper for f in files)
    stray = bool(key) and key_v is not None and key_v.origin == "shell"
    if stray:
        if token:
            out.append(
                _f(
                    "CLAUDE_STRAY_API_KEY",
                    Severity.ERROR,
                    f"ANTHROPIC_API_KEY is exported in the shell and ANTHROPIC_AUTH_TOKEN comes from "
                    f"{_where(token_v)}: Claude Code sends both (x-api-key and Authorization) to {host}",
                    'unset ANTHROPIC_API_KEY in your shell profile, or add "ANTHROPIC_API_KEY": "" to the '
                    "settings env block to shadow it",
                )
            )
        elif third and key.startswith("sk-ant-"):
            out.append(
                _f(
                    "CLAUDE_STRAY_API_KEY",
                    Severity.ERROR,
                    f"an Anthropic key (sk-ant-…) exported in the shell as ANTHROPIC_API_KEY would be sent "
                    f"to the third-party host {host}",
                    "unset ANTHROPIC_API_KEY in the shell and put the provider's key in settings "
                    "(`agentcost setup claude`)",
                )
            )
        elif not third:
            out.append(
                _f(
                    "CLAUDE_STRAY_API_KEY",
                    Severity.WARNING,
                    "ANTHROPIC_API_KEY is exported in the shell: Claude Code bills that API key instead "
                    "of your Claude subscription (Pro/Max), at API prices",
                    "if you meant to use your subscription, unset ANTHROPIC_API_KEY (check your shell "
                    "profile); if you meant the API, ignore this",
                )
            )
    if token and key and not stray:
        same = token == key
        out.append(
            _f(
                "CLAUDE_BOTH_AUTH_VARS",
                Severity.WARNING if same else Severity.ERROR,
                f"both ANTHROPIC_AUTH_TOKEN ({_where(token_v)}) and ANTHROPIC_API_KEY ({_where(key_v)}) "
                f"are set: Claude Code sends both headers to {host}"
                + ("" if same else "; they differ, so one of them is probably meant for another host"),
                "keep only the variable your provider expects (`agentcost providers`); an empty "
                'ANTHROPIC_API_KEY ("") counts as unset',
                (key_v.path if key_v and key_v.path else token_v.path if token_v else None),
            )
        )
    for var, val, origin_v in ((AUTH_TOKEN, token, token_v), (API_KEY, key, key_v)):
        if val and (val != val.strip() or any(c.isspace() for c in val) or not val.isascii()):
            out.append(
                _f(
                    "CLAUDE_CREDENTIAL_MALFORMED",
                    Severity.ERROR,
                    f"{var} (from {_where(origin_v)}) contains whitespace, a line break or non-ASCII "
                    "characters: it cannot be sent as an HTTP header as it is (usually a copy-paste slip)",
                    f"re-enter the key: `agentcost setup claude --api-key-env VAR` (or edit {var} by hand)",
                    origin_v.path if origin_v else None,
                )
            )
    if third and not token and not key and not helper:
        out.append(
            _f(
                "CLAUDE_NO_CREDENTIAL",
                Severity.ERROR,
                f"ANTHROPIC_BASE_URL points at {host} but neither ANTHROPIC_AUTH_TOKEN nor "
                "ANTHROPIC_API_KEY is set (an empty value counts as unset): requests fail with 401",
                "run `agentcost setup claude --provider … --api-key-env VAR` to store the key",
                base_v.path if base_v else None,
            )
        )

    project = by_scope.get("project")
    local = by_scope.get("local")
    user = by_scope.get("user")
    if project is not None and project.token_vars():
        out.append(
            _f(
                "CLAUDE_PROJECT_TOKEN",
                Severity.ERROR,
                f"{project.path} (shared, usually committed) holds {', '.join(project.token_vars())}: "
                "anyone with the repository gets the key",
                "move the key to .claude/settings.local.json (git-ignored) — `agentcost setup claude "
                "--scope project` does this — and rotate the key if it was ever committed",
                project.path,
            )
        )
    if project is not None and BASE_URL in project.env and base_v is not None and base_v.origin == "project":
        # The user-level reference: user settings, else the shell; unset = Anthropic's endpoint.
        user_base = (user.env.get(BASE_URL, "") if user else "") or shell.get(BASE_URL, "")
        proj_base = project.env[BASE_URL]

        def canon(u: str) -> str:
            return u.strip().rstrip("/").lower() or f"https://{ANTHROPIC_HOST}"

        if canon(proj_base) != canon(user_base):
            cred_v = token_v if token else key_v if key else None
            from_project = cred_v is not None and cred_v.origin in ("project", "local")
            out.append(
                _f(
                    "CLAUDE_PROJECT_BASE_URL",
                    Severity.WARNING if from_project or cred_v is None else Severity.ERROR,
                    f"{project.path} sets ANTHROPIC_BASE_URL={proj_base}"
                    f" (user settings: {user_base or 'unset = api.anthropic.com'})"
                    + (
                        f": your credential from {_where(cred_v)} is sent to "
                        f"{base_url_host(proj_base) or repr(proj_base)} "
                        "whenever Claude Code runs in this repository"
                        if cred_v is not None
                        else ""
                    ),
                    "if you did not put it there, remove it from the project file; to keep it, pin the "
                    "URL next to your key in .claude/settings.local.json (`agentcost setup claude "
                    "--scope project` does this)",
                    project.path,
                )
            )
    if local is not None and local.token_vars() and local_ignored is False:
        out.append(
            _f(
                "CLAUDE_LOCAL_NOT_IGNORED",
                Severity.WARNING,
                f"{local.path} holds a key but git does not ignore it (or already tracks it): "
                "`git add .` would commit it",
                "add `.claude/settings.local.json` to .gitignore (if it is tracked: `git rm --cached` it "
                "and rotate the key)",
                local.path,
            )
        )

    if third and _get(eff, MODEL):
        unset = [v for v in (OPUS, SONNET, HAIKU, SUBAGENT) if not _get(eff, v)]
        if unset:
            out.append(
                _f(
                    "CLAUDE_MODEL_SLOT_UNSET",
                    Severity.WARNING,
                    f"ANTHROPIC_MODEL is set for {host} but {', '.join(unset)} "
                    f"{'is' if len(unset) == 1 else 'are'} not: "
                    + "; ".join(_SLOT_EFFECT[v] for v in unset)
                    + f" would send Anthropic model ids (claude-…) to {host}, which usually rejects them",
                    "set every slot (`agentcost setup claude --model M --fast-model F` writes them all)",
                    eff[MODEL].path,
                )
            )
    if files and not any(f.exists or f.error for f in files):
        user = by_scope.get("user") or files[0]
        exported = [v for v in (BASE_URL, AUTH_TOKEN, API_KEY) if shell.get(v)]
        out.append(
            _f(
                "CLAUDE_NO_SETTINGS",
                Severity.INFO,
                "no Claude Code settings file (looked at "
                + ", ".join(str(f.path) for f in files)
                + "): Claude Code uses Anthropic's API with its own login (`claude` then /login)"
                + (
                    f", or what your shell exports ({', '.join(exported)})"
                    if exported
                    else " or an ANTHROPIC_API_KEY exported in your shell"
                ),
                "`agentcost setup claude --provider <id>` configures a provider",
                user.path,
            )
        )
    return out


def diagnose(
    env: Mapping[str, str],
    cwd: Path,
    online: bool = False,
    *,
    transport: Any = None,
    probe_project_urls: bool = False,
) -> list[Finding]:
    """Read user/project/local settings and `env`; return findings (plus the probe with `online`).

    `probe_project_urls`: let `online` send the key to a base URL set by the repository's files.
    """
    files = load_sources(env, cwd)
    local = next(f for f in files if f.scope == "local")
    ignored = git_ignored(local.path) if local.token_vars() else None
    tracked = git_tracked(local.path) if local.exists else None
    findings = check(files, env, local_ignored=ignored)
    mcp_path = project_root(cwd) / ".mcp.json"
    try:
        mcp_data, _text = read_json_object(mcp_path)
    except ConfigError:
        mcp_data = None
    findings += redirect_findings(
        files, env, local_tracked=tracked, mcp_servers=mcp_servers_of(mcp_data), mcp_path=mcp_path
    )
    if online:
        from agentcost.agents.claude.online import probe_effective

        findings += probe_effective(
            effective_env(files, env), transport=transport, probe_project_urls=probe_project_urls
        )
    return findings
