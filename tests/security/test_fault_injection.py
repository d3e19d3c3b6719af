"""Deterministic fault injection: stop a set-up after exactly k write steps, for every k (issue #11).

Every write commits with one `fileio._replace` (and the git exclude with one append): the harness
lets k steps through and then raises, as a kill or a full disk would, and checks that the files left
behind parse and never pair a key with a host that must not get it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomllib

from agentcost import fileio
from agentcost.agents.claude import guard as claude_guard

THIRD = "sk-third-party-KEY-0123456789abcd"
OPENAI = "sk-proj-OPENAIKEY-0123456789abcd"


class Killed(BaseException):
    """Stands for SIGKILL at that point: nothing after it runs (not even `except Exception`)."""


def _stop_after(monkeypatch: pytest.MonkeyPatch, k: int, *, exclude: bool = False) -> list[str]:
    steps: list[str] = []

    def gate(name: str) -> None:
        if len(steps) >= k:
            raise Killed(name)
        steps.append(name)

    real_replace = fileio._replace

    def replace(src: str, dst: Path) -> None:
        gate(str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(fileio, "_replace", replace)
    if exclude:
        real_add = claude_guard.add_git_exclude

        def add(path: Path, *a: Any) -> bool:
            gate(str(path))
            return real_add(path, *a)

        monkeypatch.setattr(claude_guard, "add_git_exclude", add)
    return steps


def _run(cli: Callable[..., Any], *args: str) -> bool:
    """True when the command ran to the end; False when the injected fault stopped it."""
    try:
        cli(*args)
    except Killed:
        return False
    return True


def _no_key_exposed(*dirs: Path) -> None:
    for d in dirs:
        for p in d.rglob("*"):
            if p.is_file() and p.stat().st_mode & 0o077 and not p.is_symlink():
                text = p.read_text(errors="replace")
                assert THIRD not in text and OPENAI not in text, f"{p} is readable by others and holds a key"


# ------------------------------------------------------------------------------------------- codex


def _codex_state(home: Path) -> tuple[str, str | None, bool]:
    """(provider id, the key auth.json holds, whether that provider is sent auth.json's key)."""
    cfg = tomllib.loads((home / "config.toml").read_text()) if (home / "config.toml").exists() else {}
    auth = json.loads((home / "auth.json").read_text()) if (home / "auth.json").exists() else {}
    provider = cfg.get("model_provider", "openai")
    table = cfg.get("model_providers", {}).get(provider, {})
    sends = provider == "openai" or bool(table.get("requires_openai_auth"))
    return provider, auth.get("OPENAI_API_KEY"), sends


def _assert_codex_safe(home: Path) -> None:
    provider, key, sends = _codex_state(home)  # parses both files, or fails here
    if key and sends:
        assert (key == OPENAI) == (provider == "openai"), f"auth.json's key would go to {provider}"
    _no_key_exposed(home)


@pytest.mark.parametrize("direction", ["openai->third", "third->openai"])
def test_codex_every_write_step_leaves_a_safe_state(
    cli: Callable[..., Any], isolated_env: Path, monkeypatch: pytest.MonkeyPatch, direction: str
) -> None:
    home = Path(os.environ["CODEX_HOME"])
    to_third = ("setup", "codex", "-p", "deepseek", "--auth", "file", "--api-key", THIRD, "--yes")
    to_openai = ("setup", "codex", "-p", "openai", "--auth", "file", "--api-key", OPENAI, "--yes")
    first, second = (to_openai, to_third) if direction == "openai->third" else (to_third, to_openai)
    k = 0
    while True:
        shutil.rmtree(home, ignore_errors=True)
        assert _run(cli, *first)
        _assert_codex_safe(home)
        with monkeypatch.context() as m:
            steps = _stop_after(m, k)
            finished = _run(cli, *second)
        _assert_codex_safe(home)
        if finished:
            break
        assert len(steps) == k
        k += 1
    assert k >= 2  # config.toml and auth.json, at least
    provider, key, _ = _codex_state(home)
    assert (provider, key) == (("deepseek", THIRD) if direction == "openai->third" else ("openai", OPENAI))


# ------------------------------------------------------------------------------------------ claude


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)


def test_claude_local_key_file_is_ignored_before_it_holds_the_key(
    cli: Callable[..., Any], isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git unavailable")
    setup = (
        "setup",
        "claude",
        "--provider",
        "custom",
        "--base-url",
        "https://x.example.com",
        "--api-key",
        THIRD,
    )
    setup += ("--model", "m", "--fast-model", "f", "--scope", "local", "--yes")
    k = 0
    while True:
        root = tmp_path / f"repo{k}"
        root.mkdir()
        assert _git(root, "init", "-q").returncode == 0
        monkeypatch.chdir(root)
        with monkeypatch.context() as m:
            steps = _stop_after(m, k, exclude=True)
            finished = _run(cli, *setup)
        local = root / ".claude" / "settings.local.json"
        if local.exists():
            data = json.loads(local.read_text())  # parseable
            if THIRD in json.dumps(data):
                assert _git(root, "check-ignore", "-q", ".claude/settings.local.json").returncode == 0
        _no_key_exposed(root)
        if finished:
            break
        assert len(steps) == k
        k += 1
    assert k >= 2  # the exclude, then the key file
