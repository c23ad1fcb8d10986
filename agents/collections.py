"""The `collections` agent (flow 2): a per-tenant scheduler of dunning jobs, plus its event handlers.

Jobs live in Redis, so they survive restarts and N workers share them:
- `jobs` zset of due jobs scored by due time (epoch s); `jobs:running` zset of claimed jobs scored
  by lease expiry. One Lua step moves expired leases back and claims what is due, so a job runs
  on one worker at a time and a worker that dies mid-job only delays it. Every job is idempotent
  (bus dedupe keys, payment-link idempotency keys), so a re-run after a lost lease sends nothing twice.
- `plan|<day>`: once per (tenant, day) (`collections:planned:<day>` SET NX), finds customers with an
  invoice on a cadence day and queues `remind|<customer>|<day>` at 09:00.
- `remind|<customer>|<day>`: one grouped reminder per customer per day: open invoices due within the
  cadence's lead days, a fresh payment link for the total (idempotency key per customer and day),
  a utility template `orkesta_cobranza_<tone>` to `whatsapp_outbound` (outside the 24-hour window).
- `followup|<promise_id>`: the day after a promise's date: paid → kept; unpaid → broken, the team
  notified and an escalated reminder sent at once.

Events: `promise_to_pay` pauses the customer (`collections:paused` hash) and queues the follow-up;
`payment_received` for one of our links (`collections:links` hash) marks its invoices paid, keeps a
pending promise it satisfies, and thanks the customer. The scheduler ticks the tenants its worker
serves (`orkesta worker --tenants`), on an injected clock; the worker starts and stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time as time_module
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import httpx
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from agents import contracts
from agents.agent import Agent, TenantSource
from agents.bus import EventBus
from agents.contracts import (
    COLLECTIONS,
    WHATSAPP_OUTBOUND,
    DunningReminderSent,
    PaymentReceived,
    PromiseBroken,
    PromiseToPay,
    SendReply,
    TemplateSpec,
    publish,
)
from agents.messages import AgentMessage
from agents.notifications import notify_team
from core.locale import MEXICO_CITY as LOCAL_TZ
from core.locale import Clock, local_now, money
from core.redis import as_text
from core.settings import Settings
from core.tenants import TenantKeys
from tools.accounts import Accounts, Invoice
from tools.dunning import (
    ReminderLine,
    choose_tone,
    history_of,
    load_cadence,
    load_promise,
    reminder_template,
    reminder_text,
    set_promise_status,
    thanks_template,
    thanks_text,
)
from tools.payments import PaymentLink, PaymentProvider, balance_link_ref, build_payment_provider
from tools.pricing import ZERO, to_centavos

log = logging.getLogger(__name__)

NAME = COLLECTIONS
#: Reminders go out at this local hour (a plan made at midnight waits for it).
SEND_AT = time(9, 0)
LEASE_S = 600
MAX_JOB_ATTEMPTS = 5
_CLAIM_BATCH = 50
_PLANNED_TTL_S = 3 * 24 * 3600

# KEYS[1] due jobs, KEYS[2] running jobs. ARGV[1] now, ARGV[2] lease expiry, ARGV[3] batch size.
# Expired leases go back to due first, then the due jobs move to running: one atomic claim.
_CLAIM_LUA = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, m in ipairs(expired) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], 'NX', ARGV[1], m)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(due) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZADD', KEYS[2], ARGV[2], m)
end
return due
"""


def at_local(day: date, when: time = time(0, 0)) -> datetime:
    """`day` at `when`, Mexico City time."""
    return datetime.combine(day, when, tzinfo=LOCAL_TZ)


