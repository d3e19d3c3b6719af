"""Usage from the agents' local logs. Public API: `iter_usage(...)` -> Iterator[UsageRecord]."""
