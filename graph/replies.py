"""Every sentence the graph says to a customer, in Spanish (Mexico) and English, and how units and dates read.

Nodes call `say_in(lang, key, **values)`; a reply is the same flow in either language, so the
keys are shared and each has both texts.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from core.locale import money
from tools.catalog import normalize as fold

if TYPE_CHECKING:
    from tools.catalog import Product

MAX_OPTIONS = 10  # a WhatsApp list shows ten rows

Language = Literal["es", "en"]

TEXTS: dict[str, dict[Language, str]] = {
    # --- the supervisor and small talk
    "clarify": {
        "es": "Perdón, no te entendí bien. ¿Buscas un producto, quieres hacer un pedido, o es sobre un pago o tu "
              "estado de cuenta?",
        "en": "Sorry, I did not quite get that. Are you looking for a product, placing an order, or is it about "
              "a payment or your account?"},
    "greeting": {
        "es": "¡Hola! Soy el asistente de ventas y cobranza. Puedo buscar productos, cotizar, tomar tu pedido y "
              "ayudarte con pagos o tu estado de cuenta. ¿Qué necesitas?",
        "en": "Hi! I am the sales and billing assistant. I can look up products, quote, take your order and help "
              "with payments or your account. What do you need?"},
    "greeting_open": {"es": "¡Hola! Seguimos con tu pedido.", "en": "Hi! Let us carry on with your order."},
    "thanks": {"es": "¡Con gusto! Aquí estoy si necesitas algo más.", "en": "You are welcome! I am here if "
                                                                            "you need anything else."},
    "goodbye": {"es": "¡Hasta pronto! Que tengas buen día.", "en": "Bye for now, have a good day!"},
    "ack": {"es": "👍 ¿Te ayudo con algo más?", "en": "👍 Anything else I can help with?"},
    "nothing_pending": {"es": "No tengo nada pendiente por confirmar. ¿Buscas algún producto?",
                        "en": "There is nothing waiting for your confirmation. Are you looking for a product?"},
    "draft_open": {"es": "Tu pedido sigue abierto: ¿lo confirmo? Responde *sí* o dime qué cambio.",
                   "en": "Your order is still open: shall I confirm it? Reply *yes* or tell me what to change."},
    "line_open": {"es": "Sigo con tu pedido: ¿cuál de las opciones de {name}?",
                  "en": "Back to your order: which of the options for {name}?"},
    "approval_open": {"es": "Tu pedido sigue en autorización de crédito; te aviso en cuanto se decida.",
                      "en": "Your order is still awaiting credit authorization; I will let you know as soon "
                            "as it is decided."},
    # --- service answers
    "handoff": {
        "es": "Lamento mucho el inconveniente. Ya avisé a una persona del equipo y te contactará en breve por aquí.",
        "en": "I am very sorry about that. I have told a person on our team and they will contact you here shortly."},
    "human": {"es": "Claro, ya avisé a una persona del equipo; te escribe en breve por aquí.",
              "en": "Of course, I have told a person on our team; they will write to you here shortly."},
    "hours": {"es": "Nuestro horario: {text}.", "en": "Our hours: {text}."},
    "address": {"es": "Estamos en {text}.", "en": "We are at {text}."},
    "bank": {"es": "Puedes pagar por transferencia a {bank}, a nombre de {holder}, CLABE {clabe}.",
             "en": "You can pay by bank transfer to {bank}, account holder {holder}, CLABE {clabe}."},
    "bank_reference": {"es": " {hint}", "en": " {hint}"},
    "no_bank": {"es": "Te paso el link de pago de tu pedido en cuanto lo confirmes; para transferencias un asesor te "
                      "comparte los datos.",
                "en": "I send a payment link once you confirm an order; for bank transfers a person will "
                      "share the details."},
    "balance_link": {"es": "Tu liga de pago del saldo pendiente de {amount}: {url}",
                     "en": "Your payment link for the open balance of {amount}: {url}"},
    "order_link": {"es": "Tu liga de pago del pedido {order_id} por {amount}: {url}",
                   "en": "Your payment link for order {order_id} of {amount}: {url}"},
    "no_orders": {"es": "No encuentro pedidos tuyos todavía. ¿Quieres hacer uno?",
                  "en": "I cannot find any orders of yours yet. Would you like to place one?"},
    "order_status": {"es": "Tu pedido {order_id} ({when}) por {amount}: {status}.",
                     "en": "Your order {order_id} ({when}) of {amount}: {status}."},
    "status_pending_payment": {"es": "confirmado, esperando tu pago; sale al día hábil siguiente de que se refleje",
                               "en": "confirmed, waiting for your payment; it ships the business day after it clears"},
    "status_on_credit": {"es": "confirmado a crédito; se entrega al día hábil siguiente",
                         "en": "confirmed on credit; it is delivered the next business day"},
    "status_paid": {"es": "pagado; se entrega al día hábil siguiente", "en": "paid; it is delivered the "
                                                                             "next business day"},
    "status_cancelled": {"es": "cancelado", "en": "cancelled"},
    # --- catalog and stock
    "no_match": {"es": "No encontré productos para «{query}». ¿Me das otro nombre, la marca o la medida?",
                 "en": "I could not find products for “{query}”. Could you give me another name, the brand "
                       "or the size?"},
    "no_size": {"es": "No tengo {query} en esa medida. Tengo estas:", "en": "I do not carry {query} in that "
                                                                            "size. I have these:"},
    "options": {"es": "Encontré estas opciones:", "en": "I found these options:"},
    "prices_before_tax": {"es": "Precios antes de IVA.", "en": "Prices before VAT (IVA)."},
    "pick_number": {"es": "¿Cuál te interesa? Responde con el número.", "en": "Which one? Reply with the number."},
    "pick_for_quantity": {"es": "¿Cuál te mando ({quantity})? Responde con el número.",
                          "en": "Which one shall I send ({quantity})? Reply with the number."},
    "which_line": {"es": "Para {quantity}{words}, ¿cuál de estas?", "en": "For {quantity}{words}, which of these?"},
    "pick_range": {"es": "¿Cuál de las opciones? Responde con un número del 1 al {count}.",
                   "en": "Which of the options? Reply with a number from 1 to {count}."},
    "stock_figure": {"es": "De {name} tenemos {stock} {units} disponibles ({price} por {unit} antes de IVA).",
                     "en": "We have {stock} {units} of {name} available ({price} per {unit} before VAT)."},
    "stock_none": {"es": "{name} está agotado por ahora.", "en": "{name} is out of stock right now."},
    "stock_ask": {"es": "¿Te aparto algunos? Dime cuántos.", "en": "Shall I set some aside? Tell me how many."},
    "sold_out_alternative": {"es": "{name} está agotado; te ofrezco {alt} ({stock} {units} disponibles). ¿Te sirve?",
                             "en": "{name} is out of stock; I can offer {alt} ({stock} {units} available). "
                                   "Would that work?"},
    "sold_out": {"es": "{name} está agotado y no tengo una alternativa igual. ¿Busco otra cosa?",
                 "en": "{name} is out of stock and I have no equivalent. Shall I look for something else?"},
    "stock_offer": {
        "es": "De {name} solo tengo {available} {units} (pediste {requested}). ¿Te mando los {available} y los "
              "{rest} restantes quedan pendientes para cuando lleguen? Responde *sí*, o *solo los {available}*.",
        "en": "I only have {available} {units} of {name} (you asked for {requested}). Shall I send the {available} "
              "and keep the other {rest} on backorder until they arrive? Reply *yes*, or *only the {available}*."},
    "stock_short_head": {"es": "No me alcanza todo:", "en": "I do not have all of it:"},
    "stock_short_row": {"es": "• {name}: solo tengo {available} {units} (pediste {requested})",
                        "en": "• {name}: I only have {available} {units} (you asked for {requested})"},
    "stock_offer_all": {
        "es": "¿Te mando lo que tengo y lo demás queda pendiente para cuando llegue? Responde *sí*, o *solo lo que "
              "hay*.",
        "en": "Shall I send what I have and keep the rest on backorder until it arrives? Reply *yes*, or *only what "
              "you have*."},
    # --- the draft and the quote
    "draft_head": {"es": "Tu pedido:", "en": "Your order:"},
    "quote_head": {"es": "Te cotizo:", "en": "Here is your quote:"},
    "line": {"es": "• {quantity} {units} de {name}{each}: {list_amount}{discounts} = {net}{availability}",
             "en": "• {quantity} {units} of {name}{each}: {list_amount}{discounts} = {net}{availability}"},
    "each": {"es": " ({price} c/u)", "en": " ({price} each)"},
    "tier_discount": {"es": " − desc. cliente {rate} {amount}", "en": " − customer discount {rate} {amount}"},
    "volume_discount": {"es": " − desc. volumen {rate} {amount}", "en": " − volume discount {rate} {amount}"},
    "backorder_note": {"es": " (+{rest} pendientes para cuando lleguen)", "en": " (+{rest} on backorder)"},
    "available_note": {"es": " ✓ en existencia", "en": " ✓ in stock"},
    "short_note": {"es": " (hay {stock})", "en": " ({stock} in stock)"},
    "sold_out_note": {"es": " (agotado)", "en": " (out of stock)"},
    "totals": {"es": "Subtotal {net} + IVA {tax} = *Total {gross} MXN*", "en": "Subtotal {net} + VAT {tax} "
                                                                               "= *Total {gross} MXN*"},
    "confirm_ask": {"es": "¿Confirmo tu pedido? Responde *sí* para confirmar o dime qué cambio.",
                    "en": "Shall I confirm your order? Reply *yes* to confirm or tell me what to change."},
    "quote_ask": {"es": "¿Te lo aparto? Dime la cantidad ({units}).", "en": "Shall I set it aside? Tell me "
                                                                            "how many {units}."},
    "what_product": {"es": "¿Qué producto necesitas y cuántos?", "en": "Which product do you need, and how many?"},
    "what_product_for": {"es": "Anoto {count}. ¿De qué producto?", "en": "Noted, {count}. Of which product?"},
    "no_quote": {"es": "No encontré ese producto para cotizarlo. ¿Me dices cuál, con su medida?",
                 "en": "I could not find that product to quote it. Which one is it, with its size?"},
    "not_in_draft": {"es": "No encontré «{target}» en tu pedido.", "en": "I could not find “{target}” in your order."},
    "removed": {"es": "Listo, quité {name}.", "en": "Done, I removed {name}."},
    "restored": {"es": "Listo, volví a poner {name}.", "en": "Done, {name} is back in."},
    "kept": {"es": "No encontré productos para «{query}»; dejé {name} como estaba. ¿Me das otro nombre o la medida?",
             "en": "I could not find products for “{query}”; I kept {name} as it was. Could you give me another name "
                   "or the size?"},
    "in_packs": {"es": "{name} se vende por caja de {size}: para tus {said} piezas te puse {boxes} {units}.",
                 "en": "{name} is sold by the box of {size}: for your {said} pieces I put {boxes} {units}."},
    "in_containers": {"es": "{name} viene en envase de {size} L: para tus {said} litros te puse {count} {units}.",
                      "en": "{name} comes in {size} L containers: for your {said} litres I put {count} {units}."},
    "in_lengths": {"es": "{name} se vende por tramo de {size} m: para tus {said} metros te puse {count} {units}.",
                   "en": "{name} is sold by the {size} m length: for your {said} metres I put {count} {units}."},
    "draft_empty": {"es": "Tu pedido quedó vacío. ¿Qué te mando?", "en": "Your order is now empty. What "
                                                                         "shall I send you?"},
    "stock_changed": {"es": "Perdón, mientras confirmabas cambió la existencia:", "en": "Sorry, the stock "
                                                                                        "changed while you confirmed:"},
    # --- confirmation, credit and payment
    "cancelled": {"es": "Listo, cancelé. ¿Te ayudo con algo más?", "en": "Done, I cancelled it. Anything else?"},
    "approval_hold": {
        "es": "Tu pedido de {total} excede tu crédito disponible ({available}), así que quedó en autorización. "
              "Te aviso en cuanto lo aprueben.",
        "en": "Your order of {total} exceeds your available credit ({available}), so it is awaiting authorization. "
              "I will let you know as soon as it is approved."},
    "approved_note": {"es": "Tu pedido fue autorizado.", "en": "Your order was authorized."},
    "approval_rejected": {"es": "Tu pedido excede tu línea de crédito y no fue autorizado. Un asesor te contactará "
                                "para ver opciones.",
                          "en": "Your order exceeds your credit line and was not authorized. A person will contact "
                                "you to look at options."},
    "approval_cancelled": {"es": "Listo, retiré tu pedido de autorización y lo cancelé.",
                           "en": "Done, I withdrew your order from authorization and cancelled it."},
    "confirmed_link": {"es": "¡Listo! Tu pedido está confirmado: {order_id} por {gross} MXN (IVA incluido).\n"
                             "Págalo en este link: {url}\nEn cuanto se refleje el pago te avisamos.",
                       "en": "Done! Your order is confirmed: {order_id} for {gross} MXN (VAT included).\n"
                             "Pay with this link: {url}\nWe will let you know as soon as the payment clears."},
    "confirmed_terms": {"es": "¡Listo! Tu pedido está confirmado: {order_id} por {gross} MXN (IVA incluido), a "
                              "crédito a {days} días: vence el {due}.",
                        "en": "Done! Your order is confirmed: {order_id} for {gross} MXN (VAT included), on "
                              "credit, {days} days: due {due}."},
    "backorder_confirmed": {"es": "Los pendientes ({items}) te los mandamos en cuanto lleguen.",
                            "en": "The backordered items ({items}) will follow as soon as they arrive."},
    "paid_received": {"es": "Sí, recibimos tu pago de {amount} del pedido {order_id}. ¡Gracias!",
                      "en": "Yes, we received your payment of {amount} for order {order_id}. Thank you!"},
    "not_yet_paid": {"es": "Aún no vemos el pago del pedido {order_id}. Si ya pagaste puede tardar unos "
                           "minutos; tu link: {url}",
                     "en": "We do not see the payment for order {order_id} yet. If you already paid it can "
                           "take a few minutes; your link: {url}"},
    "no_payment_here": {"es": "No tengo un pago tuyo por confirmar en esta conversación. Tu saldo pendiente "
                              "es {amount}. "
                              "Si ya pagaste, mándame tu comprobante y lo revisamos.",
                        "en": "I have no payment of yours to confirm in this conversation. Your open "
                              "balance is {amount}. "
                              "If you already paid, send me the receipt and we will check it."},
    "no_balance": {"es": "No tienes saldo pendiente con nosotros. ¡Gracias!", "en": "You have no open "
                                                                                    "balance with us. Thank you!"},
    "statement_clear": {"es": "Estás al corriente: no tienes facturas pendientes. ¡Gracias!",
                        "en": "You are all paid up: no open invoices. Thank you!"},
    "statement_head": {"es": "Tu estado de cuenta:", "en": "Your account statement:"},
    "statement_overdue": {"es": " (vencida hace {days} días)", "en": " (overdue by {days} days)"},
    "statement_due": {"es": " (vence {due})", "en": " (due {due})"},
    "statement_total": {"es": "Total pendiente: {total}", "en": "Total open: {total}"},
    "statement_total_overdue": {"es": ", vencido: {overdue}", "en": ", overdue: {overdue}"},
    "statement_ask": {"es": "¿Cuándo podrías hacer tu pago?", "en": "When could you make your payment?"},
    "promise_when": {"es": "¡Gracias! ¿Para qué fecha nos confirmas tu pago?",
                     "en": "Thank you! For what date can you confirm your payment?"},
    "promise_recorded": {"es": "Perfecto, registré tu promesa de pago{amount} para el {day}. ¡Gracias por avisarnos!",
                         "en": "Great, I recorded your promise to pay{amount} on {day}. Thanks for letting us know!"},
    "promise_amount": {"es": " de {amount}", "en": " of {amount}"},
    "delivery_note": {"es": "Se entrega al día hábil siguiente.", "en": "It is delivered the next business day."},
}

_UNITS: dict[str, dict[Language, tuple[str, str]]] = {
    "pieza": {"es": ("pieza", "piezas"), "en": ("piece", "pieces")},
    "tramo": {"es": ("tramo", "tramos"), "en": ("length", "lengths")},
    "rollo": {"es": ("rollo", "rollos"), "en": ("roll", "rolls")},
    "caja": {"es": ("caja", "cajas"), "en": ("box", "boxes")},
    "juego": {"es": ("juego", "juegos"), "en": ("set", "sets")},
    "kg": {"es": ("kg", "kg"), "en": ("kg", "kg")},
    "litro": {"es": ("litro", "litros"), "en": ("liter", "liters")},
    "metro": {"es": ("metro", "metros"), "en": ("meter", "meters")},
}
_WEEKDAYS: dict[Language, tuple[str, ...]] = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS: dict[Language, tuple[str, ...]] = {
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def say_in(lang: Language, key: str, **values: object) -> str:
    """The text `key` in `lang`, filled with `values`."""
    return TEXTS[key][lang].format(**values)


def stock_figure(product: Product, lang: Language) -> str:
    """ "De {name} tenemos {stock} {units} disponibles ({price} por {unit} antes de IVA).": its stock and price."""
    stock = max(product.stock, 0)
    return say_in(lang, "stock_figure", name=product.name, stock=stock, units=units(product.unit, stock, lang),
                  price=money(product.list_price), unit=units(product.unit, 1, lang))


def units(unit: str, count: int, lang: Language) -> str:
    """The unit a product is sold in, singular or plural: "tramos", "rollo", "pieces"."""
    one, many = _UNITS.get(unit, {"es": (unit, unit), "en": (unit, unit)})[lang]
    return one if count == 1 else many


def day(value: date, lang: Language) -> str:
    """A date as a customer reads it: "viernes 27 de noviembre", "Friday, November 27"."""
    if lang == "en":
        return f"{_WEEKDAYS['en'][value.weekday()]}, {_MONTHS['en'][value.month - 1]} {value.day}"
    return f"{_WEEKDAYS['es'][value.weekday()]} {value.day} de {_MONTHS['es'][value.month - 1]}"


def option_rows(options: list[dict[str, Any]], language: Language, *, with_stock: bool = False) -> list[str]:
    """Numbered options: name, price per unit, and stock (the figure, or sold out)."""
    per = "por" if language == "es" else "per"
    rows = []
    for i, o in enumerate(options, 1):
        stock = int(o.get("stock") or 0)
        if stock <= 0:
            note = " (agotado)" if language == "es" else " (out of stock)"
        elif with_stock:
            note = f" ({stock} {units(o['unit'], stock, language)})"
        else:
            note = ""
        brand = str(o.get("brand") or "")
        # "Pinzas de chofer 8\" (Truper)" beside the Pretul ones: the brand tells apart what the name does not
        name = o["name"] if not brand or fold(brand).lower() in fold(o["name"]).lower() else f"{o['name']} ({brand})"
        rows.append(f"{i}. {name} — {money(o['list_price'])} {per} {units(o['unit'], 1, language)}{note}")
    return rows
