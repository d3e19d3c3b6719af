"""Safe reads and writes of users' files.

Reads refuse malformed input with file:line:col. Writes: no write when nothing changes,
timestamped backup, temp file in the same directory + fsync + `os.replace`, mode kept (0600 for
secrets), symlinks followed only where `safepath` allows, line endings kept; the temp file never
survives a failure.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import json
import os
import re
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from tomlkit.toml_document import TOMLDocument

from agentcost.errors import ConfigError
from agentcost.safepath import check_write_target, read_regular
from agentcost.secrets import mask_secret_fields, scrub

SECRET_MODE = 0o600
DEFAULT_MODE = 0o644


def read_text(path: Path) -> str | None:
    """The file's text, or None when it does not exist. Errors become ConfigError.

    Only a regular file is read, never blocking and at most `safepath.CONFIG_LIMIT` bytes.
    """
    try:
        data = read_regular(path)
        return None if data is None else data.decode("utf-8")
    except IsADirectoryError:
        raise ConfigError("is a directory, expected a file", path=path) from None
    except NotADirectoryError:
        raise ConfigError(
            "a parent of this path is a file, not a directory", path=path, hint="check HOME and the path"
        ) from None
    except PermissionError:
        raise ConfigError("permission denied", path=path, hint="check the file's owner and mode") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"not valid UTF-8 (byte {e.start})", path=path) from None
    except OSError as e:  # ELOOP (a symlink loop), EIO, ENAMETOOLONG…: the file, not agentcost
        reason = "a symlink loop" if e.errno == errno.ELOOP else (e.strerror or str(e))
        raise ConfigError(f"cannot read the file: {reason}", path=path) from None


_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _where(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse_json(text: str, path: Path | str) -> Any:
    """Parse JSON; hostile input (100k-deep nesting, 5,000-digit numbers, lone surrogates) is a
    ConfigError with file:line:col like any other malformed file, never an internal error."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ConfigError(
            "invalid JSON: nested too deeply for agentcost to read", path=path, hint="fix the file by hand"
        ) from None
    except ValueError as e:
        if isinstance(e, json.JSONDecodeError):
            raise _json_error(e, path) from None
        # int() refuses numbers of more than 4,300 digits (CVE-2020-10735); say where the number is
        m = re.search(r"[0-9]{4301}", text)
        line, column = _where(text, m.start()) if m else (None, None)
        raise ConfigError(
            "invalid JSON: a number with thousands of digits",
            path=path,
            line=line,
            column=column,
            hint="fix the file by hand; nothing was written",
        ) from None
    if "\\u" in text and (m := _LONE_SURROGATE.search(text)) is not None:
        line, column = _where(text, m.start())
        raise ConfigError(
            f"invalid JSON: {m.group(0)} is half of a surrogate pair, not a character",
            path=path,
            line=line,
            column=column,
            hint="fix the file by hand; nothing was written",
        )
    return data


def _json_error(e: json.JSONDecodeError, path: Path | str) -> ConfigError:
    return ConfigError(
        f"invalid JSON: {e.msg}",
        path=path,
        line=e.lineno,
        column=e.colno,
        hint="fix the file by hand (JSON allows no comments or trailing commas); nothing was written",
    )


