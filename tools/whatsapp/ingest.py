"""The webhook door: Meta's verification handshake, and signed Cloud API notifications made into
what the service acts on.

- The tenant is found by `metadata.phone_number_id`; one POST may name several numbers, and each
  tenant's part is processed only if `X-Hub-Signature-256` is that tenant's (HMAC over the raw body).
- Any inbound message, words or not, opens the sender's 24-hour window, recorded before its turn is
  queued so the reply that turn produces already sees it open.
- A message with words becomes an `Inbound` handed to `queue` (the conversation agent's inbox),
  which drops a redelivered wamid; statuses only move forward.
- Meta retries anything that is not a 2xx for days, so what we cannot or must not process (an
  unknown number) is still answered 200; a failure to persist raises (a 5xx), so Meta delivers again.
"""

from __future__ import annotations

import hmac
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.asyncio import Redis

from core.tenant_store import TenantStore
from tools.accounts import Accounts
from tools.whatsapp.state import record_inbound, record_status
from tools.whatsapp.webhook import WaChange, WaInboundMessage, WaNotification, WaStatus, WaValue, signature_matches

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"


class InboundText(BaseModel):
    """A customer's message with words, as the conversation reads it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    wamid: str = Field(min_length=1)
    wa_id: str | None = None
    user_id: str | None = None
    name: str | None = None
    text: str = Field(min_length=1)
    kind: Literal["text", "button", "interactive"] = "text"
    timestamp: int | None = None
    phone_number_id: str | None = None

    @property
    def sender(self) -> str:
        """The wa_id, or the BSUID of a user without a visible number."""
        who = self.wa_id or self.user_id
        if not who:
            raise ValueError("an inbound message needs wa_id or user_id")
        return who


@dataclass(frozen=True, slots=True)
class Inbound:
    """A verified inbound message of one tenant: its conversation, its customer and its words."""

    tenant: str
    conversation_id: str
    customer_id: str
    message: InboundText


#: Queues a message for its turn; False when it was queued before (a redelivery).
Queue = Callable[[Inbound], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Answer:
    """What to answer Meta: a status code and a body (JSON, or text for the handshake)."""

    status: int
    body: Any


async def handshake(tenants: TenantStore, *, mode: str | None, token: str | None, challenge: str | None) -> Answer:
    """Meta's `hub.*` verification: the challenge back when the token is one of our tenants'."""
    if mode != "subscribe" or not token:
        return Answer(403, "forbidden")
    # Every tenant's token is compared, in constant time, so the answer's timing names nobody.
    # A handshake happens once per webhook set-up: a scan of the tenants is cheap enough.
    matched = False
    for config in (await tenants.configs()).values():
        expected = config.wa_verify_token if config is not None else None
        if expected is not None and hmac.compare_digest(expected.get_secret_value().encode(), token.encode()):
            matched = True
    if not matched:
        return Answer(403, "forbidden")
    if challenge is None:
        return Answer(400, "missing hub.challenge")
    return Answer(200, challenge)


async def receive(raw: bytes, signature: str | None, *, tenants: TenantStore, redis: Redis, queue: Queue) -> Answer:
    """One webhook POST: `{"received": N}` counts the new messages queued and the statuses that moved."""
    if not signature:
        return Answer(401, {"detail": f"missing {SIGNATURE_HEADER} header"})
    try:
        notification = WaNotification.model_validate_json(raw)  # the exact bytes the signature covers
    except ValidationError:
        return Answer(400, {"detail": "the body is not a WhatsApp Cloud API notification"})

    by_number: dict[str, list[WaChange]] = defaultdict(list)
    for change in notification.changes():
        assert change.value.metadata is not None  # changes() keeps only those with one
        by_number[change.value.metadata.phone_number_id].append(change)

    verified: list[tuple[str, list[WaChange]]] = []
    known = 0
    for phone_number_id, changes in by_number.items():
        tenant = await tenants.tenant_for_phone_number_id(phone_number_id)
        if tenant is None:
            # Not ours (or no longer): 200 so Meta stops retrying, but nothing of it is processed.
            log.warning("whatsapp webhook for unknown phone number id %s ignored", phone_number_id)
            continue
        known += 1
        config = await tenants.get(tenant)
        secret = config.wa_app_secret if config is not None else None
        if secret is None:
            log.error("whatsapp webhook for tenant %s, which has no app secret: cannot verify", tenant)
            continue
        if signature_matches(raw, signature, secret.get_secret_value()):
            verified.append((tenant, changes))
        else:
            log.warning("whatsapp webhook signature does not match tenant %s's app secret", tenant)
    if known and not verified:
        return Answer(403, {"detail": f"invalid {SIGNATURE_HEADER}"})

    received = 0
    for tenant, changes in verified:
        received += await ingest(tenant, changes, redis=redis, queue=queue)
    return Answer(200, {"received": received})


async def ingest(tenant: str, changes: list[WaChange], *, redis: Redis, queue: Queue) -> int:
    """Queue a tenant's new inbound messages and apply its statuses; returns how many were new."""
    count = 0
    for change in changes:
        for message in change.value.messages:
            count += await _queue_message(tenant, change.value, message, redis=redis, queue=queue)
        for status in change.value.statuses:
            count += await _apply_status(tenant, status, redis=redis)
    return count


async def _queue_message(tenant: str, value: WaValue, message: WaInboundMessage, *, redis: Redis,
                         queue: Queue) -> int:
    contact = value.contact_for(message)
    wa_id = message.from_ or (contact.wa_id if contact else None) or None
    user_id = message.from_user_id or (contact.user_id if contact else None) or None
    who = wa_id or user_id
    if not who:
        log.warning("whatsapp message %s of tenant %s names no sender; ignored", message.id, tenant)
        return 0
    await record_inbound(redis, tenant, who, message.timestamp)
    content = message.content()
    if content is None or not content[1].strip():
        log.info("whatsapp %s message %s of tenant %s has no text; not a turn", message.type, message.id, tenant)
        return 0
    kind, text = content
    customer = await Accounts(redis, tenant).find_by_wa_id(wa_id) if wa_id else None
    assert value.metadata is not None
    inbound = InboundText(
        wamid=message.id, wa_id=wa_id, user_id=user_id,
        name=contact.profile.name if contact and contact.profile else None, text=text, kind=kind,
        timestamp=message.timestamp, phone_number_id=value.metadata.phone_number_id,
    )
    return int(await queue(Inbound(tenant=tenant, conversation_id=f"wa:{who}",
                                   customer_id=customer.customer_id if customer else f"wa:{who}", message=inbound)))


async def _apply_status(tenant: str, status: WaStatus, *, redis: Redis) -> int:
    errors = [{"code": e.code, "title": e.title, "message": e.message,
               "details": e.error_data.details if e.error_data else None} for e in status.errors]
    if status.status == "failed":
        log.warning("whatsapp message %s of tenant %s failed: %s", status.id, tenant, errors)
    moved = await record_status(redis, tenant, wamid=status.id, status=status.status, timestamp=status.timestamp,
                                recipient=status.recipient_id or status.recipient_user_id, errors=errors)
    return int(moved)
