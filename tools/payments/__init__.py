"""Payment links, paid exactly once: the link and its money (`links`), the Redis store that marks
links paid and announces them (`store`), the providers that create them, our pay page or Stripe
Checkout (`providers`), and Stripe's signed webhook (`stripe`).

Nothing here publishes on the bus: `PaymentStore.mark_paid` hands what was paid to an `announce`
callable (the caller's: `agents.contracts.payment_announcer(bus)`), so `tools/` stays below `agents/`.
"""

from tools.payments.links import (
    CENTAVO,
    CURRENCY,
    LINK_ID_RE,
    MAX_AMOUNT,
    MAX_IDEMPOTENCY_KEY,
    Amount,
    IdempotencyConflictError,
    LinkStatus,
    PaymentLink,
    PaymentLinkNotFoundError,
    PaymentProvider,
    PaymentProviderError,
    ProviderName,
    amount_in_centavos,
    balance_link_ref,
    format_mxn,
    new_link_id,
    whole_centavos,
)
from tools.payments.providers import LocalPayProvider, StripeProvider, build_payment_provider
from tools.payments.store import STRIPE_EVENT_LEASE_S, STRIPE_EVENT_TTL_S, Announce, PaidLink, PaymentStore
from tools.payments.stripe import (
    STRIPE_PAID_EVENTS,
    InvalidSignature,
    StripeCheckoutSession,
    StripeEvent,
    StripeOutcome,
    apply_stripe_event,
    verify_stripe_signature,
)

__all__ = [
    "CENTAVO", "CURRENCY", "LINK_ID_RE", "MAX_AMOUNT", "MAX_IDEMPOTENCY_KEY", "STRIPE_EVENT_LEASE_S",
    "STRIPE_EVENT_TTL_S", "STRIPE_PAID_EVENTS", "Amount", "Announce", "IdempotencyConflictError",
    "InvalidSignature", "LinkStatus", "LocalPayProvider", "PaidLink", "PaymentLink", "PaymentLinkNotFoundError",
    "PaymentProvider", "PaymentProviderError", "PaymentStore", "ProviderName", "StripeCheckoutSession",
    "StripeEvent", "StripeOutcome", "StripeProvider", "amount_in_centavos", "apply_stripe_event", "balance_link_ref",
    "build_payment_provider", "format_mxn", "new_link_id", "verify_stripe_signature", "whole_centavos",
]
