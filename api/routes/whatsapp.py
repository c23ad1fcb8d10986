"""The WhatsApp webhook: Meta's verification handshake and signed Cloud API notifications.

A thin door over `tools.whatsapp.ingest`: a notification is checked, deduplicated and queued for the
conversation agent, then answered 200 at once; the outbound agent sends the reply.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from agents.conversation import inbox
from api.deps import ServicesDep
from tools.whatsapp import ingest

router = APIRouter(tags=["whatsapp"])

PATH = "/webhooks/whatsapp"


@router.get(PATH, response_class=PlainTextResponse, summary="Meta's webhook verification handshake",
            responses={400: {"description": "No hub.challenge"}, 403: {"description": "Not a known verify token"}})
async def verify(
    services: ServicesDep,
    mode: Annotated[str | None, Query(alias="hub.mode")] = None,
    token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
    challenge: Annotated[str | None, Query(alias="hub.challenge")] = None,
) -> Response:
    answer = await ingest.handshake(services.tenants, mode=mode, token=token, challenge=challenge)
    return PlainTextResponse(answer.body, status_code=answer.status)


@router.post(PATH, summary="Cloud API notifications: inbound messages and delivery statuses",
             responses={400: {"description": "The body is not a WhatsApp notification"},
                        401: {"description": "No X-Hub-Signature-256 header"},
                        403: {"description": "The signature matches no tenant named in the body"}})
async def receive(request: Request, services: ServicesDep) -> JSONResponse:
    """`{"received": N}`: N counts the new messages queued and the statuses that moved forward."""
    answer = await ingest.receive(await request.body(), request.headers.get(ingest.SIGNATURE_HEADER),
                                  tenants=services.tenants, redis=services.redis, queue=inbox(services.bus))
    return JSONResponse(answer.body, status_code=answer.status)
