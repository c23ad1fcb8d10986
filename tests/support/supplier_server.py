"""A supplier API for the tests, speaking the format `tools/supplier.py` documents.

`POST /purchase-orders` needs `Idempotency-Key` and a JSON body `{po_id, supplier_id, buyer,
lines: [{sku, quantity}], notes}`; it answers 201 `{supplier_order_id, po_id, status: "confirmed",
expected_delivery}` the first time and 200 with the same body for a repeated key (no second order).
Test controls on `SupplierState`: `fail_next` answers that many requests 503 first; `hold`, when
set, parks each request until `release` is set (so a test can kill the caller mid-request).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse


@dataclass
class SupplierState:
    """What the supplier received and how it should misbehave."""

    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # idempotency key -> confirmation
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    fail_next: int = 0
    hold: bool = False
    held: asyncio.Event = field(default_factory=asyncio.Event)
    release: asyncio.Event = field(default_factory=asyncio.Event)


def supplier_app(state: SupplierState) -> FastAPI:
    """The supplier API over `state`."""
    app = FastAPI()

    @app.post("/purchase-orders")
    async def create(request: Request, idempotency_key: str | None = Header(default=None)) -> JSONResponse:
        state.requests += 1
        body = await request.json()
        if state.hold:
            state.held.set()
            await state.release.wait()
        if state.fail_next > 0:
            state.fail_next -= 1
            return JSONResponse({"error": "temporarily unavailable"}, status_code=503)
        if not idempotency_key:
            return JSONResponse({"error": "Idempotency-Key header required"}, status_code=400)
        if idempotency_key in state.orders:
            return JSONResponse(state.orders[idempotency_key], status_code=200)
        if not body.get("lines") or any(int(line["quantity"]) <= 0 for line in body["lines"]):
            return JSONResponse({"error": "lines must have positive quantities"}, status_code=422)
        confirmation = {"supplier_order_id": f"SO-{len(state.orders) + 1:05d}", "po_id": body["po_id"],
                        "status": "confirmed", "expected_delivery": (date(2026, 12, 1) + timedelta(days=5)).isoformat()}
        state.orders[idempotency_key] = confirmation
        state.bodies[idempotency_key] = body
        return JSONResponse(confirmation, status_code=201)

    return app


@dataclass
class WebhookState:
    """What the team's webhook received."""

    received: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def team_webhook_app(state: WebhookState) -> FastAPI:
    """A team notification webhook: `POST /hooks/team` records each JSON body and its Idempotency-Key."""
    app = FastAPI()

    @app.post("/hooks/team")
    async def receive(request: Request, idempotency_key: str | None = Header(default=None)) -> dict[str, bool]:
        state.received.append(await request.json())
        state.keys.append(idempotency_key or "")
        return {"ok": True}

    return app
