"""Fixtures for the end-to-end tests (see harness.py for the machinery, docs/e2e.md for the why).

* `clients` (session): the pinned Claude Code and Codex CLIs (npm ci into a cache, once).
* `stub` (module) + `provider` (function, reset): the fake provider on 127.0.0.1.
* `guard` (session) + an autouse check: a refusing HTTPS/HTTP proxy; any attempt to reach a host
  other than loopback fails the test.
* `world` (function): a fake user (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME) to run agentcost and the clients in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Clients, World, ensure_clients
from tests.e2e.proxy_guard import ProxyGuard
from tests.e2e.stub_provider import StubProvider


@pytest.fixture(scope="session")
def clients() -> Clients:
    """The pinned Claude Code and Codex CLIs, installed once per lock-file hash."""
    return ensure_clients()


# -- stub provider and proxy guard ---------------------------------------------------------------


@pytest.fixture(scope="module")
def stub() -> Iterator[StubProvider]:
    with StubProvider() as s:
        yield s


@pytest.fixture
def provider(stub: StubProvider) -> StubProvider:
    """The module's stub, with recordings and scripted behaviour cleared for this test."""
    stub.reset()
    return stub


@pytest.fixture(scope="session")
def guard() -> Iterator[ProxyGuard]:
    with ProxyGuard() as g:
        yield g


@pytest.fixture(autouse=True)
def _nothing_leaves_loopback(guard: ProxyGuard) -> Iterator[None]:
    """Every e2e test fails if a client tried to reach a host other than 127.0.0.1."""
    guard.reset()
    yield
    attempts = guard.snapshot()
    assert not attempts, f"a client tried to reach the outside world through the proxy: {attempts}"


@pytest.fixture
def world(tmp_path: Path, clients: Clients, guard: ProxyGuard) -> World:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return World(home=home, clients=clients, guard=guard)
