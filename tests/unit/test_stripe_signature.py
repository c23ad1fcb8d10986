"""Stripe webhook signatures: `t=<unix>,v1=<HMAC-SHA256 of "t." + body>`, checked over the raw body."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from tools.payments import InvalidSignature, verify_stripe_signature

SECRET = "whsec_test_0123456789abcdef"
BODY = b'{\n  "id": "evt_1",\n  "type": "checkout.session.completed"\n}'
T = 1_735_689_600  # 2025-01-01T00:00:00Z


def v1(body: bytes = BODY, *, t: int = T, secret: str = SECRET) -> str:
    """Computed here by hand, independently of the code under test."""
    return hmac.new(secret.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()


def test_a_valid_signature_passes() -> None:
    verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T + 10)


def test_a_tampered_body_fails() -> None:
    tampered = BODY.replace(b"evt_1", b"evt_2")
    with pytest.raises(InvalidSignature, match="no v1 signature matches"):
        verify_stripe_signature(tampered, f"t={T},v1={v1()}", SECRET, now=T)


def test_re_serialised_json_fails() -> None:
    """The raw bytes are signed: the same event in another layout is not."""
    with pytest.raises(InvalidSignature):
        verify_stripe_signature(b'{"id": "evt_1", "type": "checkout.session.completed"}', f"t={T},v1={v1()}",
                                SECRET, now=T)


def test_a_wrong_secret_fails() -> None:
    with pytest.raises(InvalidSignature, match="no v1 signature matches"):
        verify_stripe_signature(BODY, f"t={T},v1={v1(secret='whsec_other')}", SECRET, now=T)


def test_a_changed_timestamp_fails() -> None:
    """The timestamp is signed too: replaying an old signature with a fresh `t` does not work."""
    with pytest.raises(InvalidSignature, match="no v1 signature matches"):
        verify_stripe_signature(BODY, f"t={T + 60},v1={v1()}", SECRET, now=T + 60)


def test_an_expired_signature_fails() -> None:
    with pytest.raises(InvalidSignature, match="301s old; the tolerance is 300s") as caught:
        verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T + 301)
    assert "old" in caught.value.reason


def test_the_edge_of_the_tolerance_passes_and_the_tolerance_is_a_parameter() -> None:
    verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T + 300)
    verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T + 3000, tolerance_s=3600)
    with pytest.raises(InvalidSignature, match="tolerance is 10s"):
        verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T + 11, tolerance_s=10)


def test_a_timestamp_in_the_future_passes_within_the_tolerance_only() -> None:
    verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T - 299)  # a sender's clock slightly ahead
    with pytest.raises(InvalidSignature, match="in the future"):
        verify_stripe_signature(BODY, f"t={T},v1={v1()}", SECRET, now=T - 301)


def test_any_of_several_v1_signatures_may_match() -> None:
    """While a secret is rolled, Stripe signs with the old and the new one."""
    header = f"t={T},v1={v1(secret='whsec_old')},v1={v1()}"
    verify_stripe_signature(BODY, header, SECRET, now=T)
    with pytest.raises(InvalidSignature):
        verify_stripe_signature(BODY, f"t={T},v1={v1(secret='whsec_a')},v1={v1(secret='whsec_b')}", SECRET, now=T)


def test_other_schemes_are_ignored() -> None:
    """Test-mode deliveries carry a v0 signature too; only v1 counts, and v0 alone is not enough."""
    verify_stripe_signature(BODY, f"t={T}, v1={v1()}, v0=deadbeef", SECRET, now=T)
    with pytest.raises(InvalidSignature, match="no v1 signature"):
        verify_stripe_signature(BODY, f"t={T},v0={v1()}", SECRET, now=T)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("", "no valid timestamp"),
        ("garbage", "no valid timestamp"),
        ("v1=abc", "no valid timestamp"),
        ("t=,v1=abc", "no valid timestamp"),
        ("t=soon,v1=abc", "no valid timestamp"),
        ("t=-5,v1=abc", "no valid timestamp"),
        (f"t={T}", "no v1 signature"),
        (f"t={T},v1=", "no v1 signature matches"),
        (f"t={T},v1=ñandú", "no v1 signature matches"),
    ],
)
def test_a_malformed_header_fails_with_a_reason(header: str, reason: str) -> None:
    with pytest.raises(InvalidSignature, match=reason):
        verify_stripe_signature(BODY, header, SECRET, now=T)


def test_verifying_without_a_secret_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="no webhook signing secret"):
        verify_stripe_signature(BODY, f"t={T},v1={v1()}", "", now=T)
