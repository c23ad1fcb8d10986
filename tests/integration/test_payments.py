"""Payment links on real Redis, the pay page and Stripe's webhook over real HTTP, Stripe itself as a local server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr, ValidationError
from redis.asyncio import Redis

from agents.bus import FIELD, EventBus
from agents.contracts import payment_announcer
from agents.messages import AgentMessage
from api.app import create_app
from core.settings import Settings
from core.tenants import TenantKeys
from tests.support.http import serve_app
from tests.support.stripe_server import DEFAULT_API_KEY, LocalStripe, checkout_event, sign, signed_delivery
from tools.payments import (
    IdempotencyConflictError,
    LocalPayProvider,
    PaymentLink,
    PaymentLinkNotFoundError,
    PaymentProviderError,
    PaymentStore,
    StripeProvider,
    amount_in_centavos,
    build_payment_provider,
    format_mxn,
)

WHSEC = "whsec_test_orkesta"
AMOUNT = Decimal("1571.35")
PUBLIC = "https://pagos.example.mx"


# --- fixtures and helpers ----------------------------------------------------------


@pytest.fixture
def store(redis: Redis) -> PaymentStore:
    return PaymentStore(redis)


@pytest.fixture
def local(store: PaymentStore) -> LocalPayProvider:
    return LocalPayProvider(store, PUBLIC)


@pytest.fixture
def app_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"stripe_webhook_secret": SecretStr(WHSEC)})


@pytest.fixture
async def http(app_settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the whole app served over real HTTP (on the same Redis as `redis`)."""
    async with serve_app(create_app(app_settings)) as base, httpx.AsyncClient(base_url=base) as client:
        yield client


@pytest.fixture
async def stripe() -> AsyncIterator[tuple[LocalStripe, str]]:
    server = LocalStripe()
    async with server.serve() as base:
        yield server, base


@pytest.fixture
async def stripe_provider(store: PaymentStore, stripe: tuple[LocalStripe, str]) -> AsyncIterator[StripeProvider]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield StripeProvider(store, client, SecretStr(DEFAULT_API_KEY), stripe[1], PUBLIC)


async def messages(redis: Redis, stream: str, intent: str = "payment_received") -> list[AgentMessage]:
    found = [AgentMessage.from_json(fields[FIELD]) for _, fields in await redis.xrange(stream)]
    return [m for m in found if m.intent == intent]


async def received(redis: Redis, tenant: str) -> tuple[list[AgentMessage], list[AgentMessage]]:
    """The tenant's payment_received messages: on its event stream, and on its audit stream."""
    keys = TenantKeys(tenant)
    return await messages(redis, keys.events), await messages(redis, keys.audit)


async def make_order(redis: Redis, tenant: str, order_id: str, **fields: Any) -> str:
    key = TenantKeys(tenant).key("order", order_id)
    await redis.json().set(key, "$", {"order_id": order_id, "tenant_id": tenant, "customer_id": "cust-7",
                                      "conversation_id": "conv-42", "status": "pending_payment",
                                      "gross": str(AMOUNT), "paid_at": None, **fields})
    return key


async def link_keys(redis: Redis, tenant: str) -> list[bytes]:
    return [k async for k in redis.scan_iter(match=TenantKeys(tenant).key("paylink", "*"))]


async def new_link(provider: LocalPayProvider | StripeProvider, *, tenant: str = "acme", order_id: str = "ORD-1",
                   key: str = "conv-42:7", amount: Decimal = AMOUNT) -> PaymentLink:
    return await provider.create_link(tenant=tenant, order_id=order_id, amount=amount,
                                      description=f"Pedido {order_id}", idempotency_key=key)


# --- amounts -------------------------------------------------------------------------


def test_amounts_are_whole_centavos_as_decimals() -> None:
    assert amount_in_centavos(AMOUNT) == 157135
    assert amount_in_centavos(Decimal("0.1")) == 10
    assert amount_in_centavos(Decimal("99999.99")) == 9999999
    assert format_mxn(AMOUNT) == "$1,571.35 MXN"
    assert format_mxn(Decimal("1234567.5")) == "$1,234,567.50 MXN"
    for bad in (Decimal("10.005"), Decimal("0"), Decimal("-1"), Decimal("NaN")):
        with pytest.raises(ValueError):
            amount_in_centavos(bad)
    with pytest.raises(TypeError, match="never a float"):
        amount_in_centavos(1571.35)  # type: ignore[arg-type]


