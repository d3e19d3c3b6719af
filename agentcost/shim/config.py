"""The shim's launch settings: from flags, or from `<config dir>/shim.toml` (written by
`setup codex --via-shim`), plus the optional env file a service reads the key from.

`shim.toml` holds no key, only the variable's name:

    upstream = "https://api.deepseek.com/v1"
    api_key_env = "DEEPSEEK_API_KEY"
    port = 8765
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from agentcost.agents.codex.url import normalize_base_url
from agentcost.errors import AgentcostError, ConfigError
from agentcost.fileio import parse_toml, read_text, write_atomic
from agentcost.paths import config_dir

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024  # Codex resends the whole history; images are base64
HEALTH_PATH = "/v1/agentcost-shim"


@dataclass(frozen=True)
class ShimConfig:
    upstream: str  # the provider's API root, normalised
    api_key_env: str
    port: int = DEFAULT_PORT
    host: str = LOOPBACK
    model: str | None = None  # forced model; None = what Codex asks for
    max_request_mb: float = DEFAULT_MAX_REQUEST_BYTES / 1024 / 1024

    @property
    def local_url(self) -> str:
        """The base_url Codex gets (Codex appends /responses)."""
        host = LOOPBACK if self.host in ("0.0.0.0", "::", "") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "shim.toml"


def normalize_upstream(url: str) -> str:
    return normalize_base_url(url, flag="--upstream").url


def load(env: Mapping[str, str] | None = None) -> ShimConfig | None:
    """The saved settings, or None when there are none. A broken file is an error (file:line:col)."""
    path = config_path(env)
    text = read_text(path)
    if text is None:
        return None
    data = parse_toml(text, path).unwrap()
    upstream, key_env, port = data.get("upstream"), data.get("api_key_env"), data.get("port", DEFAULT_PORT)
    if not isinstance(upstream, str) or not isinstance(key_env, str) or not isinstance(port, int):
        raise ConfigError("needs upstream (string), api_key_env (string) and port (integer)", path=path)
    model = data.get("model")
    return ShimConfig(
        upstream=upstream,
        api_key_env=key_env,
        port=port,
        host=str(data.get("host", LOOPBACK)),
        model=model if isinstance(model, str) and model else None,
    )


def render(cfg: ShimConfig) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("agentcost shim settings (written by `agentcost setup codex --via-shim`)."))
    doc.add(tomlkit.comment("No key here: the shim reads it from the variable api_key_env names."))
    doc["upstream"] = cfg.upstream
    doc["api_key_env"] = cfg.api_key_env
    doc["port"] = cfg.port
    if cfg.host != LOOPBACK:
        doc["host"] = cfg.host
    if cfg.model:
        doc["model"] = cfg.model
    return tomlkit.dumps(doc)


def save(cfg: ShimConfig, env: Mapping[str, str] | None = None, *, dry_run: bool = False) -> object:
    return write_atomic(config_path(env), render(cfg), dry_run=dry_run)


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines (optionally `export NAME=value`, quotes stripped; # comments).

    Refused when others can read it (it holds a key): chmod 600, as ssh does for its keys.
    """
    try:
        st = path.stat()
    except OSError as e:
        raise AgentcostError(f"cannot read the env file {path}: {e.strerror}") from None
    if os.name == "posix" and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AgentcostError(
            f"{path} is readable by other users (mode {stat.S_IMODE(st.st_mode):o}) and holds a key",
            hint=f"chmod 600 {path}",
        )
    out: dict[str, str] = {}
    text = read_text(path) or ""
    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        s = s.removeprefix("export ").strip()
        name, sep, value = s.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ConfigError("expected NAME=value", path=path, line=lineno, column=1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        out[name.strip()] = value
    return out
