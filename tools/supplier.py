"""Supplier API client: sends a purchase order once per idempotency key and returns the confirmation.

Wire format (what `tests/support/supplier_server.py` speaks):
`POST {SUPPLIER_API_BASE_URL}/purchase-orders` with header `Idempotency-Key: <po_id>` and JSON
`{"po_id", "supplier_id", "buyer", "lines": [{"sku", "quantity"}], "notes"}`; a 200 or 201 answers
`{"supplier_order_id", "po_id", "status", "expected_delivery"?}`. A repeat with the same key
returns the first confirmation, so a retry after a lost response never orders twice.
"""

from __future__ import annotations

from datetime import date

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: A slow supplier is a retry, not a stuck worker; longer than `core.http.HTTP_TIMEOUT` (orders confirm slowly).
SUPPLIER_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class SupplierUnavailableError(RuntimeError):
    """A network failure or a 5xx/429: transient, the bus retries the message."""


class SupplierRejectedError(RuntimeError):
    """A 4xx other than 429, or an answer we cannot read: the order itself is wrong."""


class SupplierLine(BaseModel):
    """One line of a purchase order on the wire."""

    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)


class SupplierOrder(BaseModel):
    """The body of `POST /purchase-orders`."""

    po_id: str = Field(min_length=1, max_length=128)
    supplier_id: str = Field(min_length=1)
    buyer: str = Field(min_length=1, description="The tenant ordering.")
    lines: list[SupplierLine] = Field(min_length=1)
    notes: str | None = None


class SupplierConfirmation(BaseModel):
    """What the supplier answers for an accepted order."""

    model_config = ConfigDict(extra="ignore")

    supplier_order_id: str = Field(min_length=1)
    po_id: str
    status: str = "confirmed"
    expected_delivery: date | None = None


class SupplierClient:
    """Talks to one supplier API; pass a shared `httpx.AsyncClient` and the base URL setting."""

    def __init__(self, http: httpx.AsyncClient, base_url: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")

    async def send_order(self, order: SupplierOrder) -> SupplierConfirmation:
        """Send `order` keyed by its `po_id`; raise SupplierUnavailableError (retry) or SupplierRejectedError."""
        try:
            response = await self._http.post(
                f"{self._base}/purchase-orders", json=order.model_dump(mode="json"),
                headers={"Idempotency-Key": order.po_id}, timeout=SUPPLIER_TIMEOUT,
            )
        except httpx.HTTPError as exc:
            raise SupplierUnavailableError(f"supplier API unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise SupplierUnavailableError(f"supplier API answered {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise SupplierRejectedError(f"supplier refused {order.po_id}: {response.status_code} {response.text[:300]}")
        try:
            confirmation = SupplierConfirmation.model_validate_json(response.content)
        except ValidationError as exc:
            raise SupplierRejectedError(f"unreadable supplier confirmation for {order.po_id}: {exc}") from exc
        if confirmation.po_id != order.po_id:
            raise SupplierRejectedError(f"supplier confirmed {confirmation.po_id} for {order.po_id}")
        return confirmation
