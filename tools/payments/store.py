"""Payment links in Redis: saved, found by their id alone, marked paid exactly once and announced.

Redis keys, all in the tenant's slot but the last two:
- `ork:{t}:paylink:<link id>`      the link, a RedisJSON document;
- `ork:{t}:paylink-idem:<key>`     idempotency key -> link id (SET NX: one link per key);
- `ork:{t}:order:<order id>`       the order document, marked paid with its link;
- `ork:{t}:paylink-announce:<id>`  a paid link whose payment_received is not yet published;
- `ork:paylink-tenant:<link id>`   link id -> tenant (see `PaymentStore.tenant_key`);
- `ork:stripe-event:<event id>`    a Stripe event being or already handled (webhook dedupe).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TenantKeys
from tools.payments.links import LINK_ID_RE, PaymentLink, PaymentLinkNotFoundError

#: Stripe retries a failed delivery for up to three days; handled events are remembered longer.
STRIPE_EVENT_TTL_S = 7 * 24 * 3600
#: A delivery being handled holds its event id this long: if our process dies mid-way,
#: Stripe's next retry (minutes later) finds the claim expired and is handled.
STRIPE_EVENT_LEASE_S = 60


@dataclass(frozen=True, slots=True)
class PaidLink:
    """A link just marked paid, with the conversation and customer of its order: what to announce."""

    link: PaymentLink
    conversation_id: str | None
    customer_id: str | None


#: Announces a payment (publishes `payment_received`); raising leaves it to be announced by the next call.
Announce = Callable[[PaidLink], Awaitable[object]]


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

    async def mark_paid(self, link_id: str, *, announce: Announce, provider_ref: str | None = None) -> PaymentLink:
        """Mark the link and its order paid, then `announce` it (a failed announcement is retried by
        the next call); repeats change nothing."""
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
        flipped, doc, order, unannounced = await self._mark_paid(
            keys=[self.link_key(link.tenant, link_id), keys.key("order", link.order_id), announce_key],
            args=[paid_at, json.dumps(provider_ref) if provider_ref else ""],
        )
        if int(flipped) < 0:
            raise PaymentLinkNotFoundError(f"payment link {link_id!r} vanished")
        link = PaymentLink.model_validate_json(doc)
        if int(unannounced):
            # Set by the flip and cleared once the event is out: a caller that died in between
            # leaves it set, and the next call announces instead. The announcer's dedupe key
            # makes the flipping caller and any concurrent repeat publish the event exactly once.
            refs = _order_refs(order)
            await announce(PaidLink(link=link, conversation_id=refs.get("conversation_id"),
                                    customer_id=refs.get("customer_id")))
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
