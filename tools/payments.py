"""Payment links: our own pay page (`local`) or Stripe Checkout, one link per graph step, paid exactly once.

Redis keys, all in the tenant's slot but the last two:
- `ork:{t}:paylink:<link id>`      the link, a RedisJSON document;
- `ork:{t}:paylink-idem:<key>`     idempotency key -> link id (SET NX: one link per key);
- `ork:{t}:order:<order id>`       the order document, marked paid with its link;
- `ork:{t}:paylink-announce:<id>`  a paid link whose payment_received is not yet published;
- `ork:paylink-tenant:<link id>`   link id -> tenant (see `PaymentStore.tenant_key`);
- `ork:stripe-event:<event id>`    a Stripe event being or already handled (webhook dedupe).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Protocol

import httpx
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, SecretStr, ValidationError
from redis.asyncio import Redis

# `mark_paid` publishes the payment_received event itself, so this tool needs the message
# schema; agents.messages imports nothing of ours but core, so no import cycle can form.
from agents.messages import AgentMessage
from core.redis import as_text
from core.settings import Settings
from core.tenants import TenantKeys, validate_tenant

if TYPE_CHECKING:
    from agents.bus import EventBus

log = logging.getLogger(__name__)

CURRENCY = "MXN"
CENTAVO = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
LINK_ID_RE = re.compile(r"^pl_[A-Za-z0-9_-]{16,64}$")
MAX_IDEMPOTENCY_KEY = 256
#: Stripe retries a failed delivery for up to three days; handled events are remembered longer.
STRIPE_EVENT_TTL_S = 7 * 24 * 3600
#: A delivery being handled holds its event id this long: if our process dies mid-way,
#: Stripe's next retry (minutes later) finds the claim expired and is handled.
STRIPE_EVENT_LEASE_S = 60
#: Stripe events whose session, once paid, pays our link (OXXO and SPEI pay later: async_payment_succeeded).
STRIPE_PAID_EVENTS = frozenset({"checkout.session.completed", "checkout.session.async_payment_succeeded"})

ProviderName = Literal["local", "stripe"]
LinkStatus = Literal["pending", "paid", "expired"]
StripeOutcome = Literal["paid", "already_paid", "ignored"]


class PaymentProviderError(RuntimeError):
    """The provider refused or failed to create a link; the message carries the provider's own words."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class PaymentLinkNotFoundError(LookupError):
    """No payment link has this id."""


class IdempotencyConflictError(ValueError):
    """An idempotency key reused for a different order or amount."""


class InvalidSignature(ValueError):
    """A Stripe-Signature header that does not prove the payload came from Stripe; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    return f"${whole_centavos(amount):,.2f} {CURRENCY}"


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
_MARK_PAID_LUA = """
local status = redis.call('JSON.GET', KEYS[1], '$.status')
if not status then
  return {-1, '', '', 0}
end
local flipped = 0
if status ~= '["paid"]' then
  redis.call('JSON.SET', KEYS[1], '$.status', '"paid"')
  redis.call('JSON.SET', KEYS[1], '$.paid_at', ARGV[1])
  if ARGV[2] ~= '' then
    redis.call('JSON.SET', KEYS[1], '$.provider_ref', ARGV[2])
  end
  if redis.call('TYPE', KEYS[2])['ok'] == 'ReJSON-RL' then
    redis.call('JSON.SET', KEYS[2], '$.status', '"paid"')
    redis.call('JSON.SET', KEYS[2], '$.paid_at', ARGV[1])
  end
  redis.call('SET', KEYS[3], '1')
  flipped = 1
end
local announce = redis.call('EXISTS', KEYS[3])
local order = ''
if announce == 1 and redis.call('TYPE', KEYS[2])['ok'] == 'ReJSON-RL' then
  order = redis.call('JSON.GET', KEYS[2], '$.conversation_id', '$.customer_id')
