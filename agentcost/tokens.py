"""Normalised token counts: the one shape every reader produces and every price consumes.

Convention (whatever the vendor): `input` is *uncached* input; cache writes and cache reads are
separate; `output` includes reasoning (`reasoning` is informational, never charged twice).
Readers normalise from their log format (Anthropic-style or OpenAI-style) into this.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenCounts:
    input: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    output: int = 0
    reasoning: int = 0

    @property
    def cache_write(self) -> int:
        return self.cache_write_5m + self.cache_write_1h

    @property
    def prompt_total(self) -> int:
        """Every input-side token the model processed (uncached + cache writes + cache reads)."""
        return self.input + self.cache_write + self.cache_read

    @property
    def total(self) -> int:
        return self.prompt_total + self.output

    def __add__(self, other: TokenCounts) -> TokenCounts:
        return TokenCounts(
            self.input + other.input,
            self.cache_write_5m + other.cache_write_5m,
            self.cache_write_1h + other.cache_write_1h,
            self.cache_read + other.cache_read,
            self.output + other.output,
            self.reasoning + other.reasoning,
        )

    def scaled(self, factor: float) -> TokenCounts:
        return TokenCounts(
            round(self.input * factor),
            round(self.cache_write_5m * factor),
            round(self.cache_write_1h * factor),
            round(self.cache_read * factor),
            round(self.output * factor),
            round(self.reasoning * factor),
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "input": self.input,
            "cache_write_5m": self.cache_write_5m,
            "cache_write_1h": self.cache_write_1h,
            "cache_read": self.cache_read,
            "output": self.output,
            "reasoning": self.reasoning,
            "total": self.total,
        }
