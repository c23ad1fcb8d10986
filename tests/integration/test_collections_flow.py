"""Flow 2 with real Redis: reminders on the right days, grouped, tone rising; promises; payments.

The scheduler is ticked by the test on a clock it moves day by day (no sleeping); the agents'
event handlers run in an in-process worker; the team's webhook is a real local HTTP server.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import httpx
from redis.asyncio import Redis

from agents import collections, notifications
from agents.agent import TenantSource
from agents.bus import EventBus
from agents.contracts import payment_announcer
from agents.messages import AgentMessage
from agents.runtime import Worker
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.support.http import serve_app
from tests.support.ops import FakeClock, events, eventually, inbox, local
from tests.support.supplier_server import WebhookState, team_webhook_app
from tools.accounts import Accounts, Customer, Invoice
from tools.payments import PaymentStore

TENANT = "acme"
CUSTOMER = "CUST-9001"
WA = "5215511112222"


def customer() -> Customer:
    return Customer(customer_id=CUSTOMER, name="Ferretería La Luz", business_name="La Luz S.A. de C.V.",
                    rfc="LLU010101AB1", phone="+52 1 55 1111 2222", wa_id=WA, tier="silver",
                    credit_limit=Decimal("50000"), payment_terms_days=30, city="CDMX", email="luz@correo.example")


def invoice(invoice_id: str, due: date, amount: str) -> Invoice:
    return Invoice(invoice_id=invoice_id, customer_id=CUSTOMER, issued_at=date(2026, 10, 1), due_date=due,
                   amount=Decimal(amount), status="open")


@dataclass
class Flow:
    agent: collections.Collections
    clock: FakeClock
    webhook: WebhookState
    redis: Redis
    bus: EventBus
    settings: Settings
    http: httpx.AsyncClient

    async def reminders(self) -> list[AgentMessage]:
        return [m for m in await inbox(self.redis, TENANT, "whatsapp_outbound")
                if m.payload["step_key"].startswith("cobranza:")]

    async def day_by_day(self, until: date) -> dict[date, AgentMessage]:
        """Tick once a day (at 10:00) up to `until`; the reminders sent, by day."""
        sent: dict[date, AgentMessage] = {}
        while True:
            before = len(await self.reminders())
            await self.agent.tick(TENANT)
            new = (await self.reminders())[before:]
            assert len(new) <= 1, f"{len(new)} reminders on {self.clock().date()}"
            if new:
                sent[self.clock().date()] = new[0]
            if self.clock().date() >= until:
                return sent
            self.clock.advance(days=1)

    def restart(self) -> None:
        """A new scheduler object, as after a worker restart: everything it needs is in Redis."""
        self.agent = collections.build(redis=self.redis, bus=self.bus, settings=self.settings, http=self.http,
                                       clock=self.clock)


@asynccontextmanager
async def flow2(redis: Redis, settings: Settings, bus: EventBus, start: date) -> AsyncIterator[Flow]:
    accounts = Accounts(redis, TENANT)
    await accounts.upsert_customers([customer()])
    await accounts.upsert_invoices([invoice("FAC-A", date(2026, 11, 10), "1000.00"),
                                    invoice("FAC-B", date(2026, 11, 13), "500.00")])
    clock = FakeClock(local(start.year, start.month, start.day))
    webhook = WebhookState()
    async with serve_app(team_webhook_app(webhook)) as hook, httpx.AsyncClient() as http:
        store = TenantStore(redis)
        await store.add(TENANT, api_key="acme-test-key-0123456789abcdef", team_notify=f"{hook}/hooks/team")
        agent = collections.build(redis=redis, bus=bus, settings=settings, http=http, clock=clock)
        # The test ticks the scheduler itself, day by day: the worker runs only its handlers.
        worker = Worker(redis, settings, [collections.agent(agent, schedule=False),
                                          notifications.build(bus=bus, tenants=store, http=http)],
                        bus=bus, tenants=[TENANT])
        task = asyncio.create_task(worker.run())
        try:
            yield Flow(agent, clock, webhook, redis, bus, settings, http)
        finally:
            worker.stop()
            await asyncio.wait_for(task, 10)


def tone(message: AgentMessage) -> str:
    return message.payload["template"]["name"].removeprefix("orkesta_cobranza_")


async def test_reminders_on_cadence_days_grouped_with_rising_tone(
        redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow2(redis, settings, bus, date(2026, 11, 6)) as f:
        sent = await f.day_by_day(until=date(2026, 12, 10))
    # FAC-A due 11-10 (-3, 0, +1, +7, +14, +30) and FAC-B due 11-13: one message a day at most.
    assert {d.isoformat(): tone(m) for d, m in sent.items()} == {
        "2026-11-07": "soft", "2026-11-10": "soft", "2026-11-11": "soft", "2026-11-13": "firm",
        "2026-11-14": "firm", "2026-11-17": "firm", "2026-11-20": "firm", "2026-11-24": "firm",
        "2026-11-27": "final", "2026-12-10": "final",
    }
    first, grouped = sent[date(2026, 11, 7)], sent[date(2026, 11, 13)]
    assert first.payload["to"] == WA and first.payload["template"]["language"] == "es_MX"
    assert "FAC-A" in first.payload["text"] and "FAC-B" not in first.payload["text"]  # B is not due for 6 days
    params = grouped.payload["template"]["body_parameters"]
    assert params[0] == "Ferretería La Luz" and params[2] == "$1,500.00 MXN"
    assert "FAC-A por $1,000.00 (vencida hace 3 días)" in params[1] and "FAC-B por $500.00 (vence hoy)" in params[1]
    links = {m.payload["template"]["body_parameters"][3] for m in sent.values()}
    assert len(links) == len(sent)  # a fresh payment link each day
    assert len({m.payload["step_key"] for m in sent.values()}) == len(sent)


async def test_two_schedulers_ticking_together_send_once(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow2(redis, settings, bus, date(2026, 11, 10)) as f:
        twin = collections.build(redis=redis, bus=bus, settings=settings, http=f.http, clock=f.clock)
        ran = await asyncio.gather(f.agent.tick(TENANT), twin.tick(TENANT), f.agent.tick(TENANT))
        assert sorted(j for jobs in ran for j in jobs) == ["plan|2026-11-10", f"remind|{CUSTOMER}|2026-11-10"]
        assert len(await f.reminders()) == 1


async def record_promise(f: Flow, when: date, *, amount: Decimal | None = None) -> str:
    """What the dunning subgraph does on "les pago el domingo": record, then announce."""
    promise = await Accounts(f.redis, TENANT).record_promise(
        CUSTOMER, amount=amount, promised_date=when, source_text="les pago el domingo", conversation_id="c-1",
        idempotency_key=f"c-1:{when}")
    await f.bus.publish(AgentMessage(
        from_agent="dunning", to_agent="broadcast", message_type="event", intent="promise_to_pay",
        tenant_id=TENANT, customer_id=CUSTOMER, conversation_id="c-1",
        payload={"promise_id": promise.promise_id, "promised_date": when.isoformat(),
                 "amount": None if amount is None else str(amount)}))

    async def paused() -> bool:
        return await f.redis.hexists(f"ork:{{{TENANT}}}:collections:paused", CUSTOMER)

    await eventually(paused, what="the promise paused the customer")
    return promise.promise_id


async def test_promise_pauses_and_broken_promise_escalates(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow2(redis, settings, bus, date(2026, 11, 11)) as f:
        first = await f.day_by_day(until=date(2026, 11, 11))
        assert tone(first[date(2026, 11, 11)]) == "soft"
        promise_id = await record_promise(f, date(2026, 11, 15))
        f.clock.advance(days=1)
        paused = await f.day_by_day(until=date(2026, 11, 15))
        assert paused == {}  # 11-13 and 11-14 were cadence days: nothing while the promise stands

        f.restart()  # the follow-up job survives a restart: it is in Redis, not in this object
        f.clock.advance(days=1)
        after = await f.day_by_day(until=date(2026, 11, 17))
        # 11-16 (the day after): unpaid, so broken and an escalated reminder at once; 11-17 is +7.
        assert {d.isoformat(): tone(m) for d, m in after.items()} == {"2026-11-16": "final", "2026-11-17": "final"}
        [promise] = await Accounts(redis, TENANT).promises(CUSTOMER)
        assert (promise.promise_id, promise.status) == (promise_id, "broken")

        async def told() -> bool:
            return {"broken_promise", "escalation"} <= {n["kind"] for n in f.webhook.received}

        await eventually(told, what="the team told of the broken promise and the escalation")
    broken = next(n for n in f.webhook.received if n["kind"] == "broken_promise")
    assert broken["data"]["promise_id"] == promise_id and CUSTOMER in broken["text"]


async def test_payment_stops_the_sequence_and_thanks(redis: Redis, settings: Settings, bus: EventBus) -> None:
    async with flow2(redis, settings, bus, date(2026, 11, 11)) as f:
        sent = await f.day_by_day(until=date(2026, 11, 11))
        promise_id = await record_promise(f, date(2026, 11, 14))
        [announced] = await events(redis, TENANT, "dunning_reminder_sent")
        link_id = announced.payload["link_id"]
        assert announced.payload["url"] in sent[date(2026, 11, 11)].payload["text"]
        # the customer pays the reminder's link
        await PaymentStore(redis).mark_paid(link_id, announce=payment_announcer(bus))

        async def thanked() -> bool:
            return any(m.payload["step_key"] == f"cobranza-gracias:{link_id}"
                       for m in await inbox(redis, TENANT, "whatsapp_outbound"))

        await eventually(thanked, what="a thank-you")
        f.clock.advance(days=1)
        later = await f.day_by_day(until=date(2026, 12, 15))
        assert later == {}  # nothing owed: the sequence stopped
    statement = await Accounts(redis, TENANT).statement(CUSTOMER, today=date(2026, 11, 12))
    assert statement.total_due == 0
    [promise] = await Accounts(redis, TENANT).promises(CUSTOMER)
    assert (promise.promise_id, promise.status) == (promise_id, "kept")
    thanks = [m for m in await inbox(redis, TENANT, "whatsapp_outbound")
              if m.payload["step_key"].startswith("cobranza-gracias:")]
    assert len(thanks) == 1 and thanks[0].payload["template"]["name"] == "orkesta_cobranza_gracias"
    assert thanks[0].payload["template"]["body_parameters"] == ["Ferretería La Luz", "$1,500.00 MXN"]



async def test_the_scheduler_ticks_only_the_tenants_its_worker_serves(
        redis: Redis, settings: Settings, bus: EventBus) -> None:
    """`orkesta worker --tenants acme`: a registered tenant outside the list is never ticked."""
    clock = FakeClock(local(2026, 11, 10))
    for tenant in (TENANT, "globex"):
        await bus.register_tenant(tenant)
        accounts = Accounts(redis, tenant)
        await accounts.upsert_customers([customer()])
        await accounts.upsert_invoices([invoice("FAC-A", date(2026, 11, 10), "1000.00")])
    passes: list[list[str]] = []

    async def start(tenants: TenantSource) -> None:
        async def counted() -> list[str]:  # the worker's own source, each pass of the loop noted
            passes.append(await tenants())
            return passes[-1]

        await agent.start(counted)

    async with httpx.AsyncClient() as http:
        agent = collections.build(redis=redis, bus=bus, settings=settings, http=http, clock=clock)
        agent.tick_s = 0.01
        hooked = dataclasses.replace(collections.agent(agent), start=start)
        worker = Worker(redis, settings, [hooked], bus=bus, tenants=[TENANT])
        task = asyncio.create_task(worker.run())
        try:
            # A second call of the source means the first pass over the tenants has finished.
            await eventually(lambda: _reminded_after(redis, TENANT, passes, 2))
        finally:
            worker.stop()
            await asyncio.wait_for(task, 10)
    assert all(p == [TENANT] for p in passes)
    assert not await redis.exists("ork:{globex}:collections:planned:2026-11-10")
    assert await inbox(redis, "globex", "whatsapp_outbound") == []
    assert agent._task is None  # the worker stopped the scheduler it started


async def _reminded_after(redis: Redis, tenant: str, passes: list[list[str]], count: int) -> bool:
    return len(passes) >= count and bool(await inbox(redis, tenant, "whatsapp_outbound"))
