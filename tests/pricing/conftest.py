from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentcost.pricing import catalog


@pytest.fixture(autouse=True)
def fresh_catalog() -> Iterator[None]:
    """Each test starts from a clean merged catalog (the env dirs differ per test)."""
    catalog.clear_cache()
    yield
    catalog.clear_cache()
