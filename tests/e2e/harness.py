"""Machinery for the end-to-end tests: installing the pinned clients, and an isolated user world.

* `ensure_clients()`: `npm ci` of `tests/e2e/package-lock.json` into a cache directory keyed by the
  hash of package.json + package-lock.json (`$AGENTCOST_E2E_CACHE/<hash>`, default
  `~/.cache/agentcost-e2e/<hash>` of the real home), once; later sessions reuse it. Skips with the
  reason when npm is missing or the install fails, unless `AGENTCOST_E2E_REQUIRED=1` (CI): then
  that is a test failure.
* `World`: a temporary HOME / CLAUDE_CONFIG_DIR / CODEX_HOME and helpers to run `agentcost` (as a
  subprocess, as a user would), `claude` and `codex` in it, each with a timeout, behind the proxy guard.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from tests.conftest import REAL_HOME
from tests.e2e.proxy_guard import ProxyGuard

HERE = Path(__file__).resolve().parent
REQUIRED = os.environ.get("AGENTCOST_E2E_REQUIRED", "") == "1"
INSTALL_TIMEOUT = 900
# Per-test limit for pytest-timeout: the first e2e test of a clean machine also pays for `npm ci`
# (the ini-wide 300 s could cut a slow download short). Hangs are bounded by the per-subprocess
# timeouts below, not by this.
E2E_TEST_TIMEOUT = INSTALL_TIMEOUT + 300
CLIENT_TIMEOUT = 90
AGENTCOST_TIMEOUT = 60
OK_MARKER = ".agentcost-e2e-installed"

# Flags that keep `codex exec` from reaching github.com / chatgpt.com and from retrying forever
# (facts/codex.md "Outside connections"; checked against `codex exec --help` of 0.171.0).
CODEX_EXEC_FLAGS = [
    "exec",
    "--skip-git-repo-check",
    "--disable",
    "unbounded_connection_retries",
    "--disable",
    "plugins",
    "-c",
    "analytics.enabled=false",
]


def _give_up(reason: str) -> NoReturn:
    if REQUIRED:
        pytest.fail(f"AGENTCOST_E2E_REQUIRED=1 but {reason}", pytrace=False)
    pytest.skip(f"e2e: {reason}")


def lock_hash() -> str:
    h = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def cache_root() -> Path:
    override = os.environ.get("AGENTCOST_E2E_CACHE", "").strip()
    if override:
        return Path(override).expanduser()
    return Path(REAL_HOME) / ".cache" / "agentcost-e2e"


@dataclass(frozen=True)
class Clients:
    root: Path
    claude: Path
    codex: Path
    claude_version: str
    codex_version: str


def _npm_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ANTHROPIC_", "OPENAI_", "CLAUDE_", "CODEX_"))
    }
    env["HOME"] = REAL_HOME  # npm's own download cache (~/.npm), not the per-test fake home
    env["npm_config_update_notifier"] = "false"
    env["npm_config_fund"] = "false"
    env["npm_config_audit"] = "false"
    return env


def _version(binary: Path) -> tuple[int, str]:
    """`<binary> --version` in a throw-away home (never the developer's ~/.claude or ~/.codex)."""
    with tempfile.TemporaryDirectory(prefix="agentcost-e2e-version-") as home:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": home,
            "CLAUDE_CONFIG_DIR": os.path.join(home, ".claude"),
            "CODEX_HOME": os.path.join(home, ".codex"),
        }
        try:
            p = subprocess.run(
                [str(binary), "--version"], capture_output=True, text=True, timeout=60, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            return 1, str(e)
    if p.returncode != 0 or not p.stdout.strip():
        return p.returncode or 1, (p.stdout + p.stderr).strip()
    return 0, p.stdout.strip().splitlines()[0]


def npm_ci_staging(source: Path, target: Path, *, flags: tuple[str, ...] = (), what: str = "") -> Path:
    """`npm ci` of `source`'s package.json + lock into a fresh directory next to `target` (returned;
    publish it with `publish_install`). Gives up (skip, or fail in CI) when npm fails or is too slow."""
    staging = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(source / name, staging / name)
    label = f"`npm ci`{what}"
    try:
        p = subprocess.run(
            ["npm", "ci", *flags, "--no-audit", "--no-fund"],
            cwd=staging,
            env=_npm_env(),
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(staging, ignore_errors=True)
        _give_up(f"{label} took longer than {INSTALL_TIMEOUT}s")
    if p.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
        _give_up(f"{label} failed (exit {p.returncode}):\n{tail}")
    return staging


def publish_install(staging: Path, target: Path, lock: str) -> None:
    """Mark a finished install with its lock hash and rename it into place."""
    (staging / OK_MARKER).write_text(lock + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)


def _install(target: Path) -> None:
    """npm ci into a fresh directory next to `target`, then rename it into place."""
    staging = npm_ci_staging(HERE, target)
    # Claude Code's postinstall copies the native binary over a placeholder; if an npm that does
    # not run install scripts skipped it, run it ourselves.
    claude_pkg = staging / "node_modules" / "@anthropic-ai" / "claude-code"
    if (
        _version(staging / "node_modules" / ".bin" / "claude")[0] != 0
        and (claude_pkg / "install.cjs").exists()
    ):
        subprocess.run(
            ["node", "install.cjs"],
            cwd=claude_pkg,
            env=_npm_env(),
            capture_output=True,
            timeout=120,
            check=False,
        )
    publish_install(staging, target, lock_hash())


@contextlib.contextmanager
def _install_lock(root: Path) -> Iterator[None]:
    """An exclusive lock so concurrent pytest runs install once (POSIX; elsewhere no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(root / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


_installed: list[Clients] = []  # memo: other areas' e2e tests call ensure_clients() directly


def ensure_clients() -> Clients:
    """The pinned Claude Code and Codex CLIs, installed once per lock-file hash."""
    if _installed and _installed[0].root == cache_root() / lock_hash():
        return _installed[0]
    if shutil.which("npm") is None or shutil.which("node") is None:
        _give_up("npm/node not found on PATH (install Node.js >= 18 to run the end-to-end tests)")
    root = cache_root()
    target = root / lock_hash()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _give_up(f"cannot create the e2e cache dir {root}: {e}")
    with _install_lock(root):
        if not (target / OK_MARKER).exists():
            _install(target)
    bin_dir = target / "node_modules" / ".bin"
    rc_c, claude_v = _version(bin_dir / "claude")
    rc_x, codex_v = _version(bin_dir / "codex")
    if rc_c != 0 or rc_x != 0:
        _give_up(f"installed clients do not run: claude -> {claude_v!r}, codex -> {codex_v!r} (in {target})")
    clients = Clients(target, bin_dir / "claude", bin_dir / "codex", claude_v, codex_v)
    _installed[:] = [clients]
    return clients


# -- an isolated user world ----------------------------------------------------------------------


@dataclass
class Run:
    """A finished subprocess."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def explain(self) -> str:
        return (
            f"$ {' '.join(self.args)}\n[exit {self.returncode}]\n"
            f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
        )


@dataclass
class World:
    """A fake user: HOME, CLAUDE_CONFIG_DIR and CODEX_HOME under a temp dir, and ways to run things."""

    home: Path
    clients: Clients
    guard: ProxyGuard
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def claude_dir(self) -> Path:
        return self.home / ".claude"

    @property
    def codex_home(self) -> Path:
        return self.home / ".codex"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        """A minimal environment: nothing from the developer's shell except PATH and locale."""
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "USER": "e2e",
            "TMPDIR": os.environ.get("TMPDIR", "/tmp"),
            "CLAUDE_CONFIG_DIR": str(self.claude_dir),
            "CODEX_HOME": str(self.codex_home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "AGENTCOST_CONFIG_DIR": str(self.home / ".config" / "agentcost"),
            "AGENTCOST_CACHE_DIR": str(self.home / ".cache" / "agentcost"),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "TERM": "dumb",
            "CI": "1",
            # Claude Code: fail fast instead of retrying ~10 times; no telemetry to Anthropic's host.
            "CLAUDE_CODE_MAX_RETRIES": "0",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            **self.guard.env(),
        }
        if "PYTHONPATH" in os.environ:
            env["PYTHONPATH"] = os.environ["PYTHONPATH"]
        env.update(self.extra_env)
        if extra:
            env.update(extra)
        return env

    @property
    def workdir(self) -> Path:
        """Default cwd: a project dir inside HOME (not HOME itself, whose .claude/ would double as
        the project's .claude/)."""
        d = self.home / "work"
        d.mkdir(exist_ok=True)
        return d

    def _run(self, args: list[str], cwd: Path | None, extra: dict[str, str] | None, timeout: int) -> Run:
        try:
            p = subprocess.run(
                args,
                cwd=cwd or self.workdir,
                env=self.env(extra),
                capture_output=True,
                text=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
            pytest.fail(f"timed out after {timeout}s: {' '.join(args)}\n{out}\n{err}", pytrace=False)
        return Run(args, p.returncode, p.stdout, p.stderr)

    def agentcost(self, *args: str, cwd: Path | None = None, extra: dict[str, str] | None = None) -> Run:
        """Run the agentcost CLI as a user would: a separate process (`python -m agentcost`)."""
        return self._run([sys.executable, "-m", "agentcost", *args], cwd, extra, AGENTCOST_TIMEOUT)

    def claude(self, *args: str, cwd: Path | None = None, extra: dict[str, str] | None = None) -> Run:
        return self._run([str(self.clients.claude), *args], cwd, extra, CLIENT_TIMEOUT)

    def codex(self, *args: str, cwd: Path | None = None, extra: dict[str, str] | None = None) -> Run:
        return self._run([str(self.clients.codex), *args], cwd, extra, CLIENT_TIMEOUT)

    def codex_exec(
        self, prompt: str, *args: str, cwd: Path | None = None, extra: dict[str, str] | None = None
    ) -> Run:
        return self.codex(*CODEX_EXEC_FLAGS, *args, prompt, cwd=cwd, extra=extra)

    # -- config files -----------------------------------------------------------------------------
    def claude_settings(self) -> dict[str, Any]:
        data = json.loads((self.claude_dir / "settings.json").read_text())
        assert isinstance(data, dict)
        return data

    def write_claude_settings(self, data: dict[str, Any]) -> None:
        self.claude_dir.mkdir(parents=True, exist_ok=True)
        (self.claude_dir / "settings.json").write_text(json.dumps(data, indent=2) + "\n")

    def write_codex_config(self, text: str, auth: str | None = None) -> None:
        self.codex_home.mkdir(parents=True, exist_ok=True)
        (self.codex_home / "config.toml").write_text(text)
        if auth is not None:
            (self.codex_home / "auth.json").write_text(auth)
            (self.codex_home / "auth.json").chmod(0o600)


def doctor_codes(run: Run) -> set[str]:
    """Finding codes from `agentcost doctor --json` output."""
    with contextlib.suppress(ValueError):
        data = json.loads(run.stdout)
        return {f["code"] for f in data.get("findings", [])}
    raise AssertionError(f"doctor --json did not print JSON:\n{run.explain()}")
