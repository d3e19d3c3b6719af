"""Where things live. Every function reads the environment at call time (tests redirect it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

APP = "agentcost"
_LINUX = sys.platform.startswith("linux")
_XDG_DEFAULTS = {
    "XDG_CONFIG_HOME": "~/.config",
    "XDG_CACHE_HOME": "~/.cache",
    "XDG_DATA_HOME": "~/.local/share",
}


def _user_dir(kind: str) -> Path:
    """platformdirs' user_<kind>_dir(APP). On Linux computed directly (the XDG rules platformdirs
    applies: the variable if set and not blank, else its default under $HOME), which keeps the
    status line from importing platformdirs; elsewhere platformdirs itself."""
    if _LINUX:
        var = {"config": "XDG_CONFIG_HOME", "cache": "XDG_CACHE_HOME", "data": "XDG_DATA_HOME"}[kind]
        base = os.environ.get(var, "")
        if not base.strip():
            base = os.path.expanduser(_XDG_DEFAULTS[var])
        return Path(base) / APP
    import platformdirs

    fn = {
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "data": platformdirs.user_data_dir,
    }[kind]
    return Path(fn(APP))


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def home(env: Mapping[str, str] | None = None) -> Path:
    h = _env(env).get("HOME")
    return Path(h) if h else Path.home()


def claude_config_dir(env: Mapping[str, str] | None = None) -> Path:
    """Claude Code's config dir: `$CLAUDE_CONFIG_DIR` (one directory for the client) or `~/.claude`."""
    e = _env(env)
    d = e.get("CLAUDE_CONFIG_DIR", "").strip()
    if d:
        # For writing settings, a comma-separated list (accepted by log readers) means its first entry.
        return Path(os.path.expanduser(d.split(",")[0].strip()))
    return home(e) / ".claude"


def claude_log_dirs(env: Mapping[str, str] | None = None) -> list[Path]:
    """Directories whose `projects/` hold Claude Code logs (comma-separated list allowed, as ccusage)."""
    e = _env(env)
    d = e.get("CLAUDE_CONFIG_DIR", "").strip()
    if d:
        return [Path(os.path.expanduser(p.strip())) for p in d.split(",") if p.strip()]
    h = home(e)
    xdg = e.get("XDG_CONFIG_HOME", "").strip()
    cfg = Path(xdg) if xdg else h / ".config"
    return [h / ".claude", cfg / "claude"]


def codex_home(env: Mapping[str, str] | None = None) -> Path:
    e = _env(env)
    d = e.get("CODEX_HOME", "").strip()
    return Path(os.path.expanduser(d)) if d else home(e) / ".codex"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """agentcost's own config dir (user overrides of providers, prices, plans)."""
    e = _env(env)
    d = e.get("AGENTCOST_CONFIG_DIR", "").strip()
    return Path(d) if d else _user_dir("config")


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    e = _env(env)
    d = e.get("AGENTCOST_CACHE_DIR", "").strip()
    return Path(d) if d else _user_dir("cache")


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """agentcost's own data dir (records kept across runs, e.g. the status line's rate-limit snapshots)."""
    e = _env(env)
    d = e.get("AGENTCOST_DATA_DIR", "").strip()
    return Path(d) if d else _user_dir("data")


def _unset(v: str | None) -> bool:
    # OpenClaw treats blank values and the strings "undefined" / "null" as unset
    return v is None or v.strip() in ("", "undefined", "null")


def openclaw_state_dir(env: Mapping[str, str] | None = None) -> Path:
    """OpenClaw's state dir: `$OPENCLAW_STATE_DIR`, else `<$OPENCLAW_HOME or $HOME>/.openclaw`."""
    e = _env(env)
    d = e.get("OPENCLAW_STATE_DIR")
    if not _unset(d):
        return Path(os.path.expanduser(str(d).strip()))
    h = e.get("OPENCLAW_HOME")
    base = Path(os.path.expanduser(str(h).strip())) if not _unset(h) else home(e)
    return base / ".openclaw"
