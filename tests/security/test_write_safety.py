"""Backups, temp files, crash files, the lock and the compare-and-swap of write_atomic (issue #11)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from agentcost import fileio
from agentcost.errors import ConfigError
from agentcost.fileio import write_atomic

KEY = "sk-ant-TESTKEY-0123456789abcdef"


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def _leftovers(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir() if "agentcost" in p.name)


def test_backup_of_a_world_readable_key_file_is_0600(isolated_env: Path) -> None:
    f = isolated_env / "settings.json"
    f.write_text(f'{{"env": {{"ANTHROPIC_API_KEY": "{KEY}"}}}}\n')
    os.chmod(f, 0o644)
    r = write_atomic(f, "{}\n")
    assert r.backup is not None and KEY in r.backup.read_text()
    assert _mode(r.backup) == 0o600
    assert _mode(f) == 0o644  # the live file keeps its mode: it no longer holds the key


def test_backups_in_a_git_work_tree_go_to_a_0700_cache_dir(isolated_env: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    f = repo / "settings.json"
    f.write_text(f'{{"k": "{KEY}"}}\n')
    os.chmod(f, 0o644)
    r = write_atomic(f, "{}\n")
    assert r.backup is not None and _mode(r.backup) == 0o600 and _mode(r.backup.parent) == 0o700


def test_enospc_leaves_no_backup_and_no_temp_file(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = isolated_env / "config.toml"
    f.write_text(f'experimental_bearer_token = "{KEY}"\n')
    os.chmod(f, 0o644)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ConfigError, match="No space left"):
        write_atomic(f, 'model = "x"\n')
    assert _leftovers(isolated_env) == []
    assert KEY in f.read_text()


def test_a_killed_runs_temp_file_is_removed_by_the_next_write(isolated_env: Path) -> None:
    f = isolated_env / "auth.json"
    f.write_text("{}\n")
    stale = isolated_env / f".auth.json.abc123{fileio.TMP_SUFFIX}"
    stale.write_text(f'{{"OPENAI_API_KEY": "{KEY}"}}')
    write_atomic(f, '{"a": 1}\n', secret=True, backup=False)
    assert not stale.exists()


def test_lone_surrogate_is_refused_before_any_backup(isolated_env: Path) -> None:
    f = isolated_env / "settings.json"
    f.write_text("{}\n")
    with pytest.raises(ConfigError, match=r"settings.json:2:.*surrogate"):
        write_atomic(f, '{\n  "model": "\ud800"\n}\n')
    assert _leftovers(isolated_env) == [] and f.read_text() == "{}\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(isolated_env: Path) -> None:
    f = isolated_env / "settings.json"
    f.write_text('{"env": {"A": "1"}}\n')
    with pytest.raises(ConfigError, match="changed by another program"):
        write_atomic(f, "{}\n", old_text='{"env": {}}\n')  # the caller planned from an older text
    assert f.read_text() == '{"env": {"A": "1"}}\n'


def test_the_lock_is_held_across_processes_with_a_timeout(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = isolated_env / "settings.json"
    f.write_text("{}\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from agentcost.filelock import locked\n"
            "with locked([Path(sys.argv[1])]):\n    print('held', flush=True); time.sleep(30)",
            str(f),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("AGENTCOST_LOCK_TIMEOUT", "0.3")
        with pytest.raises(ConfigError, match="another agentcost process"):
            write_atomic(f, '{"a": 1}\n')
        assert f.read_text() == "{}\n"
    finally:
        holder.kill()
        holder.wait()
    write_atomic(f, '{"a": 1}\n')  # released when its holder died
    assert f.read_text() == '{"a": 1}\n'


def test_crash_files_are_private_and_never_overwrite_each_other(isolated_env: Path) -> None:
    from agentcost.clikit import _write_traceback

    names = []
    for _ in range(2):
        try:
            raise RuntimeError(f"boom {KEY}")
        except RuntimeError:
            names.append(Path(_write_traceback()))
    assert names[0] != names[1]
    for n in names:
        assert _mode(n) == 0o600 and KEY not in n.read_text()