def test_a_link_serialises_its_amount_as_a_string() -> None:
    link = PaymentLink(link_id="pl_" + "a" * 22, tenant="acme", order_id="ORD-1", provider="local",
                       url="http://x/pay/1", amount=Decimal("1571.3"), description="Pedido ORD-1")
    assert link.model_dump(mode="json")["amount"] == "1571.30"
    assert PaymentLink.model_validate_json(link.model_dump_json()) == link
    with pytest.raises(ValidationError, match="whole centavos"):
        PaymentLink.model_validate({**link.model_dump(), "amount": "1.001"})


# --- the local provider ------------------------------------------------------------


async def test_the_same_idempotency_key_returns_the_same_link(local: LocalPayProvider, redis: Redis) -> None:
    first = await new_link(local)
    second = await new_link(local)
    assert second == first
    assert first.provider == "local" and first.status == "pending" and first.amount == AMOUNT
    assert first.url == f"{PUBLIC}/pay/{first.link_id}"
    assert len(await link_keys(redis, "acme")) == 1
    assert await redis.get(PaymentStore.tenant_key(first.link_id)) == b"acme"
    other = await new_link(local, key="conv-42:9", order_id="ORD-2")
    assert other.link_id != first.link_id
    assert len(await link_keys(redis, "acme")) == 2


async def test_twenty_concurrent_calls_make_one_link(local: LocalPayProvider, redis: Redis) -> None:
    links = await asyncio.gather(*(new_link(local) for _ in range(20)))
    assert len({link.link_id for link in links}) == 1
    assert len(await link_keys(redis, "acme")) == 1
    assert len([k async for k in redis.scan_iter(match="ork:paylink-tenant:*")]) == 1


async def test_a_key_reused_for_another_order_or_amount_is_refused(local: LocalPayProvider) -> None:
    await new_link(local)
    with pytest.raises(IdempotencyConflictError, match="conv-42:7"):
        await new_link(local, amount=Decimal("99.00"))
    with pytest.raises(IdempotencyConflictError):
        await new_link(local, order_id="ORD-9")


async def test_the_same_key_in_two_tenants_makes_two_links(local: LocalPayProvider) -> None:
    acme, globex = await new_link(local, tenant="acme"), await new_link(local, tenant="globex")
    assert acme.link_id != globex.link_id and (acme.tenant, globex.tenant) == ("acme", "globex")


async def test_a_link_left_unfinished_by_a_dead_caller_is_taken_over(store: PaymentStore, redis: Redis) -> None:
    """A caller that won the key and died before saving the link does not block the key forever."""
    stuck = "pl_" + "s" * 22
    await redis.set(TenantKeys("acme").key("paylink-idem", "conv-42:7"), stuck)
    link = await new_link(LocalPayProvider(store, PUBLIC, wait_s=0.05))
    assert link.link_id == stuck
    assert await store.get(stuck) == link


async def test_bad_arguments_are_refused_before_anything_is_written(local: LocalPayProvider, redis: Redis) -> None:
    with pytest.raises(ValueError, match="whole centavos"):
        await new_link(local, amount=Decimal("10.001"))
    with pytest.raises(ValueError, match="idempotency_key"):
        await new_link(local, key="")
    with pytest.raises(ValueError, match="invalid tenant"):
        await new_link(local, tenant="Not A Tenant")
    assert await redis.dbsize() == 0


async def test_a_bad_field_never_reaches_stripe(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], redis: Redis
) -> None:
    with pytest.raises(ValidationError, match="description"):
        await stripe_provider.create_link(tenant="acme", order_id="ORD-1", amount=AMOUNT, description="",
                                          idempotency_key="k")
    assert stripe[0].requests == [] and await redis.dbsize() == 0


# --- marking paid -----------------------------------------------------------------


