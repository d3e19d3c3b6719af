"""`guard install / uninstall`: user settings only, minimal diff, idempotent, removed exactly."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from agentcost.guard import install

ORIGINAL = (
    '{\n  "env": {"ANTHROPIC_MODEL": "opus"},\n'
    '  "hooks": {\n    "PreToolUse": [\n'
    '      {"matcher": "Bash", "hooks": [{"type": "command", "command": "my-lint"}]}\n'
    "    ]\n  },\n"
    '  "permissions": {\n    "deny": ["Read(./.env)"]\n  }\n}\n'
)


def _settings() -> Path:
    return Path(os.environ["CLAUDE_CONFIG_DIR"]) / "settings.json"


def test_claude_install_is_minimal_idempotent_and_uninstall_restores_the_bytes(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text(ORIGINAL)
    os.chmod(_settings(), 0o600)
    res = cli("guard", "install", "--client", "claude")
    assert res.exit_code == 0 and "Installed the guard's hooks" in res.output, res.output
    doc = json.loads(_settings().read_text())
    assert doc["env"] == {"ANTHROPIC_MODEL": "opus"} and doc["permissions"] == {"deny": ["Read(./.env)"]}
    assert set(install.ours_in(doc["hooks"])) == set(install.CLAUDE_EVENTS)
    pre = doc["hooks"]["PreToolUse"]
    assert pre[0] == {"matcher": "Bash", "hooks": [{"type": "command", "command": "my-lint"}]}
    ours = pre[1]["hooks"][0]["command"]
    assert ours == f"{sys.executable} -m agentcost guard hook PreToolUse"
    text = _settings().read_text()
    assert text.startswith('{\n  "env": {"ANTHROPIC_MODEL": "opus"},\n')  # untouched lines
    assert stat.S_IMODE(os.stat(_settings()).st_mode) == 0o600
    res = cli("guard", "install", "--client", "claude")
    assert "Already installed" in res.output and _settings().read_text() == text
    res = cli("guard", "uninstall", "--client", "claude")
    assert res.exit_code == 0 and "Removed" in res.output
    assert json.loads(_settings().read_text()) == json.loads(ORIGINAL)
    assert cli("guard", "uninstall", "--client", "claude").output.startswith("Claude Code: No guard hooks")


def test_claude_install_into_nothing_and_uninstall_leaves_no_hooks_member(cli: Any) -> None:
    assert cli("guard", "install", "--client", "claude").exit_code == 0
    assert cli("guard", "uninstall", "--client", "claude").exit_code == 0
    assert json.loads(_settings().read_text()) == {}


def test_reinstall_from_another_interpreter_updates_the_path_and_doctor_sees_a_dead_hook(
    cli: Any,
) -> None:
    assert cli("guard", "install", "--client", "claude").exit_code == 0
    text = _settings().read_text().replace(sys.executable, "/gone/venv/bin/python")
    _settings().write_text(text)
    doc = cli("doctor", "claude", "--json")
    codes = {f["code"] for f in json.loads(doc.stdout)["findings"]}
    assert "GUARD_HOOK_DEAD" in codes
    st = json.loads(cli("guard", "status", "--json").stdout)
    claude = next(h for h in st["hooks"] if h["agent"] == "claude")
    assert claude["live"] is False and "/gone/venv/bin/python" in claude["problem"]
    res = cli("guard", "install", "--client", "claude")
    assert "Updated" in res.output
    assert "/gone/" not in _settings().read_text()
    assert len(json.loads(_settings().read_text())["hooks"]["PreToolUse"]) == 1


def test_a_malformed_settings_file_is_refused(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text('{"hooks": [1, 2]}\n')
    res = cli("guard", "install", "--client", "claude")
    assert res.exit_code == 1 and "not an object" in res.output
    _settings().write_text('{"a": 1,}\n')
    res = cli("guard", "install", "--client", "claude")
    assert res.exit_code == 1 and "settings.json:1:" in res.output and "Traceback" not in res.output


FAKE_CODEX = r"""#!{python}
import json, sys, zlib
hooks_file = sys.argv[0].rsplit("/", 1)[0] + "/../.codex/hooks.json"
import os
path = os.path.join(os.environ["CODEX_HOME"], "hooks.json")
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("id") == 0:
        print(json.dumps({{"id": 0, "result": {{}}}}), flush=True)
    if msg.get("method") == "hooks/list":
        doc = json.load(open(path))
        out = []
        for ev, groups in doc["hooks"].items():
            snake = "".join("_" + c.lower() if c.isupper() else c for c in ev).lstrip("_")
            for gi, g in enumerate(groups):
                for hi, h in enumerate(g["hooks"]):
                    out.append({{"key": f"{{path}}:{{snake}}:{{gi}}:{{hi}}", "command": h["command"],
                                "sourcePath": path,
                                "currentHash": "sha256:%08x" % zlib.crc32(h["command"].encode()),
                                "trustStatus": "untrusted"}})
        print(json.dumps({{"id": 1, "result": {{"data": [{{"cwd": "/", "hooks": out}}]}}}}), flush=True)
        break
