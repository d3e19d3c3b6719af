"""Redirections a repository can plant in its Claude Code settings (`doctor claude` findings).

A cloned repository's `.claude/settings.json` (and a `.claude/settings.local.json` that git tracks,
i.e. that came with the clone) can send the user's key and traffic elsewhere or run commands:
a proxy, disabled TLS checks, an extra CA, custom headers, Bedrock/Vertex/Foundry base URLs, an
OpenTelemetry exporter, `apiKeyHelper`, `hooks`, `statusLine`, and the servers of `.mcp.json`.
Each gets a finding with a stable code, severity by risk (error: the key or all traffic can go to a
host the repository chose, or TLS is off; warning: a command runs, data leaves, or a header is
added). The user's own settings (user scope, an untracked settings.local.json) are never flagged,
so agentcost's own statusline / guard hooks installed at user scope raise nothing.
Variables: Claude Code docs (settings, env vars, network config, monitoring), as of 2026-11.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agentcost.agents.claude.settings import AGENT, BASE_URL, SettingsFile
from agentcost.agents.findings import Finding, Severity

PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
PROVIDER_URL_VARS = ("ANTHROPIC_BEDROCK_BASE_URL", "ANTHROPIC_VERTEX_BASE_URL", "ANTHROPIC_FOUNDRY_BASE_URL")
OTEL_VARS = (
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
)
MAX_LISTED = 3


@dataclass(frozen=True)
class McpServer:
    name: str
    target: str  # the command line, or the URL


def _f(code: str, sev: Severity, message: str, fix: str, file: Path | str | None) -> Finding:
    return Finding(code, sev, message, fix, str(file) if file else None, AGENT)


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(repr(i) for i in items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def _user_value(var: str, user: SettingsFile | None, shell: Mapping[str, str]) -> str:
    return ((user.env.get(var, "") if user else "") or shell.get(var, "")).strip()


def _env_findings(f: SettingsFile, user: SettingsFile | None, shell: Mapping[str, str]) -> list[Finding]:
    out: list[Finding] = []
    env = f.env
    where = f"{f.path} (in the repository)"
    remove = "if you did not put it there, remove it from the file (and distrust the repository)"
    for var in PROXY_VARS:
        if env.get(var, "").strip():
            out.append(
                _f(
                    "CLAUDE_PROJECT_PROXY",
                    Severity.ERROR,
                    f"{where} sets {var}={env[var]}: all of Claude Code's traffic here, your key "
                    "included, goes through that proxy",
                    remove,
                    f.path,
                )
            )
    if env.get("NODE_TLS_REJECT_UNAUTHORIZED", "").strip() == "0":
        out.append(
            _f(
                "CLAUDE_PROJECT_TLS_DISABLED",
                Severity.ERROR,
                f"{where} sets NODE_TLS_REJECT_UNAUTHORIZED=0: certificates are not checked, so anyone "
                "on the path can read your key",
                remove,
                f.path,
            )
        )
    if env.get("NODE_EXTRA_CA_CERTS", "").strip():
        out.append(
            _f(
                "CLAUDE_PROJECT_EXTRA_CA",
                Severity.WARNING,
                f"{where} sets NODE_EXTRA_CA_CERTS={env['NODE_EXTRA_CA_CERTS']}: Claude Code trusts that CA "
                "too, which lets its owner intercept HTTPS (your key included)",
                remove,
                f.path,
            )
        )
    if env.get("ANTHROPIC_CUSTOM_HEADERS", "").strip():
        out.append(
            _f(
                "CLAUDE_PROJECT_CUSTOM_HEADERS",
                Severity.WARNING,
                f"{where} sets ANTHROPIC_CUSTOM_HEADERS: extra headers chosen by the repository go out "
                "with every request",
                remove,
                f.path,
            )
        )
    for var in PROVIDER_URL_VARS:
        val = env.get(var, "").strip()
        if val and val.rstrip("/").lower() != _user_value(var, user, shell).rstrip("/").lower():
            out.append(
                _f(
                    "CLAUDE_PROJECT_PROVIDER_URL",
                    Severity.ERROR,
                    f"{where} sets {var}={val}: with Bedrock/Vertex/Foundry on, your cloud credentials "
                    "are sent to that host",
                    remove,
                    f.path,
                )
            )
    for var in OTEL_VARS:
        val = env.get(var, "").strip()
        if val and val != _user_value(var, user, shell):
            out.append(
                _f(
                    "CLAUDE_PROJECT_OTEL_ENDPOINT",
                    Severity.WARNING,
                    f"{where} sets {var}={val}: telemetry about your sessions (with OTEL_LOG_USER_PROMPTS, "
                    "your prompts) is exported there",
                    remove,
                    f.path,
                )
            )
    return out


def _command_findings(f: SettingsFile) -> list[Finding]:
    out: list[Finding] = []
    where = f"{f.path} (in the repository)"
    if f.helper_command:
        out.append(
            _f(
                "CLAUDE_PROJECT_API_KEY_HELPER",
                Severity.ERROR,
                f"{where} sets apiKeyHelper={f.helper_command!r}: Claude Code runs that command on your "
                "machine and sends its output as the key — the repository picks both",
                "remove apiKeyHelper from the repository's file; keep yours in ~/.claude/settings.json",
                f.path,
            )
        )
    if f.hook_commands:
        out.append(
            _f(
                "CLAUDE_PROJECT_HOOKS",
                Severity.WARNING,
                f"{where} defines {len(f.hook_commands)} hook command(s) that Claude Code runs on your "
                f"machine during sessions: {_listed(f.hook_commands)}",
                "read each command before you trust this folder in Claude Code; remove what you do not "
                "want to run",
                f.path,
            )
        )
    if f.status_line:
        out.append(
            _f(
                "CLAUDE_PROJECT_STATUSLINE",
                Severity.WARNING,
                f"{where} sets a statusLine command that runs on every prompt: {f.status_line!r}",
                "remove it unless you trust the command",
                f.path,
            )
        )
    return out


def redirect_findings(
    files: Sequence[SettingsFile],
    shell: Mapping[str, str],
    *,
    local_tracked: bool | None = None,
    mcp_servers: Sequence[McpServer] = (),
    mcp_path: Path | None = None,
) -> list[Finding]:
    """Findings for every redirection in the repository's settings files. Pure."""
    by_scope = {f.scope: f for f in files}
    user = by_scope.get("user")
    repo_files = [
        f for f in files if f.exists and (f.scope == "project" or (f.scope == "local" and local_tracked))
    ]
    out: list[Finding] = []
    for f in repo_files:
        out += _env_findings(f, user, shell)
        out += _command_findings(f)
    local = by_scope.get("local")
    if local is not None and local.exists and local_tracked:
        keyed = local.token_vars()
        user_base = _user_value(BASE_URL, user, shell)
        base = local.env.get(BASE_URL, "").strip()
        redirect = (
            f"; it sets ANTHROPIC_BASE_URL={base}"
            if base and base.rstrip("/") != user_base.rstrip("/")
            else ""
        )
        out.append(
            _f(
                "CLAUDE_LOCAL_TRACKED",
                Severity.ERROR if keyed or redirect else Severity.WARNING,
                f"{local.path} is tracked by git: it came with the repository, yet Claude Code gives it the "
                "highest precedence of all settings files"
                + (f"; it holds {', '.join(keyed)} (anyone with the repository has the key)" if keyed else "")
                + redirect,
                "`git rm --cached .claude/settings.local.json`, add it to .gitignore, review what it sets"
                + (" and rotate the key" if keyed else ""),
                local.path,
            )
        )
    if mcp_servers:
        auto = any(f.mcp_auto for f in repo_files)
        out.append(
            _f(
                "CLAUDE_PROJECT_MCP_SERVERS",
                Severity.ERROR if auto else Severity.WARNING,
                f"{mcp_path} (in the repository) declares {len(mcp_servers)} MCP server(s) that Claude Code "
                f"starts or connects to: {_listed([f'{s.name}: {s.target}' for s in mcp_servers])}"
                + (
                    "; the repository's settings approve them in advance (enableAllProjectMcpServers / "
                    "enabledMcpjsonServers), so they start without asking"
                    if auto
                    else ""
                ),
                "approve only servers you have read; remove enableAllProjectMcpServers from the repository's "
                "settings",
                mcp_path,
            )
        )
    return out


def mcp_servers_of(data: object) -> list[McpServer]:
    """The servers of a parsed `.mcp.json` ({"mcpServers": {name: {command, args} | {url}}}). Pure."""
    raw = data.get("mcpServers") if isinstance(data, dict) else None
    out: list[McpServer] = []
    for name, spec in raw.items() if isinstance(raw, dict) else []:
        if not isinstance(spec, dict):
            continue
        if spec.get("url"):
            target = str(spec["url"])
        else:
            args = spec.get("args")
            target = " ".join(
                [str(spec.get("command") or "")] + ([str(a) for a in args] if isinstance(args, list) else [])
            )
        out.append(McpServer(str(name), target.strip()))
    return out
