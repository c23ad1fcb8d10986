"""The `notifications` agent: tells the tenant's team about purchase orders, broken promises, escalations
and hand-offs.

Request it with `notify_team` (see `notify_team()`), payload `{kind, text, data, key}`. It also listens to
the broadcast `handoff_requested` and turns each into a `handoff` notice keyed by conversation and turn,
so a hand-off delivered twice is told once. Where a notice goes is the tenant's `team_notify` setting:
- an `http://` or `https://` URL: `POST` JSON `{notification_id, tenant, kind, text, data}` with an
  `Idempotency-Key: <notification_id>` header; 5xx, 429 and network errors raise, so the runtime
  retries; other 4xx are logged and dropped (a retry would be refused the same way);
- anything else is a WhatsApp number: a `send_reply` to `whatsapp_outbound` (step `team:<key>`);
- unset: logged, nothing sent.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

import httpx

from agents.agent import Agent
from agents.bus import EventBus
from agents.contracts import (
    NOTIFICATIONS,
    WHATSAPP_OUTBOUND,
    HandoffRequested,
    NoticeKind,
    SendReply,
    TeamNotice,
    publish,
)
from agents.messages import AgentMessage
from core.http import HTTP_TIMEOUT
from core.tenant_store import TenantStore

log = logging.getLogger(__name__)

NAME = NOTIFICATIONS
#: How much of the customer's words the notice quotes (all of them travel in its data).
QUOTE_MAX = 1500
_REASONS = {"complaint": "presentó una queja", "human": "pidió hablar con una persona"}


class WebhookUnavailableError(RuntimeError):
    """The team's webhook failed transiently; the runtime retries."""


async def notify_team(bus: EventBus, source: AgentMessage | None, *, tenant: str, from_agent: str, kind: NoticeKind,
                      key: str, text: str, data: dict[str, Any], trace_id: str | None = None) -> bool:
    """Ask the notifications agent to tell the team, once per `key`; False if it was asked before."""
    return await publish(bus, TeamNotice(kind=kind, text=text, data=data, key=key), from_agent=from_agent,
                         to_agent=NAME, tenant=tenant, cause=source, trace_id=trace_id)


def handoff_text(handoff: HandoffRequested, customer_id: str | None) -> str:
    """The team's notice of a hand-off: who, where, why, and the customer's words."""
    words = handoff.text if len(handoff.text) <= QUOTE_MAX else handoff.text[:QUOTE_MAX - 1] + "…"
    language = " Idioma: inglés." if handoff.language == "en" else ""
    return (f"Atención humana: el cliente {customer_id or 'sin identificar'} {_REASONS[handoff.reason]} "
            f"en la conversación {handoff.conversation_id} (turno {handoff.turn}).{language} "
            f"Sus palabras: «{words}»")


def notification_id(tenant: str, key: str) -> str:
    """A stable id per (tenant, notice key): the receiver's dedupe handle."""
    return "ntf_" + hashlib.sha256(f"{tenant}\x00{key}".encode()).hexdigest()[:20]


class Notifications:
    """The agent's state: the bus and the tenants' configs."""

    def __init__(self, *, bus: EventBus, tenants: TenantStore, http: httpx.AsyncClient) -> None:
        self.bus = bus
        self.tenants = tenants
        self.http = http

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        if message.intent == HandoffRequested.intent:
            await self._hand_off(message, HandoffRequested.read(message))
            return None
        if message.intent != TeamNotice.intent:
            return None
        notice = TeamNotice.read(message)
        tenant = message.tenant_id
        config = await self.tenants.get(tenant)
        target = (config.team_notify or "").strip() if config else ""
        if not target:
            log.warning("%s: tenant %s has no team_notify; %s notice %s not delivered",
                        NAME, tenant, notice.kind, notice.key)
            return None
        if re.match(r"^https?://", target, re.IGNORECASE):
            await self._post(target, tenant, notice)
        else:
            await publish(self.bus, SendReply(to=target, text=notice.text, step_key=f"team:{notice.key}"),
                          from_agent=NAME, to_agent=WHATSAPP_OUTBOUND, cause=message)
        return None

    async def _hand_off(self, message: AgentMessage, handoff: HandoffRequested) -> None:
        # Through a notice keyed by the turn, not straight to the team: a second delivery of the
        # event (another message id, so the runtime's own dedupe misses it) is then not told twice.
        await notify_team(
            self.bus, message, tenant=message.tenant_id, from_agent=NAME, kind="handoff",
            key=f"handoff:{handoff.conversation_id}:{handoff.turn}", text=handoff_text(handoff, message.customer_id),
            data=handoff.model_dump(mode="json") | {"customer_id": message.customer_id},
        )

    async def _post(self, url: str, tenant: str, notice: TeamNotice) -> None:
        nid = notification_id(tenant, notice.key)
        body = {"notification_id": nid, "tenant": tenant, "kind": notice.kind, "text": notice.text,
                "data": notice.data}
        try:
            response = await self.http.post(url, json=body, headers={"Idempotency-Key": nid}, timeout=HTTP_TIMEOUT)
        except httpx.HTTPError as exc:
            raise WebhookUnavailableError(f"team webhook unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise WebhookUnavailableError(f"team webhook answered {response.status_code}")
        if response.status_code >= 400:
            log.error("%s: team webhook of %s refused %s: %d %s", NAME, tenant, nid, response.status_code,
                      response.text[:200])


def build(*, bus: EventBus, tenants: TenantStore, http: httpx.AsyncClient) -> Agent:
    """The notifications agent, on the caller's HTTP client; it answers `notify_team` sent to it and
    broadcast `handoff_requested` events."""
    agent = Notifications(bus=bus, tenants=tenants, http=http)
    return Agent(name=NAME, handle=agent.handle, events=frozenset({HandoffRequested.intent}), concurrency=8)