async def test_mark_paid_flips_the_link_and_the_order_once(
    local: LocalPayProvider, store: PaymentStore, bus: EventBus, redis: Redis
) -> None:
    link = await new_link(local)
    order_key = await make_order(redis, "acme", "ORD-1")
    paid = await store.mark_paid(link.link_id, announce=payment_announcer(bus))
    assert paid.status == "paid" and paid.paid_at is not None
    order = await redis.json().get(order_key)
    assert order["status"] == "paid" and order["paid_at"] is not None
    assert order["gross"] == "1571.35"  # the rest of the order is left alone

    again = await store.mark_paid(link.link_id, announce=payment_announcer(bus), provider_ref="ignored")
    assert again == paid  # same paid_at, no provider_ref written by a repeat
    events, audit = await received(redis, "acme")
    assert len(events) == 1 and len(audit) == 1
    event = events[0]
    assert (event.from_agent, event.to_agent, event.message_type) == ("payment", "broadcast", "event")
    assert event.payload == {"order_id": "ORD-1", "link_id": link.link_id, "amount": "1571.35",
                             "currency": "MXN", "provider": "local"}
    assert (event.tenant_id, event.conversation_id, event.customer_id) == ("acme", "conv-42", "cust-7")
    assert audit[0].id == event.id


async def test_twenty_concurrent_payments_publish_one_event(
    local: LocalPayProvider, store: PaymentStore, bus: EventBus, redis: Redis
) -> None:
    link = await new_link(local)
    await make_order(redis, "acme", "ORD-1")
    announce = payment_announcer(bus)
    results = await asyncio.gather(*(store.mark_paid(link.link_id, announce=announce) for _ in range(20)))
    assert {r.status for r in results} == {"paid"} and len({r.paid_at for r in results}) == 1
    events, audit = await received(redis, "acme")
    assert len(events) == 1 and len(audit) == 1


class _DownBus:
    """A bus whose Redis connection drops on publish, as if the process died right after the flip."""

    async def publish(self, message: AgentMessage, *, dedupe_key: str | None = None) -> bool:
        raise ConnectionError("connection lost")


async def test_a_payment_whose_event_was_lost_is_announced_by_the_next_call(
    local: LocalPayProvider, store: PaymentStore, bus: EventBus, redis: Redis
) -> None:
    link = await new_link(local)
    await make_order(redis, "acme", "ORD-1")
    with pytest.raises(ConnectionError):
        await store.mark_paid(link.link_id, announce=payment_announcer(_DownBus()))  # type: ignore[arg-type]
    assert (await store.get(link.link_id)).status == "paid"  # type: ignore[union-attr]
    assert await redis.xlen(TenantKeys("acme").events) == 0

    await asyncio.gather(*(store.mark_paid(link.link_id, announce=payment_announcer(bus)) for _ in range(5)))
    await store.mark_paid(link.link_id, announce=payment_announcer(bus))
    [event], audit = await received(redis, "acme")
    assert len(audit) == 1 and event.conversation_id == "conv-42"
    assert not await redis.exists(TenantKeys("acme").key("paylink-announce", link.link_id))


async def test_a_link_without_an_order_document_is_still_paid(
    local: LocalPayProvider, store: PaymentStore, bus: EventBus, redis: Redis
) -> None:
    link = await new_link(local, order_id="ORD-404")
    assert (await store.mark_paid(link.link_id, announce=payment_announcer(bus))).status == "paid"
    assert not await redis.exists(TenantKeys("acme").key("order", "ORD-404"))
    [event], _ = await received(redis, "acme")
    assert event.conversation_id is None and event.customer_id is None


async def test_an_unknown_link_cannot_be_marked_paid(store: PaymentStore, bus: EventBus) -> None:
    for link_id in ("pl_" + "x" * 22, "../../etc", ""):
        with pytest.raises(PaymentLinkNotFoundError):
            await store.mark_paid(link_id, announce=payment_announcer(bus))


# --- the pay page over HTTP -----------------------------------------------------------


