"""Fixtures of the domain test packages, shared with the command tests (one test module per command)."""

from __future__ import annotations

from tests.audit.conftest import have_git, make_tree
from tests.billing.conftest import seed_plans, seed_plans_path
from tests.pricing.conftest import fresh_catalog
from tests.usage.conftest import claude_dir, codex_dir, real_logs, truth

__all__ = [
    "claude_dir",
    "codex_dir",
    "fresh_catalog",
    "have_git",
    "make_tree",
    "real_logs",
    "seed_plans",
    "seed_plans_path",
    "truth",
]
