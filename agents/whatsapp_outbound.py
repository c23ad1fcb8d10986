"""The `whatsapp_outbound` agent: sends a conversation's replies through the Cloud API, once per step.

It handles `send_reply` events and requests (payload: `agents.contracts.SendReply`); a request is
answered with `reply_sent` (the wamids), and every step sent is recorded as `whatsapp_sent` in the audit.

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
  `WhatsAppRejected` (a 4xx such as 131047, outside the window) is a `PermanentError`: it lands in
  the tenant's dead letters at once, with Meta's code and details.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Literal

import httpx
from redis.asyncio import Redis
from redis.exceptions import LockError

from agents import contracts
from agents.agent import Agent
from agents.bus import EventBus
from agents.contracts import WHATSAPP_OUTBOUND, ReplySent, SendReply, TemplateSpec, WhatsAppSent
from agents.messages import AgentMessage
from core.redis import as_text
from core.settings import Settings
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tools.whatsapp import (
    WhatsAppClient,
    WhatsAppNotConfiguredError,
    record_sent,
    reply_messages,
    template_message,
    window_open,
)

log = logging.getLogger(__name__)

NAME = WHATSAPP_OUTBOUND
#: The utility template sent outside the 24-hour window; body `{{1}}` carries the reply text.
DEFAULT_TEMPLATE = "orkesta_reply"
CONCURRENCY = 16
#: One sender per step at a time: a reclaimed message must not race the attempt still in flight.
_SENDING_LOCK_S = 60
_PARTS_TTL_S = 24 * 3600

Mode = Literal["session", "template"]


class SendInProgressError(RuntimeError):
    """Another attempt is sending this step right now; this one is retried later."""


class WhatsAppOutbound:
    """The agent's state: Redis, tenants' configs, the Cloud API client and the default template."""

    def __init__(self, *, redis: Redis, tenants: TenantStore, bus: EventBus, settings: Settings,
                 http: httpx.AsyncClient, template: str = DEFAULT_TEMPLATE) -> None:
        self.redis = redis
        self.tenants = tenants
        self.bus = bus
        self.settings = settings
        self.template = template
        self.client = WhatsAppClient(http, base_url=settings.whatsapp_api_base_url,
                                     version=settings.whatsapp_api_version)

    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        """Send one reply (unless its step was sent before); a request gets the wamids back."""
        request = SendReply.read(message)
        result = await self.send(message.tenant_id, request)
        if result.duplicate:
            log.info("%s: step %s of tenant %s was sent before; not again", NAME, request.step_key, message.tenant_id)
        else:
            await self.bus.record([contracts.message(WhatsAppSent(**result.model_dump()), from_agent=NAME,
                                                     cause=message)])
        if message.message_type == "request":
            return contracts.reply(message, result, from_agent=NAME)
        return None

    async def send(self, tenant: str, request: SendReply) -> ReplySent:
        """Send `request` for `tenant` once; `duplicate` when its step was sent before."""
        keys = TenantKeys(tenant)
        sent_key = keys.key("wa-sent", request.step_key)
        done = await self.redis.get(sent_key)
        if done is not None:
            return ReplySent(step_key=request.step_key, **json.loads(done), duplicate=True)
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
                return ReplySent(step_key=request.step_key, **json.loads(done), duplicate=True)
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
            for i, payload in enumerate(payloads):
                wamid = parts.get(str(i))
                if wamid is None:
                    wamid = await self.client.send(config.wa_phone_number_id,
                                                   config.wa_access_token.get_secret_value(), payload)
                    await self.redis.hset(parts_key, str(i), wamid)
                    await record_sent(self.redis, tenant, wamid=wamid, step_key=request.step_key, to=request.to)
                wamids.append(wamid)
            record = {"wamids": wamids, "format": fmt}
            # Kept as long as the audit trail: any replay an auditor can start finds the step sent.
            await self.redis.set(sent_key, json.dumps(record), ex=self.settings.audit_max_age_s, nx=True)
            await self.redis.delete(parts_key)
            return ReplySent(step_key=request.step_key, wamids=wamids, format=fmt, duplicate=False)
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
          http: httpx.AsyncClient, template: str = DEFAULT_TEMPLATE) -> Agent:
    """The outbound agent, on the caller's HTTP client (its owner closes it)."""
    outbound = WhatsAppOutbound(redis=redis, tenants=tenants, bus=bus, settings=settings, http=http,
                                template=template)
    return Agent(name=NAME, handle=outbound.handle, concurrency=CONCURRENCY)
