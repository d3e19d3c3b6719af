"""Safe config edits (fileio.py): parse errors with file:line:col, atomic writes, backups, modes, diffs."""

from __future__ import annotations

import json
import os
from pathlib import Path
from unittest import mock

import pytest

from agentcost.errors import ConfigError
from agentcost.fileio import read_json_object, read_toml, write_atomic


def test_read_json_error_has_line_and_column(tmp_path: Path) -> None:
    p = tmp_path / "s.json"
    p.write_text('{\n  "a": 1,\n}\n')
    with pytest.raises(ConfigError) as e:
        read_json_object(p)
    assert e.value.line == 3 and e.value.column == 1
    assert f"{p}:3:1" in str(e.value)


def test_read_toml_error_has_line(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text("a = 1\nb = = 2\n")
    with pytest.raises(ConfigError) as e:
        read_toml(p)
    # the second "=" is the 5th character of line 2: columns count from 1, as for JSON
    assert (e.value.line, e.value.column) == (2, 5)


def test_write_atomic_creates_backup_keeps_mode(tmp_path: Path) -> None:
    p = tmp_path / "f.json"
    p.write_text("old\n")
    os.chmod(p, 0o640)
    r = write_atomic(p, "new\n")
    assert r.changed and r.backup is not None
    assert p.read_text() == "new\n"
    assert r.backup.read_text() == "old\n"
    assert (os.stat(p).st_mode & 0o777) == 0o640


def test_write_atomic_secret_is_0600(tmp_path: Path) -> None:
    p = tmp_path / "auth.json"
    write_atomic(p, "{}\n", secret=True)
    assert (os.stat(p).st_mode & 0o777) == 0o600
    os.chmod(p, 0o644)
    write_atomic(p, '{"a": 1}\n', secret=True)
    assert (os.stat(p).st_mode & 0o777) == 0o600


def test_write_atomic_no_change_no_write(tmp_path: Path) -> None:
    d = tmp_path / "w"
    d.mkdir()
    p = d / "f"
    p.write_text("same")
    r = write_atomic(p, "same")
    assert not r.changed
    assert list(d.iterdir()) == [p]


def test_write_atomic_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("a")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, "b", backup=False)
    assert link.is_symlink()
    assert real.read_text() == "b"


@pytest.mark.parametrize("target", ["os.replace", "os.fsync"])
def test_write_atomic_failure_leaves_original(tmp_path: Path, target: str) -> None:
    d = tmp_path / "w"
    d.mkdir()
    p = d / "f.json"
    p.write_text("original")
    with mock.patch(target, side_effect=OSError(28, "No space left on device")), pytest.raises(ConfigError):
        write_atomic(p, "new", backup=False)
    assert p.read_text() == "original"
    assert [x.name for x in d.iterdir()] == ["f.json"]


def test_write_atomic_read_only(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write read-only files")
    p = tmp_path / "f"
    p.write_text("x")
    os.chmod(p, 0o444)
    with pytest.raises(ConfigError):
        write_atomic(p, "y")


def test_write_atomic_dry_run_masks_diff(tmp_path: Path) -> None:
    p = tmp_path / "f.json"
    key = "sk-dryrun-abcdefghijklmnop-4321"
    r = write_atomic(p, json.dumps({"k": key}), dry_run=True)
    assert r.changed and not p.exists()
    assert key not in r.diff and "…4321" in r.diff


def test_backup_inside_git_work_tree_goes_to_cache(tmp_path: Path, isolated_env: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".claude").mkdir()
    p = repo / ".claude" / "settings.local.json"
    p.write_text('{"k": "old"}')
    r = write_atomic(p, '{"k": "new"}', secret=True)
    assert r.backup is not None
    assert not list((repo / ".claude").glob("*agentcost-backup*"))
    assert (isolated_env / ".cache" / "agentcost" / "backups") in r.backup.parents
    assert r.backup.read_text() == '{"k": "old"}'
    assert (os.stat(r.backup).st_mode & 0o777) == 0o600


def test_backups_are_pruned(tmp_path: Path) -> None:
    from agentcost import fileio

    d = tmp_path / "w"
    d.mkdir()
    p = d / "f.json"
    p.write_text("0")
    for i in range(fileio.KEEP_BACKUPS + 3):
        write_atomic(p, str(i + 1))
    assert len(list(d.glob("f.json.agentcost-backup-*"))) == fileio.KEEP_BACKUPS


def test_parent_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ConfigError, match="parent of this path is a file"):
        read_json_object(f / "settings.json")


def test_diff_masks_unregistered_tokens(tmp_path: Path) -> None:
    p = tmp_path / "auth.json"
    old = '{"tokens": {"access_token": "opaque-access-token-value-123456"}}\n'
    p.write_text(old)
    r = write_atomic(p, '{"auth_mode": "apikey"}\n', dry_run=True)
    assert "opaque-access-token-value" not in r.diff