async def test_the_pay_page_shows_the_link_in_spanish(
    local: LocalPayProvider, http: httpx.AsyncClient
) -> None:
    link = await local.create_link(tenant="acme", order_id="ORD-1", amount=AMOUNT,
                                   description='Tubo PVC 1/2" <x> & codo', idempotency_key="conv-42:7")
    page = await http.get(f"/pay/{link.link_id}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert '<html lang="es-MX">' in text
    assert "$1,571.35 MXN" in text
    assert "Tubo PVC 1/2&quot; &lt;x&gt; &amp; codo" in text and "<x>" not in text
    assert "Pendiente de pago" in text and "Pagar ahora" in text
    assert f'<form method="post" action="/pay/{link.link_id}">' in text


async def test_paying_on_the_page_marks_paid_and_publishes_one_event(
    local: LocalPayProvider, http: httpx.AsyncClient, redis: Redis
) -> None:
    link = await new_link(local)
    order_key = await make_order(redis, "acme", "ORD-1")

    paid = await http.post(f"/pay/{link.link_id}")
    assert paid.status_code == 303 and paid.headers["location"] == f"/pay/{link.link_id}"
    page = await http.get(paid.headers["location"])
    assert page.status_code == 200 and "Pago recibido" in page.text and "Pagar ahora" not in page.text
    assert (await redis.json().get(order_key))["status"] == "paid"
    assert [len(s) for s in await received(redis, "acme")] == [1, 1]

    twice = await http.post(f"/pay/{link.link_id}", follow_redirects=True)
    assert twice.status_code == 200 and "Pago recibido" in twice.text
    events, audit = await received(redis, "acme")
    assert len(events) == 1 and len(audit) == 1
    assert events[0].payload["link_id"] == link.link_id


async def test_an_unknown_link_is_404(http: httpx.AsyncClient, redis: Redis) -> None:
    for path in ("/pay/pl_" + "n" * 22, "/pay/not-a-link-id"):
        got = await http.get(path)
        assert got.status_code == 404 and got.json() == {"detail": "Liga de pago no encontrada"}
        assert (await http.post(path)).status_code == 404
    browser = await http.get("/pay/pl_" + "n" * 22, headers={"Accept": "text/html,*/*"})
    assert browser.status_code == 404 and "no encontrada" in browser.text
    assert browser.headers["content-type"].startswith("text/html")
    assert await redis.xlen(TenantKeys("acme").events) == 0


async def test_a_link_is_paid_in_its_own_tenant_only(
    local: LocalPayProvider, http: httpx.AsyncClient, redis: Redis
) -> None:
    """Two tenants with the same order id: the link's tenant comes from our lookup."""
    acme_order = await make_order(redis, "acme", "ORD-1")
    globex_order = await make_order(redis, "globex", "ORD-1", conversation_id="conv-g")
    acme_link = await new_link(local, tenant="acme")
    globex_link = await new_link(local, tenant="globex")

    assert (await http.post(f"/pay/{globex_link.link_id}")).status_code == 303
    assert (await redis.json().get(globex_order))["status"] == "paid"
    assert (await redis.json().get(acme_order))["status"] == "pending_payment"
    assert [len(s) for s in await received(redis, "acme")] == [0, 0]
    [event], _ = await received(redis, "globex")
    assert (event.tenant_id, event.conversation_id, event.payload["link_id"]) == ("globex", "conv-g",
                                                                                   globex_link.link_id)
    assert "Pendiente de pago" in (await http.get(f"/pay/{acme_link.link_id}")).text


async def test_a_stripe_link_is_not_paid_on_our_page(
    stripe_provider: StripeProvider, http: httpx.AsyncClient, store: PaymentStore
) -> None:
    link = await new_link(stripe_provider)
    page = await http.get(f"/pay/{link.link_id}")
    assert page.status_code == 200 and f'href="{link.url}"' in page.text and "<form" not in page.text
    refused = await http.post(f"/pay/{link.link_id}")
    assert refused.status_code == 409 and "Stripe" in refused.json()["detail"]
    assert (await store.get(link.link_id)).status == "pending"  # type: ignore[union-attr]


async def test_an_expired_link_is_not_paid(local: LocalPayProvider, store: PaymentStore,
                                          http: httpx.AsyncClient) -> None:
    link = await new_link(local)
    await store.save(link.model_copy(update={"status": "expired"}))
    assert "vencida" in (await http.get(f"/pay/{link.link_id}")).text
    assert (await http.post(f"/pay/{link.link_id}")).status_code == 410
    assert (await store.get(link.link_id)).status == "expired"  # type: ignore[union-attr]


# --- the Stripe provider against a local Stripe -------------------------------------


async def test_stripe_provider_creates_a_checkout_session(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], store: PaymentStore
) -> None:
    server, base = stripe
    link = await new_link(stripe_provider)
    [request] = server.requests
    assert request.path == "/v1/checkout/sessions"
    assert request.headers["authorization"] == f"Bearer {DEFAULT_API_KEY}"
    assert request.headers["idempotency-key"] == link.link_id
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form == {
        "mode": "payment",
        "line_items[0][price_data][currency]": "mxn",
        "line_items[0][price_data][unit_amount]": "157135",
        "line_items[0][price_data][product_data][name]": "Pedido ORD-1",
        "line_items[0][quantity]": "1",
        "success_url": f"{PUBLIC}/pay/{link.link_id}",
        "cancel_url": f"{PUBLIC}/pay/{link.link_id}",
        "client_reference_id": "ORD-1",
        "metadata[tenant]": "acme",
        "metadata[order_id]": "ORD-1",
        "metadata[link_id]": link.link_id,
    }
    session = server.sessions[link.provider_ref or ""]
    assert session["amount_total"] == 157135 and session["metadata"]["link_id"] == link.link_id
    assert (link.provider, link.url, link.status) == ("stripe", session["url"], "pending")
    assert link.url.startswith(f"{base}/c/pay/cs_test_")
    assert await store.get(link.link_id) == link

    assert await new_link(stripe_provider) == link
    assert len(server.requests) == 1  # the repeat never reached Stripe


