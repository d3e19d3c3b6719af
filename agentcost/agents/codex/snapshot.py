"""What Codex reads, parsed: the `Snapshot` the checks run on, and which provider each layer selects.

Layers, as Codex resolves them: `$CODEX_HOME/config.toml`, then for `codex -p NAME` the file
`$CODEX_HOME/NAME.config.toml` on top (tables merged key by key). Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentcost.providers import Provider

OPENAI_ROOT = "https://api.openai.com/v1"


@dataclass(frozen=True)
class ConfigFile:
    """One parsed TOML file. `data` is None when missing or unparsable (`error` then says why)."""

    path: str
    kind: str  # "base" | "profile" | "project"
    data: dict[str, Any] | None = None
    error: str | None = None  # "invalid TOML: … " with path:line:col
    name: str = ""  # profile name for kind == "profile"
    readable: bool = True  # False: the error is about reading (permission, directory, encoding)
    mode: int | None = None  # permission bits (None: missing, or content from a --dry-run plan)


@dataclass(frozen=True)
class AuthFile:
    path: str
    exists: bool = False
    data: dict[str, Any] | None = None
    error: str | None = None
    mode: int | None = None


@dataclass(frozen=True)
class Snapshot:
    base: ConfigFile
    auth: AuthFile
    env: Mapping[str, str]
    profiles: tuple[ConfigFile, ...] = ()
    projects: tuple[ConfigFile, ...] = ()
    catalog: Mapping[str, Provider] = field(default_factory=dict)


@dataclass(frozen=True)
class Selection:
    """What one layer (config.toml, or a profile on top of it) makes Codex use."""

    label: str  # "config.toml" / "profile NAME"
    file: str  # the file that set model_provider (or the base file)
    provider_id: str
    table: Mapping[str, Any] | None  # merged provider table; None for a built-in
    table_file: str | None
    model: str | None
    store: str  # cli_auth_credentials_store


def _merge(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in top.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def provider_tables_of(data: Mapping[str, Any] | None) -> dict[str, Any]:
    mp = (data or {}).get("model_providers")
    return dict(mp) if isinstance(mp, Mapping) else {}


def selections(s: Snapshot) -> list[Selection]:
    """The provider each layer selects: config.toml alone, then each profile on top of it."""
    base = s.base.data or {}
    layers: list[tuple[str, Mapping[str, Any], ConfigFile | None]] = [("config.toml", base, None)]
    for p in s.profiles:
        if p.data is not None:
            layers.append((f"profile {p.name}", _merge(base, p.data), p))
    out: list[Selection] = []
    for label, data, prof in layers:
        pid = data.get("model_provider", "openai")
        if not isinstance(pid, str):
            pid = str(pid)
        set_in = s.base.path
        if prof is not None and "model_provider" in (prof.data or {}):
            set_in = prof.path
        tables = provider_tables_of(data)
        table = tables.get(pid)
        table_file: str | None = None
        if isinstance(table, Mapping):
            in_profile = prof is not None and pid in provider_tables_of(prof.data)
            table_file = prof.path if in_profile and prof is not None else s.base.path
        else:
            table = None
        model = data.get("model")
        store = data.get("cli_auth_credentials_store", "file")
        out.append(
            Selection(
                label=label,
                file=set_in,
                provider_id=pid,
                table=table,
                table_file=table_file,
                model=model if isinstance(model, str) else None,
                store=str(store),
            )
        )
    return out
