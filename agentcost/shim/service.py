"""Run the shim as a user service: a systemd user unit (Linux) or a launchd agent (macOS).

The service runs `python -m agentcost shim --upstream … --api-key-env VAR --port N --env-file F`:
services do not see your shell's exports, so the key comes from an env file (mode 0600, `VAR=…`)
that the user writes (or `install-service --store-key` writes from the current environment).
Nothing here starts or enables the service; the command prints how to.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from agentcost.paths import config_dir, home
from agentcost.shim.config import LOOPBACK, ShimConfig

UNIT_NAME = "agentcost-shim.service"
LAUNCHD_LABEL = "com.agentcost.shim"


@dataclass(frozen=True)
class ServiceFile:
    kind: str  # "systemd" | "launchd"
    path: Path
    text: str
    start: list[str]  # commands that start it (printed, never run)
    stop: list[str]


def env_file_path(env: Mapping[str, str] | None = None) -> Path:
    return config_dir(env) / "shim.env"


def shim_argv(cfg: ShimConfig, env_file: Path, python: str | None = None) -> list[str]:
    argv = [python or sys.executable, "-m", "agentcost", "shim", "--upstream", cfg.upstream]
    argv += ["--api-key-env", cfg.api_key_env, "--port", str(cfg.port), "--env-file", str(env_file)]
    if cfg.host != LOOPBACK:
        argv += ["--host", cfg.host]
    if cfg.model:
        argv += ["--model", cfg.model]
    return argv


def _systemd_quote(arg: str) -> str:
    # systemd splits ExecStart like a shell (double quotes, backslash escapes); % is its specifier.
    arg = arg.replace("%", "%%")
    if arg and all(c.isalnum() or c in "-_./:=@+," for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_unit(cfg: ShimConfig, env_file: Path, python: str | None = None) -> str:
    exec_start = " ".join(_systemd_quote(a) for a in shim_argv(cfg, env_file, python))
    return (
        "[Unit]\n"
        f"Description=agentcost shim: Codex (Responses API) -> {cfg.upstream} (Chat Completions)\n"
        "After=network-online.target\n"
        "Wants=network-online.target\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"ExecStart={exec_start}\n"
        "Restart=on-failure\n"
        "RestartSec=2\n"
        "NoNewPrivileges=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def launchd_plist(cfg: ShimConfig, env_file: Path, log_dir: Path, python: str | None = None) -> str:
    args = "\n".join(f"    <string>{escape(a)}</string>" for a in shim_argv(cfg, env_file, python))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n'
        "<dict>\n"
        f"  <key>Label</key>\n  <string>{LAUNCHD_LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{args}\n  </array>\n"
        "  <key>RunAtLoad</key>\n  <true/>\n"
        "  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n"
        f"  <key>StandardErrorPath</key>\n  <string>{escape(str(log_dir / 'shim.log'))}</string>\n"
        "</dict>\n"
        "</plist>\n"
    )


def service_file(
    cfg: ShimConfig, kind: str, env: Mapping[str, str] | None = None, python: str | None = None
) -> ServiceFile:
    env_file = env_file_path(env)
    h = home(env)
    if kind == "launchd":
        path = h / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"
        text = launchd_plist(cfg, env_file, h / "Library" / "Logs" / "agentcost", python)
        q = shlex.quote(str(path))
        return ServiceFile(kind, path, text, [f"launchctl load -w {q}"], [f"launchctl unload -w {q}"])
    xdg = (env or {}).get("XDG_CONFIG_HOME", "").strip()
    base = Path(xdg) if xdg else h / ".config"
    path = base / "systemd" / "user" / UNIT_NAME
    return ServiceFile(
        "systemd",
        path,
        systemd_unit(cfg, env_file, python),
        ["systemctl --user daemon-reload", f"systemctl --user enable --now {UNIT_NAME}"],
        [f"systemctl --user disable --now {UNIT_NAME}"],
    )


def default_kind() -> str:
    return "launchd" if sys.platform == "darwin" else "systemd"
