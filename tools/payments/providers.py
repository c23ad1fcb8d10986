"""Payment providers: our own pay page (`local`) or Stripe Checkout, one link per idempotency key."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError
from redis.asyncio import Redis

from core.redis import as_text
from core.settings import Settings
from core.tenants import TenantKeys
from tools.payments.links import (
    CURRENCY,
    MAX_IDEMPOTENCY_KEY,
    IdempotencyConflictError,
    PaymentLink,
    PaymentProvider,
    PaymentProviderError,
    ProviderName,
    amount_in_centavos,
    new_link_id,
    whole_centavos,
)
from tools.payments.store import PaymentStore

log = logging.getLogger(__name__)


class _IdempotentProvider:
    """What both providers share: one link per idempotency key, even under concurrent calls."""

    provider: ClassVar[ProviderName]

    def __init__(self, store: PaymentStore, public_base_url: str, *, wait_s: float = 15.0) -> None:
        self.store = store
        self.public_base_url = public_base_url.rstrip("/")
        self.wait_s = wait_s  # how long a racing caller waits before taking over a dead one's link

    def pay_page_url(self, link_id: str) -> str:
        return f"{self.public_base_url}/pay/{link_id}"

    async def _open(self, *, link_id: str, tenant: str, order_id: str, amount: Decimal,
                    description: str) -> tuple[str, str | None]:
        """Create the link at the provider; returns its URL and the provider's reference."""
        raise NotImplementedError

    async def create_link(
        self, *, tenant: str, order_id: str, amount: Decimal, description: str, idempotency_key: str
    ) -> PaymentLink:
        """The link for this idempotency key: created by the first call, returned by every later one."""
        amount = whole_centavos(amount)
        if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
            raise ValueError(f"idempotency_key must be 1-{MAX_IDEMPOTENCY_KEY} characters")
        request = {"tenant": tenant, "order_id": order_id, "amount": amount, "description": description}
        idem = TenantKeys(tenant).key("paylink-idem", idempotency_key)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_s
        delay = 0.005
        while True:
            link_id = new_link_id()
            # SET NX elects one caller per key to create the link, however many race.
            if await self.store.redis.set(idem, link_id, nx=True):
                return await self._create(link_id, release=idem, **request)
            current = await self.store.redis.get(idem)
            if current is not None:
                link = await self.store.load(tenant, as_text(current))
                if link is not None:
                    return _same_request(link, order_id=order_id, amount=amount, key=idempotency_key)
                if loop.time() >= deadline:
                    # The elected caller neither finished nor released the key: it died mid-way.
                    # Create the link under the same id; both providers are idempotent on it.
                    log.warning("taking over payment link %s of idempotency key %r", as_text(current), idempotency_key)
                    return await self._create(as_text(current), release=None, **request)
            # The elected caller is still creating the link (a Stripe call takes a while): poll.
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.2)

    async def _create(self, link_id: str, *, release: str | None, tenant: str, order_id: str, amount: Decimal,
                      description: str) -> PaymentLink:
        try:
            # Validated before the provider is called, so a bad field never leaves a Stripe session behind.
            draft = PaymentLink(link_id=link_id, tenant=tenant, order_id=order_id, provider=self.provider,
                                url=self.pay_page_url(link_id), amount=amount, description=description)
            url, ref = await self._open(link_id=link_id, tenant=tenant, order_id=order_id, amount=amount,
                                        description=description)
            link = draft.model_copy(update={"url": url, "provider_ref": ref})
        except BaseException:
            # Free the key so a retry starts afresh; a Stripe session that was created anyway
            # stays unseen by the customer and expires unpaid.
            if release is not None:
                await self.store.release_idempotency_key(release, link_id)
            raise
        return await self.store.insert(link)


def _same_request(link: PaymentLink, *, order_id: str, amount: Decimal, key: str) -> PaymentLink:
    if link.order_id != order_id or link.amount != amount:
        raise IdempotencyConflictError(
            f"idempotency key {key!r} already made link {link.link_id} for order {link.order_id} "
            f"({link.amount} MXN); this call asks for order {order_id} ({amount} MXN)"
        )
    return link


