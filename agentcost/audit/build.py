"""Turn a scan into the audit report: one JSON-ready dict that `--json` prints and `render` draws.

The shape is documented in docs/audit-repo.md ("JSON output"); keys are only ever added.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from agentcost.audit.costs import ModelCost
from agentcost.audit.exclusions import Exclusions
from agentcost.audit.report import VIEW_NAMES, Aggregate, Totals
from agentcost.audit.scan import ScanResult
from agentcost.audit.tokens import ENCODING, EXACT_LABEL, RatioTable
from agentcost.formats import money_json

# Included directories whose name says "data, not code": proposed for exclusion when they are big.
DATA_DIR_NAMES = frozenset(
    {
        "fixtures", "fixture", "testdata", "test_data", "test-data", "data", "datasets", "dataset",
        "samples", "sample_data", "snapshots", "__snapshots__", "golden", "goldens", "vendor",
        "third_party", "third-party", "generated", "gen", "dumps", "seeds", "corpus",
    }
)  # fmt: skip
DATA_TYPES = frozenset({"csv", "json", "svg", "sql", "yaml"})
BIG_FILE_TOKENS = 50_000
BIG_DIR_SHARE = 0.10
BIG_DIR_TOKENS = 100_000
# Savings (and exclusions in effect) under this many tokens are not listed: noise next to a repository.
MIN_SAVING_TOKENS = 1_000
VIEW_LABELS = {
    "disk": "on disk (anything a shell can read)",
    "gitignore": "after .gitignore",
    "included": "after agentcost exclusions",
}
# Where a binary is, by its narrowest view (binaries inside `.git/` are only totalled).
BINARY_WHERE = {"included": "included", "gitignore": "excluded by agentcost", "disk": "hidden by .gitignore"}


def _p(path: str) -> str:
    """A path fit for any output: undecodable bytes in file names (kept by os.scandir as surrogate
    escapes) become U+FFFD instead of breaking a UTF-8 writer."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _usd(d: Decimal | None) -> str | None:
    return None if d is None else money_json(d)


def _totals(t: Totals) -> dict[str, int]:
    return asdict(t)


def _view_method(t: Totals, exact: bool, table: RatioTable) -> str:
    if not exact or t.exact_files == 0:
        return table.estimate_label()
    if t.exact_files == t.text_files:
        return EXACT_LABEL
    return f"{EXACT_LABEL} for {t.exact_files:,} files kept by .gitignore; the rest {table.estimate_label()}"


def _proposals(agg: Aggregate) -> list[dict[str, Any]]:
    """Big data-like directories and files still included (beyond the default exclusions)."""
    included = agg.views[3].tokens
    out: list[dict[str, Any]] = []
    chosen: list[str] = []
    for d, t in sorted(agg.dirs.items(), key=lambda r: (-r[1].tokens, r[0])):
        name = d.rstrip("/").rsplit("/", 1)[-1].lower()
        if name not in DATA_DIR_NAMES or any(d.startswith(c) for c in chosen) or agg.mostly_code(d):
            continue  # a package named data/ (mostly .py, say) is the project's code, not data
        if t.tokens >= BIG_DIR_TOKENS or (included and t.tokens >= BIG_DIR_SHARE * included):
            chosen.append(d)
            out.append({"pattern": "/" + _p(d), "kind": "data directory", **_totals(t)})
    for rel, tok in agg.top_files():
        ext = rel.rsplit(".", 1)[-1].lower() if "." in rel.rsplit("/", 1)[-1] else ""
        if tok >= BIG_FILE_TOKENS and ext in DATA_TYPES and not any(rel.startswith(c) for c in chosen):
            out.append({"pattern": "/" + _p(rel), "kind": "large data file", "files": 1, "tokens": tok})
    return out


