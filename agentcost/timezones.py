"""Time zones for --tz: IANA names, UTC, fixed offsets like UTC+8, or the system's local zone."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone, tzinfo

_OFFSET = re.compile(r"^UTC([+-])(\d{1,2})(?::(\d\d))?$")


def resolve_tz(name: str) -> tzinfo:
    """An IANA zone name or a fixed offset like "UTC+8" / "UTC-03:30". Raises ValueError."""
    m = _OFFSET.match(name.strip())
    if m:
        sign = 1 if m.group(1) == "+" else -1
        return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0)))
    if name.strip().upper() in ("UTC", "Z"):
        return timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def local_zone() -> tzinfo:
    """The system's zone with its DST rules when it can be named (TZ, /etc/localtime), else today's offset."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name and not name.startswith("/"):
            try:
                return resolve_tz(name)
            except ValueError:
                continue
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz
