"""The provider catalog: bundled data plus the user's own file. See `catalog.py`."""

from agentcost.providers.catalog import RESERVED_CODEX_IDS, UNKNOWN, Provider, get_provider, load_providers

__all__ = ["RESERVED_CODEX_IDS", "UNKNOWN", "Provider", "get_provider", "load_providers"]