def read_json_object(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(object, text) or (None, None) if missing. Refuses non-object JSON."""
    text = read_text(path)
    if text is None:
        return None, None
    if not text.strip():
        return {}, text
    data = parse_json(text, path)
    if not isinstance(data, dict):
        raise ConfigError(f"expected a JSON object at the top level, found {type(data).__name__}", path=path)
    return data, text


def parse_toml(text: str, path: Path | str) -> TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as e:
        msg = str(e)
        # tomlkit's message ends with " at line L col C"; keep only the reason.
        reason = msg.split(" at line ")[0]
        raise ConfigError(
            f"invalid TOML: {reason}",
            path=path,
            line=e.line,
            column=e.col + 1,  # tomlkit counts columns from 0; JSON (and editors) from 1
            hint="fix the file by hand; nothing was written",
        ) from None


def read_toml(path: Path) -> tuple[TOMLDocument | None, str | None]:
    text = read_text(path)
    if text is None:
        return None, None
    return parse_toml(text, path), text


def detect_newline(text: str | None) -> str:
    if text and "\r\n" in text:
        return "\r\n"
    return "\n"


def with_newlines(text: str, newline: str) -> str:
    """Normalise `text` (written with \\n) to `newline`."""
    text = text.replace("\r\n", "\n")
    return text if newline == "\n" else text.replace("\n", newline)


def dump_json(data: Any, newline: str = "\n") -> str:
    return with_newlines(json.dumps(data, indent=2, ensure_ascii=False) + "\n", newline)


def unified_diff(old: str | None, new: str, path: Path | str, *, mask_fields: bool = True) -> str:
    """A unified diff of old -> new with every secret masked.

    Registered keys are always scrubbed; `mask_fields=False` skips masking the values of fields named
    like secrets, for texts the caller has already redacted in its own way (Codex's auth.json).
    """
    diff = "".join(
        difflib.unified_diff(
            (old or "").replace("\r\n", "\n").splitlines(keepends=True),
            new.replace("\r\n", "\n").splitlines(keepends=True),
            fromfile=f"{path} (current)" if old is not None else "/dev/null",
            tofile=f"{path} (new)",
        )
    )
    return scrub(mask_secret_fields(diff) if mask_fields else diff)


@dataclass(frozen=True)
class WriteResult:
    path: Path
    changed: bool
    created: bool = False
    backup: Path | None = None
    dry_run: bool = False
    diff: str = ""


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def resolve_target(path: Path) -> Path:
    """Follow symlinks (even chains, even dangling) so the link itself is kept and its target written."""
    return Path(os.path.realpath(path))


KEEP_BACKUPS = 10  # per file; older agentcost backups of the same file are pruned


def _in_git_work_tree(path: Path) -> bool:
    return any((parent / ".git").exists() for parent in path.parents)


def backup_location(target: Path) -> tuple[Path, str]:
    """(directory, file-name prefix) for backups of `target`.

    Beside the file, except inside a git work tree: there a backup (which may hold a key) would be
    an untracked file one `git add .` away from being committed, and agents would read it; such
    backups go to agentcost's cache dir, named after the file's absolute path.
    """
    if _in_git_work_tree(target):
        from agentcost.paths import cache_dir

        flat = str(target).strip(os.sep).replace(os.sep, "__")
        return cache_dir() / "backups", f"{flat}.agentcost-backup-"
    return target.parent, f"{target.name}.agentcost-backup-"


BACKUP_MODE = 0o600  # a backup may hold a key the live file no longer does: readable by its owner only
PRIVATE_DIR_MODE = 0o700


def _private_dir(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(directory, PRIVATE_DIR_MODE)


def make_backup(target: Path, shown: Path) -> Path:
    """Copy `target` to a new timestamped backup, 0600 from its creation, and prune old ones.

    Backups in agentcost's cache dir live in a 0700 directory. The name is claimed with O_EXCL, so two
    processes never share one; a copy that fails (ENOSPC) is removed, never left empty or partial.
    """
    directory, prefix = backup_location(target)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        if directory == target.parent:
            directory.mkdir(parents=True, exist_ok=True)
        else:
            _private_dir(directory)
    except OSError as e:
        raise ConfigError(
            f"cannot create the backup directory {directory}: {e.strerror}", path=shown
        ) from None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    n = 0
    while True:
        backup_path = directory / (f"{prefix}{stamp}" + (f"-{n}" if n else ""))
        try:
            fd = os.open(backup_path, flags, BACKUP_MODE)
            break
        except FileExistsError:
            n += 1
        except OSError as e:
            raise ConfigError(f"cannot write backup {backup_path}: {e.strerror}", path=shown) from None
    try:
        with os.fdopen(fd, "wb") as out, open(target, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(backup_path)
        raise ConfigError(
            f"cannot write backup {backup_path}: {e.strerror or e}; nothing was written", path=shown
        ) from None
    try:
        old = sorted(directory.glob(f"{glob_escape(prefix)}*"))
        for stale in old[: max(0, len(old) - KEEP_BACKUPS)]:
            stale.unlink()
    except OSError:
        pass  # pruning is housekeeping; never fail a write over it
    return backup_path


TMP_SUFFIX = ".agentcost-tmp"


def _remove_stale_temps(directory: Path, target: Path) -> None:
    """Temp files of `target` left by a killed run (called under the file's lock: none is live)."""
    with contextlib.suppress(OSError):
        for stale in directory.glob(f".{glob_escape(target.name)}.*{TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                stale.unlink()


def check_encodable(text: str, path: Path | str) -> None:
    """Refuse text that cannot be written as UTF-8 (a lone surrogate), before any backup is made."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        line = text.count("\n", 0, e.start) + 1
        column = e.start - (text.rfind("\n", 0, e.start) + 1) + 1
        raise ConfigError(
            f"cannot write a lone surrogate {text[e.start]!a} (not valid Unicode); nothing was written",
            path=path,
            line=line,
            column=column,
            hint="a \\ud800-\\udfff escape without its pair came from the file or an argument: fix it",
        ) from None


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def write_atomic(
    path: Path,
    text: str,
    *,
    secret: bool = False,
    backup: bool = True,
    dry_run: bool = False,
    old_text: str | None = None,
    make_parents: bool = True,
    within: Path | None = None,
) -> WriteResult:
    """Write `text` to `path` safely; see the module docstring. `old_text` avoids a second read.

    `within`: the work tree a repository-scope file must stay inside (see `safepath`); None for a
    user-scope file. The policy is checked first, so a --dry-run shows the refusal too.

    Under the file's advisory lock (`filelock.locked`) the file is read again: when it no longer holds
    `old_text` (another process changed it since the caller read it), nothing is written.
    """
    target = check_write_target(path, root=within)
    if old_text is None:
        old_text = read_text(target)
    created = old_text is None
    diff = unified_diff(old_text, text, path)
    if old_text == text:
        return WriteResult(path=path, changed=False, dry_run=dry_run)
    check_encodable(text, path)
    if dry_run:
        return WriteResult(path=path, changed=True, created=created, dry_run=True, diff=diff)

    from agentcost.filelock import locked

    with locked([target]):
        if read_text(target) != old_text:
            raise ConfigError(
                "changed by another program while agentcost was working on it; nothing was written to it",
                path=path,
                hint="run the command again",
            )
        return _write_locked(
            path,
            target,
            text,
            secret=secret,
            backup=backup,
            created=created,
            diff=diff,
            make_parents=make_parents,
        )


def _write_locked(
    path: Path,
    target: Path,
    text: str,
    *,
    secret: bool,
    backup: bool,
    created: bool,
    diff: str,
    make_parents: bool,
) -> WriteResult:
    directory = target.parent
    if make_parents:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise ConfigError(f"cannot create directory: {e.strerror}", path=directory) from None

    mode = SECRET_MODE if secret else DEFAULT_MODE
    if not created:
        try:
            existing = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            existing = mode
        mode = (existing & ~0o077) if secret else existing
        if not os.access(target, os.W_OK):
            raise ConfigError("file is read-only; nothing was written", path=path, hint="check its mode")

    _remove_stale_temps(directory, target)
    backup_path: Path | None = None
    if backup and not created:
        backup_path = make_backup(target, path)

    tmp_name: str | None = None
    try:
        # mkstemp creates the file 0600 in the target's directory: the key is never readable by others,
        # not even between creation and the chmod to the final mode.
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=TMP_SUFFIX)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp_name, mode)
        _replace(tmp_name, target)
        tmp_name = None
        _fsync_dir(directory)
    except OSError as e:
        if backup_path is not None:  # the original is intact: a backup of it would only be clutter
            with contextlib.suppress(OSError):
                os.unlink(backup_path)
            backup_path = None
        raise ConfigError(
            f"could not write the file ({e.strerror or e}); the original is unchanged", path=path
        ) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return WriteResult(path=path, changed=True, created=created, backup=backup_path, diff=diff)


def _replace(src: str, dst: Path) -> None:
    """`os.replace`: the one commit step of every write (tests inject faults here)."""
    os.replace(src, dst)


def file_mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
