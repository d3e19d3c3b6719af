"""Codex credential checks over auth.json and config files: pure functions over the parsed
`Snapshot` parts (see `codex_snapshot.py`), returning Findings. Split out of `codex_checks.py`.

What Codex 0.171.0 does with each auth.json shape was observed with the e2e stub (see
docs/doctor-codex.md, "Severities checked against the real Codex 0.171.0").
"""

from __future__ import annotations

import re

from agentcost.agents.codex.config import CHATGPT_KEYS, auth_json_problem, chatgpt_login, config_secret_values
from agentcost.agents.codex.snapshot import AuthFile, ConfigFile, Selection, Snapshot
from agentcost.agents.findings import Finding, Severity
from agentcost.secrets import register

AGENT = "codex"


def _f(code: str, sev: Severity, message: str, fix: str | None, file: str | None) -> Finding:
    return Finding(code=code, severity=sev, message=message, fix=fix, file=file, agent=AGENT)


def check_auth(tag: str, sel: Selection, s: Snapshot) -> list[Finding]:
    """requires_openai_auth = true: the key comes from auth.json, which fails silently when wrong."""
    a = s.auth
    if sel.store in ("keyring", "ephemeral", "auto"):
        return [
            _f(
                "CODEX_AUTH_STORE_NOT_FILE",
                Severity.WARNING,
                f"{tag} requires_openai_auth = true, but cli_auth_credentials_store = {sel.store!r}: Codex "
                "does not read auth.json"
                + (" (only when no keyring is available)" if sel.store == "auto" else "")
                + "; if the keyring holds no key, Codex sends NO Authorization header (observed, no warning)",
                "prefer env_key (`agentcost setup codex --auth env`), "
                'or set cli_auth_credentials_store = "file"',
                sel.file,
            )
        ]
    silent = "Codex then sends NO key and prints no warning: the provider answers 401"
    if not a.exists:
        return [
            _f(
                "CODEX_AUTH_JSON_MISSING",
                Severity.ERROR,
                f"{tag} has requires_openai_auth = true but {a.path} does not exist; {silent}",
                "run `agentcost setup codex --auth file` (writes auth.json 0600) or use --auth env",
                a.path,
            )
        ]
    if a.error is not None or a.data is None:
        return [
            _f(
                "CODEX_AUTH_JSON_INVALID",
                Severity.ERROR,
                f"{a.error or 'auth.json is not a JSON object'}; {silent}",
                "fix or remove the file, then run `agentcost setup codex --auth file`",
                a.path,
            )
        ]
    unloadable = auth_json_problem_finding(a, Severity.ERROR, tag)
    if unloadable is not None:
        return [unloadable]
    if chatgpt_login(a.data):
        return [
            _f(
                "CODEX_AUTH_CHATGPT_TOKENS",
                Severity.ERROR,
                f"{tag} is a third-party provider with requires_openai_auth = true, and auth.json holds a "
                "well-formed ChatGPT login: Codex sends your ChatGPT access token to that host (a credential "
                "leak; observed with Codex 0.171.0, which also contacts chatgpt.com)",
                "use `agentcost setup codex --auth env` (keeps the ChatGPT login), or replace the login "
                "with an API key: `agentcost setup codex --auth file` (backs auth.json up first)",
                a.path,
            )
        ]
    key = a.data.get("OPENAI_API_KEY")
    if "OPENAI_API_KEY" not in a.data:
        near = [k for k in a.data if k not in CHATGPT_KEYS and k != "auth_mode"]
        return [
            _f(
                "CODEX_AUTH_JSON_INVALID",
                Severity.ERROR,
                'auth.json has no "OPENAI_API_KEY" entry'
                + (f" (found {', '.join(repr(k) for k in near)}: wrong key name)" if near else "")
                + f"; {silent}",
                'the file must read {"auth_mode": "apikey", "OPENAI_API_KEY": "<key>"}; '
                "`agentcost setup codex --auth file` writes it",
                a.path,
            )
        ]
    if not isinstance(key, str) or not key.strip():
        return [
            _f(
                "CODEX_AUTH_JSON_INVALID",
                Severity.ERROR,
                f'auth.json "OPENAI_API_KEY" is {"null" if key is None else "empty or not a string"}; '
                + silent,
                "`agentcost setup codex --auth file` writes the key",
                a.path,
            )
        ]
    if is_placeholder(key):
        return [
            _f(
                "CODEX_AUTH_JSON_INVALID",
                Severity.ERROR,
                f'auth.json "OPENAI_API_KEY" ({len(key)} characters, not shown) looks like a placeholder '
                "from a guide (`<…>`, `your-…-key`, `sk-xxxx`), not a key; the provider answers 401",
                "put your real key there: `agentcost setup codex --auth file --api-key-env VAR`",
                a.path,
            )
        ]
    register(key)
    return []