end
return {flipped, redis.call('JSON.GET', KEYS[1]), order, announce}
"""

# Deletes an idempotency key only if it still names our link (a later caller may own it).
_RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class PaymentStore:
    """Payment links in Redis: saved, found by their id alone, and marked paid exactly once."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._mark_paid = redis.register_script(_MARK_PAID_LUA)
        self._release = redis.register_script(_RELEASE_LUA)

    @staticmethod
    def tenant_key(link_id: str) -> str:
        """The global link id -> tenant lookup.

        Outside every tenant's slot on purpose: the pay page URL (and so the customer) carries
        only the link id, and the tenant must come from us, never from the request.
        """
        return f"ork:paylink-tenant:{link_id}"

    @staticmethod
    def link_key(tenant: str, link_id: str) -> str:
        return TenantKeys(tenant).key("paylink", link_id)

    async def tenant_of(self, link_id: str) -> str | None:
        """The tenant that owns the link, or None (malformed ids are never looked up)."""
        if not LINK_ID_RE.fullmatch(link_id):
            return None
        raw = await self.redis.get(self.tenant_key(link_id))
        return None if raw is None else as_text(raw)

    async def get(self, link_id: str) -> PaymentLink | None:
        """The link with this id, whichever tenant owns it, or None."""
        tenant = await self.tenant_of(link_id)
        return None if tenant is None else await self.load(tenant, link_id)

    async def load(self, tenant: str, link_id: str) -> PaymentLink | None:
        """One tenant's link, or None."""
        doc = await self.redis.json().get(self.link_key(tenant, link_id))
        return None if doc is None else PaymentLink.model_validate(doc)

    async def save(self, link: PaymentLink) -> None:
        """Write the link (replacing any with its id) and its tenant lookup."""
        # Two slots, so no MULTI in a Cluster: the lookup goes first so a saved link is always
        # findable; a lookup orphaned by a crash leads to no link, which reads as a 404.
        await self.redis.set(self.tenant_key(link.link_id), link.tenant)
        await self.redis.json().set(self.link_key(link.tenant, link.link_id), "$", link.model_dump(mode="json"))

    async def insert(self, link: PaymentLink) -> PaymentLink:
        """Write the link unless one with its id exists; return the stored one (the first writer wins)."""
        await self.redis.set(self.tenant_key(link.link_id), link.tenant)
        await self.redis.json().set(self.link_key(link.tenant, link.link_id), "$", link.model_dump(mode="json"),
                                    nx=True)
        stored = await self.load(link.tenant, link.link_id)
        assert stored is not None, "a link written with NX vanished"
        return stored

    async def release_idempotency_key(self, key: str, link_id: str) -> None:
        """Forget that `key` made `link_id`, if it still says so (the link was never created)."""
        await self._release(keys=[key], args=[link_id])

    async def mark_paid(self, link_id: str, *, bus: EventBus, provider_ref: str | None = None) -> PaymentLink:
        """Mark the link and its order paid and publish one `payment_received`; repeats change nothing."""
        link = await self.get(link_id)
        if link is None:
            raise PaymentLinkNotFoundError(f"no payment link {link_id!r}")
        keys = TenantKeys(link.tenant)
        announce_key = keys.key("paylink-announce", link_id)
        paid_at = json.dumps(datetime.now(UTC).isoformat())
        # A Lua script rather than a SET NX guard key: the flip, the order update and the
        # "announce it" marker are one atomic step, so no crash can leave a guard set on a link
        # that still says pending (which a guard written before the flip could). WATCH/MULTI
        # would also be atomic but makes concurrent payers retry in a loop. All three keys share
        # the tenant's hash tag (Cluster-safe).
        flipped, doc, order, announce = await self._mark_paid(
            keys=[self.link_key(link.tenant, link_id), keys.key("order", link.order_id), announce_key],
            args=[paid_at, json.dumps(provider_ref) if provider_ref else ""],
        )
        if int(flipped) < 0:
            raise PaymentLinkNotFoundError(f"payment link {link_id!r} vanished")
        link = PaymentLink.model_validate_json(doc)
        if int(announce):
            # Set by the flip and cleared once the event is out: a caller that died in between
            # leaves it set, and the next call announces instead. The bus's dedupe key makes
            # the flipping caller and any concurrent repeat publish the event exactly once.
            refs = _order_refs(order)
            await bus.publish(AgentMessage(
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"orkesta:payment_received:{link.tenant}:{link.link_id}")),
                from_agent="payment", to_agent="broadcast", message_type="event", intent="payment_received",
                tenant_id=link.tenant, conversation_id=refs.get("conversation_id"),
                customer_id=refs.get("customer_id"),
                payload={"order_id": link.order_id, "link_id": link.link_id, "amount": str(link.amount),
                         "currency": link.currency, "provider": link.provider},
            ), dedupe_key=f"payment_received:{link.link_id}")
            await self.redis.delete(announce_key)
        return link

    # --- Stripe webhook deliveries -------------------------------------------------
    # Global keys: an event names its link only inside its payload, and unrelated events
    # (other types, other systems on the same Stripe account) have no tenant at all.

    @staticmethod
    def stripe_event_key(event_id: str) -> str:
        return f"ork:stripe-event:{event_id}"

    async def claim_stripe_event(self, event_id: str) -> Literal["claimed", "done", "busy"]:
        """Claim an event for handling: `done` if handled before, `busy` while another delivery holds it."""
        key = self.stripe_event_key(event_id)
        if await self.redis.set(key, "processing", nx=True, ex=STRIPE_EVENT_LEASE_S):
            return "claimed"
        state = await self.redis.get(key)
        return "done" if state is not None and as_text(state) == "done" else "busy"

    async def finish_stripe_event(self, event_id: str) -> None:
        """Remember the event as handled, so a redelivery is a no-op."""
        await self.redis.set(self.stripe_event_key(event_id), "done", ex=STRIPE_EVENT_TTL_S)

    async def release_stripe_event(self, event_id: str) -> None:
        """Let the next delivery of the event handle it (this one failed)."""
        await self.redis.delete(self.stripe_event_key(event_id))


def _order_refs(raw: bytes | str) -> dict[str, str]:
    """conversation_id and customer_id from the script's multi-path JSON.GET of the order."""
    if not raw:
        return {}
    found: dict[str, list[Any]] = json.loads(raw)
    refs: dict[str, str] = {}
    for name in ("conversation_id", "customer_id"):
        values = found.get(f"$.{name}") or []
        if values and values[0] is not None:
            refs[name] = str(values[0])
    return refs


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


# --- Stripe webhooks -------------------------------------------------------------

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


async def apply_stripe_event(event: StripeEvent, *, store: PaymentStore, bus: EventBus) -> StripeOutcome:
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
    paid = await store.mark_paid(link.link_id, bus=bus, provider_ref=session.id)
    return "paid" if paid.status == "paid" else "ignored"
