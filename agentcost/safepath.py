"""Where agentcost may write, and how it reads files a repository may control. Ground floor.

Write policy (`check_write_target`), one for every writer:
* Repository scope (`root` given: Claude project/local settings, every `agentcost ignore` file):
  the path, after following every symlink in it (the file itself or any parent directory), must
  stay inside the work tree `root`, and an existing target must be a regular file. A repository can
  commit `.cursorignore -> ~/.bashrc` or `.claude -> /elsewhere`; git itself refuses to write through
  a symlink out of the work tree, and so does agentcost.
* User scope (`root` None: ~/.claude/settings.json, $CODEX_HOME/*, agentcost's own files): a user's
  own symlink (a dotfiles repository) is followed, but only to a regular file the user owns (or to a
  file yet to be created); a FIFO, a device or a directory is refused.

Read policy (`read_regular`, `open_regular`): the file type is checked before the file is opened,
the open never blocks (O_NONBLOCK: a FIFO without a writer would hang `open`), and config files are
capped (`CONFIG_LIMIT`); logs are streamed through `open_regular` without a cap.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from agentcost.errors import ConfigError

CONFIG_LIMIT = 16 * 1024 * 1024  # no real settings/config file is near this; /dev/zero-like input stops here

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class UnsafePathError(ConfigError):
    """A write target or a file to read that the policy refuses (exit 1)."""


def kind(mode: int) -> str:
    """ "a FIFO (named pipe)", "a character device", … for a non-regular st_mode; "a regular file"."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _is_within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _first_link(path: Path, root: Path | None) -> tuple[Path, str] | None:
    """The first symlink among `path` and its parents (below `root` when given) and its raw target."""
    parts = path.parts
    start = len(root.parts) if root is not None and path.parts[: len(root.parts)] == root.parts else 1
    cur = Path(*parts[:start])
    for part in parts[start:]:
        cur = cur / part
        if cur.is_symlink():
            try:
                return cur, os.readlink(cur)
            except OSError:
                return cur, "?"
    return None


def check_write_target(path: Path, *, root: Path | None = None) -> Path:
    """The file to write for `path` (its symlinks followed), or UnsafePathError; see the module doc.

    `root`: the work tree a repository-scope file must stay in; None for a user-scope file.
    """
    path = Path(os.path.abspath(path))
    target = Path(os.path.realpath(path))
    if root is not None:
        real_root = os.path.realpath(root)
        if not _is_within(str(target), real_root):
            link = _first_link(path, Path(os.path.abspath(root)))
            if link is None:
                via = f"resolves to {target}"
            elif link[0] == path:
                via = f"is a symlink to {link[1]}"
            else:
                via = f"its directory {link[0]} is a symlink to {link[1]}"
            raise UnsafePathError(
                f"{via}, outside the work tree {real_root}; refusing to write through it (nothing written)",
                path=path,
                hint="a repository must not make agentcost write outside it: remove or replace the link "
                "(`git ls-files -s` shows links as mode 120000)",
            )
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target  # created by the writer (its parents inside `root` when one is given)
    except OSError as e:
        raise UnsafePathError(f"cannot inspect {target}: {e.strerror}", path=path) from None
    if not stat.S_ISREG(st.st_mode):
        via = f" (the symlink points to {target})" if target != path else ""
        raise UnsafePathError(
            f"is {kind(st.st_mode)}{via}, not a regular file; refusing to write (nothing written)",
            path=path,
            hint="replace it with a regular file",
        )
    if root is None and target != path and hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafePathError(
            f"the symlink points to {target}, which belongs to another user (uid {st.st_uid}); "
            "refusing to write (nothing written)",
            path=path,
            hint="point the link at a file you own",
        )
    return target


def _refuse_special(path: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError("is a directory, expected a file", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePathError(
            f"is {kind(st.st_mode)}, not a regular file; not read",
            path=path,
            hint="agentcost reads only regular files (a FIFO or a device could block it or never end)",
        )


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for binary reading without ever blocking; FileNotFoundError when missing.

    Refuses (UnsafePathError, before opening) a FIFO, device or socket; ConfigError for a directory.
    Other OSErrors (permission, ENOTDIR) propagate for the caller to word.
    """
    _refuse_special(path, os.stat(path))
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    try:
        _refuse_special(path, os.fstat(fd))  # swapped between stat and open: still refused
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def read_regular(path: Path, limit: int = CONFIG_LIMIT) -> bytes | None:
    """A regular file's bytes (None when missing), at most `limit` of them; see `open_regular`."""
    try:
        f = open_regular(path)
    except FileNotFoundError:
        return None
    with f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise UnsafePathError(
            f"is larger than {limit // (1024 * 1024)} MiB, too large for a config file; not read",
            path=path,
            hint="check that this is the file you meant",
        )
    return data
