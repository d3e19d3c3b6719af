"""Claude Code settings: where they live, how they are read, and which value wins.

* `settings_path()` / `project_root()` — user, project and local settings locations.
* `load_settings_file()` / `load_sources()` — thin I/O: read and parse, never raise for bad files
  (a broken file becomes a `SettingsFile` with `error`, so checks can report it).
* `effective_env()` — pure: Claude Code's precedence (local > project > user > shell; an `env` block
  overrides a variable exported in the shell), remembering where each value came from.
* URL helpers on ANTHROPIC_BASE_URL values (`is_third_party`, `v1_suffix`, `openai_suffix`).
Facts: observed with Claude Code 2.1.197 against a local stub (agentcost e2e tests).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from agentcost.agents.urls import has_scheme
from agentcost.errors import ConfigError
from agentcost.fileio import file_mode, read_json_object
from agentcost.paths import claude_config_dir

AGENT = "claude"
BASE_URL = "ANTHROPIC_BASE_URL"
AUTH_TOKEN = "ANTHROPIC_AUTH_TOKEN"
API_KEY = "ANTHROPIC_API_KEY"
CRED_VARS = (AUTH_TOKEN, API_KEY)
MODEL = "ANTHROPIC_MODEL"
OPUS = "ANTHROPIC_DEFAULT_OPUS_MODEL"
SONNET = "ANTHROPIC_DEFAULT_SONNET_MODEL"
HAIKU = "ANTHROPIC_DEFAULT_HAIKU_MODEL"
SUBAGENT = "CLAUDE_CODE_SUBAGENT_MODEL"
SMALL_FAST = "ANTHROPIC_SMALL_FAST_MODEL"
MAIN_SLOTS = (MODEL, OPUS, SONNET, SUBAGENT)
FAST_SLOTS = (HAIKU, SMALL_FAST)
MODEL_VARS = MAIN_SLOTS + FAST_SLOTS
DISABLE_BETAS = "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"
DISABLE_TRAFFIC = "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"
ANTHROPIC_HOST = "api.anthropic.com"
SCOPES = ("user", "project", "local")
# Precedence, lowest first (the shell env is below all of them).
_PRECEDENCE = ("user", "project", "local")


# ------------------------------------------------------------------------------------------ sources


@dataclass(frozen=True)
class SettingsFile:
    """One settings file as read (missing and broken files included, so checks can report them)."""

    scope: str
    path: Path
    exists: bool = False
    env: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    env_error: str | None = None
    mode: int | None = None
    api_key_helper: bool = False
    non_string: tuple[str, ...] = ()  # "NAME is a number (5)" for each env value that is not a string
    # (fatal, detail): fields of the wrong type outside "env"; fatal ones make Claude Code ignore the file
    wrong_types: tuple[tuple[bool, str], ...] = ()
    helper_command: str = ""  # apiKeyHelper: a command whose output Claude Code sends as the key
    hook_commands: tuple[str, ...] = ()  # every `hooks` command, all events
    status_line: str = ""  # statusLine.command
    mcp_auto: bool = (
        False  # enableAllProjectMcpServers / enabledMcpjsonServers: .mcp.json servers start unasked
    )

    def token_vars(self) -> list[str]:
        """Credential variables this file sets to a non-empty value."""
        return [v for v in CRED_VARS if self.env.get(v, "")]


def project_root(cwd: Path) -> Path:
    """The git root containing `cwd` (a `.git` dir or file), else `cwd` itself."""
    cur = cwd.resolve()
    for d in (cur, *cur.parents):
        if (d / ".git").exists():
            return d
    return cur


def settings_path(scope: str, env: Mapping[str, str], cwd: Path) -> Path:
    if scope == "user":
        return claude_config_dir(env) / "settings.json"
    root = project_root(cwd)
    if scope == "project":
        return root / ".claude" / "settings.json"
    if scope == "local":
        return root / ".claude" / "settings.local.json"
    raise ValueError(f"unknown scope {scope!r}")


def coerce_env(raw: Any) -> dict[str, str] | None:
    """Claude Code coerces `env` values to strings; None when `env` is not an object."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        return None
    out: dict[str, str] = {}
    for k, v in raw.items():
        if v is None:
            continue
        if isinstance(v, bool):
            out[str(k)] = "true" if v else "false"
        elif isinstance(v, (dict, list)):
            continue
        else:
            out[str(k)] = str(v)
    return out


