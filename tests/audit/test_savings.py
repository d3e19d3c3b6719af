"""audit-repo's savings add up: measured on the view they remove from, binaries never counted as
text, exclusions already in effect apart, trivial lines dropped (issue: a Flask tree's SQLite file
"saved" twice the tokens the repository had)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.trees import django_like

APP = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef index():\n    return 'hi'\n"


def _flask_tree(root: Path) -> None:
    for i in range(40):
        p = root / f"app/views{i}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(APP * 12)
    (root / "instance.data").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 9000)  # 2.3 MB
    (root / "node_modules/lib").mkdir(parents=True)
    (root / "node_modules/lib/index.js").write_text("module.exports = function () { return 1; };\n" * 600)
    (root / "tests/fixtures").mkdir(parents=True)
    (root / "tests/fixtures/orders.json").write_text('{"id": 1, "total": 10.5, "country": "FR"},\n' * 1500)
    (root / "static").mkdir()
    (root / "static/app.css.map").write_text("{}\n")


def _json(cli, *args: str) -> dict:
    r = cli("audit-repo", *args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_flask_tree_savings_add_up(cli, tmp_path: Path) -> None:
    root = tmp_path / "flaskapp"
    _flask_tree(root)
    w = cli("ignore", str(root), "--agents", "cursor", "--no-detect")
    assert w.exit_code == 0, w.stderr
    doc = _json(cli, str(root), "--detect")
    views = doc["views"]
    assert "instance.data" in {b["path"] for b in doc["binaries"]}
    savings = {s.get("pattern") or s.get("rule"): s for s in doc["savings"]}
    # the SQLite file is binary: it has no tokens to save (it was "678 k tokens", > the included total)
    assert "/instance.data" not in savings
    for s in doc["savings"]:
        view = "included" if s["layer"] == "proposal" else "gitignore"
        assert 0 < s["tokens"] <= views[view]["tokens"], s
        assert s["tokens"] >= doc["savings_min_tokens"] == 1000
        assert s["applied_in"] is None  # nothing listed as a saving is in effect already
    # exclusions already written into .cursorignore's block are listed apart, not as savings
    effect = {e["rule"]: e for e in doc["in_effect"]}
    assert "node_modules/" not in savings and effect["node_modules/"]["applied_in"] == ".cursorignore"
    assert "*.css.map" not in savings and "*.css.map" not in effect  # 1 token: below the threshold
    out = cli("audit-repo", str(root), "--detect").stdout
    assert "saves 1 tokens" not in out and "/instance.data saves" not in out
    assert "/tests/fixtures/" in savings
    assert "Biggest savings (not excluded yet; under 1,000 tokens not listed)" in out
    assert out.index("Already excluded (in .cursorignore's agentcost block):") > out.index("Biggest savings")


def test_django_like_tree_detect_never_proposes_the_package(cli, tmp_path: Path) -> None:
    root = tmp_path / "fw"
    django_like(root)
    doc = _json(cli, str(root), "--detect")
    pats = {s.get("pattern") or s.get("rule"): s for s in doc["savings"]}
    assert not [p for p in pats if p.startswith("/webfw")], list(pats)
    assert "/webfw/" not in (doc["apply_command"] or "")
    po = pats["*.po"]
    assert po["layer"] == "proposal" and "translation catalogs" in po["kind"]
    # measured by the scan on the included view: every .po file, as text
    assert po["tokens"] <= doc["views"]["included"]["tokens"]
    assert po["files"] == 120 and po["binary_files"] == 0
    assert "*.mo" not in pats  # binary: no tokens to save


def test_a_code_package_named_like_data_is_never_a_saving(cli, tmp_path: Path) -> None:
    root = tmp_path / "svc"
    for i in range(80):  # app/data/: the project's data-access layer, 80 modules, ~190 k tokens
        p = root / f"app/data/repo{i}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(APP * 70)
    (root / "tests/fixtures").mkdir(parents=True)
    (root / "tests/fixtures/rows.csv").write_text(
        "id,total\n" + "".join(f"{i},{i * 1.5}\n" for i in range(60_000))
    )
    doc = _json(cli, str(root))
    pats = {s.get("pattern"): s for s in doc["savings"] if s["layer"] == "proposal"}
    assert "/app/data/" not in pats, list(pats)
    assert "/tests/fixtures/" in pats  # real data is still proposed