async def test_concurrent_stripe_calls_make_one_session(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str]
) -> None:
    links = await asyncio.gather(*(new_link(stripe_provider) for _ in range(10)))
    assert len({link.link_id for link in links}) == 1
    assert len(stripe[0].requests) == 1 and len(stripe[0].sessions) == 1


async def test_a_stripe_error_raises_with_stripes_message(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], redis: Redis
) -> None:
    with pytest.raises(PaymentProviderError, match=r"at least \$10.00 mxn") as caught:
        await new_link(stripe_provider, amount=Decimal("5.00"), key="small")
    assert caught.value.status_code == 400
    assert await link_keys(redis, "acme") == []
    assert not await redis.exists(TenantKeys("acme").key("paylink-idem", "small"))

    stripe[0].fail_next()
    with pytest.raises(PaymentProviderError, match="An unknown error occurred"):
        await new_link(stripe_provider)
    link = await new_link(stripe_provider)  # the retry is not blocked by the failed attempt
    assert link.status == "pending" and len(await link_keys(redis, "acme")) == 1


async def test_a_wrong_stripe_key_raises(store: PaymentStore, stripe: tuple[LocalStripe, str]) -> None:
    async with httpx.AsyncClient() as client:
        provider = StripeProvider(store, client, SecretStr("sk_test_wrong_key_1234"), stripe[1], PUBLIC)
        with pytest.raises(PaymentProviderError, match="Invalid API Key provided") as caught:
            await new_link(provider)
    assert caught.value.status_code == 401


async def test_an_unreachable_stripe_raises(store: PaymentStore) -> None:
    async with httpx.AsyncClient() as client:
        provider = StripeProvider(store, client, SecretStr(DEFAULT_API_KEY), "http://127.0.0.1:9", PUBLIC)
        with pytest.raises(PaymentProviderError, match="could not reach"):
            await new_link(provider)


async def test_the_local_stripe_refuses_what_stripe_refuses(stripe: tuple[LocalStripe, str]) -> None:
    """The test server checks what real Stripe checks, so the provider's tests mean something."""
    form = {"mode": "payment", "success_url": "http://x", "line_items[0][price_data][currency]": "mxn",
            "line_items[0][price_data][unit_amount]": "1571.35", "line_items[0][quantity]": "1",
            "line_items[0][price_data][product_data][name]": "Pedido"}
    async with httpx.AsyncClient(base_url=stripe[1]) as client:
        anonymous = await client.post("/v1/checkout/sessions", data=form)
        assert anonymous.status_code == 401 and anonymous.json()["error"]["type"] == "invalid_request_error"
        auth = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
        floaty = await client.post("/v1/checkout/sessions", data=form, headers=auth)
        assert floaty.status_code == 400
        assert floaty.json()["error"] == {"type": "invalid_request_error", "message": "Invalid integer: 1571.35",
                                          "param": "line_items[0][price_data][unit_amount]",
                                          "code": "parameter_invalid_integer"}
        nameless = await client.post("/v1/checkout/sessions", headers=auth, data={
            **form, "line_items[0][price_data][unit_amount]": "157135",
            "line_items[0][price_data][product_data][name]": ""})
        assert nameless.json()["error"]["code"] == "parameter_missing"
        good = {**form, "line_items[0][price_data][unit_amount]": "157135"}
        first = await client.post("/v1/checkout/sessions", data=good, headers={**auth, "Idempotency-Key": "k1"})
        replay = await client.post("/v1/checkout/sessions", data=good, headers={**auth, "Idempotency-Key": "k1"})
        assert first.json() == replay.json() and replay.headers["idempotent-replayed"] == "true"
        changed = await client.post("/v1/checkout/sessions", headers={**auth, "Idempotency-Key": "k1"},
                                    data={**good, "line_items[0][quantity]": "2"})
        assert changed.status_code == 400 and changed.json()["error"]["type"] == "idempotency_error"