def build_report(
    scan: ScanResult,
    costs: list[ModelCost],
    table: RatioTable,
    *,
    budget: int | None = None,
    exclusion_reasons: dict[str, str] | None = None,
    exclusions_available: bool = True,
    detected: list[Any] | None = None,
    exclusions: Exclusions | None = None,
) -> dict[str, Any]:
    """The report dict. `detected`: `agentcost.ignore.detect()` proposals (pattern, reason, bytes, files,
    kind) to merge into the savings; each is measured by the scan (`scan(probes=...)`): what it
    removes from the included view, binaries counting no tokens. Unmeasured ones are left out.
    `exclusions`:
    what view 3 applied (its label, the agentcost block it came from), when known."""
    agg = scan.aggregate
    if exclusions is not None:
        exclusion_reasons, exclusions_available = exclusions.reasons, exclusions.available
    block_file = exclusions.block_file if exclusions is not None else None
    views = {}
    for v, name in VIEW_NAMES.items():
        t = agg.views[v]
        views[name] = {"label": VIEW_LABELS[name], **_totals(t), "method": _view_method(t, scan.exact, table)}
    priced = next((c for c in costs if c.unpriced is None), None)

    def per_read(tokens: int) -> dict[str, Any]:
        if priced is None or priced.read_once["included"] is None:
            return {"usd_per_read": None, "model": None}
        rate = Decimal(priced.read_once["included"] or 0)
        base = priced.tokens["included"]
        usd = (rate * Decimal(round(tokens * priced.factor)) / Decimal(base)) if base else Decimal(0)
        return {"usd_per_read": money_json(usd), "model": priced.model}

    rules = sorted(agg.rules.values(), key=lambda r: (-r.totals.tokens, -r.totals.bytes, r.rule))
    excl_rows = []
    for r in rules:
        group = r.source.split(":", 1)[1] if r.layer == "agentcost" else None
        where = sorted(r.roots.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        excl_rows.append(
            {
                "layer": r.layer,
                "rule": r.rule,
                "source": r.source,
                "reason": (exclusion_reasons or {}).get(group or "", None),
                **_totals(r.totals),
                "where": [_p(w) for w, _ in where],
                **per_read(r.totals.tokens),
            }
        )
    # Exclusions already written into the repository's agentcost block are in effect: listed apart
    # (`in_effect`), never as savings still to make. Without a block, agentcost's defaults are what
    # `agentcost ignore` would write: savings still to make, measured on the .gitignore view.
    rule_rows = [e for e in excl_rows if e["layer"] == "agentcost" and e["tokens"] >= MIN_SAVING_TOKENS]
    in_effect = [{**e, "command": None, "applied_in": block_file} for e in rule_rows] if block_file else []
    savings = (
        [] if block_file else [{**e, "command": "agentcost ignore", "applied_in": None} for e in rule_rows]
    )
    proposals = _proposals(agg)
    known = {p["pattern"] for p in proposals}
    measured = agg.probe_totals
    for d in detected or []:
        pattern = str(d.pattern)
        hit = measured.get(pattern)
        if pattern in known or pattern.startswith("!") or hit is None:
            continue  # a proposal the scan did not measure is not claimed
        known.add(pattern)
        # what it removes from the included view: files and tokens of the included files it matches
        # (binaries count no tokens); the same counts as the views, so it never exceeds them
        proposals.append(
            {"pattern": pattern, "kind": str(d.reason), "detected_as": str(d.kind), **_totals(hit)}
        )
    for p in proposals:
        if int(p["tokens"]) < MIN_SAVING_TOKENS:
            continue
        savings.append(
            {
                **p,
                "layer": "proposal",
                "applied_in": None,
                "command": f"agentcost ignore --extra '{p['pattern']}'",
                **per_read(p["tokens"]),
            }
        )
    savings.sort(key=lambda s: (-int(s["tokens"]), str(s.get("pattern") or s.get("rule"))))
    savings = savings[: max(agg.top, 1)]
    in_effect = in_effect[: max(agg.top, 1)]
    extras = " ".join(f"--extra '{s['pattern']}'" for s in savings if s["layer"] == "proposal")
    apply_command = ("agentcost ignore " + extras).strip() if savings else None
    included = agg.views[3].tokens
    ws = scan.walk
    git_rules = [r.totals for r in agg.rules.values() if r.layer == "git"]
    vcs = {
        k: sum(getattr(t, k) for t in git_rules) for k in ("files", "bytes", "binary_files", "binary_bytes")
    }
    report: dict[str, Any] = {
        "root": _p(str(scan.root)),
        "tokenizer": ENCODING,
        "method": EXACT_LABEL if scan.exact else table.estimate_label(),
        "views": views,
        "models": [_model_json(c) for c in costs],
        "top_dirs": [{"path": _p(d), **_totals(t)} for d, t in agg.top_dirs(1)],
        "tree": _tree(agg),
        "root_files": _totals(agg.root_files()),
        "other_dirs": _other_dirs(agg),
        "top_files": [{"path": _p(p), "tokens": n} for p, n in agg.top_files()],
        "by_type": [
            {"type": k, **_totals(t), "ratio": _ratio(table, k)}
            for k, t in sorted(agg.by_type.items(), key=lambda kv: -kv[1].tokens)
        ],
        "binaries": [
            {"path": _p(p), "bytes": b, "view": VIEW_NAMES[v], "where": BINARY_WHERE[VIEW_NAMES[v]]}
            for p, b, v in agg.top_binaries()
        ],
        "vcs_internals": vcs,
        "exclusions_from": {
            "label": exclusions.label if exclusions is not None else "agentcost defaults",
            "file": block_file,
            "added": list(exclusions.added) if exclusions is not None else [],
        },
        "exclusions": excl_rows[:50],
        "savings": savings,
        "savings_min_tokens": MIN_SAVING_TOKENS,
        "in_effect": in_effect,
        "apply_command": apply_command,
        "problems": {
            "unreadable_dirs": ws.unreadable_dirs,
            "unreadable_files": agg.unreadable_files,
            "unreadable_examples": [_p(x) for x in ws.unreadable_examples + agg.unreadable_examples],
            "symlinks_not_followed": ws.symlinks,
            "symlinks_outside": ws.symlinks_outside,
            "symlinks_broken": ws.symlinks_broken,
            "symlink_examples": [_p(x) for x in ws.symlink_examples],
            "directory_loops": ws.loops,
            "special_files": ws.special_files,
            "unstatable": ws.unstatable_files,
        },
        "git_repository": ws.git_repo,
        "budget": None
        if budget is None
        else {"limit": budget, "tokens": included, "exceeded": included > budget, "view": "included"},
        "exact": None
        if not scan.exact
        else {
            "cache_hits": scan.cache_hits,
            "tokenized_files": scan.tokenized_files,
            "tokenized_bytes": scan.tokenized_bytes,
            "jobs": scan.jobs,
            "cache": scan.cache_path,
        },
        "seconds": round(scan.seconds, 3),
        "notes": list(scan.notes) + (list(exclusions.notes) if exclusions is not None else []),
    }
    if not exclusions_available:
        report["notes"].append(
            "agentcost's default exclusions could not be loaded: 'included' equals 'gitignore'"
        )
    return report


def _ratio(table: RatioTable, type_name: str) -> float | None:
    if type_name == table.default.name:
        return table.default.ratio
    for ft in table.by_suffix.values():
        if ft.name == type_name:
            return ft.ratio
    return None


def _other_dirs(agg: Aggregate) -> dict[str, int]:
    """Totals of the first-level included directories beyond the top N (so the tree adds up)."""
    shown = {d for d, _ in agg.top_dirs(1)}
    rest = [t for d, t in agg.dirs.items() if d.count("/") == 1 and d not in shown]
    return {"dirs": len(rest), **{k: sum(getattr(t, k) for t in rest) for k in ("files", "bytes", "tokens")}}


def _tree(agg: Aggregate, children: int = 3) -> list[dict[str, Any]]:
    out = []
    for d, t in agg.top_dirs(1):
        kids = [{"path": _p(k), **_totals(kt)} for k, kt in agg.children(d)[:children]]
        out.append({"path": _p(d), **_totals(t), "children": kids})
    return out


def _model_json(c: ModelCost) -> dict[str, Any]:
    return {
        "model": c.model,
        "origin": c.origin,
        "priced_as": c.priced_as,
        "family": c.family,
        "correction_factor": c.factor,
        "tokens": c.tokens,
        "read_once_usd": {v: _usd(d) for v, d in c.read_once.items()},
        "cache_read_usd": {v: _usd(d) for v, d in c.read_cached.items()},
        "context_window": c.context_window,
        "fits_context": {v: c.fits(v) for v in c.tokens},
        "unpriced": c.unpriced,
        "price_source": c.source,
        "price_as_of": c.as_of,
    }
