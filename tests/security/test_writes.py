"""Where agentcost may write: a repository's symlinks never take a write out of the work tree."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.security.conftest import KEY_TAIL, snapshot

pytestmark = pytest.mark.timeout(30)

PWN_DIR = "data$(touch${IFS}PWNED)"


def _hostile_links(hostile: Path, victim: Path) -> None:
    (victim / "ssh").mkdir()
    (victim / "ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA victim\n")
    (hostile / ".cursorignore").symlink_to(victim / ".bashrc")
    (hostile / ".aiderignore").symlink_to(victim / "ssh" / "authorized_keys")
    (victim / "claude").mkdir()
    (hostile / ".claude").symlink_to(victim / "claude")
    big = hostile / PWN_DIR
    big.mkdir()
    (big / "dump.bin").write_bytes(b"\x00" * 300_000)


@pytest.mark.parametrize(
    "extra", [[], ["--apply-detected"], ["--dry-run"], ["--apply-detected", "--dry-run"]]
)
def test_ignore_refuses_committed_links_out_of_the_tree(
    cli: Any, hostile: Path, victim: Path, extra: list[str]
) -> None:
    _hostile_links(hostile, victim)
    before = snapshot(victim)
    r = cli("ignore", *extra)
    assert r.exit_code == 1, r.output
    assert snapshot(victim) == before  # nothing appended, nothing created
    assert not (victim / "claude" / "settings.json").exists()
    err = " ".join(r.stderr.split())
    assert "symlink" in err and "outside the work tree" in err
    assert not (hostile / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize(
    "name,agents",
    [(".cursorignore", "cursor"), (".aiderignore", "aider"), (".geminiignore", "gemini"), (".ignore", "rg")],
)
def test_each_ignore_file_refuses_a_link_out(
    cli: Any, hostile: Path, victim: Path, name: str, agents: str
) -> None:
    (hostile / name).symlink_to(victim / ".bashrc")
    r = cli("ignore", "--agents", agents, "--no-detect")
    assert r.exit_code == 1
    assert (victim / ".bashrc").read_text() == "# the victim's shell profile\n"
    msg = " ".join(r.stderr.split())
    assert str(hostile / name) in msg and str(victim / ".bashrc") in msg  # names the link and its target


@pytest.mark.parametrize("scope", ["project", "local"])
def test_ignore_claude_refuses_a_linked_claude_dir(cli: Any, hostile: Path, victim: Path, scope: str) -> None:
    (hostile / ".claude").symlink_to(victim)
    r = cli("ignore", "--agents", "claude", "--no-detect", "--scope", scope)
    assert r.exit_code == 1
    assert snapshot(victim) == {".bashrc": b"# the victim's shell profile\n"}
    assert f"its directory {hostile / '.claude'} is a symlink to {victim}" in " ".join(r.stderr.split())


def test_link_inside_the_tree_to_a_regular_file_is_followed(cli: Any, hostile: Path) -> None:
    (hostile / "shared").mkdir()
    (hostile / "shared" / "ignore").write_text("team/\n")
    (hostile / ".cursorignore").symlink_to("shared/ignore")
    r = cli("ignore", "--agents", "cursor", "--no-detect")
    assert r.exit_code == 0, r.output
    assert (hostile / ".cursorignore").is_symlink()
    assert (hostile / "shared" / "ignore").read_text().startswith("team/\n\n# >>> agentcost >>>\n")


def test_ignore_refuses_a_link_to_a_device(cli: Any, hostile: Path, device: Path) -> None:
    (hostile / ".cursorignore").symlink_to(device)
    r = cli("ignore", "--agents", "cursor", "--no-detect")
    assert r.exit_code == 1
    assert "outside the work tree" in " ".join(r.stderr.split())


def test_ignore_refuses_a_fifo_in_the_tree(cli: Any, hostile: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs")
    os.mkfifo(hostile / ".cursorignore")
    r = cli("ignore", "--agents", "cursor", "--no-detect", "--dry-run")
    assert r.exit_code == 1
    assert "FIFO" in r.stderr and "not a regular file" in r.stderr


@pytest.mark.parametrize("scope", ["local", "project"])
def test_setup_claude_refuses_committed_local_link(
    cli: Any, hostile: Path, tmp_path: Path, key_env: str, scope: str
) -> None:
    stolen = tmp_path / "elsewhere" / "stolen.json"
    stolen.parent.mkdir()
    (hostile / ".claude").mkdir()
    (hostile / ".claude" / "settings.local.json").symlink_to(stolen)
    for dry in ([], ["--dry-run"]):
        r = cli(
            "setup",
            "claude",
            "--provider",
            "atlas",
            "--api-key-env",
            key_env,
            "--scope",
            scope,
            "--yes",
            *dry,
        )
        assert r.exit_code == 1, r.output
        assert not stolen.exists()
        msg = " ".join(r.stderr.split())
        assert f"settings.local.json: is a symlink to {stolen}, outside the work tree" in msg
        assert KEY_TAIL not in r.output


def test_setup_claude_local_refuses_a_device_in_the_tree(cli: Any, hostile: Path, key_env: str) -> None:
    import stat

    (hostile / ".claude").mkdir()
    target = hostile / ".claude" / "settings.local.json"
    try:
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        pytest.skip("mknod needs root")
    r = cli("setup", "claude", "--provider", "atlas", "--api-key-env", key_env, "--scope", "local", "--yes")
    assert r.exit_code == 1
    assert "character device" in r.stderr
    assert stat.S_ISCHR(os.lstat(target).st_mode)  # not replaced by a file holding the key


def test_user_settings_linked_to_a_device_is_refused(
    cli: Any, isolated_env: Path, key_env: str, device: Path
) -> None:
    import stat

    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.symlink_to(device)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key-env", key_env, "--yes")
    assert r.exit_code == 1
    assert "character device" in r.stderr
    assert settings.is_symlink() and stat.S_ISCHR(os.stat(device).st_mode)


def test_user_settings_own_dotfiles_link_still_works(
    cli: Any, isolated_env: Path, tmp_path: Path, key_env: str
) -> None:
    real = tmp_path / "dotfiles" / "claude.json"
    real.parent.mkdir()
    real.write_text("{}\n")
    settings = isolated_env / ".claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.symlink_to(real)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key-env", key_env, "--yes")
    assert r.exit_code == 0, r.output
    assert json.loads(real.read_text())["env"]["ANTHROPIC_BASE_URL"]


def test_codex_config_linked_to_a_fifo_is_refused(
    cli: Any, isolated_env: Path, fifo: Path, key_env: str
) -> None:
    home = isolated_env / ".codex"
    home.mkdir()
    (home / "config.toml").symlink_to(fifo)
    r = cli("setup", "codex", "--provider", "openrouter", "--api-key-env", key_env, "--yes")
    assert r.exit_code == 1
    assert "FIFO" in r.stderr


def test_policy_unit(tmp_path: Path, victim: Path) -> None:
    from agentcost.errors import ConfigError
    from agentcost.fileio import write_atomic
    from agentcost.safepath import UnsafePathError, check_write_target

    root = tmp_path / "repo"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "link").symlink_to(victim / ".bashrc")
    with pytest.raises(UnsafePathError) as e:
        check_write_target(root / "sub" / "link", root=root)
    assert "sub/link: is a symlink to" in str(e.value) and isinstance(e.value, ConfigError)
    # dangling link out of the tree: the file it would create is outside too
    (root / "dangling").symlink_to(victim / "new-file")
    with pytest.raises(UnsafePathError):
        write_atomic(root / "dangling", "x\n", within=root)
    assert not (victim / "new-file").exists()
    # a parent directory linked out
    (root / "d").symlink_to(victim)
    with pytest.raises(UnsafePathError, match=r"its directory .*/d is a symlink to"):
        write_atomic(root / "d" / "settings.json", "{}\n", within=root, dry_run=True)
    # plain files inside: fine
    assert write_atomic(root / "sub" / "ok.txt", "ok\n", within=root).changed


def test_setup_claude_local_never_writes_through_a_symlinked_info_exclude(
    cli: Any, hostile: Path, victim: Path, key_env: str
) -> None:
    """QA: `.git/info/exclude -> outside` made setup append to a file outside the repository."""
    import shutil
    import subprocess

    shutil.rmtree(hostile / ".git")
    subprocess.run(["git", "init", "-q", str(hostile)], check=True)
    exclude = hostile / ".git" / "info" / "exclude"
    exclude.unlink(missing_ok=True)
    exclude.parent.mkdir(exist_ok=True)
    target = victim / "authorized_keys"
    exclude.symlink_to(target)
    before = snapshot(victim)
    r = cli("setup", "claude", "--provider", "atlas", "--api-key-env", key_env, "--scope", "local", "--yes")
    assert r.exit_code == 1, r.output
    assert snapshot(victim) == before and not target.exists()
    assert not (hostile / ".claude" / "settings.local.json").exists()  # no committable key file either