# --- Stripe's webhook over HTTP -------------------------------------------------------


async def deliver(http: httpx.AsyncClient, event: dict[str, Any], *, secret: str = WHSEC,
                  timestamp: int | None = None) -> httpx.Response:
    body, headers = signed_delivery(event, secret, timestamp=timestamp)
    return await http.post("/webhooks/stripe", content=body, headers=headers)


async def test_a_completed_checkout_marks_the_link_paid_once(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], http: httpx.AsyncClient,
    store: PaymentStore, redis: Redis,
) -> None:
    link = await new_link(stripe_provider)
    order_key = await make_order(redis, "acme", "ORD-1")
    event = checkout_event(stripe[0].complete(link.provider_ref or ""))

    got = await deliver(http, event)
    assert got.status_code == 200 and got.json() == {"received": True}
    paid = await store.get(link.link_id)
    assert paid is not None and paid.status == "paid" and paid.provider_ref == link.provider_ref
    assert (await redis.json().get(order_key))["status"] == "paid"
    [message], audit = await received(redis, "acme")
    assert message.payload["provider"] == "stripe" and message.payload["amount"] == "1571.35"
    assert len(audit) == 1
    assert await redis.get(PaymentStore.stripe_event_key(event["id"])) == b"done"
    assert await redis.ttl(PaymentStore.stripe_event_key(event["id"])) > 0

    again = await deliver(http, event)  # Stripe retries when it missed our 200
    assert again.status_code == 200 and again.json() == {"received": True}
    events, audit = await received(redis, "acme")
    assert len(events) == 1 and len(audit) == 1


async def test_a_bad_signature_is_400_and_changes_nothing(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], http: httpx.AsyncClient,
    store: PaymentStore, redis: Redis,
) -> None:
    link = await new_link(stripe_provider)
    event = checkout_event(stripe[0].complete(link.provider_ref or ""))

    wrong = await deliver(http, event, secret="whsec_not_ours")
    assert wrong.status_code == 400 and wrong.json()["detail"].startswith("invalid Stripe signature: ")
    old = await deliver(http, event, timestamp=int(time.time()) - 301)
    assert old.status_code == 400 and "old" in old.json()["detail"]
    body, headers = signed_delivery(event, WHSEC)
    tampered = await http.post("/webhooks/stripe", content=body.replace(b"acme", b"acmf"), headers=headers)
    assert tampered.status_code == 400
    unsigned = await http.post("/webhooks/stripe", content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400 and unsigned.json() == {"detail": "missing Stripe-Signature header"}

    assert (await store.get(link.link_id)).status == "pending"  # type: ignore[union-attr]
    assert await redis.xlen(TenantKeys("acme").events) == 0
    assert not await redis.exists(PaymentStore.stripe_event_key(event["id"]))


async def test_a_signed_body_that_is_not_an_event_is_400(http: httpx.AsyncClient) -> None:
    body = b'{"hello": "world"}'
    got = await http.post("/webhooks/stripe", content=body, headers={"Stripe-Signature": sign(body, WHSEC)})
    assert got.status_code == 400 and got.json() == {"detail": "the body is not a Stripe event"}


async def test_events_that_do_not_pay_a_link_are_acknowledged_and_ignored(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], http: httpx.AsyncClient,
    store: PaymentStore, local: LocalPayProvider, redis: Redis,
) -> None:
    link = await new_link(stripe_provider)
    session = stripe[0].complete(link.provider_ref or "", payment_status="unpaid")  # OXXO: paid later
    other_session = {**session, "id": "cs_test_someone_else", "payment_status": "paid"}
    local_link = await new_link(local, key="conv-42:8", order_id="ORD-2")
    for event in (
        checkout_event(session),
        checkout_event({**session, "payment_status": "paid"}, type_="payment_intent.succeeded"),
        checkout_event({"id": "pi_1", "object": "payment_intent"}, type_="checkout.session.completed"),
        checkout_event(other_session),  # a session we did not create for this link
        checkout_event({**session, "payment_status": "paid", "metadata": {**session["metadata"],
                                                                           "link_id": "pl_" + "u" * 22}}),
        checkout_event({**session, "payment_status": "paid", "id": "cs_test_x",
                        "metadata": {"tenant": "acme", "link_id": local_link.link_id}}),
    ):
        got = await deliver(http, event)
        assert got.status_code == 200 and got.json() == {"received": True}
    assert (await store.get(link.link_id)).status == "pending"  # type: ignore[union-attr]
    assert (await store.get(local_link.link_id)).status == "pending"  # type: ignore[union-attr]
    assert await redis.xlen(TenantKeys("acme").events) == 0

    later = checkout_event({**session, "payment_status": "paid"}, type_="checkout.session.async_payment_succeeded")
    assert (await deliver(http, later)).status_code == 200
    assert (await store.get(link.link_id)).status == "paid"  # type: ignore[union-attr]


