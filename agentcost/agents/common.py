"""Shared plumbing for `agentcost setup <agent>` (used by the claude and codex modules).

Four small groups, each usable on its own:

* keys      — `resolve_key()` gets the API key from `--api-key`, `--api-key-env VAR` or a hidden
              prompt, registers it with `secrets.register` at once (so every later output masks it)
              and rejects obviously bad values; `validate_env_var_name()` checks a `--api-key-env`.
* providers — `usable_by()` / `choose_provider()`: the catalog entries an agent can use, picked by id
              or from a numbered list on a terminal. `choose_model()` asks for / defaults a model.
* URLs      — `split_url()` (refuses a URL without http(s) scheme or host), `has_scheme()`,
              `is_loopback()`, `insecure_http_warning()`.
* results   — `SetupResult` (files written, notices, warnings, findings; `as_dict()` for `--json`)
              and `render_write()` / `render_setup()` for people.

Logic functions raise `AgentcostError` and never print; only the `render_*` functions and the
interactive prompts (which go to stderr, keeping stdout clean) touch the terminal. Command modules
decide interactivity once with `interactive_allowed(yes=..., json_out=...)`.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

from rich.markup import escape

from agentcost.agents.findings import Finding, Severity, has_errors, sort_findings
from agentcost.errors import AgentcostError, UsageError
from agentcost.fileio import WriteResult
from agentcost.output import console, emit_json, err_console, is_interactive
from agentcost.providers import UNKNOWN, Provider, load_providers
from agentcost.sanitize import sanitize, sanitize_lines
from agentcost.secrets import looks_like_key, register

AGENTS = ("claude", "codex")

KEY_HINT = (
    "give --api-key-env VAR (reads the key from the environment variable VAR), or --api-key KEY "
    "(lands in your shell history), or run on a terminal without --yes to type it hidden"
)

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --------------------------------------------------------------------------------------------- keys


def interactive_allowed(*, yes: bool, json_out: bool = False) -> bool:
    """Prompts are allowed only on a terminal, and never with --yes or --json."""
    return not yes and not json_out and is_interactive()


def validate_key(value: str, *, source: str) -> str:
    """Return the key with surrounding whitespace removed; reject empty values and inner whitespace.

    `source` names where it came from ("--api-key", "$ATLAS_API_KEY", "the prompt") for the error.
    The value itself is never part of an error message.
    """
    key = value.strip()
    if source == "--api-key" and re.fullmatch(r"[A-Z][A-Z0-9]*_[A-Z0-9_]+", key):
        # Checked before registering: a variable name is not a secret and must stay readable.
        raise AgentcostError(
            f"--api-key {key} looks like an environment-variable name, not a key",
            hint=f"use --api-key-env {key} to read the key from that variable",
        )
    register(value)
    register(key)
    if not key:
        raise AgentcostError(f"the API key from {source} is empty", hint=KEY_HINT)
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in key):
        raise AgentcostError(
            f"the API key from {source} contains whitespace, a line break or a control character",
            hint="copy the key again without spaces or line breaks",
        )
    if not key.isascii():
        raise AgentcostError(
            f"the API key from {source} contains non-ASCII characters (a typographic quote or dash "
            "from copy-paste?); it cannot be sent in an HTTP header",
            hint="copy the key again from the provider's console",
        )
    return key


def validate_env_var_name(name: str, *, flag: str = "--api-key-env") -> str:
    """Check a variable name given to `flag`; a key pasted there by mistake is refused (and masked)."""
    if looks_like_key(name):
        register(name)
    if not _ENV_NAME.fullmatch(name):
        if looks_like_key(name):
            raise AgentcostError(
                f"{flag} expects the NAME of an environment variable, but got what looks like a key",
                hint=f"export the key first (export MY_API_KEY=…) and pass {flag} MY_API_KEY",
            )
        raise AgentcostError(
            f"{flag} {name!r} is not a valid environment-variable name",
            hint="use letters, digits and underscores, e.g. ATLAS_API_KEY",
        )
    return name


def resolve_key(
    api_key: str | None,
    api_key_env: str | None,
    *,
    prompt_label: str,
    interactive: bool,
    env: Mapping[str, str] | None = None,
    suggest_env: str | None = None,
) -> str:
    """The API key from `--api-key`, else `$<api_key_env>`, else a hidden prompt on a terminal.

    Raises UsageError when both flags are given, AgentcostError when the variable is unset/empty or
    when nothing was given and prompting is not allowed. The key is registered for scrubbing
    before anything else happens to it. `suggest_env` (e.g. the provider's `key_env`): when nothing
    was given but that variable is set, a terminal user is offered to use it, and the non-interactive
    error's hint names `--api-key-env <it>`.
    """
    import typer

    if api_key is not None and api_key_env:
        raise UsageError("give either --api-key or --api-key-env, not both")
    if api_key is not None:
        return validate_key(api_key, source="--api-key")
    environ = os.environ if env is None else env
    if api_key_env:
        name = validate_env_var_name(api_key_env)
        value = environ.get(name)
        if value is None or not value.strip():
            register(value)
            state = "not set" if value is None else "empty"
            raise AgentcostError(
                f"--api-key-env {name}: the variable ${name} is {state}",
                hint=f"export {name}=<your key> in this shell first (or in your shell profile)",
            )
        return validate_key(value, source=f"${name}")
    suggested = environ.get(suggest_env, "") if suggest_env else ""
    if interactive:
        if suggested.strip() and typer.confirm(f"Use the key in ${suggest_env}?", default=True, err=True):
            return validate_key(suggested, source=f"${suggest_env}")
        value = typer.prompt(f"{prompt_label} (input hidden)", hide_input=True, err=True)
        return validate_key(str(value), source="the prompt")
    if suggested.strip():
        raise AgentcostError(
            "no API key given",
            hint=f"${suggest_env} is set: add --api-key-env {suggest_env} to use it (or see --help)",
        )
    raise AgentcostError("no API key given", hint=KEY_HINT)


# ---------------------------------------------------------------------------------------- providers


def usable_by(provider: Provider, agent: str) -> bool:
    """Can `agent` ("claude" / "codex") use this provider? ("none" = not usable; "unknown" = give a URL)."""
    if agent == "claude":
        return provider.claude_base_url != "none"
    if agent == "codex":
        return provider.codex_base_url != "none"
    raise ValueError(f"unknown agent {agent!r}")


def providers_for(agent: str, env: Mapping[str, str] | None = None) -> list[Provider]:
    """Catalog providers usable by `agent`, in catalog order (bundled first, then the user's)."""
    return [p for p in load_providers(env).values() if usable_by(p, agent)]


def choose_provider(
    provider_id: str | None,
    *,
    agent: str,
    interactive: bool,
    env: Mapping[str, str] | None = None,
) -> Provider:
    """The provider named by `--provider`, or one picked from a numbered list on a terminal."""
    import typer

    usable = providers_for(agent, env)
    ids = ", ".join(p.id for p in usable)
    if provider_id:
        everything = load_providers(env)
        chosen = everything.get(provider_id)
        if chosen is None:
            raise AgentcostError(
                f"unknown provider {provider_id!r}",
                hint=f"providers usable with {agent}: {ids} (details: `agentcost providers`)",
            )
        if not usable_by(chosen, agent):
            raise AgentcostError(
                f"provider {provider_id!r} ({chosen.name}) cannot be used with {agent}",
                hint=f"providers usable with {agent}: {ids}",
            )
        return chosen
    if not interactive:
        raise AgentcostError("no provider given", hint=f"give --provider, one of: {ids}")
    con = err_console()
    con.print(f"Providers usable with {agent}:", markup=False)
    for i, p in enumerate(usable, 1):
        con.print(f"  {i:2}. {p.id:<12} {p.name}", markup=False)
    while True:
        answer = str(typer.prompt("Provider (number or id)", err=True)).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(usable):
            return usable[int(answer) - 1]
        for p in usable:
            if p.id == answer:
                return p
        choices = f"type 1-{len(usable)} or one of: {ids}"
        con.print(f"[red]not a choice:[/] {escape(repr(answer))}; {escape(choices)}")


def choose_model(
    given: str | None,
    default: str,
    *,
    label: str,
    interactive: bool,
) -> str | None:
    """`given` if set; else ask on a terminal (offering `default` when known); else `default` or None.

    `default` is a catalog value: "unknown" (or "") means there is no default to offer.
    """
    import typer

    if given is not None:
        given = given.strip()
        if not given:
            raise AgentcostError(f"{label}: an empty model name was given")
        return given
    known = bool(default) and default != UNKNOWN
    if interactive:
        if known:
            return str(typer.prompt(label, default=default, err=True)).strip() or default
        answer = str(typer.prompt(f"{label} (the catalog has no default)", err=True)).strip()
        return answer or None
    return default if known else None


# --------------------------------------------------------------------------------------------- URLs


def has_scheme(url: str) -> bool:
    """True when `url` starts with http:// or https:// and names a host (pure; used by checks)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def split_url(url: str, *, flag: str = "--base-url") -> SplitResult:
    """Parse a base URL; refuse one without http(s) scheme or host (exit 1, with the fix)."""
    text = url.strip()
    if not has_scheme(text):
        if "://" not in text:
            raise AgentcostError(
                f"{flag} {text!r} has no scheme",
                hint=f"write the full URL, e.g. https://{text.lstrip('/') or 'api.example.com'}",
            )
        raise AgentcostError(
            f"{flag} {text!r} is not an http(s) URL with a host",
            hint="use https://host or https://host/path",
        )
    return urlsplit(text)


def is_loopback(host: str | None) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 and ::1 (brackets allowed)."""
    if not host:
        return False
    h = host.strip().strip("[]").lower().rstrip(".")
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def insecure_http_warning(url: str) -> str | None:
    """A warning for http:// to a non-loopback host (the key would travel in clear text), else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() == "http" and parts.hostname and not is_loopback(parts.hostname):
        return (
            f"{url} uses plain http to {parts.hostname}: the API key and your code travel unencrypted; "
            "use https:// unless this host is on a network you trust"
        )
    return None


# ------------------------------------------------------------------------------------------ results


@dataclass
class SetupResult:
    """What a `setup` run did: files (written or, with --dry-run, would be), notes and findings.

    `summary` holds the configured values for display, with secrets already masked.
    """

    agent: str
    provider: str
    writes: list[WriteResult] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    # Lines meant to be copied into a shell profile, printed bare (no "note:" prefix, never a masked key).
    shell_lines: list[str] = field(default_factory=list)
    # Error codes that are expected right after set-up (code -> why), e.g. CODEX_ENV_KEY_UNSET when the
    # variable is simply not exported in this shell yet. Any other error makes `setup` exit 1.
    expected: dict[str, str] = field(default_factory=dict)
    expected_in: str | None = None  # only findings about this file count as expected (None: any file)
    extra: dict[str, Any] = field(default_factory=dict)  # agent-specific JSON members (e.g. overridden_here)

    def _is_expected(self, f: Finding) -> bool:
        return f.code in self.expected and (self.expected_in is None or f.file == self.expected_in)

    def unexpected_errors(self) -> list[Finding]:
        """Error findings the set-up did not expect: with these, `setup` exits 1 ("written, but …")."""
        return [f for f in self.findings if f.severity is Severity.ERROR and not self._is_expected(f)]

    def expected_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR and self._is_expected(f)]

    @property
    def changed(self) -> bool:
        return any(w.changed for w in self.writes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "provider": self.provider,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "files": [
                {
                    "path": str(w.path),
                    "changed": w.changed,
                    "created": w.created,
                    "backup": str(w.backup) if w.backup else None,
                    "diff": w.diff if w.dry_run and w.changed else None,
                }
                for w in self.writes
            ],
            "summary": dict(self.summary),
            "notices": list(self.notices),
            "warnings": list(self.warnings),
            "shell_lines": list(self.shell_lines),
            "findings": [f.as_dict() for f in sort_findings(self.findings)],
            "errors": has_errors(self.findings),
            "expected_errors": sorted({f.code for f in self.expected_errors()}),
            "unexpected_errors": bool(self.unexpected_errors()),
            **self.extra,
        }


def describe_write(w: WriteResult) -> str:
    """One line for a write: "wrote X (backup: Y)", "created X", "X: already configured…", "would …"."""
    if not w.changed:
        return f"{w.path}: already configured, nothing written"
    if w.dry_run:
        return f"would {'create' if w.created else 'change'} {w.path} (dry run, nothing written)"
    if w.created:
        return f"created {w.path}"
    return f"wrote {w.path}" + (f" (backup: {w.backup})" if w.backup else "")


def render_write(w: WriteResult) -> None:
    """Print `describe_write` to stdout, plus the masked unified diff for a dry run."""
    con = console()
    con.print(sanitize(describe_write(w)), markup=False, soft_wrap=True)
    if w.dry_run and w.changed and w.diff:
        con.print(sanitize_lines(w.diff.rstrip("\n")), markup=False, soft_wrap=True)


def render_setup(result: SetupResult, *, json_out: bool) -> None:
    """Render a SetupResult: JSON document, or notices/warnings (stderr), writes and findings (stdout).

    Then the exit rule (docs/setup-claude.md, docs/setup-codex.md): after a real write, an error
    finding that is not expected right after set-up raises AgentcostError ("written, but …", exit 1);
    expected ones (e.g. the key variable not exported in this shell yet) are explained and exit 0.
    A --dry-run always exits 0: it reports what the checks would find and writes nothing.
    """
    if json_out:
        emit_json(result.as_dict())
    else:
        _render_human(result)
    if result.dry_run:
        return
    unexpected = result.unexpected_errors()
    if unexpected:
        codes = ", ".join(dict.fromkeys(f.code for f in sort_findings(unexpected)))
        done = "written" if result.changed else "nothing to change"
        raise AgentcostError(
            f"{done}, but the checks found {len(unexpected)} error(s) that {result.agent} will hit: {codes}",
            hint=f"fix them as shown above, then run `agentcost doctor {result.agent}`",
        )


def _render_human(result: SetupResult) -> None:
    err = err_console()
    for n in result.notices:
        err.print(f"note: {sanitize(n)}", markup=False, soft_wrap=True)
    for line in result.shell_lines:
        err.print(line, markup=False, soft_wrap=True, highlight=False)
    for w in result.warnings:
        err.print(f"[yellow]warning:[/] {escape(sanitize(w))}", soft_wrap=True)
    for wr in result.writes:
        render_write(wr)
    if result.summary:
        con = console()
        for k, v in result.summary.items():
            con.print(f"  {k} = {sanitize(v)}", markup=False, soft_wrap=True)
    if result.findings or not result.dry_run:
        from agentcost.commands.doctor import render_findings

        title = f"checks on the {'would-be ' if result.dry_run else ''}{result.agent} configuration"
        render_findings(sort_findings(result.findings), title=title)
    expected = result.expected_errors()
    if expected and not result.unexpected_errors():
        why = "; ".join(dict.fromkeys(result.expected[f.code] for f in expected))
        tail = "" if result.dry_run else " (exit status 0)"
        err.print(f"note: expected right after set-up{tail}: {why}", markup=False, soft_wrap=True)
