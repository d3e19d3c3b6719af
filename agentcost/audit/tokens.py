"""Token counts for file content: a calibrated bytes/ratio estimator and exact o200k counts.

The estimator divides a file's size by the bytes-per-token ratio of its type (data in
`agentcost/data/token_ratios.toml`, calibrated by `benchmarks/calibrate_ratios.py`). The exact mode
uses bpe-openai's o200k_base (identical counts to tiktoken, vocabulary embedded, works offline).
Per-model-family correction factors (also data) turn o200k counts into other vendors' counts.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.util
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

from agentcost.errors import AgentcostError

ENCODING = "o200k_base"
EXACT_LABEL = "exact o200k"
INSTALL_HINT = (
    "install it with: pip install bpe-openai (the `exact` extra: pip install '.[exact]' in a checkout)"
)
CHUNK_CHARS = 400_000  # split large texts at line ends: bpe-openai refuses > 200,000 tokens at once


@dataclass(frozen=True)
class FileType:
    name: str
    ratio: float
    error_pct: float | None
    method: str


@dataclass(frozen=True)
class Correction:
    family: str
    factor: float
    source: str


@dataclass(frozen=True)
class RatioTable:
    by_suffix: dict[str, FileType]
    default: FileType
    families: list[tuple[list[re.Pattern[str]], Correction]]
    source: str
    as_of: str
    default_models: tuple[str, ...] = ()

    def type_for(self, name: str) -> FileType:
        dot = name.rfind(".")
        if dot <= 0:
            return self.default
        return self.by_suffix.get(name[dot:].lower(), self.default)

    def estimate(self, size: int, name: str) -> int:
        """Estimated o200k tokens for a text file of `size` bytes named `name`."""
        return round(size / self.type_for(name).ratio)

    def correction(self, model: str) -> Correction | None:
        """The documented factor for `model`'s family, or None (no correction known)."""
        m = model.lower()
        for regexes, corr in self.families:
            if any(r.search(m) for r in regexes):
                return corr
        return None

    def estimate_label(self) -> str:
        return f"≈ bytes/ratio per file type (o200k-calibrated), ±{self.default_error_bound():.0f}%"

    def default_error_bound(self) -> float:
        """The whole-repository error bound the docs state for the estimator (percent)."""
        return 10.0


def _f(value: Any, default: float | None = None) -> float | None:
    return default if value is None else float(value)


def _parse_toml(text: str) -> dict[str, Any]:
    """Read-only parse: the stdlib's tomllib where there is one (3.11+, ~20x faster), else tomlkit."""
    try:
        tomllib = importlib.import_module("tomllib")
    except ImportError:  # Python 3.10
        import tomlkit

        return dict(tomlkit.parse(text).unwrap())
    return cast(dict[str, Any], tomllib.loads(text))


@functools.lru_cache(maxsize=1)
def ratio_table() -> RatioTable:
    """Load the bundled `token_ratios.toml` once."""
    text = resources.files("agentcost.data").joinpath("token_ratios.toml").read_text(encoding="utf-8")
    doc = _parse_toml(text)
    default = FileType(
        "other", float(doc["default_ratio"]), _f(doc.get("default_error_pct")), "default for unknown types"
    )
    by_suffix: dict[str, FileType] = {}
    for name, t in doc.get("types", {}).items():
        ft = FileType(name, float(t["ratio"]), _f(t.get("error_pct")), str(t.get("method", "")))
        for suffix in t.get("suffixes", []):
            by_suffix[str(suffix).lower()] = ft
    families = [
        (
            [re.compile(str(r)) for r in f["regex"]],
            Correction(str(f["family"]), float(f["factor"]), str(f.get("source", ""))),
        )
        for f in doc.get("families", [])
    ]
    return RatioTable(
        by_suffix,
        default,
        families,
        str(doc.get("source", "")),
        str(doc.get("as_of", "")),
        tuple(str(m) for m in doc.get("default_models", [])),
    )


# --- exact counting -------------------------------------------------------------------------------

Counter = Callable[[str], int]


def _load_fast_counter() -> Counter | None:
    """bpe-openai's Rust `count` without importing the Python package (whose import takes ~0.8 s).

    Private API, so it is checked against a known count and abandoned on any surprise.
    """
    try:
        spec = importlib.util.find_spec("bpe_openai")
        if spec is None or not spec.submodule_search_locations:
            return None
        d = next(iter(spec.submodule_search_locations))
        names = [n for n in os.listdir(d) if n.startswith("_bindings") and n.endswith((".so", ".pyd"))]
        if not names:
            return None
        path = os.path.join(d, names[0])
        loader = importlib.machinery.ExtensionFileLoader("bpe_openai._bindings", path)
        espec = importlib.util.spec_from_file_location("bpe_openai._bindings", path, loader=loader)
        if espec is None:
            return None
        module = importlib.util.module_from_spec(espec)
        loader.exec_module(module)
        tok = module.tokenizer_for_encoding(ENCODING)
        count: Counter = tok.count
        if count("hello world") != 2 or count("def f(x):\n    return x\n") != 8:
            return None
        return count
    except Exception:  # any failure: use the public API instead
        return None


def _load_public_counter() -> Counter:
    try:
        import bpe_openai
    except ImportError:
        raise AgentcostError(
            "--exact needs the bpe-openai tokenizer, which is not installed.", hint=INSTALL_HINT
        ) from None
    enc = bpe_openai.get_encoding(ENCODING)

    def count(text: str) -> int:
        return len(enc.encode_ordinary(text))

    return count


def require_exact() -> None:
    """Raise AgentcostError (with the install command) when bpe-openai is not installed; loads nothing."""
    if importlib.util.find_spec("bpe_openai") is None:
        raise AgentcostError(
            "--exact needs the bpe-openai tokenizer, which is not installed.", hint=INSTALL_HINT
        )


@functools.lru_cache(maxsize=1)
def exact_counter() -> Counter:
    """A function text -> o200k token count. Raises AgentcostError when bpe-openai is missing."""
    require_exact()
    fast = _load_fast_counter()
    return fast if fast is not None else _load_public_counter()


def count_text(text: str, counter: Counter | None = None) -> int:
    """Exact o200k tokens of `text`; long texts are counted in pieces split at line ends."""
    c = counter or exact_counter()
    if len(text) <= CHUNK_CHARS:
        return c(text)
    total = 0
    start = 0
    n = len(text)
    while start < n:
        end = min(start + CHUNK_CHARS, n)
        if end < n:
            nl = text.rfind("\n", start, end)
            if nl > start:
                end = nl + 1
        total += c(text[start:end])
        start = end
    return total


def count_file(path: str, counter: Counter | None = None, chunk_bytes: int = 4 << 20) -> int:
    """Exact o200k tokens of a text file, read in pieces (memory stays bounded for huge files)."""
    c = counter or exact_counter()
    total = 0
    carry = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk_bytes)
            if not block:
                break
            data = carry + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                if len(data) < 4 * chunk_bytes:
                    carry = data
                    continue
                cut = len(data)  # one enormous line: count it in pieces anyway
            total += count_text(data[:cut].decode("utf-8", "replace"), c)
            carry = data[cut:]
    if carry:
        total += count_text(carry.decode("utf-8", "replace"), c)
    return total
