"""`agentcost audit-repo` end to end: JSON shape, --budget exit code, models from config, --exact cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agentcost.audit import scan as scan_mod
from agentcost.audit.scan import scan
from agentcost.audit.tokens import ratio_table

SRC = "def f(x):\n    return x + 1\n" * 40  # 1,080 bytes of Python


@pytest.fixture
def repo(make_tree) -> Path:
    return make_tree(
        {
            "src/app.py": SRC,
            "src/util.py": SRC,
            "docs/guide.md": "# Guide\n\nSome words about the app.\n" * 20,
            "node_modules/lib/index.js": "module.exports = 1;\n" * 50,
            "data/app.sqlite": b"SQLite format 3\x00" + bytes(4000),
            ".gitignore": "node_modules/\n",
            "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(100),
            "package-lock.json": '{"lockfileVersion": 3}\n' * 10,
        }
    )


def _json(cli, *args: str) -> dict:
    r = cli("audit-repo", *args, "--json")
    assert r.exit_code in (0, 1), r.stderr
    return json.loads(r.stdout)


def test_json_shape_and_views(cli, repo: Path) -> None:
    doc = _json(cli, str(repo))
    assert doc["schema_version"] == 1
    assert set(doc) >= {"root", "tokenizer", "method", "views", "models", "top_dirs", "tree", "top_files",
                        "by_type", "binaries", "exclusions", "savings", "problems", "budget", "exact",
                        "seconds", "notes", "git_repository"}  # fmt: skip
    v = doc["views"]
    assert [v[k]["files"] for k in ("disk", "gitignore", "included")] == [8, 7, 4]
    # node_modules/ is git-ignored; data/app.sqlite is removed by agentcost's exclusions
    assert {e["rule"] for e in doc["exclusions"]} >= {
        "node_modules/",
        "*.sqlite",
        "*.png",
        "package-lock.json",
    }
    # text tokens = size / ratio of the type, per file; binaries are never tokens
    inc = v["included"]
    assert inc["binary_files"] == 0 and inc["text_files"] == 4
    t = ratio_table()
    md = len("# Guide\n\nSome words about the app.\n" * 20)
    want = (
        2 * round(1080 / t.type_for("a.py").ratio)
        + round(md / t.type_for("a.md").ratio)
        + round(14 / t.default.ratio)
    )
    assert inc["tokens"] == want
    assert v["gitignore"]["binary_files"] == 2
    assert v["disk"]["tokens"] > v["included"]["tokens"]
    assert doc["method"].startswith("≈ bytes/ratio") and "±" in doc["method"]
    assert doc["budget"] is None and doc["exact"] is None


def test_budget_exit_code(cli, repo: Path) -> None:
    tokens = _json(cli, str(repo))["views"]["included"]["tokens"]
    assert cli("audit-repo", str(repo), "--budget", str(tokens)).exit_code == 0
    over = cli("audit-repo", str(repo), "--budget", str(tokens - 1))
    assert over.exit_code == 1
    assert "over budget" in over.stderr
    doc = json.loads(cli("audit-repo", str(repo), "--budget", str(tokens - 1), "--json").stdout)
    assert doc["budget"] == {"limit": tokens - 1, "tokens": tokens, "exceeded": True, "view": "included"}


def test_models_from_claude_and_codex_config_and_unpriced(cli, repo: Path, isolated_env: Path) -> None:
    (isolated_env / ".claude").mkdir(exist_ok=True)
    (isolated_env / ".claude" / "settings.json").write_text(
        json.dumps(
            {"env": {"ANTHROPIC_MODEL": "claude-opus-4-7", "ANTHROPIC_SMALL_FAST_MODEL": "no-such-model-x"}}
        )
    )
    (isolated_env / ".codex").mkdir(exist_ok=True)
    (isolated_env / ".codex" / "config.toml").write_text('model = "gpt-5"\n')
    doc = _json(cli, str(repo), "--model", "deepseek-chat")
    models = {m["model"]: m for m in doc["models"]}
    assert list(models) == ["claude-opus-4-7", "no-such-model-x", "gpt-5", "deepseek-chat"]
    inc = doc["views"]["included"]["tokens"]
    opus = models["claude-opus-4-7"]
    assert opus["correction_factor"] == 1.3 and opus["tokens"]["included"] == round(inc * 1.3)
    assert models["deepseek-chat"]["correction_factor"] == 1.053
    unpriced = models["no-such-model-x"]
    assert unpriced["read_once_usd"]["included"] is None and unpriced["unpriced"].startswith("n/a")
    # priced: dollars = tokens x base input rate / 1e6, as a decimal string, never $0 for unpriced
    from decimal import Decimal

    from agentcost.pricing import price_for

    p = price_for("gpt-5")
    if p is not None and p.input is not None:
        want = (Decimal(models["gpt-5"]["tokens"]["included"]) * p.input / Decimal(1_000_000)).quantize(
            Decimal("0.0001")
        )
        assert Decimal(models["gpt-5"]["read_once_usd"]["included"]) == want
    text = cli("audit-repo", str(repo), "--model", "no-such-model-x").stdout
    row = text.split("no-such-model-x")[1].splitlines()[0]
    assert row.count("unpriced") == 3 and "$" not in row  # never $0 for an unpriced model
    assert "no-such-model-x: n/a (unpriced" in text


def test_human_output_mentions_views_savings_and_method(cli, repo: Path) -> None:
    r = cli("audit-repo", str(repo))
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    for needle in ("on disk", "after .gitignore", "after agentcost exclusions", "≈ bytes/ratio",
                   "Savings", "Largest binary files", "src/"):  # fmt: skip
        assert needle in out


def test_missing_path_is_a_usage_error(cli, tmp_path: Path) -> None:
    r = cli("audit-repo", str(tmp_path / "nope"))
    assert r.exit_code == 2 and "no such directory" in r.stderr


def test_exact_without_bpe_openai_names_the_extra(cli, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from agentcost.audit import tokens

    tokens.exact_counter.cache_clear()
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "bpe_openai" else real(n, *a))
    r = cli("audit-repo", str(repo), "--exact")
    tokens.exact_counter.cache_clear()
    assert r.exit_code == 1
    assert "pip install bpe-openai" in r.stderr


def test_exact_cache_retokenises_only_changed_files(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("bpe_openai")
    calls: list[str] = []
    real = scan_mod._count_paths

    def counting(paths: list[str]) -> list[int]:
        calls.extend(paths)
        return real(paths)

    monkeypatch.setattr(scan_mod, "_count_paths", counting)
    cache = tmp_path / "cache"
    first = scan(repo, exact=True, jobs=1, cache_dir=cache)
    assert first.tokenized_files == 5 and first.cache_hits == 0  # 5 text files kept by .gitignore
    assert len(calls) == 5
    calls.clear()
    (repo / "src" / "app.py").write_text(SRC + "print('changed')\n")
    second = scan(repo, exact=True, jobs=1, cache_dir=cache)
    assert calls == [str(repo / "src" / "app.py")]
    assert (second.tokenized_files, second.cache_hits) == (1, 4)
    inc1, inc2 = first.aggregate.views[3], second.aggregate.views[3]
    assert inc2.tokens == inc1.tokens + 4  # the appended line adds 4 o200k tokens (o200k, tiktoken-identical)
    assert inc2.exact_files == inc2.text_files


def test_ignored_tree_is_summarised_with_its_rule(cli, repo: Path) -> None:
    doc = _json(cli, str(repo), "-j", "1")
    nm = next(e for e in doc["exclusions"] if e["rule"] == "node_modules/")
    size = len("module.exports = 1;\n" * 50)
    assert nm["layer"] == "gitignore" and nm["source"] == ".gitignore:1" and nm["where"] == ["node_modules/"]
    assert (nm["files"], nm["bytes"], nm["tokens"]) == (
        1,
        size,
        round(size / ratio_table().type_for("a.js").ratio),
    )
    # the same figures whether the tree is summarised in a worker process or in-process
    doc2 = _json(cli, str(repo), "-j", "2")
    assert doc2["views"] == doc["views"]


def test_undecodable_file_names_do_not_break_output(cli, make_tree) -> None:
    root = make_tree({"ok.py": "x = 1\n"})
    with open(os.fsencode(root) + b"/\xff\xfe-bad.py", "wb") as fh:  # not valid UTF-8
        fh.write(b"x = 2\n")
    doc = _json(cli, str(root))
    assert {f["path"] for f in doc["top_files"]} == {"ok.py", "\ufffd\ufffd-bad.py"}
    assert cli("audit-repo", str(root)).exit_code == 0


def test_savings_name_the_command_that_applies_them(cli, make_tree) -> None:
    big = "id,value,label\n" + "".join(f"{i},{i * 3.14159:.5f},row-{i}\n" for i in range(12_000))
    root = make_tree({"src/app.py": SRC, "tests/fixtures/rows.csv": big, "package-lock.json": "{}\n" * 5000})
    doc = _json(cli, str(root))
    pats = [s.get("pattern") or s.get("rule") for s in doc["savings"]]
    assert "/tests/fixtures/" in pats and "package-lock.json" in pats
    assert doc["apply_command"] == "agentcost ignore --extra '/tests/fixtures/'"
    fixtures = next(s for s in doc["savings"] if s.get("pattern") == "/tests/fixtures/")
    assert fixtures["kind"] == "data directory" and fixtures["tokens"] == round(len(big) / 1.8)


def test_exact_cache_uses_git_blob_ids(have_git, make_tree, tmp_path: Path) -> None:
    pytest.importorskip("bpe_openai")
    from tests.audit.conftest import git

    root = make_tree({"a.py": SRC, "b.py": SRC + "x = 2\n", "link-target.md": "# t\n"})
    os.symlink("a.py", root / "alias.py")
    assert git(root, "init", "-q").returncode == 0
    assert git(root, "add", ".").returncode == 0
    assert git(root, "commit", "-qm", "init").returncode == 0
    from agentcost.audit.cache import git_blob_ids

    ids = git_blob_ids(root)
    assert set(ids) == {"a.py", "b.py", "link-target.md"}  # no symlink
    assert ids["a.py"] == b"g" + bytes.fromhex(git(root, "rev-parse", "HEAD:a.py").stdout.decode().strip())
    cache = tmp_path / "cache"
    scan(root, exact=True, jobs=1, cache_dir=cache)
    # touching a file changes its mtime but not its blob: still a cache hit
    os.utime(root / "a.py", ns=(1, 1))
    # an uncommitted edit: the index's blob id no longer describes the file, so it is re-counted
    (root / "b.py").write_text(SRC)
    again = scan(root, exact=True, jobs=1, cache_dir=cache)
    assert "b.py" not in git_blob_ids(root)
    assert (again.tokenized_files, again.cache_hits) == (1, 2)


def test_detect_proposals_are_merged_with_tokens(cli, make_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass

    import agentcost.ignore.detect

    @dataclass
    class P:
        pattern: str
        reason: str
        bytes: int
        files: int
        kind: str

    root = make_tree(
        {"src/app.py": SRC, "assets/tables/table.py": SRC * 12, "blob.dat": b"\x00\x01" * 20_000}
    )
    calls: list[Path] = []

    def fake_detect(r: Path, max_seconds: float = 5.0) -> list[P]:
        calls.append(r)
        return [P("/assets/tables/", "generated code", 12 * 1080, 1, "generated"),
                P("/blob.dat", "large file", 40_000, 1, "large-file")]  # fmt: skip

    monkeypatch.setattr(agentcost.ignore.detect, "detect", fake_detect)
    assert "/assets/tables/" not in json.dumps(_json(cli, str(root))["savings"])  # only with --detect
    doc = _json(cli, str(root), "--detect")
    assert calls == [root.resolve()]
    got = {s["pattern"]: s for s in doc["savings"] if s["layer"] == "proposal"}
    assert got["/assets/tables/"]["tokens"] == round(12 * 1080 / ratio_table().type_for("a.py").ratio)
    assert got["/assets/tables/"]["kind"] == "generated code"
    # a binary is never counted as text: it saves no tokens, so it is no saving at all
    assert "/blob.dat" not in got
    assert "--extra '/assets/tables/'" in doc["apply_command"]
    assert "/blob.dat" not in doc["apply_command"]


def test_detect_failure_is_a_note(cli, make_tree, monkeypatch: pytest.MonkeyPatch) -> None:
    import agentcost.ignore.detect

    def broken(r: Path, max_seconds: float = 5.0) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(agentcost.ignore.detect, "detect", broken)
    doc = _json(cli, str(make_tree({"a.py": SRC})), "--detect")
    assert any("detection failed" in n for n in doc["notes"])
