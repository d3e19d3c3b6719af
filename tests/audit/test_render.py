"""The human report: narrow terminals, grammar, literal file names, root files, binaries, exclusion source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentcost.audit.tokens import ratio_table

SRC = "def f(x):\n    return x + 1\n" * 40  # 1,080 bytes of Python
MODELS = ("-m", "claude-sonnet-4-5", "-m", "deepseek-chat", "-m", "claude-opus-4-7")


@pytest.fixture
def repo(make_tree) -> Path:
    return make_tree(
        {
            "src/app.py": SRC * 40,
            "setup.py": SRC,
            "README.md": "# Readme\n\nWords.\n" * 30,
            "node_modules/lib/index.js": "module.exports = 1;\n" * 500,
            ".gitignore": "node_modules/\n",
            "assets/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(3000),
            "lib/util.py": SRC,
            ".git/objects/ab/cdef0123": b"x\x01" + bytes(9000),  # git's object store: never listed
            ".git/HEAD": "ref: refs/heads/main\n",
        }
    )


def _json(cli, *args: str) -> dict:
    r = cli("audit-repo", *args, "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _table_rows(out: str, title: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index(title)
    rows = []
    for ln in lines[start + 1 :]:
        if not ln or ln[0] not in "┏┃┡│└":
            break
        rows.append(ln)
    return rows


@pytest.mark.parametrize("columns", [80, 100])
def test_cost_table_fits_narrow_terminals(cli, repo: Path, columns: int) -> None:
    r = cli("audit-repo", str(repo), *MODELS, env={"COLUMNS": str(columns)})
    assert r.exit_code == 0, r.stderr
    rows = _table_rows(r.stdout, "Cost to read the included files (base rates)")
    assert all(len(ln) <= columns for ln in rows)
    body = [ln for ln in rows if ln.startswith("│")]
    # one line per model: names, token counts and dollar amounts are never wrapped or cut
    assert [ln.split("│")[1].strip() for ln in body] == [
        "claude-sonnet-4-5",
        "deepseek-chat",
        "claude-opus-4-7",
    ]
    for ln in body:
        cells = [c.strip() for c in ln.split("│")[1:-1]]
        assert "…" not in ln and "×" not in ln
        assert all(c.startswith("$") for c in (cells[2], cells[3], cells[5])), cells
        assert cells[4].startswith(("yes (", "no ("))
    # the correction factor is a footnote, the model's origin too
    assert not body[0].split("│")[2].strip().endswith("†")  # sonnet: uncorrected
    assert body[1].split("│")[2].strip().endswith("†")
    assert "×1.053 for deepseek-chat (deepseek)" in r.stdout and "×1.3 for claude-opus-4-7" in r.stdout
    assert "models: claude-sonnet-4-5, deepseek-chat, claude-opus-4-7 (--model)" in r.stdout


def test_grammar_and_no_repeated_paths(cli, repo: Path) -> None:
    out = cli("audit-repo", str(repo)).stdout
    assert " 1 files" not in out
    nm = next(ln for ln in out.splitlines() if ln.strip().startswith("node_modules/"))
    size = len("module.exports = 1;\n" * 500)
    tokens = round(size / ratio_table().type_for("a.js").ratio)
    assert nm == f"  node_modules/ (.gitignore:1): {tokens:,} tokens in 1 file"
    assert out.splitlines()[-1].startswith("scanned in ") and out.splitlines()[-1].endswith(" s")
    assert "agentcost exclusions: agentcost defaults" in out


def test_where_the_pattern_matched_is_shown_only_when_it_differs(cli, make_tree) -> None:
    root = make_tree(
        {"a.py": SRC, ".gitignore": "*.egg-info/\n", "pkg.egg-info/PKG-INFO": "Name: pkg\n" * 50}
    )
    out = cli("audit-repo", str(root)).stdout
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("*.egg-info/"))
    assert line.endswith("in 1 file, at pkg.egg-info/")


def test_tree_has_root_files_and_adds_up(cli, repo: Path) -> None:
    doc = _json(cli, str(repo), "--top", "1")
    inc = doc["views"]["included"]
    rf, other = doc["root_files"], doc["other_dirs"]
    # root: setup.py, README.md, .gitignore (3 files); dirs: src/ (shown with --top 1), lib/ (other);
    # assets/ holds only logo.png, which agentcost's exclusions remove
    assert rf["files"] == 3 and other["dirs"] == 1 and other["files"] == 1
    assert sum(d["tokens"] for d in doc["tree"]) + rf["tokens"] + other["tokens"] == inc["tokens"]
    assert sum(d["files"] for d in doc["tree"]) + rf["files"] + other["files"] == inc["files"]
    out = cli("audit-repo", str(repo), "--top", "1").stdout
    assert (
        "(root files)" in out
        and f"… 1 more directory: {round(1080 / ratio_table().type_for('a.py').ratio)} tokens, 1 file" in out
    )
    table = cli("audit-repo", str(repo), "--top", "1", "--table").stdout
    assert "(root files)" in table


def test_binaries_that_matter_first_and_git_internals_summarised(cli, repo: Path) -> None:
    (repo / "node_modules" / "big.bin").write_bytes(bytes(50_000))
    doc = _json(cli, str(repo))
    assert [(b["path"], b["where"]) for b in doc["binaries"]] == [
        ("assets/logo.png", "excluded by agentcost"),  # *.png is in agentcost's media group
        ("node_modules/big.bin", "hidden by .gitignore"),  # bigger, but listed after
    ]
    vcs = doc["vcs_internals"]
    assert (vcs["files"], vcs["binary_files"], vcs["binary_bytes"]) == (2, 1, 9002)
    out = cli("audit-repo", str(repo)).stdout
    assert ".git/objects" not in out
    assert ".git/ (version control internals, not listed): 2 files, 9.0 KB; 1 binary (9.0 KB)" in out


def test_names_with_markup_print_literally(cli, make_tree) -> None:
    root = make_tree(
        {
            "x[/b]y.py": SRC,  # a directory "x[" holding "b]y.py": the path reads "x[/b]y.py"
            "[red]z.py": SRC,
            "[bold]d/[/]w.py": SRC,
            "[red]img.png": b"\x89PNG\r\n\x1a\n" + bytes(10),
            "ig[/i]/f.txt": "ignored\n" * 10,
            ".gitignore": "ig*/\n[[]red]*.log\n",
            "[red]x.log": "log line\n" * 10,
            "data/[b]rows.csv": "a,b\n" * 40_000,  # a large data file: proposed as a saving
        }
    )
    r = cli("audit-repo", str(root), "-m", "[red]m[/]", "--table")
    assert r.exit_code == 0, r.stderr
    literals = ("x[/b]y.py", "[red]z.py", "[bold]d/", "[bold]d/[/]w.py", "[red]img.png", "ig[/",
                "data/[b]rows.csv", "[red]m[/]: n/a (unpriced", "[[]red]*.log (.gitignore:2)")  # fmt: skip
    for literal in literals:
        assert literal in r.stdout, literal
    tree = cli("audit-repo", str(root)).stdout
    assert "[bold]d/" in tree and "x[/" in tree


def test_view3_uses_the_agentcost_block_with_extra_patterns(cli, make_tree) -> None:
    root = make_tree({"src/a.py": SRC, "fixtures/big.py": SRC * 10, "db.sqlite": b"SQLite format 3\x00"})
    before = _json(cli, str(root))
    assert before["exclusions_from"] == {"label": "agentcost defaults", "file": None, "added": []}
    assert before["views"]["included"]["files"] == 2
    # the real `agentcost ignore` writes the block (Cursor only, no scan)
    w = cli("ignore", str(root), "--agents", "cursor", "--no-detect", "--extra", "/fixtures/")
    assert w.exit_code == 0, w.stderr + w.stdout
    assert (root / ".cursorignore").read_text().count("/fixtures/") == 1
    after = _json(cli, str(root))
    assert after["exclusions_from"]["file"] == ".cursorignore"
    assert after["exclusions_from"]["added"] == ["/fixtures/"]
    assert not [n for n in after["notes"] if "default patterns" in n]  # the block holds every default
    inc = after["views"]["included"]
    # fixtures/big.py and db.sqlite are out; .cursorignore itself is a new included file
    assert inc["files"] == 2 and {f["path"] for f in after["top_files"]} == {"src/a.py", ".cursorignore"}
    assert not [s for s in after["savings"] if s.get("rule") == "/fixtures/"]  # in effect: not a saving
    rule = next(s for s in after["in_effect"] if s.get("rule") == "/fixtures/")
    assert rule["reason"] == "added with `agentcost ignore --extra`" and rule["applied_in"] == ".cursorignore"
    out = cli("audit-repo", str(root)).stdout
    assert (
        "agentcost exclusions: from .cursorignore's agentcost block, with 1 pattern beyond the defaults"
        in out
    )
    assert "Already excluded (in .cursorignore's agentcost block):" in out


def test_block_without_some_defaults_is_used_as_written(cli, make_tree) -> None:
    root = make_tree(
        {
            "a.py": SRC,
            "db.sqlite": b"SQLite format 3\x00",
            ".aiderignore": "# >>> agentcost >>>\n# extra: x\n/a.py\n# <<< agentcost <<<\n",
            ".ignore": "# >>> agentcost >>>\n# <<< agentcost <<<\n# >>> agentcost >>>\n",
        }
    )
    doc = _json(cli, str(root))
    assert doc["exclusions_from"]["file"] == ".aiderignore"
    inc = doc["views"]["included"]
    # only /a.py is excluded: the block holds none of the defaults, so db.sqlite stays included
    assert inc["files"] == 3
    assert any("not in .aiderignore's block" in n for n in doc["notes"])
    assert any(n.startswith(".ignore:1: the agentcost block is damaged") for n in doc["notes"])


def test_report_money_is_exact_plain_decimal() -> None:
    # The money rule: JSON carries exact decimals, never exponent notation, never rounded to cents.
    from decimal import Decimal

    from agentcost.audit.build import _usd

    assert _usd(Decimal("1E-7")) == "0.0000001" and _usd(Decimal("0.125")) == "0.125" and _usd(None) is None
