"""Key masking: mask, scrub, registered secrets, key-shaped strings (secrets.py)."""

from __future__ import annotations

from agentcost.secrets import looks_like_key, mask, register, scrub


def test_mask() -> None:
    assert mask("sk-abcdefghijklmnop1234") == "sk-…1234"
    assert mask("") == ""
    assert "abcdefgh" not in mask("abcdefghijkl")


def test_scrub_registered_and_patterns() -> None:
    register("my-very-secret-token-value-9876")
    out = scrub("key=my-very-secret-token-value-9876 other=sk-ant-api03-ZZZZZZZZZZZZ1111")
    assert "my-very-secret-token-value" not in out
    assert "ZZZZZZZZZZZZ" not in out
    assert out.endswith("…1111")


def test_looks_like_key() -> None:
    assert looks_like_key("sk-abcdefghijklmnopqrstuv")
    assert not looks_like_key("ATLAS_API_KEY")


def test_scrub_masks_jwts_and_secret_fields() -> None:
    from agentcost.secrets import mask_secret_fields

    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcDEF-123"
    assert "eyJzdWIi" not in scrub(f'"id_token": "{jwt}"')
    masked = mask_secret_fields('{"refresh_token": "rt-secret-value-xyz", "env_key": "ATLAS_API_KEY"}')
    assert "secret-value" not in masked
    assert '"env_key": "ATLAS_API_KEY"' in masked
