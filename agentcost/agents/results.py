"""What a `setup` run did, as data: files written (or, with --dry-run, that would be), notes, findings.
Rendering is in `agentcost.ui.setup`; `as_dict()` is the `--json` document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentcost.agents.findings import Finding, Severity, has_errors, sort_findings
from agentcost.fileio import WriteResult


@dataclass
class SetupResult:
    """What a `setup` run did: files (written or, with --dry-run, would be), notes and findings.

    `summary` holds the configured values for display, with secrets already masked.
    """

    agent: str
    provider: str
    writes: list[WriteResult] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    # Lines meant to be copied into a shell profile, printed bare (no "note:" prefix, never a masked key).
    shell_lines: list[str] = field(default_factory=list)
    # Error codes that are expected right after set-up (code -> why), e.g. CODEX_ENV_KEY_UNSET when the
    # variable is simply not exported in this shell yet. Any other error makes `setup` exit 1.
    expected: dict[str, str] = field(default_factory=dict)
    expected_in: str | None = None  # only findings about this file count as expected (None: any file)
    extra: dict[str, Any] = field(default_factory=dict)  # agent-specific JSON members (e.g. overridden_here)

    def _is_expected(self, f: Finding) -> bool:
        return f.code in self.expected and (self.expected_in is None or f.file == self.expected_in)

    def unexpected_errors(self) -> list[Finding]:
        """Error findings the set-up did not expect: with these, `setup` exits 1 ("written, but …")."""
        return [f for f in self.findings if f.severity is Severity.ERROR and not self._is_expected(f)]

    def expected_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR and self._is_expected(f)]

    @property
    def changed(self) -> bool:
        return any(w.changed for w in self.writes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "provider": self.provider,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "files": [
                {
                    "path": str(w.path),
                    "changed": w.changed,
                    "created": w.created,
                    "backup": str(w.backup) if w.backup else None,
                    "diff": w.diff if w.dry_run and w.changed else None,
                }
                for w in self.writes
            ],
            "summary": dict(self.summary),
            "notices": list(self.notices),
            "warnings": list(self.warnings),
            "shell_lines": list(self.shell_lines),
            "findings": [f.as_dict() for f in sort_findings(self.findings)],
            "errors": has_errors(self.findings),
            "expected_errors": sorted({f.code for f in self.expected_errors()}),
            "unexpected_errors": bool(self.unexpected_errors()),
            **self.extra,
        }


def describe_write(w: WriteResult) -> str:
    """One line for a write: "wrote X (backup: Y)", "created X", "X: already configured…", "would …"."""
    if not w.changed:
        return f"{w.path}: already configured, nothing written"
    if w.dry_run:
        return f"would {'create' if w.created else 'change'} {w.path} (dry run, nothing written)"
    if w.created:
        return f"created {w.path}"
    return f"wrote {w.path}" + (f" (backup: {w.backup})" if w.backup else "")
