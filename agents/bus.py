"""The event bus: `AgentMessage`s over Redis Streams (publish, request/response, dead letters).

Where a message goes:
- a request or event addressed to an agent: that agent type's inbox stream of the tenant
  (priority 8-10 on the urgent lane);
- an event to `broadcast`: the tenant's event stream, read by every agent type's group;
- a response or error: the list its requester waits on (`reply_to`);
- every message, whatever its kind: the tenant's audit stream.

The worker side (reading, acking, retrying) is in `agents.runtime`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from opentelemetry import trace
from opentelemetry.trace import SpanKind
from redis.asyncio import Redis

from agents.messages import BROADCAST, AgentMessage
from core.redis import as_text
from core.settings import Settings
from core.telemetry import Metrics, current_traceparent, get_tracer
from core.tenants import TENANTS_KEY, TenantKeys

log = logging.getLogger(__name__)

#: The single field of a stream entry: the message's JSON.
FIELD = b"m"


class AgentRequestError(RuntimeError):
    """The agent answered a request with an error message."""

    def __init__(self, response: AgentMessage) -> None:
        super().__init__(f"{response.from_agent} answered {response.intent}: {response.payload}")
        self.response = response


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One entry of a tenant's dead-letter stream."""

    entry_id: str
    message: AgentMessage | None
    raw: str
    group: str
    stream: str
    reason: str
    attempts: int
    failed_at_ms: int


def stream_for(message: AgentMessage, keys: TenantKeys | None = None) -> str:
    """The stream a request or event travels on."""
    keys = keys or TenantKeys(message.tenant_id)
    if message.to_agent == BROADCAST:
        return keys.events
    return keys.inbox(message.to_agent, urgent=message.urgent)


# One call publishes a tenant's whole batch: redis-py packs commands in Python, so one
# command with many arguments costs far less than two XADDs per message.
# KEYS[1] is the tenant's audit stream, the rest its target streams, reply lists and
# dedupe keys. ARGV: stream MINID, audit MINID, dedupe TTL (s), then per message:
# (target key index or 0 for the audit stream alone, reply TTL ms or 0 for a stream,
#  dedupe key index or 0, JSON). A message whose dedupe key exists is not sent at all;
# checking and sending in one script means a retried side effect publishes its event once.
_PUBLISH_LUA = """
local sent = 0
for i = 4, #ARGV, 4 do
  local target, ttl, dedupe, m = tonumber(ARGV[i]), tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2]), ARGV[i + 3]
  if dedupe == 0 or redis.call('SET', KEYS[dedupe], '1', 'NX', 'EX', ARGV[3]) then
    if target > 0 then
      if ttl > 0 then
        redis.call('RPUSH', KEYS[target], m)
        redis.call('PEXPIRE', KEYS[target], ttl)
      else
        redis.call('XADD', KEYS[target], 'MINID', '~', ARGV[1], '*', 'm', m)
      end
    end
    redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', 'm', m)
    sent = sent + 1
  end
end
return sent
"""


class _Batch:
    """One tenant's share of a publish: the keys it touches and the script's arguments."""

    __slots__ = ("args", "index", "keys", "tenant_keys")

    def __init__(self, tenant_keys: TenantKeys) -> None:
        self.tenant_keys = tenant_keys
        self.keys: list[str] = [tenant_keys.audit]
        self.index: dict[str, int] = {}
        self.args: list[str | int] = []

    def _position(self, key: str) -> int:
        position = self.index.get(key)
        if position is None:
            self.keys.append(key)
            position = self.index[key] = len(self.keys)
        return position

    def add(self, message: AgentMessage, *, audit_only: bool = False, dedupe_key: str | None = None) -> None:
        dedupe = self._position(self.tenant_keys.key("sent", dedupe_key)) if dedupe_key else 0
        if audit_only:
            self.args += [0, 0, dedupe, message.to_json()]
            return
        if message.message_type in ("response", "error"):
            assert message.reply_to is not None  # enforced by AgentMessage
            key = self.tenant_keys.reply(message.reply_to)
            # The requester is gone once its timeout passes; keep the answer a little longer.
            ttl = message.timeout_ms + 60_000
        else:
            key = stream_for(message, self.tenant_keys)
            ttl = 0
        self.args += [self._position(key), ttl, dedupe, message.to_json()]