_JSON_KIND = {bool: "a boolean", int: "a number", float: "a number", dict: "an object", list: "an array"}


def non_string_values(raw: Any) -> tuple[str, ...]:
    """ "NAME is a number (5)" for each value of an `env` object that is not a JSON string. Pure."""
    if not isinstance(raw, dict):
        return ()
    out: list[str] = []
    for k, v in raw.items():
        if isinstance(v, str):
            continue
        kind = "null" if v is None else _JSON_KIND.get(type(v), type(v).__name__)
        secret = str(k) in CRED_VARS  # never show a credential, even a numeric one
        shown = "" if secret or v is None or isinstance(v, (dict, list)) else f" ({json.dumps(v)})"
        out.append(f"{k} is {kind}{shown}")
    return tuple(out)


def _kind(v: Any) -> str:
    return (
        "null"
        if v is None
        else "a string"
        if isinstance(v, str)
        else _JSON_KIND.get(type(v), type(v).__name__)
    )


def wrong_types(data: Mapping[str, Any]) -> tuple[tuple[bool, str], ...]:
    """Fields `setup` and `ignore` write (besides "env") whose JSON type Claude Code rejects. Observed
    with Claude Code 2.1.197: `"permissions"` not an object, `"permissions.deny"` not an array, or
    `"apiKeyHelper"` not a string makes it ignore the WHOLE file (its env and key too: "Not logged
    in"); a deny entry that is not a string leaves the file in force but is no rule. Pure."""
    out: list[tuple[bool, str]] = []
    helper = data.get("apiKeyHelper")
    if "apiKeyHelper" in data and not isinstance(helper, str):
        out.append((True, f'"apiKeyHelper" is {_kind(helper)}, Claude Code expects a string (a command)'))
    perms = data.get("permissions")
    if "permissions" in data and not isinstance(perms, dict):
        out.append((True, f'"permissions" is {_kind(perms)}, Claude Code expects an object'))
    elif isinstance(perms, dict) and "deny" in perms:
        deny = perms["deny"]
        if not isinstance(deny, list):
            out.append((True, f'"permissions.deny" is {_kind(deny)}, Claude Code expects an array of rules'))
        else:
            bad = [f"#{i + 1} is {_kind(r)}" for i, r in enumerate(deny) if not isinstance(r, str)]
            if bad:
                out.append((False, f'"permissions.deny" entries must be strings such as "Read(./.env)": '
                                   f"{', '.join(bad[:5])}"))  # fmt: skip
    return tuple(out)


def settings_from_data(scope: str, path: Path, data: dict[str, Any] | None, mode: int | None) -> SettingsFile:
    """Build a SettingsFile from parsed data (also used by `setup` for a dry-run preview)."""
    if data is None:
        return SettingsFile(scope=scope, path=path)
    env = coerce_env(data.get("env"))
    env_error = None
    if env is None:
        env_error = f'"env" is a {type(data.get("env")).__name__}, Claude Code expects an object'
        env = {}
    helper = bool(data.get("apiKeyHelper"))
    status = data.get("statusLine")
    return SettingsFile(
        scope=scope,
        path=path,
        exists=True,
        env=env,
        env_error=env_error,
        mode=mode,
        api_key_helper=helper,
        non_string=non_string_values(data.get("env")),
        wrong_types=wrong_types(data),
        helper_command=str(data.get("apiKeyHelper") or ""),
        hook_commands=hook_commands(data.get("hooks")),
        status_line=str(status.get("command") or "") if isinstance(status, dict) else "",
        mcp_auto=data.get("enableAllProjectMcpServers") is True or bool(data.get("enabledMcpjsonServers")),
    )


def hook_commands(raw: Any) -> tuple[str, ...]:
    """Every command of a `hooks` object ({"Event": [{"matcher": …, "hooks": [{"command": …}]}]}). Pure."""
    out: list[str] = []
    if not isinstance(raw, dict):
        return ()
    for groups in raw.values():
        for group in groups if isinstance(groups, list) else []:
            inner = group.get("hooks") if isinstance(group, dict) else None
            for h in inner if isinstance(inner, list) else []:
                if isinstance(h, dict) and h.get("command"):
                    out.append(str(h["command"]))
    return tuple(out)


