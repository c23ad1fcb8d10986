"""A local Stripe for tests: Checkout Sessions in Stripe's wire format, and webhooks signed as Stripe signs them.

Only what Orkesta uses: `POST /v1/checkout/sessions` (form-encoded, Bearer auth, Idempotency-Key),
Stripe-style error bodies, and `checkout.session.completed` events with a `Stripe-Signature` header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.http import serve_app

DEFAULT_API_KEY = "sk_test_orkesta_local"
#: Stripe's minimum charge for MXN is $10.00 (1000 centavos).
MIN_AMOUNT = {"mxn": 1000, "usd": 50}
_INTEGER = re.compile(r"^[0-9]+$")
_LINE = "line_items[0]"


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the server received, as sent."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


def stripe_error(status: int, message: str, *, type_: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> JSONResponse:
    """An error body shaped like Stripe's."""
    error: dict[str, Any] = {"type": type_, "message": message}
    if param is not None:
        error["param"] = param
    if code is not None:
        error["code"] = code
    return JSONResponse({"error": error}, status_code=status)


@dataclass
class LocalStripe:
    """The server's state: sessions, idempotent replays and every request received."""

    api_key: str = DEFAULT_API_KEY
    requests: list[RecordedRequest] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _idempotent: dict[str, tuple[dict[str, str], dict[str, Any]]] = field(default_factory=dict)
    _fail_next: tuple[int, str, str] | None = None

    def fail_next(self, status: int = 500, message: str = "An unknown error occurred",
                  type_: str = "api_error") -> None:
        """Make the next create request fail as Stripe would during an outage."""
        self._fail_next = (status, message, type_)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/checkout/sessions", self._create_session, methods=["POST"])])

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Run over real HTTP; yields the base URL to give as STRIPE_API_BASE_URL."""
        async with serve_app(self.app()) as base:
            yield base

    def complete(self, session_id: str, *, payment_status: str = "paid") -> dict[str, Any]:
        """The customer finished checkout: the session as the completed event carries it."""
        session = self.sessions[session_id]
        session.update(status="complete", payment_status=payment_status,
                       payment_intent=f"pi_test_{secrets.token_hex(12)}")
        return dict(session)

    async def _create_session(self, request: Request) -> JSONResponse:
        body = (await request.body()).decode()
        form = dict(parse_qsl(body, keep_blank_values=True))
        self.requests.append(RecordedRequest(request.method, request.url.path, dict(request.headers), form))

        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return stripe_error(401, "You did not provide an API key. You need to provide your API key in the "
                                     "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                                     "YOUR_SECRET_KEY').")
        given = auth.removeprefix("Bearer ")
        if given != self.api_key:
            return stripe_error(401, f"Invalid API Key provided: {given[:8]}****{given[-4:]}")
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return stripe_error(400, "Invalid request: the body must be application/x-www-form-urlencoded.")

        key = request.headers.get("idempotency-key")
        if key is not None and key in self._idempotent:
            first_form, session = self._idempotent[key]
            if first_form != form:
                return stripe_error(
                    400, "Keys for idempotent requests can only be used with the same parameters they were first "
                         f"used with. Try using a key other than '{key}' if you meant to execute a different request.",
                    type_="idempotency_error")
            return JSONResponse(session, headers={"Idempotent-Replayed": "true", "Idempotency-Key": key})

        if self._fail_next is not None:
            status, message, type_ = self._fail_next
            self._fail_next = None
            return stripe_error(status, message, type_=type_)  # not saved: Stripe retries it afresh

        problem = _validate(form)
        if problem is not None:
            return problem
        session = self._new_session(form, str(request.base_url).rstrip("/"))
        self.sessions[session["id"]] = session
        if key is not None:
            self._idempotent[key] = (form, session)
        return JSONResponse(session)

    @staticmethod
    def _new_session(form: dict[str, str], base_url: str) -> dict[str, Any]:
        session_id = f"cs_test_{secrets.token_hex(24)}"
        amount = int(form[f"{_LINE}[price_data][unit_amount]"]) * int(form[f"{_LINE}[quantity]"])
        now = int(time.time())
        metadata = {k[len("metadata["):-1]: v for k, v in form.items() if k.startswith("metadata[")}
        return {
            "id": session_id, "object": "checkout.session", "mode": form["mode"],
            "amount_subtotal": amount, "amount_total": amount,
            "currency": form[f"{_LINE}[price_data][currency]"],
            "client_reference_id": form.get("client_reference_id"), "metadata": metadata,
            "payment_status": "unpaid", "status": "open", "payment_intent": None,
            "success_url": form["success_url"], "cancel_url": form.get("cancel_url"),
            "url": f"{base_url}/c/pay/{session_id}", "created": now, "expires_at": now + 24 * 3600,
            "livemode": False,
        }


def _validate(form: dict[str, str]) -> JSONResponse | None:
    """Stripe's checks on the parameters Orkesta sends, with Stripe's messages."""
    for param in ("mode", "success_url", f"{_LINE}[price_data][currency]", f"{_LINE}[price_data][unit_amount]",
                  f"{_LINE}[price_data][product_data][name]", f"{_LINE}[quantity]"):
        if not form.get(param):
            return stripe_error(400, f"Missing required param: {param}.", param=param, code="parameter_missing")
    if form["mode"] not in ("payment", "setup", "subscription"):
        return stripe_error(400, "Invalid mode: must be one of payment, setup, or subscription",
                            param="mode", code="parameter_invalid")
    for param in (f"{_LINE}[price_data][unit_amount]", f"{_LINE}[quantity]"):
        if not _INTEGER.fullmatch(form[param]):
            return stripe_error(400, f"Invalid integer: {form[param]}", param=param,
                                code="parameter_invalid_integer")
    currency = form[f"{_LINE}[price_data][currency]"]
    if currency not in MIN_AMOUNT:
        return stripe_error(400, f"Invalid currency: {currency}.", param=f"{_LINE}[price_data][currency]")
    total = int(form[f"{_LINE}[price_data][unit_amount]"]) * int(form[f"{_LINE}[quantity]"])
    if total < MIN_AMOUNT[currency]:
        minimum = MIN_AMOUNT[currency] / 100
        return stripe_error(400, f"The Checkout Session's total amount due must add up to at least "
                                 f"${minimum:.2f} {currency}", code="amount_too_small")
    return None


# --- webhooks ------------------------------------------------------------------------


def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The `Stripe-Signature` header Stripe sends for `payload`: `t=<unix>,v1=<hex HMAC-SHA256>`."""
    t = int(time.time()) if timestamp is None else timestamp
    v1 = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={v1}"


def checkout_event(session: dict[str, Any], *, type_: str = "checkout.session.completed",
                   event_id: str | None = None) -> dict[str, Any]:
    """A webhook event carrying a checkout session, as Stripe builds it."""
    return {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "data": {"object": session},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


def signed_delivery(event: dict[str, Any], secret: str, *, timestamp: int | None = None
                    ) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one delivery: Stripe posts indented JSON and signs those exact bytes."""
    body = json.dumps(event, indent=2).encode()
    return body, {"Content-Type": "application/json; charset=utf-8",
                  "Stripe-Signature": sign(body, secret, timestamp=timestamp)}
