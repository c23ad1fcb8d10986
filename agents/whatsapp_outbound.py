"""The `whatsapp_outbound` agent: sends a conversation's replies through the Cloud API, once per step.

Payload of a `send_reply` event or request:
`{"to": wa_id | BSUID, "text", "options": [{"id", "title", "description"?}] | None, "step_key",
"template": {"name", "language"?, "body_parameters"?} | None}`.

- Once per step: `wa-sent:<step_key>` is read before sending and written (with the wamids) after;
  a replayed or redelivered step finds it and sends nothing. A reply of several messages notes
  each part as it goes (`wa-sent-parts:<step_key>`), so a retry resumes where the last one stopped.
- Format: 1-3 options become reply buttons, 4-10 a list, anything else text (split at 4,096).
- Outside the 24-hour customer-service window (no inbound message from `to` within 24 h) only an
  approved template may go out: the payload's `template` (what the sender wants said outside the
  window; inside it the text and options go as usual), else the agent's utility template
  (`orkesta_reply`, language es_MX, one body parameter `{{1}}` = the reply text), which each
  tenant must have approved in its WhatsApp Manager.
- Failures raise, and the worker runtime retries with backoff and then dead-letters:
  `WhatsAppRateLimited` and `WhatsAppUnavailable` are transient and the retries are the cure;
  `WhatsAppRejected` (a 4xx such as 131047, outside the window) is permanent, and since the runtime
  has no notion of a permanent failure it is tried `bus_max_attempts` times, each refused
  the same way, before it lands in the tenant's dead letters with Meta's code and details.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field
from redis.asyncio import Redis
from redis.exceptions import LockError

from agents.bus import EventBus
from agents.messages import BROADCAST, AgentMessage
from agents.runtime import Agent
from core.redis import as_text
from core.settings import Settings
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tools.whatsapp import (
    DEFAULT_LANGUAGE,
    Option,
    WhatsAppClient,
    record_sent,
    reply_messages,
    template_message,
    window_open,
)

log = logging.getLogger(__name__)

NAME = "whatsapp_outbound"
SEND_REPLY = "send_reply"
#: The utility template sent outside the 24-hour window; body `{{1}}` carries the reply text.
DEFAULT_TEMPLATE = "orkesta_reply"
CONCURRENCY = 16
#: Cloud API calls never hold a handler for long: a slow Meta is a retry, not a stuck worker.
HTTP_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
#: One sender per step at a time: a reclaimed message must not race the attempt still in flight.
_SENDING_LOCK_S = 60
_PARTS_TTL_S = 24 * 3600

Mode = Literal["session", "template"]


class WhatsAppNotConfiguredError(RuntimeError):
    """The tenant has no complete WhatsApp configuration: nothing can be sent for it."""


class SendInProgressError(RuntimeError):
    """Another attempt is sending this step right now; this one is retried later."""


class TemplateSpec(BaseModel):
    """The approved template to send outside the window; `body_parameters` None means the text as `{{1}}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_]{1,512}$")
    language: str = Field(default=DEFAULT_LANGUAGE, min_length=2, max_length=16)
    body_parameters: list[str] | None = None


class SendReply(BaseModel):
    """The payload of `send_reply`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    to: str = Field(min_length=1, max_length=160)
    text: str = Field(min_length=1)
    options: list[Option] | None = None
    step_key: str = Field(min_length=1, max_length=512)
    template: TemplateSpec | None = None


class WhatsAppOutbound:
    """The agent's state: Redis, tenants' configs, the Cloud API's address and the default template."""

    def __init__(self, *, redis: Redis, tenants: TenantStore, bus: EventBus, settings: Settings,
                 http: httpx.AsyncClient | None = None, template: str = DEFAULT_TEMPLATE) -> None:
        self.redis = redis
        self.tenants = tenants
        self.bus = bus
        self.settings = settings
        self.template = template
        self._http = http

    @asynccontextmanager
    async def _client(self) -> AsyncIterator[WhatsAppClient]:
        # A caller that owns a long-lived client passes it; otherwise one per reply, closed with it,
        # because an agent has no shutdown hook to close a shared one.
        s = self.settings
        if self._http is not None:
            yield WhatsAppClient(self._http, base_url=s.whatsapp_api_base_url, version=s.whatsapp_api_version)
            return
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT) as http:
            yield WhatsAppClient(http, base_url=s.whatsapp_api_base_url, version=s.whatsapp_api_version)

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        """Send one reply (unless its step was sent before); a request gets the wamids back."""
        if message.intent != SEND_REPLY:
            raise ValueError(f"{NAME} handles {SEND_REPLY!r}, not {message.intent!r}")
        request = SendReply.model_validate(message.payload)
        result = await self.send(message.tenant_id, request)
        if result["duplicate"]:
            log.info("%s: step %s of tenant %s was sent before; not again", NAME, request.step_key, message.tenant_id)
        else:
            await self.bus.record([AgentMessage(
                from_agent=NAME, to_agent=BROADCAST, message_type="event", intent="whatsapp_sent",
                tenant_id=message.tenant_id, conversation_id=message.conversation_id,
                customer_id=message.customer_id, trace_id=message.trace_id, payload=result,
            )])
        if message.message_type == "request":
            return message.reply(from_agent=NAME, intent="reply_sent", payload=result)
        return None

    async def send(self, tenant: str, request: SendReply) -> dict[str, Any]:
        """Send `request` for `tenant` once: `{"step_key", "wamids", "format", "duplicate"}`."""
        keys = TenantKeys(tenant)
        sent_key = keys.key("wa-sent", request.step_key)
        done = await self.redis.get(sent_key)
        if done is not None:
            return {"step_key": request.step_key, **json.loads(done), "duplicate": True}
        config = await self.tenants.get(tenant)
        if config is None or not config.whatsapp_configured:
            raise WhatsAppNotConfiguredError(f"tenant {tenant} has no complete WhatsApp configuration")
        assert config.wa_phone_number_id and config.wa_access_token  # whatsapp_configured

        lock = self.redis.lock(keys.key("wa-sending", request.step_key), timeout=_SENDING_LOCK_S)
        if not await lock.acquire(blocking=False):
            raise SendInProgressError(f"step {request.step_key} is being sent by another attempt")
        try:
            done = await self.redis.get(sent_key)  # finished while we took the lock
            if done is not None:
                return {"step_key": request.step_key, **json.loads(done), "duplicate": True}
            parts_key = keys.key("wa-sent-parts", request.step_key)
            parts = {as_text(k): as_text(v) for k, v in (await self.redis.hgetall(parts_key)).items()}
            # The first attempt's choice stands: a retry after the window closed must send the
            # rest of the same messages, not switch to a template half-way.
            stored = parts.get("mode")
            mode: Mode = "template" if stored == "template" else "session" if stored == "session" else (
                "session" if await window_open(self.redis, tenant, request.to) else "template")
            fmt, payloads = self._payloads(request, mode)
            await self.redis.hset(parts_key, "mode", mode)
            await self.redis.expire(parts_key, _PARTS_TTL_S)
            wamids: list[str] = []
            async with self._client() as client:
                for i, payload in enumerate(payloads):
                    wamid = parts.get(str(i))
                    if wamid is None:
                        wamid = await client.send(config.wa_phone_number_id, config.wa_access_token.get_secret_value(),
                                                  payload)
                        await self.redis.hset(parts_key, str(i), wamid)
                        await record_sent(self.redis, tenant, wamid=wamid, step_key=request.step_key, to=request.to)
                    wamids.append(wamid)
            record = {"wamids": wamids, "format": fmt}
            # Kept as long as the audit trail: any replay an auditor can start finds the step sent.
            await self.redis.set(sent_key, json.dumps(record), ex=self.settings.audit_max_age_s, nx=True)
            await self.redis.delete(parts_key)
            return {"step_key": request.step_key, **record, "duplicate": False}
        finally:
            try:
                await lock.release()
            except LockError:  # held past its timeout (a very slow Meta): it freed itself already
                log.warning("%s: the sending lock of step %s expired before the send ended", NAME, request.step_key)

    def _payloads(self, request: SendReply, mode: Mode) -> tuple[str, list[dict[str, Any]]]:
        if mode == "template":
            spec = request.template or TemplateSpec(name=self.template)
            params = spec.body_parameters if spec.body_parameters is not None else [request.text]
            return "template", [template_message(request.to, spec.name, language=spec.language,
                                                 body_parameters=params)]
        fmt, payloads = reply_messages(request.to, request.text, request.options)
        return fmt, payloads


def build(*, redis: Redis, tenants: TenantStore, bus: EventBus, settings: Settings,
          http: httpx.AsyncClient | None = None, template: str = DEFAULT_TEMPLATE) -> Agent:
    """The outbound agent; pass `http` to share a long-lived client (its owner closes it)."""
    outbound = WhatsAppOutbound(redis=redis, tenants=tenants, bus=bus, settings=settings, http=http,
                                template=template)
    return Agent(name=NAME, handle=outbound.handle, concurrency=CONCURRENCY)