async def test_a_webhook_cannot_pay_a_link_through_another_tenant(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], http: httpx.AsyncClient,
    store: PaymentStore, redis: Redis,
) -> None:
    """The link's tenant is the one our lookup names, whatever the event's metadata claims."""
    link = await new_link(stripe_provider, tenant="acme")
    await make_order(redis, "globex", "ORD-1")
    session = stripe[0].complete(link.provider_ref or "")
    forged = checkout_event({**session, "metadata": {**session["metadata"], "tenant": "globex"}})
    assert (await deliver(http, forged)).status_code == 200
    assert (await store.get(link.link_id)).status == "pending"  # type: ignore[union-attr]
    assert (await redis.json().get(TenantKeys("globex").key("order", "ORD-1")))["status"] == "pending_payment"
    for tenant in ("acme", "globex"):
        assert await redis.xlen(TenantKeys(tenant).events) == 0


async def test_a_delivery_in_flight_elsewhere_is_409_so_stripe_retries(
    stripe_provider: StripeProvider, stripe: tuple[LocalStripe, str], http: httpx.AsyncClient, redis: Redis
) -> None:
    link = await new_link(stripe_provider)
    event = checkout_event(stripe[0].complete(link.provider_ref or ""))
    await redis.set(PaymentStore.stripe_event_key(event["id"]), "processing", ex=60)
    assert (await deliver(http, event)).status_code == 409
    await redis.delete(PaymentStore.stripe_event_key(event["id"]))  # that delivery failed and let go
    assert (await deliver(http, event)).status_code == 200
    assert await redis.xlen(TenantKeys("acme").events) == 1


async def test_the_webhook_is_404_without_a_secret(settings: Settings) -> None:
    async with serve_app(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as client:
        body = b'{"id": "evt_1"}'
        got = await client.post("/webhooks/stripe", content=body, headers={"Stripe-Signature": sign(body, "x")})
    assert got.status_code == 404 and "STRIPE_WEBHOOK_SECRET" in got.json()["detail"]


# --- building the provider from settings -------------------------------------------------


async def test_build_payment_provider_follows_the_settings(settings: Settings, redis: Redis) -> None:
    async with httpx.AsyncClient() as client:
        local = build_payment_provider(settings, redis, client)
        assert isinstance(local, LocalPayProvider) and local.public_base_url == settings.public_base_url
        stripe = build_payment_provider(
            settings.model_copy(update={"payment_provider": "Stripe", "stripe_api_key": SecretStr("sk_test_1")}),
            redis, client)
        assert isinstance(stripe, StripeProvider) and stripe.base_url == "https://api.stripe.com"
        with pytest.raises(ValueError, match="needs STRIPE_API_KEY"):
            build_payment_provider(settings.model_copy(update={"payment_provider": "stripe"}), redis, client)
        with pytest.raises(ValueError, match="'paypal'"):
            build_payment_provider(settings.model_copy(update={"payment_provider": "paypal"}), redis, client)