class LocalPayProvider(_IdempotentProvider):
    """Links to our own pay page, where "Pagar ahora" is the (demo) payment: works offline."""

    provider: ClassVar[ProviderName] = "local"

    async def _open(self, *, link_id: str, tenant: str, order_id: str, amount: Decimal,
                    description: str) -> tuple[str, str | None]:
        return self.pay_page_url(link_id), None


class _CheckoutSession(BaseModel):
    """The fields of Stripe's `checkout.session` object we rely on."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    url: str = Field(min_length=1)
    amount_total: int | None = None


class StripeProvider(_IdempotentProvider):
    """Links to Stripe Checkout Sessions; the webhook marks them paid."""

    provider: ClassVar[ProviderName] = "stripe"

    def __init__(self, store: PaymentStore, http: httpx.AsyncClient, api_key: SecretStr, base_url: str,
                 public_base_url: str, *, wait_s: float = 15.0) -> None:
        super().__init__(store, public_base_url, wait_s=wait_s)
        self.http = http
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")

    async def _open(self, *, link_id: str, tenant: str, order_id: str, amount: Decimal,
                    description: str) -> tuple[str, str | None]:
        centavos = amount_in_centavos(amount)
        back = self.pay_page_url(link_id)  # our page shows the outcome after Stripe's checkout
        form = {
            "mode": "payment",
            "line_items[0][price_data][currency]": CURRENCY.lower(),
            "line_items[0][price_data][unit_amount]": str(centavos),
            "line_items[0][price_data][product_data][name]": description,
            "line_items[0][quantity]": "1",
            "success_url": back,
            "cancel_url": back,
            "client_reference_id": order_id,
            "metadata[tenant]": tenant,
            "metadata[order_id]": order_id,
            "metadata[link_id]": link_id,
        }
        headers = {
            "Authorization": f"Bearer {self.api_key.get_secret_value()}",
            # The link id, not the caller's key: a takeover of a dead caller's link sends the
            # same parameters under the same key, and Stripe answers with the same session.
            "Idempotency-Key": link_id,
        }
        try:
            response = await self.http.post(f"{self.base_url}/v1/checkout/sessions", data=form, headers=headers)
        except httpx.HTTPError as exc:
            raise PaymentProviderError(f"stripe: could not reach {self.base_url}: {exc!r}") from exc
        if not response.is_success:
            raise PaymentProviderError(
                f"stripe: {_stripe_error_message(response)} (HTTP {response.status_code})",
                status_code=response.status_code,
            )
        try:
            session = _CheckoutSession.model_validate_json(response.content)
        except ValidationError as exc:
            raise PaymentProviderError(f"stripe: unexpected checkout session response: {exc}") from exc
        if session.amount_total is not None and session.amount_total != centavos:
            raise PaymentProviderError(f"stripe: session {session.id} totals {session.amount_total}, not {centavos}")
        return session.url, session.id


def _stripe_error_message(response: httpx.Response) -> str:
    """Stripe's `error.message`, or the start of whatever else the body holds."""
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return response.text[:200] or response.reason_phrase
    return str(message)


def build_payment_provider(settings: Settings, redis: Redis, http: httpx.AsyncClient) -> PaymentProvider:
    """The provider `settings.payment_provider` names, over a store on `redis`."""
    store = PaymentStore(redis)
    name = settings.payment_provider.strip().lower()
    if name == "local":
        return LocalPayProvider(store, settings.public_base_url)
    if name == "stripe":
        if settings.stripe_api_key is None or not settings.stripe_api_key.get_secret_value():
            raise ValueError("ORKESTA_PAYMENT_PROVIDER=stripe needs STRIPE_API_KEY")
        return StripeProvider(store, http, settings.stripe_api_key, settings.stripe_api_base_url,
                              settings.public_base_url)
    raise ValueError(f"unknown payment provider {settings.payment_provider!r}: use 'local' or 'stripe'")