class Collections:
    """The scheduler and handlers of flow 2 for every tenant; state is all in Redis."""

    def __init__(self, *, redis: Redis, bus: EventBus, settings: Settings, payments: PaymentProvider,
                 clock: Clock = local_now, tick_s: float = 1.0) -> None:
        self.redis = redis
        self.bus = bus
        self.settings = settings
        self.clock = clock
        self.payments = payments
        self.tick_s = tick_s
        self._claim = redis.register_script(_CLAIM_LUA)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    # --- keys ------------------------------------------------------------------------
    @staticmethod
    def _key(tenant: str, *parts: str) -> str:
        return TenantKeys(tenant).key(*parts)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL_TZ).date()

    # --- the job queue -----------------------------------------------------------------
    async def schedule(self, tenant: str, job: str, at: datetime) -> None:
        """Queue `job` for `at` unless it is already queued."""
        await self.redis.zadd(self._key(tenant, "jobs"), {job: at.timestamp()}, nx=True)

    async def pending_jobs(self, tenant: str) -> dict[str, float]:
        """Queued jobs and their due times (epoch s), for operators and tests."""
        rows = await self.redis.zrange(self._key(tenant, "jobs"), 0, -1, withscores=True)
        return {as_text(m): s for m, s in rows}

    async def tick(self, tenant: str) -> list[str]:
        """Plan today once, then run every job due by the clock; returns the jobs run."""
        today = self.today()
        if await self.redis.set(self._key(tenant, "collections", "planned", today.isoformat()), "1",
                                nx=True, ex=_PLANNED_TTL_S):
            await self.schedule(tenant, f"plan|{today.isoformat()}", at_local(today))
        ran: list[str] = []
        for _ in range(100):  # a job may queue others already due (plan → remind): drain them too
            now = self.clock().timestamp()
            claimed = await self._claim(keys=[self._key(tenant, "jobs"), self._key(tenant, "jobs", "running")],
                                        args=[now, now + LEASE_S, _CLAIM_BATCH])
            if not claimed:
                break
            for raw in claimed:
                job = as_text(raw)
                await self._run(tenant, job)
                ran.append(job)
        return ran

    async def _run(self, tenant: str, job: str) -> None:
        running = self._key(tenant, "jobs", "running")
        try:
            kind, *args = job.split("|")
            if kind == "plan":
                await self.plan(tenant, date.fromisoformat(args[0]))
            elif kind == "remind":
                await self.remind(tenant, args[0], date.fromisoformat(args[1]))
            elif kind == "followup":
                await self.follow_up(tenant, args[0])
            else:
                log.error("%s: unknown job %r of %s dropped", NAME, job, tenant)
        except Exception as exc:  # one job's failure must not stop the others: retried later
            attempts = await self.redis.hincrby(self._key(tenant, "jobs", "attempts"), job, 1)
            log.warning("%s: job %s of %s failed (attempt %d): %s", NAME, job, tenant, attempts, exc)
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.zrem(running, job)
                if attempts < MAX_JOB_ATTEMPTS:
                    pipe.zadd(self._key(tenant, "jobs"), {job: self.clock().timestamp() + 60 * attempts})
                else:
                    pipe.rpush(self._key(tenant, "jobs", "dead"), json.dumps({"job": job, "error": str(exc)}))
                    pipe.hdel(self._key(tenant, "jobs", "attempts"), job)
                await pipe.execute()
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zrem(running, job)
            pipe.hdel(self._key(tenant, "jobs", "attempts"), job)
            await pipe.execute()

    # --- the background loop, started and stopped by the worker ----------------------------
    async def start(self, tenants: TenantSource) -> None:
        """Tick the worker's tenants (`tenants()`) every `tick_s` seconds until `stop()`."""
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(tenants), name="collections-scheduler")

    async def stop(self) -> None:
        """Stop the background loop (if started)."""
        if self._task is not None:
            # The flag, not only the cancel: a cancel delivered inside a Redis call can be swallowed by
            # the client, and the loop would then tick on forever while stop() waits for it.
            self._stopping.set()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self, tenants: TenantSource) -> None:
        while not self._stopping.is_set():
            try:
                for tenant in await tenants():
                    await self.tick(tenant)
            except RedisConnectionError as exc:  # a blip, or the worker closing Redis on its way out
                log.warning("%s: scheduler tick skipped: %s", NAME, exc)
            except Exception:  # the next tick tries again: the jobs are still queued
                log.exception("%s: scheduler tick failed", NAME)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.tick_s)

    # --- jobs --------------------------------------------------------------------------
    async def plan(self, tenant: str, day: date) -> list[str]:
        """Queue today's reminders: customers with an invoice on a cadence day; returns them."""
        cadence = await load_cadence(self.redis, tenant)
        invoices = await Accounts(self.redis, tenant).overdue_invoices(
            today=day + timedelta(days=cadence.lead_days + 1))
        due = sorted({i.customer_id for i in invoices if cadence.is_reminder_day((day - i.due_date).days)})
        for customer_id in due:
            await self.schedule(tenant, f"remind|{customer_id}|{day.isoformat()}", at_local(day, SEND_AT))
        return due

    async def _paused(self, tenant: str, customer_id: str) -> dict[str, Any] | None:
        raw = await self.redis.hget(self._key(tenant, "collections", "paused"), customer_id)
        return None if raw is None else json.loads(raw)

    async def remind(self, tenant: str, customer_id: str, day: date, *, reason: str = "cadence",
                     trace_id: str | None = None) -> dict[str, Any] | None:
        """Send one grouped reminder for `day`; None when paused or nothing is owed."""
        if (pause := await self._paused(tenant, customer_id)) is not None:
            log.info("%s: %s of %s is paused by promise %s", NAME, customer_id, tenant, pause["promise_id"])
            return None
        accounts = Accounts(self.redis, tenant)
        customer = await accounts.get_customer(customer_id)
        if customer is None:
            return None
        cadence = await load_cadence(self.redis, tenant)
        statement = await accounts.statement(customer_id, today=day)
        horizon = day + timedelta(days=cadence.lead_days)
        lines = [ReminderLine(invoice_id=i.invoice_id, balance=i.balance, due_date=i.due_date,
                              days_overdue=(day - i.due_date).days)
                 for i in statement.invoices if i.due_date <= horizon]
        if not lines:
            return None
        total = to_centavos(sum((line.balance for line in lines), ZERO))
        history = history_of(await accounts.invoices(customer_id), await accounts.promises(customer_id))
        tone = choose_tone(max(line.days_overdue for line in lines), history)
        link = await self._link(tenant, customer_id, day, total, customer.name)
        await self.redis.hset(self._key(tenant, "collections", "links"), link.link_id, json.dumps({
            "customer_id": customer_id, "invoice_ids": [line.invoice_id for line in lines], "day": day.isoformat()}))
        send = SendReply(
            to=customer.wa_id, text=reminder_text(customer.name, tone, lines, total, link.url),
            step_key=f"cobranza:{customer_id}:{day.isoformat()}",
            template=TemplateSpec.model_validate(reminder_template(customer.name, tone, lines, total, link.url)))
        sent = contracts.message(send, from_agent=NAME, to_agent=WHATSAPP_OUTBOUND, tenant=tenant,
                                 customer_id=customer_id, trace_id=trace_id)
        await self.bus.publish(sent, dedupe_key=send.effect_key)
        reminder = DunningReminderSent(customer_id=customer_id, day=day, tone=tone, reason=reason, total=total,
                                       link_id=link.link_id, url=link.url, invoices=lines, history=history)
        await publish(self.bus, reminder, from_agent=NAME, cause=sent)
        if tone == "final":
            await notify_team(self.bus, sent, tenant=tenant, from_agent=NAME, kind="escalation",
                              key=f"escalation:{customer_id}:{day.isoformat()}", data=reminder.model_dump(mode="json"),
                              text=f"Cobranza: {customer.name} ({customer_id}) recibió aviso final por "
                                   f"{money(total, currency=True)} en {len(lines)} factura(s).")
        return reminder.model_dump(mode="json")

    async def _link(self, tenant: str, customer_id: str, day: date, total: Decimal, name: str) -> PaymentLink:
        order_id, key = balance_link_ref(customer_id, day)
        return await self.payments.create_link(tenant=tenant, order_id=order_id, amount=total,
                                               description=f"Saldo de {name}"[:500], idempotency_key=key)

    async def follow_up(self, tenant: str, promise_id: str) -> str | None:
        """Check a promise the day after its date: `kept` or `broken` (then escalate); None if settled."""
        promise = await load_promise(self.redis, tenant, promise_id)
        if promise is None or promise.status != "pending":
            return None
        pause = await self._paused(tenant, promise.customer_id) or {}
        if await self._satisfied(tenant, promise.customer_id, promise.amount, pause):
            await self._settle(tenant, promise.customer_id, promise_id, "kept")
            return "kept"
        await self._settle(tenant, promise.customer_id, promise_id, "broken")
        day = self.today()
        broken = PromiseBroken(promise_id=promise_id, promised_date=promise.promised_date, amount=promise.amount)
        event = contracts.message(broken, from_agent=NAME, tenant=tenant, customer_id=promise.customer_id)
        await self.bus.publish(event, dedupe_key=broken.effect_key)
        await notify_team(self.bus, event, tenant=tenant, from_agent=NAME, kind="broken_promise",
                          key=f"broken:{promise_id}", data=event.payload,
                          text=f"Promesa incumplida: {promise.customer_id} prometió pagar el "
                               f"{promise.promised_date:%d/%m} y no hemos recibido el pago.")
        await self.remind(tenant, promise.customer_id, day, reason="broken_promise", trace_id=event.trace_id)
        return "broken"

    async def _satisfied(self, tenant: str, customer_id: str, amount: Decimal | None,
                         pause: dict[str, Any]) -> bool:
        balance = await Accounts(self.redis, tenant).open_balance(customer_id)
        before = Decimal(pause.get("balance", balance))
        target = amount if amount is not None else before
        return balance <= ZERO or before - balance >= target

    async def _settle(self, tenant: str, customer_id: str, promise_id: str, status: str) -> None:
        await set_promise_status(self.redis, tenant, promise_id, status)  # type: ignore[arg-type]
        pause = await self._paused(tenant, customer_id)
        if pause is not None and pause.get("promise_id") == promise_id:
            await self.redis.hdel(self._key(tenant, "collections", "paused"), customer_id)

    # --- events --------------------------------------------------------------------------
    async def handle(self, message: AgentMessage) -> AgentMessage | None:
        if message.intent == PromiseToPay.intent:
            await self.on_promise(message)
        elif message.intent == PaymentReceived.intent:
            await self.on_payment(message)
        return None

    async def on_promise(self, message: AgentMessage) -> None:
        """Pause chasing the customer until the promised date; check it the day after."""
        tenant = message.tenant_id
        promise = await load_promise(self.redis, tenant, PromiseToPay.read(message).promise_id)
        if promise is None or promise.status != "pending":
            return
        balance = await Accounts(self.redis, tenant).open_balance(promise.customer_id)
        await self.redis.hset(self._key(tenant, "collections", "paused"), promise.customer_id, json.dumps({
            "promise_id": promise.promise_id, "until": promise.promised_date.isoformat(), "balance": str(balance)}))
        await self.schedule(tenant, f"followup|{promise.promise_id}",
                            at_local(promise.promised_date + timedelta(days=1), SEND_AT))

    async def on_payment(self, message: AgentMessage) -> None:
        """A collections link was paid: its invoices are paid, a promise it meets is kept, thanks go out."""
        tenant = message.tenant_id
        payment = PaymentReceived.read(message)
        link_id = payment.link_id
        raw = await self.redis.hget(self._key(tenant, "collections", "links"), link_id)
        if raw is None:
            return  # an order's link, not ours
        record = json.loads(raw)
        customer_id = record["customer_id"]
        accounts = Accounts(self.redis, tenant)
        customer = await accounts.get_customer(customer_id)
        if customer is None:
            return
        paid_on = message.timestamp.astimezone(LOCAL_TZ).date()
        wanted = set(record["invoice_ids"])
        settled = [_paid(i, paid_on) for i in await accounts.invoices(customer_id)
                   if i.invoice_id in wanted and i.balance > 0]
        if settled:
            await accounts.upsert_invoices(settled)
        pause = await self._paused(tenant, customer_id)
        if pause is not None:
            promise = await load_promise(self.redis, tenant, pause["promise_id"])
            if promise is not None and await self._satisfied(tenant, customer_id, promise.amount, pause):
                await self._settle(tenant, customer_id, promise.promise_id, "kept")
        amount = payment.amount
        thanks = SendReply(
            to=customer.wa_id, text=thanks_text(customer.name, amount), step_key=f"cobranza-gracias:{link_id}",
            template=TemplateSpec.model_validate(thanks_template(customer.name, amount)))
        await publish(self.bus, thanks, from_agent=NAME, to_agent=WHATSAPP_OUTBOUND, cause=message,
                      customer_id=customer_id)


