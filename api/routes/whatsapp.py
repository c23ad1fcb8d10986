"""The WhatsApp webhook: Meta's verification handshake and signed Cloud API notifications.

A notification is checked, deduplicated and put on the bus, then answered 200 at once; the
conversation agent runs the turn and the outbound agent replies. Meta retries anything that is
not a 2xx for days, so whatever we cannot or must not process (an unknown number) is still
answered 200, and anything we failed to persist is answered 5xx so Meta delivers it again.
"""

from __future__ import annotations

import hmac
import logging
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

from agents.messages import AgentMessage
from api.deps import ServicesDep
from api.services import Services
from tools.accounts import Accounts
from tools.whatsapp import (
    WaChange,
    WaInboundMessage,
    WaNotification,
    WaStatus,
    WaValue,
    record_inbound,
    record_status,
    signature_matches,
)

log = logging.getLogger(__name__)

router = APIRouter(tags=["whatsapp"])

PATH = "/webhooks/whatsapp"
FROM_AGENT = "whatsapp_webhook"
TO_AGENT = "conversation"
INTENT = "customer_message"
SIGNATURE_HEADER = "X-Hub-Signature-256"


def _detail(status_code: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status_code)


@router.get(PATH, response_class=PlainTextResponse, summary="Meta's webhook verification handshake",
            responses={400: {"description": "No hub.challenge"}, 403: {"description": "Not a known verify token"}})
async def verify(
    services: ServicesDep,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    if mode != "subscribe" or not token:
        return PlainTextResponse("forbidden", status_code=403)
    # Every tenant's token is compared, in constant time, so the answer's timing names nobody.
    # A handshake happens once per webhook set-up: a scan of the tenants is cheap enough.
    matched = False
    for config in (await services.tenants.configs()).values():
        expected = config.wa_verify_token if config is not None else None
        if expected is not None and hmac.compare_digest(expected.get_secret_value().encode(), token.encode()):
            matched = True
    if not matched:
        return PlainTextResponse("forbidden", status_code=403)
    if challenge is None:
        return PlainTextResponse("missing hub.challenge", status_code=400)
    return PlainTextResponse(challenge)


@router.post(PATH, summary="Cloud API notifications: inbound messages and delivery statuses",
             responses={400: {"description": "The body is not a WhatsApp notification"},
                        401: {"description": "No X-Hub-Signature-256 header"},
                        403: {"description": "The signature matches no tenant named in the body"}})
async def receive(request: Request, services: ServicesDep) -> JSONResponse:
    """`{"received": N}`: N counts the new messages queued and the statuses that moved forward."""
    header = request.headers.get(SIGNATURE_HEADER)
    if not header:
        return _detail(401, f"missing {SIGNATURE_HEADER} header")
    raw = await request.body()  # the exact bytes: the signature covers them, not a re-serialisation
    try:
        notification = WaNotification.model_validate_json(raw)
    except ValidationError:
        return _detail(400, "the body is not a WhatsApp Cloud API notification")

    by_number: dict[str, list[WaChange]] = defaultdict(list)
    for change in notification.changes():
        assert change.value.metadata is not None  # changes() keeps only those with one
        by_number[change.value.metadata.phone_number_id].append(change)

    verified: list[tuple[str, list[WaChange]]] = []
    known = 0
    for phone_number_id, changes in by_number.items():
        tenant = await services.tenants.tenant_for_phone_number_id(phone_number_id)
        if tenant is None:
            # Not ours (or no longer): 200 so Meta stops retrying, but nothing of it is processed.
            log.warning("whatsapp webhook for unknown phone number id %s ignored", phone_number_id)
            continue
        known += 1
        config = await services.tenants.get(tenant)
        secret = config.wa_app_secret if config is not None else None
        if secret is None:
            log.error("whatsapp webhook for tenant %s, which has no app secret: cannot verify", tenant)
            continue
        # Verified per tenant: one POST may name several numbers, and each tenant's part is
        # processed only if the signature is that tenant's.
        if signature_matches(raw, header, secret.get_secret_value()):
            verified.append((tenant, changes))
        else:
            log.warning("whatsapp webhook signature does not match tenant %s's app secret", tenant)
    if known and not verified:
        return _detail(403, f"invalid {SIGNATURE_HEADER}")

    received = 0
    for tenant, changes in verified:
        received += await ingest(services, tenant, changes)
    return JSONResponse({"received": received})


async def ingest(services: Services, tenant: str, changes: list[WaChange]) -> int:
    """Queue a tenant's new inbound messages and apply its statuses; returns how many were new."""
    count = 0
    for change in changes:
        for message in change.value.messages:
            count += await _queue_message(services, tenant, change.value, message)
        for status in change.value.statuses:
            count += await _apply_status(services, tenant, status)
    return count


async def _queue_message(services: Services, tenant: str, value: WaValue, message: WaInboundMessage) -> int:
    contact = value.contact_for(message)
    wa_id = message.from_ or (contact.wa_id if contact else None) or None
    user_id = message.from_user_id or (contact.user_id if contact else None) or None
    who = wa_id or user_id
    if not who:
        log.warning("whatsapp message %s of tenant %s names no sender; ignored", message.id, tenant)
        return 0
    # Any message, words or not, opens the 24-hour window; recorded before the turn is queued,
    # so the reply that turn produces already sees it open.
    await record_inbound(services.redis, tenant, who, message.timestamp)
    content = message.content()
    if content is None or not content[1].strip():
        log.info("whatsapp %s message %s of tenant %s has no text; not a turn", message.type, message.id, tenant)
        return 0
    kind, text = content
    customer = await Accounts(services.redis, tenant).find_by_wa_id(wa_id) if wa_id else None
    assert value.metadata is not None
    event = AgentMessage(
        from_agent=FROM_AGENT, to_agent=TO_AGENT, message_type="event", intent=INTENT, tenant_id=tenant,
        conversation_id=f"wa:{who}", customer_id=customer.customer_id if customer else f"wa:{who}",
        payload={
            "wamid": message.id, "wa_id": wa_id, "user_id": user_id,
            "name": contact.profile.name if contact and contact.profile else None,
            "text": text, "kind": kind, "timestamp": message.timestamp,
            "phone_number_id": value.metadata.phone_number_id,
        },
    )
    # The wamid is the dedupe key (SET NX under the tenant's keys, bus_dedupe_ttl_s, 7 days by
    # default, as long as Meta retries) and it is set in the same script that queues the
    # message: a redelivery is dropped, and a failure leaves nothing half-done for the retry.
    return int(await services.bus.publish(event, dedupe_key=f"wa-inbound:{message.id}"))


async def _apply_status(services: Services, tenant: str, status: WaStatus) -> int:
    errors = [{"code": e.code, "title": e.title, "message": e.message,
               "details": e.error_data.details if e.error_data else None} for e in status.errors]
    if status.status == "failed":
        log.warning("whatsapp message %s of tenant %s failed: %s", status.id, tenant, errors)
    moved = await record_status(services.redis, tenant, wamid=status.id, status=status.status,
                                timestamp=status.timestamp,
                                recipient=status.recipient_id or status.recipient_user_id, errors=errors)
    return int(moved)
