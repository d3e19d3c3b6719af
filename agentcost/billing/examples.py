"""Plans files shipped with agentcost as named examples: `--plans example:seed`."""

from __future__ import annotations

from importlib import resources

from agentcost.errors import ConfigError

EXAMPLE_PREFIX = "example:"
EXAMPLES = "agentcost/data/examples"


def example_names() -> list[str]:
    d = resources.files("agentcost.data").joinpath("examples")
    return sorted(p.name[: -len(".toml")] for p in d.iterdir() if p.name.endswith(".toml"))


def example_text(name: str) -> str:
    """A plans file shipped with agentcost: `--plans example:seed` (agentcost/data/examples/seed.toml)."""
    if name not in example_names():
        raise ConfigError(
            f"no example plans file named {name!r}",
            path=f"{EXAMPLE_PREFIX}{name}",
            hint="shipped examples: " + ", ".join(EXAMPLE_PREFIX + n for n in example_names()),
        )
    return (
        resources.files("agentcost.data")
        .joinpath("examples")
        .joinpath(f"{name}.toml")
        .read_text(encoding="utf-8")
    )
