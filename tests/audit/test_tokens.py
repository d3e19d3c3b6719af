"""Estimator error on a known sample of real files, exact counting, correction factors."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentcost.audit import tokens

SAMPLE = Path(__file__).parent.parent / "fixtures" / "audit" / "sample"


@pytest.fixture(scope="module")
def counter() -> tokens.Counter:
    pytest.importorskip("bpe_openai")
    return tokens.exact_counter()


def test_estimate_within_documented_bound_on_real_sample(counter: tokens.Counter) -> None:
    table = tokens.ratio_table()
    files = sorted(SAMPLE.iterdir())
    assert len(files) == 11
    est = sum(table.estimate(p.stat().st_size, p.name) for p in files)
    exact = sum(tokens.count_file(str(p), counter) for p in files)
    assert exact == 39452  # o200k, tiktoken-identical (bpe-openai), summed per file
    assert abs(est - exact) / exact <= table.default_error_bound() / 100
    py = [p for p in files if p.suffix == ".py"]
    py_est = sum(table.estimate(p.stat().st_size, p.name) for p in py)
    py_exact = sum(tokens.count_file(str(p), counter) for p in py)
    bound = table.type_for("x.py").error_pct
    assert bound is not None and abs(py_est - py_exact) / py_exact <= bound / 100


def test_a_single_global_ratio_would_miss_csv_badly(counter: tokens.Counter) -> None:
    # why per-type ratios: bytes/4 under-counts CSV by more than half
    csv = SAMPLE / "umath-arccos.csv"
    exact = tokens.count_file(str(csv), counter)
    assert csv.stat().st_size / 4 < 0.45 * exact
    assert abs(tokens.ratio_table().estimate(csv.stat().st_size, csv.name) - exact) / exact < 0.10


def test_fast_counter_matches_public_api(counter: tokens.Counter) -> None:
    import bpe_openai

    enc = bpe_openai.get_encoding("o200k_base")
    for p in sorted(SAMPLE.iterdir()):
        text = p.read_bytes().decode("utf-8", "replace")
        assert counter(text) == len(enc.encode_ordinary(text)), p.name


def test_big_inputs_are_counted_in_pieces(counter: tokens.Counter, tmp_path: Path) -> None:
    text = (SAMPLE / "textwrap.py").read_text() * 40  # ~790 KB: more than one piece
    f = tmp_path / "big.py"
    f.write_text(text)
    whole = counter(text)
    pieces = tokens.count_file(str(f), counter, chunk_bytes=64_000)
    assert abs(pieces - whole) <= whole * 0.001
    assert abs(tokens.count_text(text, counter) - whole) <= whole * 0.001


@pytest.mark.parametrize(
    ("model", "family", "factor"),
    [
        ("claude-opus-4-7", "claude-4.7+", 1.30),
        ("claude-opus-4-7[1m]", "claude-4.7+", 1.30),
        ("us.anthropic.claude-sonnet-5-v1:0", "claude-4.7+", 1.30),
        ("claude-sonnet-4-5", "claude (before 4.7)", 1.0),
        ("claude-haiku-4-5-20251001", "claude (before 4.7)", 1.0),
        ("deepseek-chat", "deepseek", 1.053),
        ("gpt-4", "openai cl100k", 1.016),
        ("gpt-5-codex", "openai o200k", 1.0),
    ],
)
def test_family_corrections(model: str, family: str, factor: float) -> None:
    corr = tokens.ratio_table().correction(model)
    assert corr is not None and (corr.family, corr.factor) == (family, factor) and corr.source


def test_unknown_family_is_uncorrected() -> None:
    assert tokens.ratio_table().correction("glm-4.6") is None


def test_every_type_documents_its_method_and_error() -> None:
    table = tokens.ratio_table()
    for ft in set(table.by_suffix.values()):
        assert ft.ratio > 1 and ft.method and ft.error_pct is not None
