"""Time secret masking on hostile sizes (issue #11): a 50 MB value must cost well under a second.

    python benchmarks/secrets_bench.py [--mb 50]

Prints one row per shape: the time of `mask_secret_fields` (the diff masker) and of `scrub` (every
output line), beside the floor of one `str.count` pass over the same text.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from agentcost.secrets import mask_secret_fields, scrub


def _time(fn: Callable[[str], object], text: str) -> float:
    t0 = time.perf_counter()
    fn(text)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=50)
    n = ap.parse_args().mb * 1_000_000
    shapes = {
        "secret value": f'+  "ANTHROPIC_AUTH_TOKEN": "{"a" * n}"\n',
        "word run near a field": f'+  "api_key": "sk-abc12345678"\n+{"a" * n}\n',
        "unclosed value": f'+  "api_key": "{"a" * n}\n',
        "custom headers": f'+  "ANTHROPIC_CUSTOM_HEADERS": "X-Key: {"b" * n}"\n',
        "key-shaped run": "sk-" + "a" * n,
    }
    print(f"{'shape':<24} {'MB':>4} {'mask_fields s':>14} {'scrub s':>9} {'floor s':>9}")
    for name, text in shapes.items():
        floor = _time(lambda t: t.count("\n"), text)
        print(
            f"{name:<24} {len(text) / 1e6:>4.0f} {_time(mask_secret_fields, text):>14.3f} "
            f"{_time(scrub, text):>9.3f} {floor:>9.4f}"
        )


if __name__ == "__main__":
    main()
