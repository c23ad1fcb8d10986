"""`GET /v1/dunning/promises` and `GET /v1/purchase-orders` over real HTTP: auth, shape, tenant scope."""

from __future__ import annotations

from datetime import date

from redis.asyncio import Redis

from core.settings import Settings
from tests.support.api import open_api
from tests.support.ops import local
from tools.accounts import Accounts
from tools.purchase_orders import PurchaseOrder, PurchaseOrders


async def test_operator_sees_promises_and_purchase_orders_of_its_tenant(redis: Redis, settings: Settings) -> None:
    async with open_api(redis, settings) as api:
        promise = await Accounts(redis, "ferre-mx").record_promise(
            "CUST-0003", amount=None, promised_date=date(2026, 11, 27), source_text="el viernes les deposito",
            conversation_id="c-9", idempotency_key="c-9:1")
        await PurchaseOrders(redis, "ferre-mx").create(PurchaseOrder(
            po_id="PO-TEST1", tenant_id="ferre-mx", supplier_id="SUP-002", sku="TUB-1", quantity=60,
            created_at=local(2026, 11, 25), source_event_id="e-1", order_id="ORD-1", forecast_daily=6.0,
            lead_time_days=5, stock_at_request=4, reorder_point=10))

        assert (await api.http.get("/v1/dunning/promises")).status_code == 401
        assert (await api.http.get("/v1/purchase-orders", headers={"X-API-Key": "x" * 20})).status_code == 401

        promises = (await api.http.get("/v1/dunning/promises", headers=api.as_tenant("ferre-mx"))).json()
        assert [(p["promise_id"], p["status"], p["promised_date"]) for p in promises["promises"]] == [
            (promise.promise_id, "pending", "2026-11-27")]
        broken = await api.http.get("/v1/dunning/promises", params={"status": "broken"},
                                    headers=api.as_tenant("ferre-mx"))
        assert broken.json() == {"promises": []}

        pos = (await api.http.get("/v1/purchase-orders", headers=api.as_tenant("ferre-mx"))).json()
        rows = [(p["po_id"], p["quantity"], p["status"]) for p in pos["purchase_orders"]]
        assert rows == [("PO-TEST1", 60, "pending")]

        other = api.as_tenant("aceros-norte")
        assert (await api.http.get("/v1/dunning/promises", headers=other)).json() == {"promises": []}
        assert (await api.http.get("/v1/purchase-orders", headers=other)).json() == {"purchase_orders": []}
