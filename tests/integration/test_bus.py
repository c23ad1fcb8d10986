"""The bus against a real Redis: the seed's scenarios with workers running in this process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.asyncio import Redis

from agents.agent import Agent
from agents.bus import FIELD, AgentRequestError, EventBus, stream_for
from agents.messages import AgentMessage
from agents.runtime import Worker
from core.settings import Settings
from core.tenants import TenantKeys

TENANT = "ferre-mx"


def msg(**over: Any) -> AgentMessage:
    base: dict[str, Any] = dict(from_agent="order", to_agent="catalog", message_type="request",
                                intent="search_product", tenant_id=TENANT, payload={"q": "tubo pvc"},
                                timeout_ms=2000)
    return AgentMessage(**(base | over))


@asynccontextmanager
async def running(worker: Worker) -> AsyncIterator[Worker]:
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        worker.stop()
        await asyncio.wait_for(task, 10)


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    """Wait for a condition the worker makes true (bounded; fails the test on timeout)."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.01)


def make_worker(redis: Redis, settings: Settings, bus: EventBus, *agents: Agent, **kw: Any) -> Worker:
    return Worker(redis, settings, list(agents), bus=bus, tenants=kw.pop("tenants", [TENANT]), **kw)


async def test_request_response_happy_path(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async def catalog(m: AgentMessage) -> AgentMessage:
        return m.reply(from_agent="catalog", intent="products_found",
                       payload={"products": [{"sku": "PVC-050", "q": m.payload["q"]}]})

    async with running(make_worker(redis, settings, bus, Agent("catalog", catalog))):
        request = msg(conversation_id="conv-1")
        response = await bus.request(request)
    assert response.message_type == "response"
    assert response.reply_to == request.id
    assert response.payload == {"products": [{"sku": "PVC-050", "q": "tubo pvc"}]}
    assert response.trace_id == request.trace_id
    audited = [m for _, m in await bus.audit(TENANT, conversation_id="conv-1")]
    assert [m.message_type for m in audited] == ["request", "response"]


async def test_silent_agent_times_out_and_fallback_answers(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async def fallback(m: AgentMessage) -> AgentMessage:
        return m.reply(from_agent="catalog_fallback", intent="products_found", payload={"from": "fallback"})

    # Nobody serves "catalog": the request goes unanswered.
    async with running(make_worker(redis, settings, bus, Agent("catalog_fallback", fallback))):
        with pytest.raises(TimeoutError):
            await bus.request(msg(timeout_ms=200))
        response = await bus.request(msg(timeout_ms=300), fallback_agent="catalog_fallback")
    assert response.from_agent == "catalog_fallback"
    assert response.payload == {"from": "fallback"}
    assert bus.metrics.errors.labels("catalog", "timeout")._value.get() == 2


async def test_an_expired_request_is_not_handled_late(redis: Redis, settings: Settings, bus: EventBus) -> None:
    handled: list[str] = []

    async def catalog(m: AgentMessage) -> AgentMessage:
        handled.append(m.id)
        return m.reply(from_agent="catalog", intent="ok")

    with pytest.raises(TimeoutError):
        await bus.request(msg(timeout_ms=50))
    async with running(make_worker(redis, settings, bus, Agent("catalog", catalog))) as w:
        await until(lambda: _dead_count(bus, 1))
        assert handled == []
        assert w.handled_count == 0
    (letter,) = await bus.dead_letters(TENANT)
    assert letter.reason.startswith("expired")


async def _dead_count(bus: EventBus, n: int) -> bool:
    return len(await bus.dead_letters(TENANT)) >= n


async def test_failures_retry_with_backoff_then_dead_letter_and_redrive(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    attempts: list[int] = []
    healthy = asyncio.Event()

    async def flaky(m: AgentMessage) -> None:
        attempts.append(len(attempts) + 1)
        if not healthy.is_set():
            raise ConnectionError("supplier API down")

    async with running(make_worker(redis, settings, bus, Agent("purchasing", flaky))) as w:
        event = msg(to_agent="purchasing", message_type="event", intent="low_stock")
        await bus.publish(event)
        await until(lambda: _dead_count(bus, 1))
        assert len(attempts) == settings.bus_max_attempts == 3
        (letter,) = await bus.dead_letters(TENANT)
        assert letter.message == event
        assert letter.group == "purchasing" and letter.attempts == 3
        assert "ConnectionError: supplier API down" in letter.reason
        assert await redis.xpending(stream_for(event), "purchasing") == {
            "pending": 0, "min": None, "max": None, "consumers": []}

        healthy.set()
        assert await bus.redrive(TENANT) == 1
        await until(lambda: _handled(w, 1))
    assert await bus.dead_letters(TENANT) == []
    assert len(attempts) == 4
    assert bus.metrics.errors.labels("purchasing", "ConnectionError")._value.get() == 3
    assert bus.metrics.errors.labels("purchasing", "dead_letter")._value.get() == 1


async def _handled(w: Worker, n: int) -> bool:
    return w.handled_count >= n


async def test_a_dead_request_answers_its_requester_with_an_error(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    async def broken(m: AgentMessage) -> AgentMessage:
        raise ValueError("no such SKU")

    async with running(make_worker(redis, settings, bus, Agent("catalog", broken))):
        with pytest.raises(AgentRequestError) as exc:
            await bus.request(msg(timeout_ms=5000))
    assert exc.value.response.message_type == "error"
    assert "no such SKU" in exc.value.response.payload["reason"]


async def test_redrive_unknown_id_is_refused(bus: EventBus) -> None:
    with pytest.raises(KeyError, match="9-9"):
        await bus.redrive(TENANT, ["9-9"])


async def test_urgent_lane_is_served_first(redis: Redis, settings: Settings, bus: EventBus) -> None:
    order: list[int] = []

    async def notify(m: AgentMessage) -> None:
        order.append(m.priority)

    await bus.publish_many(
        [msg(to_agent="notifications", message_type="event", intent="n", priority=p)
         for p in [1, 5, 3, 7] * 10 + [9, 10, 8]]
    )
    async with running(make_worker(redis, settings, bus, Agent("notifications", notify))) as w:
        await until(lambda: _handled(w, 43))
    assert sorted(order[:3]) == [8, 9, 10]
    assert all(p < 8 for p in order[3:])


async def test_broadcast_reaches_each_agent_type_once_and_groups_share_load(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    seen: dict[str, list[str]] = {"collections": [], "notifications_a": [], "notifications_b": []}

    def recorder(key: str) -> Callable[[AgentMessage], Awaitable[None]]:
        async def handle(m: AgentMessage) -> None:
            seen[key].append(m.id)
            await asyncio.sleep(0.001)  # some work, so the other worker's reads get a share
        return handle

    events = [msg(to_agent="broadcast", message_type="event", intent="payment_received", payload={"i": i})
              for i in range(200)]
    other = msg(to_agent="broadcast", message_type="event", intent="order_created")
    settings = settings.model_copy(update={"bus_batch_size": 10})
    w1 = make_worker(redis, settings, bus,
                     Agent("collections", recorder("collections"), events=frozenset({"payment_received"})),
                     Agent("notifications", recorder("notifications_a"), events=frozenset({"*"})))
    w2 = make_worker(redis, settings, bus,
                     Agent("notifications", recorder("notifications_b"), events=frozenset({"*"})))
    async with running(w1), running(w2):
        await bus.publish_many([*events, other])
        await until(lambda: _all(seen, 200, 201))
    ids = {m.id for m in events}
    assert sorted(seen["collections"]) == sorted(ids)
    both = seen["notifications_a"] + seen["notifications_b"]
    assert sorted(both) == sorted(ids | {other.id})  # each once, across the two workers
    assert seen["notifications_a"] and seen["notifications_b"]  # and both took a share


async def _all(seen: dict[str, list[str]], collections: int, notifications: int) -> bool:
    return (len(seen["collections"]) >= collections
            and len(seen["notifications_a"]) + len(seen["notifications_b"]) >= notifications)


async def test_a_redelivered_id_is_handled_once_per_agent_type(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    handled: list[str] = []

    async def inventory(m: AgentMessage) -> None:
        handled.append(m.id)

    event = msg(to_agent="inventory", message_type="event", intent="order_created")
    async with running(make_worker(redis, settings, bus, Agent("inventory", inventory))) as w:
        await bus.publish(event)
        await bus.publish(event)  # Meta-style duplicate delivery of the same message id
        await redis.xadd(stream_for(event), {FIELD: event.to_json()})
        await until(lambda: _acked(redis, stream_for(event), "inventory", 3))
        assert w.handled_count == 1
    assert handled == [event.id]


async def _acked(redis: Redis, stream: str, group: str, n: int) -> bool:
    groups = {g["name"].decode(): g for g in await redis.xinfo_groups(stream)}
    g = groups.get(group)
    return bool(g) and g["pending"] == 0 and g["entries-read"] >= n


async def test_malformed_entries_go_to_dead_letters_and_the_worker_goes_on(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    handled: list[str] = []

    async def inventory(m: AgentMessage) -> None:
        handled.append(m.id)

    stream = TenantKeys(TENANT).inbox("inventory")
    await redis.xadd(stream, {b"junk": b"1"})
    await redis.xadd(stream, {FIELD: b"{not json"})
    out_of_range = msg(to_agent="inventory", message_type="event").to_json().replace('"priority":5', '"priority":42')
    await redis.xadd(stream, {FIELD: out_of_range})
    good = msg(to_agent="inventory", message_type="event", intent="ok")
    async with running(make_worker(redis, settings, bus, Agent("inventory", inventory))):
        await bus.publish(good)
        await until(lambda: _dead_count(bus, 3))
        await until(lambda: _acked(redis, stream, "inventory", 4))
    assert handled == [good.id]
    reasons = [d.reason for d in await bus.dead_letters(TENANT)]
    assert reasons[0] == "malformed entry: no message field"
    assert "json_invalid" in reasons[1]
    assert "priority" in reasons[2] and "less_than_equal" in reasons[2]
    assert all(d.message is None for d in await bus.dead_letters(TENANT))
    assert await bus.redrive(TENANT) == 0  # nothing a handler could read


async def test_a_tenant_consumer_never_sees_another_tenants_message(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    seen: dict[str, list[str]] = {"acme": [], "zeta": []}

    def for_tenant(t: str) -> Callable[[AgentMessage], Awaitable[None]]:
        async def handle(m: AgentMessage) -> None:
            seen[t].append(m.tenant_id)
        return handle

    acme = make_worker(redis, settings, bus, Agent("billing", for_tenant("acme")), tenants=["acme"])
    zeta = make_worker(redis, settings, bus, Agent("billing", for_tenant("zeta")), tenants=["zeta"])
    # A message forged onto acme's stream that claims to be zeta's is refused, not handled.
    forged = msg(to_agent="billing", message_type="event", tenant_id="zeta")
    await redis.xadd(TenantKeys("acme").inbox("billing"), {FIELD: forged.to_json()})
    async with running(acme), running(zeta):
        await bus.publish_many(
            [msg(to_agent="billing", message_type="event", tenant_id=t) for t in ["acme", "zeta"] * 20]
        )
        await until(lambda: _lens(seen, 20, 20))
        await until(lambda: _dead_in(bus, "acme"))
    assert seen == {"acme": ["acme"] * 20, "zeta": ["zeta"] * 20}
    (letter,) = await bus.dead_letters("acme")
    assert letter.reason.startswith("tenant mismatch")
    assert await bus.dead_letters("zeta") == []
    assert {m.tenant_id for _, m in await bus.audit("acme", limit=1000)} == {"acme"}


async def _lens(seen: dict[str, list[str]], a: int, z: int) -> bool:
    return len(seen["acme"]) >= a and len(seen["zeta"]) >= z


async def _dead_in(bus: EventBus, tenant: str) -> bool:
    return bool(await bus.dead_letters(tenant))


async def test_workers_serving_all_tenants_discover_new_ones(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    got: list[str] = []

    async def handle(m: AgentMessage) -> None:
        got.append(m.tenant_id)

    async with running(Worker(redis, settings, [Agent("billing", handle)], bus=bus)):
        await bus.publish(msg(to_agent="billing", message_type="event", tenant_id="nuevo"))
        await until(lambda: _lens({"acme": got, "zeta": got}, 1, 1))
    assert got == ["nuevo"]
    assert await bus.tenants() == ["nuevo"]


async def test_graceful_stop_finishes_the_message_in_hand(
    redis: Redis, settings: Settings, bus: EventBus
) -> None:
    release = asyncio.Event()
    entered = asyncio.Event()

    async def slow(m: AgentMessage) -> None:
        entered.set()
        await release.wait()

    event = msg(to_agent="dunning", message_type="event")
    w = make_worker(redis, settings, bus, Agent("dunning", slow))
    task = asyncio.create_task(w.run())
    await bus.publish(event)
    await asyncio.wait_for(entered.wait(), 5)
    w.stop()
    release.set()
    await asyncio.wait_for(task, 5)
    assert w.handled_count == 1
    assert await _acked(redis, stream_for(event), "dunning", 1)


def test_worker_refuses_duplicate_or_missing_agents(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async def h(m: AgentMessage) -> None: ...

    with pytest.raises(ValueError, match="duplicate agent names"):
        Worker(redis, settings, [Agent("a", h), Agent("a", h)], bus=bus)
    with pytest.raises(ValueError, match="at least one agent"):
        Worker(redis, settings, [], bus=bus)


async def test_publishing_survives_a_flushed_script_cache(redis: Redis, bus: EventBus) -> None:
    """After a Redis restart or failover the server forgets loaded scripts; publishing goes on."""
    await bus.publish(msg(to_agent="inventory", message_type="event"))
    await redis.script_flush()
    await bus.publish(msg(to_agent="inventory", message_type="event"))
    assert await redis.xlen(TenantKeys(TENANT).inbox("inventory")) == 2
    assert await redis.xlen(TenantKeys(TENANT).audit) == 2


async def test_a_dedupe_key_sends_an_effect_once(redis: Redis, bus: EventBus) -> None:
    event = msg(to_agent="broadcast", message_type="event", intent="order_created")
    assert await bus.publish(event, dedupe_key="order_created:ORD-1") is True
    again = msg(to_agent="broadcast", message_type="event", intent="order_created")
    assert await bus.publish(again, dedupe_key="order_created:ORD-1") is False
    assert await bus.publish(again, dedupe_key="order_created:ORD-2") is True
    assert await redis.xlen(TenantKeys(TENANT).events) == 2
    assert await redis.xlen(TenantKeys(TENANT).audit) == 2


async def test_record_writes_the_audit_stream_only(redis: Redis, bus: EventBus) -> None:
    await bus.record([msg(to_agent="broadcast", message_type="event", intent="node_start")] * 3)
    assert await redis.xlen(TenantKeys(TENANT).audit) == 3
    assert not await redis.exists(TenantKeys(TENANT).events)


async def test_a_permanent_failure_is_dead_lettered_at_once(redis: Redis, settings: Settings, bus: EventBus) -> None:
    from core.errors import PermanentError

    calls: list[str] = []

    async def reject(m: AgentMessage) -> None:
        calls.append(m.id)
        raise PermanentError("the supplier says this SKU does not exist")

    async with running(make_worker(redis, settings, bus, Agent("purchasing", reject))):
        await bus.publish(msg(to_agent="purchasing", message_type="event", intent="low_stock"))
        await until(lambda: _dead_count(bus, 1))
    (letter,) = await bus.dead_letters(TENANT)
    assert len(calls) == 1 and letter.attempts == 1
    assert letter.reason.startswith("permanent failure: PermanentError")


async def test_retry_later_is_not_retried_sooner_than_asked(redis: Redis, settings: Settings, bus: EventBus) -> None:
    import time

    from core.errors import RetryLater

    class Throttled(RetryLater):
        retry_after_s = 0.4

    seen: list[float] = []

    async def limited(m: AgentMessage) -> None:
        seen.append(time.monotonic())
        if len(seen) == 1:
            raise Throttled("pair rate limit")

    async with running(make_worker(redis, settings, bus, Agent("notifications", limited))) as w:
        await bus.publish(msg(to_agent="notifications", message_type="event", intent="n"))
        await until(lambda: _handled(w, 1))
    # the base backoff here is 20 ms; the handler asked for 400 ms and got at least that
    assert len(seen) == 2 and seen[1] - seen[0] >= 0.4


async def test_the_worker_starts_its_agents_first_and_stops_them_after_the_last_message(
        redis: Redis, settings: Settings, bus: EventBus) -> None:
    log: list[str] = []
    handled = asyncio.Event()

    async def start(tenants: Any) -> None:
        log.append(f"start {await tenants()}")

    async def stop() -> None:
        log.append("stop")

    async def handle(m: AgentMessage) -> None:
        log.append(f"handle {m.intent}")
        handled.set()

    agent = Agent("catalog", handle, start=start, stop=stop)
    async with running(make_worker(redis, settings, bus, agent)):
        await bus.publish(msg(message_type="event", intent="restock"))
        await asyncio.wait_for(handled.wait(), 10)
    assert log == [f"start {[TENANT]}", "handle restock", "stop"]


async def test_an_agent_that_fails_to_start_stops_the_ones_started_before_it(
        redis: Redis, settings: Settings, bus: EventBus) -> None:
    stopped: list[str] = []

    async def fail(tenants: Any) -> None:
        raise RuntimeError("no supplier configured")

    async def noop(tenants: Any) -> None:
        return None

    async def stop_first() -> None:
        stopped.append("first")

    async def stop_second() -> None:
        stopped.append("second")

    first = Agent("catalog", _ignore, start=noop, stop=stop_first)
    second = Agent("pricing", _ignore, start=fail, stop=stop_second)
    with pytest.raises(RuntimeError, match="no supplier configured"):
        await make_worker(redis, settings, bus, first, second).run()
    assert stopped == ["first"]  # the one that never started is not stopped


async def _ignore(m: AgentMessage) -> None:
    return None
