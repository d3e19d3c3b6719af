"""agentcost: run AI coding agents on API keys and third-party providers safely and cheaply."""

from __future__ import annotations

__version__ = "0.1.0"
