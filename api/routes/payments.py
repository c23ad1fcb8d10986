"""The pay page of a payment link (the local provider's demo payment) and Stripe's webhook."""

from __future__ import annotations

import html
import logging
from string import Template

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import ValidationError

from agents.contracts import payment_announcer
from api.deps import ServicesDep
from core.locale import MEXICO_CITY
from tools.payments import (
    InvalidSignature,
    PaymentLink,
    PaymentStore,
    StripeEvent,
    apply_stripe_event,
    format_mxn,
    verify_stripe_signature,
)

log = logging.getLogger(__name__)

router = APIRouter(tags=["payments"])

#: The link id in the URL is the only credential a pay page has: keep it out of caches and referrers.
_PAGE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

_PAGE = Template("""<!doctype html>
<html lang="es-MX">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; }
main { max-width: 28rem; margin: 3rem auto; background: #fff; padding: 2rem; border-radius: .75rem; }
.amount { font-size: 2rem; font-weight: 700; margin: .5rem 0; }
.button { display: inline-block; background: #1a7f37; color: #fff; border: 0; border-radius: .5rem;
          padding: .8rem 1.6rem; font-size: 1.1rem; text-decoration: none; cursor: pointer; }
.note { color: #666; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>$title</h1>
<p class="amount">$amount</p>
<p>$description</p>
<p>Estado: <strong>$status</strong></p>
$action
</main>
</body>
</html>
""")

_STATUS = {"pending": "Pendiente de pago", "paid": "Pago recibido", "expired": "Liga de pago vencida"}


def _render(link: PaymentLink) -> str:
    """The pay page of one link, in Spanish (es-MX)."""
    if link.status == "paid":
        title = "Pago recibido"
        when = link.paid_at.astimezone(MEXICO_CITY).strftime("%d/%m/%Y %H:%M") if link.paid_at else ""
        action = f'<p>¡Gracias! Registramos tu pago{" el " + when if when else ""}.</p>'
    elif link.status == "expired":
        title = "Liga de pago vencida"
        action = "<p>Esta liga ya no es válida. Pídenos una nueva por WhatsApp.</p>"
    elif link.provider == "stripe":
        title = f"Pago del pedido {html.escape(link.order_id)}"
        action = f'<p><a class="button" href="{html.escape(link.url)}">Pagar ahora</a></p>'
    else:
        title = f"Pago del pedido {html.escape(link.order_id)}"
        action = (f'<form method="post" action="/pay/{link.link_id}">'
                  '<button class="button" type="submit">Pagar ahora</button></form>'
                  '<p class="note">Pago de demostración: no se hace ningún cargo.</p>')
    return _PAGE.substitute(title=title, amount=format_mxn(link.amount), description=html.escape(link.description),
                            status=_STATUS[link.status], action=action)


def _error(request: Request, status_code: int, detail: str) -> Response:
    """A browser gets a small HTML page, anything else `{"detail": ...}`."""
    if "text/html" in request.headers.get("accept", ""):
        page = (f'<!doctype html><html lang="es-MX"><head><meta charset="utf-8"><title>{status_code}</title></head>'
                f"<body><main><h1>{html.escape(detail)}</h1></main></body></html>")
        return HTMLResponse(page, status_code=status_code, headers=_PAGE_HEADERS)
    return JSONResponse({"detail": detail}, status_code=status_code)


@router.get("/pay/{link_id}", response_class=HTMLResponse, summary="The pay page of a payment link",
            responses={404: {"description": "No such link"}})
async def pay_page(link_id: str, request: Request, services: ServicesDep) -> Response:
    link = await PaymentStore(services.redis).get(link_id)
    if link is None:
        return _error(request, 404, "Liga de pago no encontrada")
    return HTMLResponse(_render(link), headers=_PAGE_HEADERS)


@router.post("/pay/{link_id}", summary="Pay a local link (the demo payment); redirects to its page",
             status_code=303, responses={404: {"description": "No such link"},
                                         409: {"description": "A Stripe link: paid through Stripe only"},
                                         410: {"description": "The link expired"}})
async def pay(link_id: str, request: Request, services: ServicesDep) -> Response:
    store = PaymentStore(services.redis)
    link = await store.get(link_id)  # the tenant comes from our lookup, never from the request
    if link is None:
        return _error(request, 404, "Liga de pago no encontrada")
    if link.provider != "local":
        return _error(request, 409, "Esta liga se paga solamente en Stripe")
    if link.status == "expired":
        return _error(request, 410, "Esta liga de pago ya venció")
    await store.mark_paid(link_id, announce=payment_announcer(services.bus))
    # Post/redirect/get: reloading the page afterwards does not post again.
    return RedirectResponse(f"/pay/{link_id}", status_code=303)


@router.post("/webhooks/stripe", summary="Stripe webhook events (Checkout Sessions paid)",
             responses={400: {"description": "Missing or invalid signature, or not an event"},
                        409: {"description": "Another delivery of this event is being handled"},
                        404: {"description": "Stripe is not configured here (STRIPE_WEBHOOK_SECRET unset)"}})
async def stripe_webhook(request: Request, services: ServicesDep) -> JSONResponse:
    secret = services.settings.stripe_webhook_secret
    if secret is None or not secret.get_secret_value():
        # Not a server fault: this deployment simply has no Stripe endpoint.
        return JSONResponse({"detail": "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET"},
                            status_code=404)
    header = request.headers.get("stripe-signature")
    if not header:
        return JSONResponse({"detail": "missing Stripe-Signature header"}, status_code=400)
    payload = await request.body()  # the raw bytes: the signature covers them exactly
    try:
        verify_stripe_signature(payload, header, secret.get_secret_value())
    except InvalidSignature as exc:
        return JSONResponse({"detail": f"invalid Stripe signature: {exc.reason}"}, status_code=400)
    try:
        event = StripeEvent.model_validate_json(payload)
    except ValidationError:
        return JSONResponse({"detail": "the body is not a Stripe event"}, status_code=400)

    store = PaymentStore(services.redis)
    claim = await store.claim_stripe_event(event.id)
    if claim == "done":
        return JSONResponse({"received": True})  # a redelivery: already handled
    if claim == "busy":
        # Not 200: if that other delivery fails, Stripe must still retry this event.
        return JSONResponse({"detail": "this event is being handled by another delivery; retry later"},
                            status_code=409)
    try:
        outcome = await apply_stripe_event(event, store=store, announce=payment_announcer(services.bus))
    except Exception:
        await store.release_stripe_event(event.id)  # let Stripe's retry handle it
        raise
    await store.finish_stripe_event(event.id)
    log.info("stripe event %s (%s): %s", event.id, event.type, outcome)
    return JSONResponse({"received": True})
