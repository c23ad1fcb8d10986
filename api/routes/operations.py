"""Operator views of the background flows: `GET /v1/dunning/promises` and `GET /v1/purchase-orders`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import ServicesDep, TenantDep
from api.schemas import ErrorResponse
from tools.accounts import Accounts, PromiseStatus
from tools.purchase_orders import POStatus, PurchaseOrders

router = APIRouter(prefix="/v1", tags=["operations"])


class PromiseOut(BaseModel):
    """A customer's promise to pay and where it stands."""

    promise_id: str
    customer_id: str
    amount: Decimal | None = Field(description="None: the whole balance was promised.")
    promised_date: date
    status: PromiseStatus
    created_at: datetime
    source_text: str
    conversation_id: str | None


class PromisesResponse(BaseModel):
    promises: list[PromiseOut]


class PurchaseOrderOut(BaseModel):
    """A purchase order raised by low stock, and the supplier's confirmation once sent."""

    po_id: str
    sku: str
    quantity: int
    supplier_id: str
    status: POStatus
    created_at: datetime
    sent_at: datetime | None
    supplier_order_id: str | None
    expected_delivery: date | None
    forecast_daily: float
    lead_time_days: int
    stock_at_request: int
    reorder_point: int
    order_id: str | None


class PurchaseOrdersResponse(BaseModel):
    purchase_orders: list[PurchaseOrderOut]


@router.get("/dunning/promises", response_model=PromisesResponse, responses={401: {"model": ErrorResponse}})
async def list_promises(
    tenant: TenantDep, services: ServicesDep,
    customer_id: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")] = None,
    status: Annotated[PromiseStatus | None, Query()] = None,
) -> PromisesResponse:
    """The tenant's promises to pay by promised date, optionally of one customer or one status."""
    promises = await Accounts(services.redis, tenant).promises(customer_id)
    return PromisesResponse(promises=[PromiseOut.model_validate(p.model_dump()) for p in promises
                                      if status is None or p.status == status])


@router.get("/purchase-orders", response_model=PurchaseOrdersResponse, responses={401: {"model": ErrorResponse}})
async def list_purchase_orders(
    tenant: TenantDep, services: ServicesDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PurchaseOrdersResponse:
    """The tenant's purchase orders, newest first."""
    orders = await PurchaseOrders(services.redis, tenant).list(limit=limit)
    return PurchaseOrdersResponse(purchase_orders=[PurchaseOrderOut.model_validate(o.model_dump()) for o in orders])
