"""Draw the audit report (the dict from `build.build_report`) for people, with rich."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from agentcost.sanitize import sanitize

CORRECTED = "†"  # marks token counts converted from o200k with a family's correction factor


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


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 file", "2 files", "1,658 files" (`many`: an irregular plural)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


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
    if s is None:
        return "n/a"
    d = Decimal(s)
    return f"${d:,.2f}" if d >= Decimal("0.01") or d == 0 else f"${d:.4f}"


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
    t = Table(title="What an agent could read", title_justify="left")
    t.add_column("view", min_width=16)
    for col in ("files", "size", "text tokens", "binary files"):
        t.add_column(col, justify="right", no_wrap=True)
    t.add_column("counted", no_wrap=True)
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
        con.print(lit(f"* {m}"), style="dim")
    src = report.get("exclusions_from") or {}
    if src.get("label"):
        con.print(lit(f"agentcost exclusions: {src['label']}"), style="dim")


def _models(report: dict[str, Any], con: Console) -> None:
    if not report["models"]:
        return
    t = Table(title="Cost to read the included files (base rates)", title_justify="left")
    # Model names fold only when longer than 30 characters; every figure stays on one line.
    widest = max(len(m["model"]) for m in report["models"])
    t.add_column("model", overflow="fold", min_width=min(max(widest, 5), 30))
    t.add_column("tokens", justify="right", no_wrap=True)
    t.add_column("read\nonce", justify="right", no_wrap=True)
    t.add_column("re-read\ncached", justify="right", no_wrap=True)
    t.add_column("fits\ncontext?", justify="right", no_wrap=True)
    t.add_column("on disk,\nread once", justify="right", no_wrap=True)
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
        t.add_row(lit(m["model"]), tok(m["tokens"]["included"]) + mark, once, cached, fit, disk)
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
    rows: list[tuple[str, dict[str, Any], bool]] = [(d["path"], d, True) for d in report["tree"]]
    root_files = report.get("root_files") or {}
    if root_files.get("files"):
        rows.append(("(root files)", root_files, False))
        rows.sort(key=lambda r: -int(r[1]["tokens"]))
    other = report.get("other_dirs") or {}
    if rows:
        if tree:
            root = Tree(lit(("Where the included tokens are", "bold")))
            for name, d, is_dir in rows:
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
            t = Table(title="Top directories (included)", title_justify="left")
            t.add_column("directory", overflow="fold")
            t.add_column("files", justify="right", no_wrap=True)
            t.add_column("tokens", justify="right", no_wrap=True)
            for name, d, _ in rows:
                t.add_row(lit(name), f"{d['files']:,}", tok(d["tokens"]))
            if other.get("dirs"):
                t.add_row(lit(f"… {other['dirs']:,} more"), f"{other['files']:,}", tok(other["tokens"]))
            con.print(t)
    if report["top_files"]:
        t = Table(title="Top files (included)", title_justify="left")
        t.add_column("file", overflow="fold")
        t.add_column("tokens", justify="right", no_wrap=True)
        for f in report["top_files"]:
            t.add_row(lit(f["path"]), tok(f["tokens"]))
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
        t = Table(title="Largest binary files (not counted as tokens)", title_justify="left")
        t.add_column("file", overflow="fold")
        t.add_column("size", justify="right", no_wrap=True)
        t.add_column("where", no_wrap=True)
        for b in report["binaries"]:
            t.add_row(lit(b["path"]), size(b["bytes"]), b.get("where", b["view"]))
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