def load_settings_file(scope: str, path: Path) -> SettingsFile:
    try:
        data, _text = read_json_object(path)
    except ConfigError as e:
        return SettingsFile(
            scope=scope, path=path, exists=path.exists(), error=e.message, mode=file_mode(path)
        )
    return settings_from_data(scope, path, data, file_mode(path))


def load_sources(env: Mapping[str, str], cwd: Path) -> list[SettingsFile]:
    """User, project and local settings (in precedence order, lowest first).

    In the home directory (no enclosing git repository) the project file IS the user file: it is
    read once, as user settings.
    """
    paths = {s: settings_path(s, env, cwd) for s in _PRECEDENCE}
    # realpath, not resolve(): a symlink loop must reach the reader (a clean error), not raise here
    if os.path.realpath(paths["project"]) == os.path.realpath(paths["user"]):
        del paths["project"]
    return [load_settings_file(s, p) for s, p in paths.items()]


LOCAL_PATTERN = ".claude/settings.local.json"


def add_git_exclude(exclude: Path, pattern: str = LOCAL_PATTERN) -> bool:
    """Append `pattern` to the exclude file (created if missing). False when it is already listed.

    Raises OSError when the file cannot be written.
    """
    # A repository controls its .git too (a downloaded tree, a crafted clone): never write through a
    # symlinked info/ or exclude, nor into anything but a regular file (a FIFO would block).
    for p in (exclude.parent, exclude):
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode) or (p is exclude and not stat.S_ISREG(st.st_mode)):
            raise OSError(errno.EPERM, f"{p} is a symlink or not a regular file; not written")
    text = exclude.read_text(encoding="utf-8", errors="replace") if exclude.exists() else ""
    listed = {line.strip().lstrip("/") for line in text.splitlines()}
    if pattern.lstrip("/") in listed:
        return False
    exclude.parent.mkdir(parents=True, exist_ok=True)
    sep = "" if not text or text.endswith("\n") else "\n"
    with exclude.open("a", encoding="utf-8") as fh:
        fh.write(f"{sep}# added by agentcost setup claude: holds an API key\n{pattern}\n")
    return True


# ----------------------------------------------------------------------------------------- effective


@dataclass(frozen=True)
class Value:
    value: str
    origin: str  # "shell" or a scope
    path: Path | None = None


def effective_env(files: list[SettingsFile], shell: Mapping[str, str]) -> dict[str, Value]:
    """Every variable Claude Code would see, with where it came from (settings beat the shell)."""
    out: dict[str, Value] = {k: Value(v, "shell") for k, v in shell.items()}
    by_scope = {f.scope: f for f in files}
    for scope in _PRECEDENCE:
        f = by_scope.get(scope)
        if f is None:
            continue
        for k, v in f.env.items():
            out[k] = Value(v, scope, f.path)
    return out


def base_url_host(url: str) -> str | None:
    try:
        return urlsplit(url.strip()).hostname
    except ValueError:
        return None


def is_third_party(url: str) -> bool:
    """A base URL pointing anywhere but Anthropic's API (empty = Claude Code's built-in endpoint)."""
    if not url.strip():
        return False
    host = base_url_host(url)
    return host != ANTHROPIC_HOST


def v1_suffix(url: str) -> str | None:
    """The offending suffix when the base URL's path ends in /v1, /v1/ or /v1/messages, else None."""
    try:
        path = urlsplit(url.strip()).path if has_scheme(url) else url.strip()
    except ValueError:
        return None
    low = path.lower().rstrip("/")
    for suffix in ("/v1/messages", "/v1"):
        if low.endswith(suffix) or low == suffix.lstrip("/"):
            return suffix
    return None


def openai_suffix(url: str) -> str | None:
    """The OpenAI-style endpoint a base URL ends in (/chat/completions, /completions, /responses)."""
    try:
        path = urlsplit(url.strip()).path.lower().rstrip("/")
    except ValueError:
        return None
    for suffix in ("/chat/completions", "/completions", "/responses"):
        if path.endswith(suffix):
            return suffix
    return None
