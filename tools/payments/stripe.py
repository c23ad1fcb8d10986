"""Stripe's webhook: the `Stripe-Signature` check over the raw body, the event models, and paying our link."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.payments.store import Announce, PaymentStore

log = logging.getLogger(__name__)

#: Stripe events whose session, once paid, pays our link (OXXO and SPEI pay later: async_payment_succeeded).
STRIPE_PAID_EVENTS = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})
StripeOutcome = Literal["paid", "already_paid", "ignored"]


class InvalidSignature(ValueError):
    """A Stripe-Signature header that does not prove the payload came from Stripe; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_TIMESTAMP_RE = re.compile(r"^[0-9]{1,15}$")


def verify_stripe_signature(payload: bytes, header: str, secret: str, *, now: float | None = None,
                            tolerance_s: int = 300) -> None:
    """Check a `Stripe-Signature` header (`t=...,v1=...`) over the raw body; raise InvalidSignature if it fails."""
    if not secret:
        raise ValueError("no webhook signing secret to verify with")
    timestamp: str | None = None
    signatures: list[str] = []
    for item in header.split(","):
        name, _, value = item.strip().partition("=")
        if name == "t":
            timestamp = value
        elif name == "v1":
            signatures.append(value)
        # Other schemes (v0, test mode) are ignored, as Stripe's own libraries do.
    if timestamp is None or not _TIMESTAMP_RE.fullmatch(timestamp):
        raise InvalidSignature("the Stripe-Signature header has no valid timestamp (t=)")
    if not signatures:
        raise InvalidSignature("the Stripe-Signature header has no v1 signature")
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + payload, hashlib.sha256).hexdigest().encode()
    if not any(hmac.compare_digest(expected, s.encode(errors="replace")) for s in signatures):
        raise InvalidSignature("no v1 signature matches the payload and secret")
    skew = (time.time() if now is None else now) - int(timestamp)
    if abs(skew) > tolerance_s:
        raise InvalidSignature(f"the signature's timestamp is {abs(skew):.0f}s "
                               f"{'old' if skew > 0 else 'in the future'}; the tolerance is {tolerance_s}s")


class StripeEventData(BaseModel):
    object: dict[str, Any]


class StripeEvent(BaseModel):
    """The envelope of a Stripe webhook event."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(pattern=r"^evt_[A-Za-z0-9_]{1,250}$")
    type: str = Field(min_length=1)
    data: StripeEventData


class StripeCheckoutSession(BaseModel):
    """The fields of a webhook's `checkout.session` that decide whether it pays a link."""

    model_config = ConfigDict(extra="ignore")

    id: str
    payment_status: str
    metadata: dict[str, str] = Field(default_factory=dict)


async def apply_stripe_event(event: StripeEvent, *, store: PaymentStore, announce: Announce) -> StripeOutcome:
    """Mark paid the link a paid Checkout Session belongs to; anything else is ignored."""
    if event.type not in STRIPE_PAID_EVENTS:
        return "ignored"
    try:
        session = StripeCheckoutSession.model_validate(event.data.object)
    except ValidationError:
        log.warning("stripe event %s: not a checkout session", event.id)
        return "ignored"
    if session.payment_status != "paid":
        return "ignored"  # e.g. OXXO: completed now, paid later (async_payment_succeeded)
    link = await store.get(session.metadata.get("link_id", ""))
    # The tenant is the one our lookup names; metadata and session id must agree with it.
    if link is None or link.provider != "stripe" or link.provider_ref != session.id \
            or link.tenant != session.metadata.get("tenant"):
        log.warning("stripe event %s: session %s matches none of our links", event.id, session.id)
        return "ignored"
    if link.status == "paid":
        return "already_paid"
    paid = await store.mark_paid(link.link_id, announce=announce, provider_ref=session.id)
    return "paid" if paid.status == "paid" else "ignored"
