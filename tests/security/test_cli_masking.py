"""No key in usage errors, placeholders described not shown, headers masked in `ignore` (issue #11)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

STRAY = "Zq9xLm2Pw7Rt4Kd8Vb"  # a key of no known shape


@pytest.mark.parametrize(
    "args",
    [
        ("setup", "claude", "--provider", "atlas", STRAY),
        ("doctor", STRAY),
        ("setup", "codex", STRAY, "--provider", "atlas"),
    ],
)
def test_usage_errors_never_echo_a_value_that_could_be_a_key(
    cli: Any, isolated_env: Path, args: tuple[str, ...]
) -> None:
    r = cli(*args)
    assert r.exit_code == 2
    assert STRAY not in r.stdout + r.stderr
    assert STRAY[-4:] in r.stderr  # masked, still recognisable


def test_usage_errors_keep_short_ordinary_values(cli: Any, isolated_env: Path) -> None:
    r = cli("doctor", "nope")
    assert r.exit_code == 2 and "'nope'" in r.stderr


def test_placeholder_looking_key_is_described_never_shown(cli: Any, isolated_env: Path) -> None:
    home = Path(os.environ["CODEX_HOME"])
    home.mkdir(parents=True)
    value = "your-real-looking-secret-here"  # matches the placeholder shape, could still be a real key
    (home / "auth.json").write_text(json.dumps({"OPENAI_API_KEY": value}))
    os.chmod(home / "auth.json", 0o600)
    (home / "config.toml").write_text(
        'model_provider = "atlas"\n[model_providers.atlas]\nname = "a"\nbase_url = "https://api.atlascloud.ai/v1"\n'
        'wire_api = "responses"\nrequires_openai_auth = true\n'
    )
    r = cli("doctor", "codex", "--json")
    assert value not in r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert any("placeholder" in f["message"] for f in data["findings"])


def test_ignore_dry_run_masks_custom_headers(
    cli: Any, isolated_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proj = tmp_path / "proj"
    (proj / ".claude").mkdir(parents=True)
    (proj / ".git").mkdir()
    settings = {"env": {"ANTHROPIC_CUSTOM_HEADERS": "X-Key: hdr-secret-value-1234\nX-Org: org-ZZZZ-secret"}}
    (proj / ".claude" / "settings.local.json").write_text(json.dumps(settings, indent=2))
    monkeypatch.chdir(proj)
    for extra in (("--dry-run",), ("--dry-run", "--json")):
        r = cli("ignore", "--scope", "local", *extra)
        out = r.stdout + r.stderr
        assert "hdr-secret-value-1234" not in out and "org-ZZZZ-secret" not in out, out