class EventBus:
    """Publishes messages and waits for responses; one per process, built with its dependencies."""

    def __init__(
        self,
        redis: Redis,
        settings: Settings,
        *,
        metrics: Metrics | None = None,
        tracer: trace.Tracer | None = None,
    ) -> None:
        self.redis = redis
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.tracer = tracer or get_tracer()
        self._known_tenants: set[str] = set()
        self._script = redis.register_script(_PUBLISH_LUA)

    # --- publishing --------------------------------------------------------

    @staticmethod
    def _stamp(message: AgentMessage, trace_fields: dict[str, str] | None) -> AgentMessage:
        """Carry the publish span's W3C trace context in the message (if anything is traced)."""
        return message if trace_fields is None else message.model_copy(update=trace_fields)

    async def publish(self, message: AgentMessage, *, dedupe_key: str | None = None) -> bool:
        """Put one message on the bus; False when `dedupe_key` was used before (nothing sent).

        Side effects pass a key naming the effect (say `order_created:ORD-1`), so a
        replayed or retried step never announces the same effect twice.
        """
        return await self._send([message], dedupe_key=dedupe_key) == 1

    async def publish_many(self, messages: Iterable[AgentMessage]) -> int:
        """Put many messages on the bus: one round trip per tenant in the batch."""
        return await self._send(messages)

    async def record(self, messages: Iterable[AgentMessage]) -> int:
        """Write messages to their tenant's audit stream only (graph node transitions)."""
        return await self._send(messages, audit_only=True)

    async def _send(
        self, messages: Iterable[AgentMessage], *, audit_only: bool = False, dedupe_key: str | None = None
    ) -> int:
        sent: list[AgentMessage] = []
        by_tenant: dict[str, _Batch] = {}
        with self.tracer.start_as_current_span("bus.publish", kind=SpanKind.PRODUCER) as span:
            traceparent = current_traceparent()  # one publish span for the whole batch
            trace_fields = None
            if traceparent is not None:
                _, trace_id, span_id, _ = traceparent.split("-")
                trace_fields = {"traceparent": traceparent, "trace_id": trace_id, "span_id": span_id}
            for message in messages:
                message = self._stamp(message, trace_fields)
                sent.append(message)
                batch = by_tenant.get(message.tenant_id)
                if batch is None:
                    batch = by_tenant[message.tenant_id] = _Batch(TenantKeys(message.tenant_id))
                batch.add(message, audit_only=audit_only, dedupe_key=dedupe_key)
            if not sent:
                return 0
            now_ms = int(time.time() * 1000)
            stream_minid = str(now_ms - self.settings.stream_max_age_s * 1000)
            audit_minid = str(now_ms - self.settings.audit_max_age_s * 1000)
            new = [t for t in by_tenant if t not in self._known_tenants]
            if new:
                await self.redis.sadd(TENANTS_KEY, *new)
            count = 0
            for batch in by_tenant.values():  # one slot per tenant: a script call each (Cluster-safe)
                count += int(await self._script(
                    keys=batch.keys, args=[stream_minid, audit_minid, self.settings.bus_dedupe_ttl_s, *batch.args]
                ))
            if len(sent) == 1 and span.is_recording():
                m = sent[0]
                span.set_attributes({
                    "message.id": m.id, "message.intent": m.intent, "message.type": m.message_type,
                    "message.to_agent": m.to_agent, "tenant.id": m.tenant_id,
                })
        self._known_tenants.update(by_tenant)
        if not audit_only and count:  # a deduplicated message was not sent
            for m in sent:
                self.metrics.sent(to_agent=m.to_agent, message_type=m.message_type)
        return count

    # --- request / response ------------------------------------------------

    async def request(self, message: AgentMessage, *, fallback_agent: str | None = None) -> AgentMessage:
        """Send a request and wait up to its `timeout_ms` for the correlated response.

        On timeout, ask `fallback_agent` (a copy with a fresh id, same timeout) if given;
        raise `TimeoutError` when nobody answered and `AgentRequestError` on an error reply.
        """
        if message.message_type != "request":
            raise ValueError(f"request() needs a message_type 'request', got {message.message_type!r}")
        try:
            return await self._ask(message)
        except TimeoutError:
            self.metrics.errors.labels(message.to_agent, "timeout").inc()
            if fallback_agent is None:
                raise
            log.warning("%s did not answer %s within %d ms; asking %s",
                        message.to_agent, message.id, message.timeout_ms, fallback_agent)
            retry = AgentMessage.model_validate(
                {**message.model_dump(), "id": str(uuid.uuid4()), "to_agent": fallback_agent,
                 "timestamp": datetime.now(UTC)}  # a fresh deadline for the fallback
            )
            return await self._ask(retry)

    async def _ask(self, message: AgentMessage) -> AgentMessage:
        await self.publish(message)
        reply_key = TenantKeys(message.tenant_id).reply(message.id)
        result = await self.redis.blpop([reply_key], timeout=message.timeout_ms / 1000)
        if result is None:
            raise TimeoutError(f"no answer from {message.to_agent} to {message.intent} within {message.timeout_ms} ms")
        response = AgentMessage.from_json(result[1])
        if response.message_type == "error":
            raise AgentRequestError(response)
        return response

    # --- tenants -------------------------------------------------------------

    async def register_tenant(self, tenant: str) -> None:
        """Make the tenant's streams visible to workers that serve every tenant."""
        TenantKeys(tenant)  # validates
        await self.redis.sadd(TENANTS_KEY, tenant)
        self._known_tenants.add(tenant)

    async def tenants(self) -> list[str]:
        """Every registered tenant, sorted."""
        return sorted(as_text(t) for t in await self.redis.smembers(TENANTS_KEY))

    # --- audit and dead letters ---------------------------------------------

    async def audit(
        self, tenant: str, *, conversation_id: str | None = None, limit: int = 100, after: str = "-"
    ) -> list[tuple[str, AgentMessage]]:
        """The tenant's audit stream, oldest first, optionally for one conversation."""
        key = TenantKeys(tenant).audit
        out: list[tuple[str, AgentMessage]] = []
        start = after
        while len(out) < limit:
            batch = await self.redis.xrange(key, min=start, max="+", count=max(limit, 100))
            if not batch:
                break
            for entry_id, fields in batch:
                eid = as_text(entry_id)
                if eid == start:
                    continue
                message = AgentMessage.from_json(fields[FIELD])
                if conversation_id is None or message.conversation_id == conversation_id:
                    out.append((eid, message))
                    if len(out) >= limit:
                        break
            start = eid
            if len(batch) < max(limit, 100):
                break
        return out

    async def dead_letters(self, tenant: str, *, count: int = 100) -> list[DeadLetter]:
        """The tenant's dead letters, oldest first."""
        entries = await self.redis.xrange(TenantKeys(tenant).dead_letters, count=count)
        return [_dead_letter(eid, fields) for eid, fields in entries]

    async def redrive(self, tenant: str, entry_ids: Sequence[str] | None = None) -> int:
        """Put dead letters back on the stream they failed on; returns how many were redriven.

        The message keeps its id, so agent types that already handled it skip it.
        """
        keys = TenantKeys(tenant)
        letters = await self.dead_letters(tenant, count=1_000_000)
        chosen = [d for d in letters if entry_ids is None or d.entry_id in set(entry_ids)]
        if entry_ids is not None:
            unknown = set(entry_ids) - {d.entry_id for d in chosen}
            if unknown:
                raise KeyError(f"no dead letter with id {', '.join(sorted(unknown))}")
        redriven = 0
        for letter in chosen:
            if letter.message is None or not letter.stream.startswith(keys.prefix + ":"):
                continue  # malformed: nothing a handler could read; stays for inspection
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.xadd(letter.stream, {FIELD: letter.raw})
                pipe.xdel(keys.dead_letters, letter.entry_id)
                await pipe.execute()
            redriven += 1
        return redriven


def _text(value: bytes | str | None) -> str:
    """A dead letter's field as text: what a failed handler left may not even be UTF-8."""
    return as_text(value, errors="replace") or ""


def _dead_letter(entry_id: bytes | str, fields: dict[bytes, bytes]) -> DeadLetter:
    raw = _text(fields.get(FIELD))
    try:
        message: AgentMessage | None = AgentMessage.from_json(raw)
    except ValueError:
        message = None
    return DeadLetter(
        entry_id=_text(entry_id),
        message=message,
        raw=raw,
        group=_text(fields.get(b"group")),
        stream=_text(fields.get(b"stream")),
        reason=_text(fields.get(b"reason")),
        attempts=int(fields.get(b"attempts") or 0),
        failed_at_ms=int(fields.get(b"failed_at_ms") or 0),
    )