"""


def test_codex_install_trusts_exactly_our_hooks_and_uninstall_removes_them(
    cli: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    home = Path(os.environ["CODEX_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    cfg = home / "config.toml"
    cfg.write_text(
        '# my codex\nmodel = "gpt-5"\n\n[hooks.state."other:stop:0:0"]\ntrusted_hash = "sha256:x"\n'
    )
    fake = tmp_path / "codex"
    fake.write_text(FAKE_CODEX.format(python=sys.executable))
    fake.chmod(0o755)
    monkeypatch.setenv("AGENTCOST_CODEX_BIN", str(fake))
    res = cli("guard", "install", "--client", "codex", "--json")
    assert res.exit_code == 0, res.output
    r = json.loads(res.stdout)["results"][0]
    assert r["action"] == "installed" and r["trust"] == "trusted"
    hooks = json.loads((home / "hooks.json").read_text())["hooks"]
    assert set(hooks) == set(install.CODEX_EVENTS)
    assert "--agent codex PreToolUse" in hooks["PreToolUse"][0]["hooks"][0]["command"]
    text = cfg.read_text()
    assert text.startswith('# my codex\nmodel = "gpt-5"\n') and '"other:stop:0:0"' in text
    assert text.count("trusted_hash") == 1 + len(install.CODEX_EVENTS)
    assert cli("guard", "install", "--client", "codex").exit_code == 0
    assert cfg.read_text() == text  # idempotent
    res = cli("guard", "uninstall", "--client", "codex")
    assert res.exit_code == 0
    assert not (home / "hooks.json").exists()
    assert (
        cfg.read_text()
        == '# my codex\nmodel = "gpt-5"\n\n[hooks.state."other:stop:0:0"]\ntrusted_hash = "sha256:x"\n'
    )


def test_codex_without_a_binary_is_installed_untrusted_and_says_so(cli: Any, monkeypatch: Any) -> None:
    Path(os.environ["CODEX_HOME"]).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("AGENTCOST_CODEX_BIN", raising=False)
    res = cli("guard", "install", "--client", "codex")
    assert res.exit_code == 0 and "untrusted" in res.output and "codex" in res.output


def test_status_says_when_codex_hooks_are_untrusted(cli: Any, monkeypatch: Any) -> None:
    Path(os.environ["CODEX_HOME"]).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli("guard", "install", "--client", "codex").exit_code == 0
    st = json.loads(cli("guard", "status", "--json").stdout)
    codex = next(h for h in st["hooks"] if h["agent"] == "codex")
    assert codex["live"] is False and "not trusted" in codex["problem"]
    assert "no hook reply ends a running Codex turn" in codex["note"]


def test_dry_run_writes_nothing(cli: Any) -> None:
    _settings().parent.mkdir(parents=True)
    _settings().write_text('{"env": {"A": "1"}}\n')
    res = cli("guard", "install", "--client", "claude", "--dry-run")
    assert res.exit_code == 0 and "Would install the guard's hooks" in res.output
    assert '+  "hooks": {' in res.output
    assert _settings().read_text() == '{"env": {"A": "1"}}\n'
