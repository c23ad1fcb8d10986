"""Payment links: the link record, money in whole centavos, the provider protocol and their errors."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from core.locale import money
from core.tenants import validate_tenant

CURRENCY = "MXN"
CENTAVO = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
LINK_ID_RE = re.compile(r"^pl_[A-Za-z0-9_-]{16,64}$")
MAX_IDEMPOTENCY_KEY = 256

ProviderName = Literal["local", "stripe"]
LinkStatus = Literal["pending", "paid", "expired"]


def balance_link_ref(customer_id: str, day: date) -> tuple[str, str]:
    """The order id and idempotency key of a customer's link for their open balance on `day`.

    One per customer and day, whoever asks (collections' reminder or the customer in a chat), so
    both hand out the same link.
    """
    return f"COB-{customer_id}-{day:%Y%m%d}", f"cobranza:{customer_id}:{day.isoformat()}"


class PaymentProviderError(RuntimeError):
    """The provider refused or failed to create a link; the message carries the provider's own words."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class PaymentLinkNotFoundError(LookupError):
    """No payment link has this id."""


class IdempotencyConflictError(ValueError):
    """An idempotency key reused for a different order or amount."""


def whole_centavos(value: Decimal) -> Decimal:
    """`value` with exactly two decimals; ValueError unless it is a positive amount of whole centavos."""
    if not isinstance(value, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(value).__name__} (money is never a float)")
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise ValueError(f"amount must be positive and at most {MAX_AMOUNT}, got {value}")
    quantized = value.quantize(CENTAVO)
    if quantized != value:
        raise ValueError(f"amount must be whole centavos (two decimals at most), got {value}")
    return quantized


def amount_in_centavos(amount: Decimal) -> int:
    """The amount as an integer number of centavos, as Stripe's `unit_amount` wants it."""
    return int(whole_centavos(amount).scaleb(2))  # exact: two decimals shifted make an integer


def format_mxn(amount: Decimal) -> str:
    """The amount as a customer in Mexico reads it: `$1,571.35 MXN`."""
    return money(whole_centavos(amount), currency=True)


#: An amount in MXN, whole centavos; a JSON string with two decimals ("1571.35").
Amount = Annotated[Decimal, AfterValidator(whole_centavos), PlainSerializer(str, return_type=str, when_used="json")]


def new_link_id() -> str:
    """A fresh, unguessable link id: it is the only thing a pay page URL carries."""
    return "pl_" + secrets.token_urlsafe(16)


class PaymentLink(BaseModel):
    """A request to pay one order, through our pay page or a Stripe Checkout Session."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    link_id: str = Field(pattern=LINK_ID_RE.pattern)
    tenant: Annotated[str, AfterValidator(validate_tenant)]
    order_id: str = Field(min_length=1, max_length=200)  # Stripe's client_reference_id limit
    provider: ProviderName
    url: str = Field(min_length=1)
    amount: Amount
    currency: Literal["MXN"] = CURRENCY
    description: str = Field(min_length=1, max_length=500)
    status: LinkStatus = "pending"
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    paid_at: datetime | None = None
    provider_ref: str | None = Field(default=None, description="The provider's id for it, e.g. Stripe's cs_...")


class PaymentProvider(Protocol):
    """Creates payment links; the same idempotency key always yields the same link."""

    async def create_link(
        self, *, tenant: str, order_id: str, amount: Decimal, description: str, idempotency_key: str
    ) -> PaymentLink: ...


# Flips a link to paid and marks its order paid, as one atomic step. KEYS[1] is the link,
# KEYS[2] its order, KEYS[3] the link's "payment_received not yet announced" marker (same
# tenant, same slot). ARGV[1] is paid_at and ARGV[2] the provider's reference, both JSON
# strings ('' for no reference). Returns {flipped (1/0/-1), link JSON, order refs JSON or '',
# announce (1 while the marker is set)}.
