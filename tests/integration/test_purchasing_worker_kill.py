"""Flow 3 with `orkesta worker` in its own process, SIGKILLed mid-request: a second worker finishes it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from redis.asyncio import Redis

from agents.bus import EventBus
from core.settings import Settings
from core.tenant_store import TenantStore
from tests.integration.test_purchasing_flow import API_KEY, SKU, TENANT, low_stock, product
from tests.support.http import serve_app
from tests.support.ops import eventually
from tests.support.supplier_server import SupplierState, WebhookState, supplier_app, team_webhook_app
from tools.catalog import Catalog
from tools.purchase_orders import PurchaseOrders

ORKESTA = str(Path(sys.executable).with_name("orkesta"))


def start_worker(settings: Settings, supplier_url: str, cwd: Path) -> subprocess.Popen[bytes]:
    assert settings.redis_url
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_URL", "ORKESTA_", "OTEL_", "SUPPLIER_"))}
    env |= {"REDIS_URL": settings.redis_url, "SUPPLIER_API_BASE_URL": supplier_url, "ORKESTA_BUS_BLOCK_MS": "100",
            "ORKESTA_BUS_CLAIM_IDLE_MS": "1000", "ORKESTA_WORKER_METRICS_PORT": "0"}
    # The child keeps its own copy of the log's descriptor; ours closes at once.
    with (cwd / f"worker-{len(list(cwd.glob('worker-*.log')))}.log").open("wb") as log:
        return subprocess.Popen([ORKESTA, "worker", "--agents", "inventory,purchasing,notifications",
                                 "--tenants", TENANT], cwd=cwd, env=env, stdout=log, stderr=log)


async def test_worker_killed_mid_purchase_loses_nothing(
        redis: Redis, settings: Settings, bus: EventBus, tmp_path: Path) -> None:
    supplier, webhook = SupplierState(hold=True), WebhookState()
    await Catalog(redis, TENANT).upsert([product()])
    procs: list[subprocess.Popen[bytes]] = []
    try:
        async with serve_app(supplier_app(supplier)) as supplier_url, serve_app(team_webhook_app(webhook)) as hook:
            await TenantStore(redis).add(TENANT, api_key=API_KEY, team_notify=f"{hook}/hooks/team")
            procs.append(start_worker(settings, supplier_url, tmp_path))
            await bus.publish(low_stock("ORD-KILL"))
            await asyncio.wait_for(supplier.held.wait(), 60)  # the first worker is inside the supplier call

            procs[0].send_signal(signal.SIGKILL)
            assert await asyncio.to_thread(procs[0].wait, 20) == -signal.SIGKILL
            pos = await PurchaseOrders(redis, TENANT).list()
            assert [po.status for po in pos] == ["pending"]  # created, not yet confirmed
            # The supplier finishes the request whose caller died: the order exists, its answer is lost.
            supplier.hold = False
            supplier.release.set()

            procs.append(start_worker(settings, supplier_url, tmp_path))

            async def finished() -> bool:
                done = await PurchaseOrders(redis, TENANT).list()
                return bool(done) and done[0].status == "sent" and len(webhook.received) == 1

            await eventually(finished, timeout=60, what="the second worker sent the PO and told the team")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                await asyncio.to_thread(proc.wait, 20)
    [po] = await PurchaseOrders(redis, TENANT).list()
    assert supplier.requests == 2 and len(supplier.orders) == 1  # retried with the same Idempotency-Key
    assert po.supplier_order_id == "SO-00001" and po.sku == SKU
    assert [n["kind"] for n in webhook.received] == ["purchase_order"]
    assert await bus.dead_letters(TENANT) == []