def auth_json_problem_finding(a: AuthFile, sev: Severity, tag: str = "") -> Finding | None:
    """auth.json parses as JSON but not as Codex's auth record: Codex ignores the whole file."""
    if a.data is None:
        return None
    problem = auth_json_problem(a.data)
    if problem is None:
        return None
    field, reason = problem
    who = f"{tag} reads its key from auth.json, but " if tag else ""
    effect = (
        "Codex 0.171 then ignores the WHOLE file and sends NO Authorization header, even with "
        'auth_mode "apikey" and a valid OPENAI_API_KEY beside it (observed; Codex prints no warning)'
    )
    if field == "tokens":
        return _f(
            "CODEX_AUTH_JSON_TOKENS_UNPARSEABLE",
            sev,
            f"{who}Codex cannot parse the ChatGPT login in auth.json ({reason}); {effect}",
            '`agentcost setup codex --auth file` rewrites it as {"auth_mode": "apikey", '
            '"OPENAI_API_KEY": …} (old file backed up); or delete the "tokens" entry; to use ChatGPT '
            "instead, run `codex login` again",
            a.path,
        )
    return _f(
        "CODEX_AUTH_JSON_INVALID",
        sev,
        f"{who}Codex cannot read auth.json: {reason}; {effect}",
        f'fix or delete "{field}", or run `agentcost setup codex --auth file` (old file backed up)',
        a.path,
    )


_PLACEHOLDER = re.compile(
    r"^(<.*>|\$\{.*\}|your[-_ ].*|.*[-_]here|x{4,}|sk-x{3,}.*|sk-\.\.\..*|changeme|placeholder)$", re.I
)


def is_placeholder(value: str) -> bool:
    """ "your-atlas-api-key", "<key>", "sk-xxxx": copied from a guide, never a real key."""
    return bool(_PLACEHOLDER.match(value.strip()))


def check_auth_file_mode(a: AuthFile) -> list[Finding]:
    if not a.exists or a.mode is None or not a.mode & 0o077:
        return []
    return [
        _f(
            "CODEX_SECRET_FILE_MODE",
            Severity.WARNING,
            f"auth.json is readable by other users (mode {a.mode:04o}); it holds a key or login token",
            f"chmod 600 {a.path}",
            a.path,
        )
    ]


def check_config_file_mode(cf: ConfigFile) -> list[Finding]:
    """A config file holding a key (bearer token, literal auth header, key in env_key) should be 0600."""
    if cf.data is None or cf.mode is None or not cf.mode & 0o077 or not config_secret_values(cf.data):
        return []
    return [
        _f(
            "CODEX_SECRET_FILE_MODE",
            Severity.WARNING,
            f"{cf.path} holds a key in plain text and is readable by other users (mode {cf.mode:04o})",
            f"chmod 600 {cf.path} (better: move the key out of it, see CODEX_BEARER_TOKEN_IN_CONFIG)",
            cf.path,
        )
    ]
