"""Draw the audit report (the dict from `build.build_report`) for people, with rich."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree


def tok(n: int | float) -> str:
    n = float(n)
    if n >= 1e9:
        return f"{n / 1e9:.2f} B"
    if n >= 1e6:
        return f"{n / 1e6:.2f} M"
    if n >= 1e4:
        return f"{n / 1e3:.0f} k"
    if n >= 1e3:
        return f"{n / 1e3:.1f} k"
    return f"{n:.0f}"


def size(n: int | float) -> str:
    n = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


def usd(s: str | None) -> str:
    if s is None:
        return "n/a"
    d = Decimal(s)
    return f"${d:,.2f}" if d >= Decimal("0.01") or d == 0 else f"${d:.4f}"


def render(report: dict[str, Any], con: Console, *, tree: bool = True) -> None:
    con.print(f"[bold]Repository audit[/] {escape(report['root'])}")
    con.print(f"Tokens: {escape(report['method'])} (tokenizer {report['tokenizer']})", style="dim")
    con.print()
    _views(report, con)
    _models(report, con)
    _where(report, con, tree)
    _savings(report, con)
    _binaries(report, con)
    _problems(report, con)


def _views(report: dict[str, Any], con: Console) -> None:
    t = Table(title="What an agent could read", title_justify="left")
    t.add_column("view")
    for col in ("files", "size", "text tokens", "binary files"):
        t.add_column(col, justify="right")
    t.add_column("counted")
    for v in report["views"].values():
        counted = "exact" if v["method"] == "exact o200k" else ("mixed*" if v["exact_files"] else "estimate*")
        t.add_row(
            v["label"],
            f"{v['files']:,}",
            size(v["bytes"]),
            tok(v["tokens"]),
            f"{v['binary_files']:,} ({size(v['binary_bytes'])})",
            counted,
        )
    con.print(t)
    methods = {v["method"] for v in report["views"].values() if v["method"] != "exact o200k"}
    for m in sorted(methods):
        con.print(f"[dim]* {escape(m)}[/]")


def _models(report: dict[str, Any], con: Console) -> None:
    if not report["models"]:
        return
    t = Table(title="Cost to read the included files (base rates)", title_justify="left")
    t.add_column("model", no_wrap=True)
    t.add_column("tokens", justify="right", overflow="fold")
    t.add_column("read once", justify="right")
    t.add_column("re-read from cache", justify="right")
    t.add_column("fits context?", justify="right")
    t.add_column("on disk, read once", justify="right")
    for m in report["models"]:
        corr = (
            f" ×{m['correction_factor']:g} {m['family']}"
            if m["family"] and m["correction_factor"] != 1
            else ""
        )
        fits = m["fits_context"]["included"]
        fit = (
            "unknown"
            if fits is None
            else (f"yes ({tok(m['context_window'])})" if fits else f"no ({tok(m['context_window'])})")
        )
        if m["unpriced"]:
            once = cached = disk = "n/a (unpriced)"
        else:
            once, cached = usd(m["read_once_usd"]["included"]), usd(m["cache_read_usd"]["included"])
            disk = usd(m["read_once_usd"]["disk"])
        t.add_row(
            f"{escape(m['model'])}\n[dim]{escape(m['origin'])}[/]",
            tok(m["tokens"]["included"]) + corr,
            once,
            cached,
            fit,
            disk,
        )
    con.print(t)
    for m in report["models"]:
        if m["unpriced"]:
            con.print(f"[dim]{escape(m['model'])}: {escape(m['unpriced'])}[/]")


def _where(report: dict[str, Any], con: Console, tree: bool) -> None:
    if report["tree"]:
        if tree:
            root = Tree("[bold]Where the included tokens are[/]")
            for d in report["tree"]:
                node = root.add(f"{escape(d['path'])}  {tok(d['tokens'])} tokens, {d['files']:,} files")
                for k in d["children"]:
                    node.add(f"{escape(k['path'])}  {tok(k['tokens'])}")
            con.print(root)
        else:
            t = Table(title="Top directories (included)", title_justify="left")
            t.add_column("directory")
            t.add_column("files", justify="right")
            t.add_column("tokens", justify="right")
            for d in report["top_dirs"]:
                t.add_row(escape(d["path"]), f"{d['files']:,}", tok(d["tokens"]))
            con.print(t)
    if report["top_files"]:
        t = Table(title="Top files (included)", title_justify="left")
        t.add_column("file", overflow="fold")
        t.add_column("tokens", justify="right")
        for f in report["top_files"]:
            t.add_row(escape(f["path"]), tok(f["tokens"]))
        con.print(t)


def _savings(report: dict[str, Any], con: Console) -> None:
    hidden = [e for e in report["exclusions"] if e["layer"] in ("gitignore", "git") and e["tokens"] > 0][:5]
    if hidden:
        con.print(
            "[bold]Kept out by .gitignore[/] "
            "(tools that honour it skip these; a shell command still reads them):"
        )
        for e in hidden:
            where = ", ".join(e["where"][:2])
            src = "git's own data" if e["layer"] == "git" else e["source"]
            con.print(
                f"  {escape(e['rule'])} ({escape(src)}): {tok(e['tokens'])} tokens "
                f"in {e['files']:,} files [dim]{escape(where)}[/]"
            )
    if not report["savings"]:
        con.print("[bold]Savings:[/] nothing big left to exclude.")
        return
    con.print("[bold]Biggest savings[/]")
    for s in report["savings"]:
        money = (
            f" ≈ {usd(s['usd_per_read'])} per full read on {escape(s['model'])}"
            if s.get("usd_per_read")
            else ""
        )
        what = s.get("reason") or s.get("kind") or ""
        con.print(
            f"  excluding [bold]{escape(s.get('rule') or s.get('pattern') or '')}[/] "
            f"saves {tok(s['tokens'])} tokens{money} [dim]({escape(what)})[/]"
        )
    con.print(f"Apply with: [bold]{escape(report['apply_command'])}[/]")
    con.print("[dim]None of these stops an agent that runs a shell command.[/]")


def _binaries(report: dict[str, Any], con: Console) -> None:
    if not report["binaries"]:
        return
    t = Table(title="Largest binary files (not counted as tokens)", title_justify="left")
    t.add_column("file", overflow="fold")
    t.add_column("size", justify="right")
    t.add_column("in view")
    for b in report["binaries"]:
        t.add_row(escape(b["path"]), size(b["bytes"]), b["view"])
    con.print(t)


def _problems(report: dict[str, Any], con: Console) -> None:
    p = report["problems"]
    lines = []
    if p["unreadable_dirs"] or p["unreadable_files"]:
        ex = ", ".join(p["unreadable_examples"][:3])
        lines.append(
            f"{p['unreadable_dirs']:,} unreadable directories and {p['unreadable_files']:,} "
            f"unreadable files skipped ({escape(ex)})"
        )
    if p["symlinks_not_followed"]:
        lines.append(
            f"{p['symlinks_not_followed']:,} symlinks not followed "
            f"({p['symlinks_outside']:,} point outside the tree, "
            f"{p['symlinks_broken']:,} broken or looping)"
        )
    if p["directory_loops"]:
        lines.append(f"{p['directory_loops']:,} directory loops skipped")
    budget = report["budget"]
    if budget is not None:
        state = "[red]over budget[/]" if budget["exceeded"] else "within budget"
        lines.append(f"budget: {tok(budget['tokens'])} included tokens vs {tok(budget['limit'])}: {state}")
    ex = report["exact"]
    if ex is not None:
        lines.append(
            f"exact counts: {ex['cache_hits']:,} from cache, {ex['tokenized_files']:,} files tokenised "
            f"({ex['jobs']} processes)"
        )
    lines.extend(escape(n) for n in report["notes"])
    lines.append(f"{report['seconds']:.2f} s")
    for line in lines:
        con.print(f"[dim]{line}[/]")
