"""Where things live. Every function reads the environment at call time (tests redirect it)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP = "agentcost"


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
    return Path(d) if d else Path(platformdirs.user_config_dir(APP))


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    e = _env(env)
    d = e.get("AGENTCOST_CACHE_DIR", "").strip()
    return Path(d) if d else Path(platformdirs.user_cache_dir(APP))


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """agentcost's own data dir (records kept across runs, e.g. the status line's rate-limit snapshots)."""
    e = _env(env)
    d = e.get("AGENTCOST_DATA_DIR", "").strip()
    return Path(d) if d else Path(platformdirs.user_data_dir(APP))
