"""Helpers for the Codex tests: fixture configs copied into the isolated $CODEX_HOME."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "codex_config"
FAKE_KEY = "sk-fake-TESTKEY-0123456789abcdefXYZ"


@pytest.fixture
def codex_home(isolated_env: Path) -> Path:
    return Path(os.environ["CODEX_HOME"])


@pytest.fixture
def install(codex_home: Path) -> Callable[[str], Path]:
    """Copy fixture case `name` (config.toml, auth.json, *.config.toml) into $CODEX_HOME (0600 auth)."""

    def _install(name: str) -> Path:
        codex_home.mkdir(parents=True, exist_ok=True)
        for f in (FIXTURES / name).iterdir():
            if f.is_file():
                shutil.copyfile(f, codex_home / f.name)
                if f.name == "auth.json":
                    os.chmod(codex_home / f.name, 0o600)
        return codex_home

    return _install


def doctor_json(cli: Any, *extra: str) -> dict[str, Any]:
    result = cli("doctor", "codex", "--json", *extra)
    assert result.exit_code in (0, 1), result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    assert data["errors"] == (result.exit_code == 1)
    return data


def codes(data: dict[str, Any], severity: str | None = None) -> set[str]:
    return {f["code"] for f in data["findings"] if severity is None or f["severity"] == severity}
