"""Every fact in agentcost/data carries an ISO `as_of` (YYYY, YYYY-MM or YYYY-MM-DD), under that one name."""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources
from typing import Any

import pytest
import tomlkit

ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
OTHER_NAMES = ("last_verified", "verified_on", "checked_on", "asof", "as-of", "as_of_date")


def _load(name: str) -> Any:
    text = resources.files("agentcost.data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else tomlkit.parse(text).unwrap()


def _data_files() -> list[str]:
    return sorted(
        p.name for p in resources.files("agentcost.data").iterdir() if p.name.endswith((".json", ".toml"))
    )


def _walk(node: Any, path: str, out: list[tuple[str, str, Any]]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((f"{path}.{k}", k, v))
            _walk(v, f"{path}.{k}", out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk(v, f"{path}[{i}]", out)


def is_iso(value: object) -> bool:
    if not isinstance(value, str):
        return False
    m = ISO.fullmatch(value)
    if not m:
        return False
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2026", True), ("2026-05", True), ("2026-11-26", True), ("late 2026", False), ("2026-13", False)],
)
def test_iso_check(value: str, ok: bool) -> None:
    assert is_iso(value) is ok


@pytest.mark.parametrize("name", _data_files())
def test_as_of_is_iso_and_the_only_name(name: str) -> None:
    entries: list[tuple[str, str, Any]] = []
    _walk(_load(name), name, entries)
    bad = [f"{path} = {v!r}" for path, k, v in entries if k == "as_of" and not is_iso(v)]
    assert bad == [], "as_of must be YYYY, YYYY-MM or YYYY-MM-DD: " + "; ".join(bad)
    other = [path for path, k, _ in entries if k.lower() in OTHER_NAMES]
    assert other == [], f"the date of a fact is called as_of: {other}"


def test_the_data_files_are_found() -> None:
    assert {"plans.toml", "prices.json", "providers.toml"} <= set(_data_files())


@pytest.mark.parametrize("name", _data_files())
def test_bundled_data_cites_no_internal_files(name: str) -> None:
    text = resources.files("agentcost.data").joinpath(name).read_text(encoding="utf-8")
    for word in ("shared/", "facts/", "seed 0"):
        assert word not in text
