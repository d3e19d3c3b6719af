"""Subscription windows: snapshots (Codex logs, the status line), measured allowances, pace."""
