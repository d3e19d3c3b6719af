"""Draw the audit report (the dict from `build.build_report`) for people, with rich."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from agentcost.formats import money, plural, size, tokens
from agentcost.sanitize import sanitize
from agentcost.ui.tables import Column, fit_table

CORRECTED = "†"  # marks token counts converted from o200k with a family's correction factor


def tok(n: int | float) -> str:
    return tokens(n, compact=True)


def lit(*parts: str | tuple[str, str]) -> Text:
    """Text printed literally (never parsed as markup): plain strings, or (text, style) pairs."""
    t = Text()
    for p in parts:  # paths and names come from the repository: control characters escaped
        if isinstance(p, tuple):
            t.append(sanitize(p[0]), style=p[1])
        else:
            t.append(sanitize(p))
    return t


def usd(s: str | None) -> str:
    return "n/a" if s is None else money(Decimal(s))


def render(report: dict[str, Any], con: Console, *, tree: bool = True) -> None:
    con.print(lit(("Repository audit ", "bold"), report["root"]))
    con.print(lit(f"Tokens: {report['method']} (tokenizer {report['tokenizer']})"), style="dim")
    con.print()
    _views(report, con)
    _models(report, con)
    _where(report, con, tree)
    _savings(report, con)
    _binaries(report, con)
    _problems(report, con)


def _views(report: dict[str, Any], con: Console) -> None:
    rows: list[list[object]] = []
    for v in report["views"].values():
        counted = "exact" if v["method"] == "exact o200k" else ("mixed*" if v["exact_files"] else "estimate*")
        rows.append(
            [
                lit(v["label"]),
                f"{v['files']:,}",
                size(v["bytes"]),
                tok(v["tokens"]),
                f"{v['binary_files']:,} ({size(v['binary_bytes'])})",
                counted,
            ]
        )
    cols = [
        Column("view", kind="text", min_width=16),
        Column("files", kind="number", justify="right"),
        Column("size", kind="number", justify="right", drop=2),
        Column("text tokens", kind="number", justify="right"),
        Column("binary files", kind="number", justify="right", drop=3),
        Column("counted", kind="number", drop=1),
    ]
    t, _ = fit_table(cols, rows, con.width, title="What an agent could read")
    con.print(t)
    methods = {v["method"] for v in report["views"].values() if v["method"] != "exact o200k"}
    for m in sorted(methods):
        con.print(lit(f"* {m}"), style="dim")
    src = report.get("exclusions_from") or {}
    if src.get("label"):
        con.print(lit(f"agentcost exclusions: {src['label']}"), style="dim")


def _models(report: dict[str, Any], con: Console) -> None:
    if not report["models"]:
        return
    rows = []
    corrected: list[str] = []
    origins: dict[str, list[str]] = {}
    for m in report["models"]:
        origins.setdefault(m["origin"], []).append(m["model"])
        mark = ""
        if m["family"] and m["correction_factor"] != 1:
            mark = CORRECTED
            corrected.append(f"×{m['correction_factor']:g} for {m['model']} ({m['family']})")
        fits = m["fits_context"]["included"]
        window = m["context_window"]
        fit = "unknown" if fits is None else f"{'yes' if fits else 'no'} ({tok(window)})"
        if m["unpriced"]:
            once = cached = disk = "unpriced"
        else:
            once, cached = usd(m["read_once_usd"]["included"]), usd(m["cache_read_usd"]["included"])
            disk = usd(m["read_once_usd"]["disk"])
        rows.append([lit(m["model"]), tok(m["tokens"]["included"]) + mark, once, cached, fit, disk])
    cols = [
        Column("model", kind="key"),
        Column("tokens", kind="number", justify="right"),
        Column("read once", kind="number", justify="right"),
        Column("re-read cached", kind="number", justify="right", drop=2),
        Column("fits context?", kind="number", justify="right", drop=1),
        Column("on disk, read once", kind="number", justify="right", drop=3),
    ]
    t, _ = fit_table(cols, rows, con.width, title="Cost to read the included files (base rates)")
    con.print(t)
    if corrected:
        note = f"{CORRECTED} o200k tokens × the model family's tokenizer factor: " + ", ".join(corrected)
        con.print(lit(note), style="dim")
    con.print(
        lit("models: " + "; ".join(f"{', '.join(names)} ({origin})" for origin, names in origins.items())),
        style="dim",
    )
    for m in report["models"]:
        if m["unpriced"]:
            con.print(lit(f"{m['model']}: {m['unpriced']}"), style="dim")


def _where(report: dict[str, Any], con: Console, tree: bool) -> None:
    entries: list[tuple[str, dict[str, Any], bool]] = [(d["path"], d, True) for d in report["tree"]]
    root_files = report.get("root_files") or {}
    if root_files.get("files"):
        entries.append(("(root files)", root_files, False))
        entries.sort(key=lambda r: -int(r[1]["tokens"]))
    other = report.get("other_dirs") or {}
    if entries:
        if tree:
            root = Tree(lit(("Where the included tokens are", "bold")))
            for name, d, is_dir in entries:
                node = root.add(
                    lit((name, "bold" if is_dir else "italic"), f"  {tok(d['tokens'])} tokens, "
                        f"{plural(d['files'], 'file')}")
                )  # fmt: skip
                for k in d.get("children", []):
                    node.add(lit(k["path"], f"  {tok(k['tokens'])} tokens"))
            if other.get("dirs"):
                root.add(
                    lit(f"… {plural(other['dirs'], 'more directory', 'more directories')}: "
                        f"{tok(other['tokens'])} tokens, {plural(other['files'], 'file')}"),
                    style="dim",
                )  # fmt: skip
            con.print(root)
        else:
            rows: list[list[object]] = [
                [lit(name), f"{d['files']:,}", tok(d["tokens"])] for name, d, _ in entries
            ]
            if other.get("dirs"):
                rows.append([lit(f"… {other['dirs']:,} more"), f"{other['files']:,}", tok(other["tokens"])])
            cols = [
                Column("directory", kind="key"),
                Column("files", kind="number", justify="right"),
                Column("tokens", kind="number", justify="right"),
            ]
            t, _ = fit_table(cols, rows, con.width, title="Top directories (included)")
            con.print(t)
    if report["top_files"]:
        cols = [Column("file", kind="key"), Column("tokens", kind="number", justify="right")]
        frows: list[list[object]] = [[lit(f["path"]), tok(f["tokens"])] for f in report["top_files"]]
        t, _ = fit_table(cols, frows, con.width, title="Top files (included)")
        con.print(t)


def _at(rule: str, where: list[str]) -> str:
    """ ", at a/, b/" when the places differ from the rule itself (``*.egg-info/`` at pkg.egg-info/)."""
    same = {rule, rule.lstrip("/"), rule.lstrip("/").rstrip("/"), rule.lstrip("/").rstrip("/") + "/"}
    places = [w for w in where if w not in same]
    if not places:
        return ""
    more = ", …" if len(where) > 2 else ""
    return ", at " + ", ".join(where[:2]) + more


def _savings(report: dict[str, Any], con: Console) -> None:
    hidden = [e for e in report["exclusions"] if e["layer"] in ("gitignore", "git") and e["tokens"] > 0][:5]
    if hidden:
        con.print(
            lit(("Kept out by .gitignore", "bold"),
                " (tools that honour it skip these; a shell command still reads them):")
        )  # fmt: skip
        for e in hidden:
            src = "git's own data" if e["layer"] == "git" else e["source"]
            con.print(
                lit(f"  {e['rule']} ({src}): {tok(e['tokens'])} tokens in {plural(e['files'], 'file')}",
                    (_at(e["rule"], e["where"]), "dim"))
            )  # fmt: skip
    floor = f"{int(report.get('savings_min_tokens') or 0):,}"
    if not report["savings"]:
        con.print(lit(("Savings:", "bold"), f" nothing left to exclude worth {floor} tokens or more."))
    else:
        con.print(
            lit(("Biggest savings", "bold"), (f" (not excluded yet; under {floor} tokens not listed)", "dim"))
        )
        for s in report["savings"]:
            money = (
                f" ≈ {usd(s['usd_per_read'])} per full read on {s['model']}" if s.get("usd_per_read") else ""
            )
            what = s.get("reason") or s.get("kind") or ""
            con.print(
                lit("  excluding ", (s.get("rule") or s.get("pattern") or "", "bold"),
                    f" saves {tok(s['tokens'])} tokens{money} ", (f"({what})", "dim"))
            )  # fmt: skip
        if report["apply_command"]:
            con.print(lit("Apply with: ", (report["apply_command"], "bold")))
    effect = report.get("in_effect") or []
    if effect:
        con.print(lit(("Already excluded", "bold"), f" (in {effect[0]['applied_in']}'s agentcost block):"))
        for e in effect:
            con.print(lit(f"  {e['rule']}: {tok(e['tokens'])} tokens kept out"), style="dim")
    if report["savings"] or effect:
        con.print(lit("None of these stops an agent that runs a shell command."), style="dim")


def _binaries(report: dict[str, Any], con: Console) -> None:
    vcs = report.get("vcs_internals") or {}
    if report["binaries"]:
        cols = [
            Column("file", kind="key"),
            Column("size", kind="number", justify="right"),
            Column("where", kind="text", min_width=8, drop=1),
        ]
        brows: list[list[object]] = [
            [lit(b["path"]), size(b["bytes"]), lit(b.get("where", b["view"]))] for b in report["binaries"]
        ]
        t, _ = fit_table(cols, brows, con.width, title="Largest binary files (not counted as tokens)")
        con.print(t)
    if vcs.get("files"):
        con.print(
            lit(f".git/ (version control internals, not listed): {plural(vcs['files'], 'file')}, "
                f"{size(vcs['bytes'])}; {vcs['binary_files']:,} binary ({size(vcs['binary_bytes'])})"),
            style="dim",
        )  # fmt: skip


def _problems(report: dict[str, Any], con: Console) -> None:
    p = report["problems"]
    lines: list[Text] = []
    if p["unreadable_dirs"] or p["unreadable_files"]:
        ex = ", ".join(p["unreadable_examples"][:3])
        lines.append(
            lit(f"{plural(p['unreadable_dirs'], 'unreadable directory', 'unreadable directories')}"
                f" and {plural(p['unreadable_files'], 'unreadable file')} skipped ({ex})")
        )  # fmt: skip
    if p["symlinks_not_followed"]:
        lines.append(
            lit(f"{plural(p['symlinks_not_followed'], 'symlink')} not followed "
                f"({p['symlinks_outside']:,} point outside the tree, "
                f"{p['symlinks_broken']:,} broken or looping)")
        )  # fmt: skip
    if p["directory_loops"]:
        lines.append(lit(f"{plural(p['directory_loops'], 'directory loop')} skipped"))
    budget = report["budget"]
    if budget is not None:
        state = ("over budget", "red") if budget["exceeded"] else "within budget"
        lines.append(
            lit(f"budget: {tok(budget['tokens'])} included tokens vs {tok(budget['limit'])}: ", state)
        )
    ex = report["exact"]
    if ex is not None:
        lines.append(
            lit(f"exact counts: {ex['cache_hits']:,} from cache, {plural(ex['tokenized_files'], 'file')} "
                f"tokenised ({plural(ex['jobs'], 'process', 'processes')})")
        )  # fmt: skip
    lines.extend(lit(n) for n in report["notes"])
    lines.append(lit(f"scanned in {report['seconds']:.2f} s"))
    for line in lines:
        con.print(line, style="dim")