def _paid(invoice: Invoice, on: date) -> Invoice:
    return invoice.model_copy(update={
        "paid_amount": invoice.amount, "status": "paid", "paid_at": on,
        "days_late_when_paid": max(0, (on - invoice.due_date).days)})


def settings_clock(settings: Settings) -> Clock:
    """The real clock, or one started at `ORKESTA_COLLECTIONS_CLOCK_START` and running on (tests, demos)."""
    start = settings.collections_clock_start
    if start is None:
        return local_now
    start = start if start.tzinfo is not None else start.replace(tzinfo=LOCAL_TZ)
    began = time_module.monotonic()
    return lambda: start + timedelta(seconds=time_module.monotonic() - began)


def build(*, redis: Redis, bus: EventBus, settings: Settings, http: httpx.AsyncClient, clock: Clock | None = None,
          payments: PaymentProvider | None = None) -> Collections:
    """The collections agent's state; its payment links from `payments`, else the settings' provider
    on the caller's HTTP client. Without `clock`, the one the settings give (`settings_clock`)."""
    return Collections(redis=redis, bus=bus, settings=settings, clock=clock or settings_clock(settings),
                       payments=payments or build_payment_provider(settings, redis, http))


def agent(collections: Collections, *, schedule: bool = True) -> Agent:
    """The agent type that hears `promise_to_pay` and `payment_received`; with `schedule`, the worker
    also runs its scheduler for the tenants it serves (started and stopped with the worker)."""
    return Agent(name=NAME, handle=collections.handle,
                 events=frozenset({PromiseToPay.intent, PaymentReceived.intent}),
                 start=collections.start if schedule else None, stop=collections.stop if schedule else None)
