"""Flow 2 end to end: `orkesta worker --agents collections,whatsapp_outbound` in its own process,
real Redis, and a local WhatsApp Cloud API that receives the reminders.

The worker's scheduler clock is set with `ORKESTA_COLLECTIONS_CLOCK_START` (it starts at that
Mexico City time and runs on from there), so each worker process lives on the day the test picks;
moving to another day means starting another worker, after SIGKILLing the one before.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from redis.asyncio import Redis

from agents.bus import EventBus
from agents.collections import SEND_AT, at_local
from core.settings import Settings
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tests.support.ops import events, eventually, inbox
from tests.support.whatsapp_server import VERSION, LocalWhatsApp
from tools.accounts import Accounts, Customer, Invoice
from tools.payments import PaymentStore
from tools.whatsapp import window_open

ORKESTA = str(Path(sys.executable).with_name("orkesta"))
TENANT = "acme"
PHONE_NUMBER_ID = "109876543210987"
TOKEN = "EAAG-test-access-token-acme"
PUBLIC = "https://pagos.acme.example"
CUSTOMER, WA = "CUST-7001", "5215533334444"
QUIET, QUIET_WA = "CUST-7002", "5215577778888"  # owes, but today is not one of its cadence days
DAY = date(2026, 11, 17)  # FAC-101 is 14 days overdue, FAC-102 7: both cadence days
NEXT = date(2026, 11, 24)  # FAC-102 +14 (a cadence day), FAC-101 +21
KEYS = TenantKeys(TENANT)


def customer(customer_id: str, name: str, wa_id: str) -> Customer:
    return Customer(customer_id=customer_id, name=name, business_name=f"{name} S.A. de C.V.", rfc="FRE010101AB1",
                    phone=f"+{wa_id}", wa_id=wa_id, tier="silver", credit_limit=Decimal("50000"),
                    payment_terms_days=30, city="CDMX", email="cobranza@cliente.example")


def invoice(invoice_id: str, customer_id: str, due: date, amount: str) -> Invoice:
    return Invoice(invoice_id=invoice_id, customer_id=customer_id, issued_at=date(2026, 10, 1), due_date=due,
                   amount=Decimal(amount), status="open")


async def seed(redis: Redis) -> None:
    accounts = Accounts(redis, TENANT)
    await accounts.upsert_customers([customer(CUSTOMER, "Ferretería El Clavo", WA),
                                     customer(QUIET, "Tlapalería Sol", QUIET_WA)])
    await accounts.upsert_invoices([invoice("FAC-101", CUSTOMER, date(2026, 11, 3), "1200.00"),
                                    invoice("FAC-102", CUSTOMER, date(2026, 11, 10), "800.00"),
                                    invoice("FAC-201", QUIET, date(2026, 11, 12), "300.00")])  # +5, +12
    await TenantStore(redis).add(TENANT, api_key="acme-test-key-0123456789abcdef", wa_phone_number_id=PHONE_NUMBER_ID,
                                 wa_app_secret="app-secret-acme", wa_verify_token="verify-acme",
                                 wa_access_token=TOKEN)


def start_worker(settings: Settings, whatsapp_url: str, now: datetime, cwd: Path) -> subprocess.Popen[bytes]:
    """`orkesta worker` whose collections clock starts at `now` (Mexico City)."""
    assert settings.redis_url
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_", "WHATSAPP_", "STRIPE_"))}
    env |= {"REDIS_URL": settings.redis_url, "WHATSAPP_API_BASE_URL": whatsapp_url,
            "ORKESTA_PUBLIC_BASE_URL": PUBLIC, "ORKESTA_COLLECTIONS_CLOCK_START": now.replace(tzinfo=None).isoformat(),
            "ORKESTA_BUS_BLOCK_MS": "100", "ORKESTA_BUS_CLAIM_IDLE_MS": "1000", "ORKESTA_WORKER_METRICS_PORT": "0"}
    # The child keeps its own copy of the log's descriptor; ours closes at once.
    with (cwd / f"worker-{len(list(cwd.glob('worker-*.log')))}.log").open("wb") as log:
        return subprocess.Popen([ORKESTA, "worker", "--agents", "collections,whatsapp_outbound", "--tenants", TENANT],
                                cwd=cwd, env=env, stdout=log, stderr=log)


async def kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    assert await asyncio.to_thread(proc.wait, 20) == -signal.SIGKILL


async def jobs(redis: Redis) -> dict[str, float]:
    """Queued and running scheduler jobs, by name."""
    out: dict[str, float] = {}
    for key in (KEYS.key("jobs"), KEYS.key("jobs", "running")):
        out |= {(m.decode() if isinstance(m, bytes) else m): s
                for m, s in await redis.zrange(key, 0, -1, withscores=True)}
    return out


async def idle(redis: Redis) -> bool:
    """No scheduler job running and no outbound message in flight."""
    pending = await redis.xpending(KEYS.inbox("whatsapp_outbound"), "whatsapp_outbound")
    return not await redis.zcard(KEYS.key("jobs", "running")) and pending["pending"] == 0


Check = Callable[[], Awaitable[bool]]


def watching(procs: list[subprocess.Popen[bytes]], check: Check) -> Check:
    """`check`, failing at once (instead of at the timeout) if the current worker died."""
    async def guarded() -> bool:
        assert procs[-1].poll() is None, f"the worker exited with {procs[-1].returncode}; see its log"
        return await check()
    return guarded


async def test_reminder_reaches_whatsapp_once_per_day_across_worker_kills(
        redis: Redis, settings: Settings, bus: EventBus, tmp_path: Path) -> None:
    server = LocalWhatsApp(tokens={PHONE_NUMBER_ID: TOKEN}, templates={
        "orkesta_reply": 1, "orkesta_cobranza_soft": 4, "orkesta_cobranza_firm": 4, "orkesta_cobranza_final": 4})
    procs: list[subprocess.Popen[bytes]] = []
    try:
        async with server.serve() as wa_url:
            await seed(redis)
            assert not await window_open(redis, TENANT, WA)  # never wrote to us: only a template may go

            # 1. A worker on DAY at 08:00 plans the day: the reminder waits for 09:00. Killed then.
            procs.append(start_worker(settings, wa_url, at_local(DAY, time(8, 0)), tmp_path))
            remind = f"remind|{CUSTOMER}|{DAY.isoformat()}"

            async def planned() -> bool:
                return (await jobs(redis)).get(remind) == at_local(DAY, SEND_AT).timestamp()

            await eventually(watching(procs, planned), timeout=60, what="the day planned, the reminder at 09:00")
            assert await redis.exists(KEYS.key("collections", "planned", DAY.isoformat()))
            await kill(procs[0])
            assert set(await jobs(redis)) == {remind}  # the quiet customer is not due today
            assert server.accepted == []

            # 2. Another worker, same day at 10:00: the queued reminder is due and reaches WhatsApp.
            procs.append(start_worker(settings, wa_url, at_local(DAY, time(10, 0)), tmp_path))
            [first] = await server.wait_for(1, timeout=60)
            await eventually(watching(procs, lambda: idle(redis)), timeout=30, what="worker 2 done with the day")
            assert await jobs(redis) == {}
            await kill(procs[1])

            assert first.phone_number_id == PHONE_NUMBER_ID and first.to == WA and first.type == "template"
            assert server.requests[0]["headers"]["authorization"] == f"Bearer {TOKEN}"
            assert server.requests[0]["version"] == VERSION
            template = first.body["template"]
            assert template["name"] == "orkesta_cobranza_firm" and template["language"]["code"] == "es_MX"
            name, summary, total, link = [p["text"] for c in template["components"] if c["type"] == "body"
                                          for p in c["parameters"]]
            assert name == "Ferretería El Clavo" and total == "$2,000.00 MXN"
            # One message for both invoices, each named with its amount and lateness.
            assert summary == ("FAC-101 por $1,200.00 (vencida hace 14 días); "
                               "FAC-102 por $800.00 (vencida hace 7 días)")
            assert link.startswith(f"{PUBLIC}/pay/")
            paylink = await PaymentStore(redis).get(link.removeprefix(f"{PUBLIC}/pay/"))
            assert paylink is not None and paylink.tenant == TENANT and paylink.amount == Decimal("2000.00")
            assert paylink.status == "pending" and paylink.order_id == f"COB-{CUSTOMER}-20261117"

            # 3. A third worker on the same day (11:00) ticks (a no-op probe job proves it) and sends nothing.
            procs.append(start_worker(settings, wa_url, at_local(DAY, time(11, 0)), tmp_path))
            probe = "followup|no-such-promise"
            await redis.zadd(KEYS.key("jobs"), {probe: at_local(DAY, time(10, 30)).timestamp()})

            async def probed() -> bool:
                return probe not in await jobs(redis) and await idle(redis)

            await eventually(watching(procs, probed), timeout=60, what="worker 3 ticked on the same day")
            assert len(server.accepted) == 1
            sends = [m for m in await inbox(redis, TENANT, "whatsapp_outbound")
                     if m.payload["step_key"].startswith("cobranza:")]
            assert [m.payload["step_key"] for m in sends] == [f"cobranza:{CUSTOMER}:{DAY.isoformat()}"]
            await kill(procs[2])

            # 4. The next cadence day, in a fourth worker: one more reminder, the tone risen, a new link.
            procs.append(start_worker(settings, wa_url, at_local(NEXT, time(10, 0)), tmp_path))
            accepted = await server.wait_for(2, timeout=60)
            await eventually(watching(procs, lambda: idle(redis)), timeout=30, what="worker 4 done with its day")
            assert await jobs(redis) == {}
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                await asyncio.to_thread(proc.wait, 20)

    assert len(accepted) == 2 and all(a.to == WA and a.type == "template" for a in accepted)
    second = accepted[1].body["template"]
    _, summary2, total2, link2 = [p["text"] for c in second["components"] if c["type"] == "body"
                                  for p in c["parameters"]]
    assert second["name"] == "orkesta_cobranza_final" and total2 == "$2,000.00 MXN" and link2 != link
    assert summary2 == "FAC-101 por $1,200.00 (vencida hace 21 días); FAC-102 por $800.00 (vencida hace 14 días)"
    # Exactly one template message per customer per day: each day's step holds the one wamid the server gave.
    for day, message in zip((DAY, NEXT), accepted, strict=True):
        record = json.loads(await redis.get(KEYS.key("wa-sent", f"cobranza:{CUSTOMER}:{day.isoformat()}")))
        assert record == {"wamids": [message.wamid], "format": "template"}
    assert [e.payload["day"] for e in await events(redis, TENANT, "dunning_reminder_sent")] == [
        DAY.isoformat(), NEXT.isoformat()]
    assert await bus.dead_letters(TENANT) == []
