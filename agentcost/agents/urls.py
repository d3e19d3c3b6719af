"""URL rules shared by the agents: http(s) and a host, loopback hosts, plain-http warnings."""

from __future__ import annotations

import ipaddress
from urllib.parse import SplitResult, urlsplit

from agentcost.errors import AgentcostError


def has_scheme(url: str) -> bool:
    """True when `url` starts with http:// or https:// and names a host (pure; used by checks)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def split_url(url: str, *, flag: str = "--base-url") -> SplitResult:
    """Parse a base URL; refuse one without http(s) scheme or host (exit 1, with the fix)."""
    text = url.strip()
    if not has_scheme(text):
        if "://" not in text:
            raise AgentcostError(
                f"{flag} {text!r} has no scheme",
                hint=f"write the full URL, e.g. https://{text.lstrip('/') or 'api.example.com'}",
            )
        raise AgentcostError(
            f"{flag} {text!r} is not an http(s) URL with a host",
            hint="use https://host or https://host/path",
        )
    return urlsplit(text)


def is_loopback(host: str | None) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 and ::1 (brackets allowed)."""
    if not host:
        return False
    h = host.strip().strip("[]").lower().rstrip(".")
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def insecure_http_warning(url: str) -> str | None:
    """A warning for http:// to a non-loopback host (the key would travel in clear text), else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() == "http" and parts.hostname and not is_loopback(parts.hostname):
        return (
            f"{url} uses plain http to {parts.hostname}: the API key and your code travel unencrypted; "
            "use https:// unless this host is on a network you trust"
        )
    return None
