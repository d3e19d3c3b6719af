"""Model-name resolution (pure). Aliases are data (`agentcost/data/model_aliases.toml`); the spelling
rules below are the only code.

Steps, each applied on top of the previous one, to both the asked name and every catalog key:
  0. exact key
  1. provider prefix stripped: everything up to the last "/" (`anthropic/`, `deepseek-ai/`,
     `openrouter/anthropic/`, `bedrock/`), Bedrock's `us.anthropic.` and `-v1:0`, Claude Code's `[1m]`,
     OpenRouter's `:beta` / `:thinking` / `:extended` (never `:free`, which is a different price);
     case folded
  2. date suffix stripped: `-20250929`, `-2025-09-29`, `@20250929`
  3. dots, underscores and dashes normalised: `claude-sonnet-4.5` ≡ `claude-sonnet-4-5`
  4. aliases (looked up on the step-3 form)
A vendor's own (unprefixed) key wins over a reseller's prefixed key at steps 1–3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

STEP_NAMES = (
    "exact",
    "provider prefix stripped",
    "date suffix stripped",
    "dots/dashes normalised",
)

# When the asked name is already in the step's form, the catalog KEY is what differed: say so (a
# "date suffix stripped" next to `claude-sonnet-4 → claude-sonnet-4-20250514` reads as the opposite).
KEY_SIDE = (
    "exact",
    "catalog name has a provider prefix",
    "catalog name has a date suffix",
    "dots/dashes normalised",
)

_BEDROCK_PREFIX = re.compile(r"^(?:(?:us|eu|apac|ap|global|jp|au|ca|us-gov)\.)?anthropic\.")
_BEDROCK_VERSION = re.compile(r"[-_.]v\d+:\d+$")
_CONTEXT_SUFFIX = re.compile(r"\[\d+[km]\]$")
_OR_VARIANT = re.compile(r":(?:beta|thinking|extended)$")
_DATE = re.compile(r"[-_.@](?:20\d{2}[-_.]\d{2}[-_.]\d{2}|20\d{6})$")
_SEP = re.compile(r"[._]+")


def strip_prefix(name: str) -> str:
    n = name.strip().lower()
    n = n.rsplit("/", 1)[-1]
    n = _CONTEXT_SUFFIX.sub("", n)
    n = _OR_VARIANT.sub("", n)
    n = _BEDROCK_PREFIX.sub("", n)
    n = _BEDROCK_VERSION.sub("", n)
    return n


def strip_date(name: str) -> str:
    return _DATE.sub("", name)


def normalise_separators(name: str) -> str:
    return _SEP.sub("-", name)


def forms(name: str) -> tuple[str, str, str, str]:
    """The name at steps 0..3."""
    f1 = strip_prefix(name)
    f2 = strip_date(f1)
    f3 = normalise_separators(f2)
    return name, f1, f2, f3


def describe(fs: tuple[str, str, str, str], step: int) -> str:
    """What actually changed in the asked name up to `step` ("provider prefix stripped, dots/dashes
    normalised"); when the name itself did not change, the step that made the catalog key match."""
    parts: list[str] = []
    if fs[1] != fs[0].strip().lower():
        parts.append(STEP_NAMES[1])
    for j in range(2, step + 1):
        if fs[j] != fs[j - 1]:
            parts.append(STEP_NAMES[j])
    return ", ".join(parts) if parts else KEY_SIDE[step]


def _rank(key: str) -> tuple[int, int, str]:
    # Unprefixed keys first, then the shortest (the undated key over a dated snapshot).
    return ("/" in key, len(key), key)


@dataclass(frozen=True)
class Match:
    key: str
    step: str  # one of STEP_NAMES or "alias <name>"


class NameIndex:
    """Lookup tables from each step's form to the best catalog key."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = set(keys)
        self._lower: dict[str, str] = {}
        self._by_step: list[dict[str, str]] = [{}, {}, {}, {}]
        for key in sorted(self.keys, key=_rank):
            self._lower.setdefault(key.lower(), key)
            for i, f in enumerate(forms(key)):
                if i == 0:
                    continue
                self._by_step[i].setdefault(f, key)

    def lookup(self, name: str) -> Match | None:
        if name in self.keys:
            return Match(name, STEP_NAMES[0])
        if name.strip().lower() in self._lower:
            return Match(self._lower[name.strip().lower()], "exact (case folded)")
        fs = forms(name)
        # Pass 1: only unprefixed keys; pass 2: any key.
        for bare_only in (True, False):
            for i in range(1, 4):
                key = self._by_step[i].get(fs[i])
                if key is not None and (not bare_only or "/" not in key):
                    return Match(key, describe(fs, i))
        return None


def resolve(name: str, index: NameIndex, aliases: Mapping[str, str]) -> Match | None:
    """Resolve `name` against `index`; `aliases` maps step-3 forms to target names."""
    m = index.lookup(name)
    if m is not None:
        return m
    target = aliases.get(name.strip().lower())
    if target is None and "/" not in name:
        # Spelling variants of an alias ("Claude-Sonnet-4.0") match it too; a prefixed name must match
        # an alias exactly, so a user's alias "corp/fast" does not capture "other/fast".
        target = aliases.get(forms(name)[3])
    if target is None:
        return None
    m = index.lookup(target)
    if m is None:
        return None
    return Match(m.key, f"alias of {target}")


def normalise_alias_table(raw: Mapping[str, str]) -> dict[str, str]:
    """Alias keys are compared lower-cased, and (unprefixed ones) on their step-3 form."""
    table: dict[str, str] = {}
    for k, v in raw.items():
        table[k.strip().lower()] = v
        if "/" not in k:
            table.setdefault(forms(k)[3], v)
    return table
