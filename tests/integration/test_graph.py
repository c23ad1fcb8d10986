"""The supervisor graph end to end on a real Redis: the seed's flows, checkpoints, audit, replay."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from redis.asyncio import Redis

from agents.bus import FIELD
from agents.messages import AgentMessage
from checkpoints.audit import CheckpointNotFoundError
from core.settings import Settings
from core.tenants import TenantKeys
from tests.support.stack import Stack, open_stack
from tools.catalog import Catalog

T = "ferre-mx"
SUBGRAPH_NODES = {"order.edit", "pricing.draft", "order.approve", "order.create", "payment.link", "payment.confirm"}
CASH = "NEW-0001"  # a buyer with no account: pays the link first


@pytest.fixture
async def stack(redis: Redis, settings: Settings) -> Any:
    async with open_stack(redis, settings) as s:
        yield s


async def say(stack: Stack, text: str, *, conversation: str = "c-1", customer: str = "CUST-0003") -> Any:
    return await stack.runner.run_turn(tenant=T, conversation_id=conversation, customer_id=customer, text=text)


async def events(redis: Redis, tenant: str = T) -> list[AgentMessage]:
    return [AgentMessage.from_json(f[FIELD]) for _, f in await redis.xrange(TenantKeys(tenant).events)]


async def audit(redis: Redis, tenant: str = T) -> list[AgentMessage]:
    return [AgentMessage.from_json(f[FIELD]) for _, f in await redis.xrange(TenantKeys(tenant).audit)]


async def order_flow(stack: Stack, conversation: str = "c-1", customer: str = CASH) -> list[Any]:
    turns = []
    for text in ("Necesito 10 tubos de 1/2", "el pvc hidráulico", "sí, confirmo"):
        turns.append(await say(stack, text, conversation=conversation, customer=customer))
    return turns


async def test_the_seed_order_flow(stack: Stack, redis: Redis) -> None:
    before = (await Catalog(redis, T).get("PVC-TUB-050-6M")).stock  # type: ignore[union-attr]
    options, chosen, confirmed = await order_flow(stack)

    assert options.intent == "create_order"
    assert options.route == ["supervisor", "order.edit"]
    assert 'Tubo PVC hidráulico 1/2"' in options.reply and 'Tubo CPVC' in options.reply  # the material is asked
    assert options.state["pending"] == "options_shown" and options.state["options_for"] == "line"
    assert options.state["unresolved"][0]["quantity"] == 10

    assert chosen.intent == "select_option"
    assert chosen.route == ["supervisor", "order.edit", "pricing.draft"]
    assert chosen.state["cart"][0]["sku"] == "PVC-TUB-050-6M" and chosen.state["cart"][0]["quantity"] == 10
    quote = chosen.state["quote"]
    # list price (no account) and the 10-piece volume break 2 %, IVA 16 % on the discounted base
    line = quote["lines"][0]
    assert Decimal(line["volume_discount_rate"]) == Decimal("0.02") and Decimal(line["tier_discount_rate"]) == 0
    assert Decimal(line["net"]) + Decimal(line["tax"]) == Decimal(quote["gross"])
    assert Decimal(quote["tax"]) == (Decimal(quote["net"]) * Decimal("0.16")).quantize(Decimal("0.01"))
    assert "10 tramos de Tubo PVC" in chosen.reply and "¿Confirmo tu pedido?" in chosen.reply

    assert confirmed.intent == "confirm"
    assert confirmed.route == ["supervisor", "order.approve", "order.create", "payment.link", "payment.confirm"]
    assert "Tu pedido está confirmado" in confirmed.reply
    order, link = confirmed.state["order"], confirmed.state["payment_link"]
    assert link["url"] in confirmed.reply and link["url"].endswith(f"/pay/{link['link_id']}")
    assert Decimal(link["amount"]) == Decimal(order["gross"]) == Decimal(quote["gross"])
    assert confirmed.state["pending"] is None and confirmed.state["cart"] == []

    after = (await Catalog(redis, T).get("PVC-TUB-050-6M")).stock  # type: ignore[union-attr]
    assert after == before - 10
    stored = await redis.json().get(TenantKeys(T).key("order", order["order_id"]))
    assert stored["status"] == "pending_payment" and stored["customer_id"] == CASH

    kinds = [e.intent for e in await events(redis)]
    assert kinds.count("order_created") == 1 and kinds.count("payment_link_created") == 1


async def test_a_customer_on_credit_gets_their_terms_not_a_link(stack: Stack, redis: Redis) -> None:
    *_, confirmed = await order_flow(stack, customer="CUST-0003")  # gold, 30 days
    assert confirmed.route == ["supervisor", "order.approve", "order.create", "payment.terms"]
    assert "a crédito a 30 días" in confirmed.reply and "25/12/2026" in confirmed.reply
    assert "/pay/" not in confirmed.reply and not confirmed.state.get("payment_link")
    assert confirmed.state["order"]["payment_terms_days"] == 30 and confirmed.state["order"]["due_date"] == "2026-12-25"
    assert [e.intent for e in await events(redis)].count("payment_link_created") == 0


async def test_three_lines_in_one_message_and_edits_before_confirming(stack: Stack, redis: Redis) -> None:
    draft = await say(stack, "mándame 15 coples pvc de 3/4, 8 tees pvc de 3/4 y 4 tubos pvc hidraulico de 3/4")
    assert [(ln["sku"], ln["quantity"]) for ln in draft.state["cart"]] == [
        ("PVC-CPL-075", 15), ("PVC-TEE-075", 8), ("PVC-TUB-075-6M", 4)]
    assert "4 tramos de Tubo PVC" in draft.reply and "15 piezas de Cople" in draft.reply
    edited = await say(stack, "quítale las tees y de los coples mejor que sean 30")
    assert [(ln["sku"], ln["quantity"]) for ln in edited.state["cart"]] == [("PVC-CPL-075", 30), ("PVC-TUB-075-6M", 4)]
    asked = await say(stack, "a qué hora cierran?")
    assert "18:00" in asked.reply and asked.state["pending"] == "awaiting_confirmation"
    assert len(asked.state["cart"]) == 2  # a question in the middle keeps the draft
    await say(stack, "va")
    (order,) = [e for e in await events(redis) if e.intent == "order_created"]
    lines = [(ln["sku"], ln["quantity"]) for ln in order.payload["lines"]]
    assert lines == [("PVC-CPL-075", 30), ("PVC-TUB-075-6M", 4)]


async def test_a_line_taken_out_goes_back_in_and_a_count_in_pieces_of_a_box_product(stack: Stack) -> None:
    await say(stack, "mandame 6 tinacos rotoplas de 450 y 6 kits de accesorios pa tinaco")
    removed = await say(stack, "quitale los kits")
    assert [ln["sku"] for ln in removed.state["cart"]] == ["TIN-ROT-0450"]
    back = await say(stack, "no espera, siempre si ponlos")
    assert sorted((ln["sku"], ln["quantity"]) for ln in back.state["cart"]) == [("TIN-ROT-0450", 6), ("TIN-ROT-KIT", 6)]
    assert "volví a poner Kit de accesorios" in back.reply and back.state["pending"] == "awaiting_confirmation"
    assert not back.state["removed"]  # put back once: "siempre sí" again has nothing to put back

    await say(stack, "2 cajas de pija para madera 10 x 1 1/2", conversation="c-box")
    boxes = await say(stack, "no, q sean quinientas", conversation="c-box")
    assert [(ln["sku"], ln["quantity"]) for ln in boxes.state["cart"]] == [("TOR-FIE-PMA-10X112", 5)]


async def test_a_pick_among_the_options_a_stock_question_showed_gives_its_stock(stack: Stack) -> None:
    await say(stack, "cuantos tienen de codo de 90 de 3/4?")
    picked = await say(stack, "de cobre")
    assert "129" in picked.reply and "Codo 90° de cobre 3/4" in picked.reply
    assert not picked.state.get("cart")  # a stock figure, not one piece ordered
    ordered = await say(stack, "va, mandame 20")
    assert [(ln["sku"], ln["quantity"]) for ln in ordered.state["cart"]] == [("COB-C90-075", 20)]


async def test_a_line_split_in_two_sizes_the_same_lines_again_and_a_count_said_before_its_product(
        stack: Stack) -> None:
    def cart(result: Any) -> list[tuple[str, int]]:
        return sorted((ln["sku"], ln["quantity"]) for ln in result.state["cart"])

    await say(stack, "mandame 40 coples galvanizados de 3/4 y 10 tuercas union galv de 3/4")
    split = await say(stack, "de los coples hazlos 20 de 3/4 y 20 de 1/2")
    assert cart(split) == [("GAL-CPL-050", 20), ("GAL-CPL-075", 20), ("GAL-TUN-075", 10)]
    await say(stack, "mandame 20 codos de cobre de 90 de 3/4 y 20 coples de cobre de 3/4", conversation="c-4")
    again = await say(stack, "y de esos mismos pero de 1, 10 de cada uno", conversation="c-4")
    assert cart(again) == [("COB-C90-075", 20), ("COB-C90-100", 10), ("COB-CPL-075", 20), ("COB-CPL-100", 10)]

    counted = await say(stack, "oye mandame treinta", conversation="c-2")
    assert "30" in counted.reply and not counted.state["cart"]  # "Anoto 30. ¿De qué producto?"
    named = await say(stack, "de coples cpvc de media", conversation="c-2")
    assert cart(named) == [("CPVC-CPL-050", 30)]
    other = await say(stack, "cuanto debo?", conversation="c-3")
    assert other.state.get("requested_quantity") is None

    terse = await say(stack, "20 cpl 1/2 y 10 cod 90 1/2 pvc", conversation="c-5")
    assert cart(terse) == [("PVC-C90-050", 10), ("PVC-CPL-050", 20)]
    recounted = await say(stack, "cpl 30", conversation="c-5")  # the drafted coples' new count, not a new line
    assert cart(recounted) == [("PVC-C90-050", 10), ("PVC-CPL-050", 30)]
    more = await say(stack, "+5 cod", conversation="c-5")
    assert cart(more) == [("PVC-C90-050", 15), ("PVC-CPL-050", 30)]


async def test_more_than_in_stock_is_offered_never_oversold(stack: Stack, redis: Redis) -> None:
    offer = await say(stack, "necesito 50 tubos pvc hidraulico de 3/4", customer=CASH)  # 24 in stock
    assert offer.state["pending"] == "stock_offer" and "24 tramos" in offer.reply
    asked = await say(stack, "cuantos tienen?", customer=CASH)  # the figure, and the offer still stands
    assert "24 tramos" in (asked.reply or "") and asked.state["pending"] == "stock_offer"
    cut = await say(stack, "mándame los que tengas", customer=CASH)
    assert [(ln["quantity"], ln["backorder"]) for ln in cut.state["cart"]] == [(24, 0)]
    await say(stack, "sí", customer=CASH)
    assert (await Catalog(redis, T).get("PVC-TUB-075-6M")).stock == 0  # type: ignore[union-attr]


async def test_every_short_line_is_offered_in_one_message(stack: Stack) -> None:
    offer = await say(stack, "necesito 30 tubos pvc hidraulico de 3/4 y 10 tubos pvc hidraulico de 2")  # 24 and 8
    assert offer.state["pending"] == "stock_offer"
    assert "24 tramos" in (offer.reply or "") and "8 tramos" in (offer.reply or "")
    kept = await say(stack, "sí")
    assert sorted((ln["sku"], ln["quantity"], ln["backorder"]) for ln in kept.state["cart"]) == [
        ("PVC-TUB-075-6M", 24, 6), ("PVC-TUB-200-6M", 8, 2)]
    await say(stack, "necesito 30 tubos pvc hidraulico de 3/4 y 10 tubos pvc hidraulico de 2", conversation="c-2")
    each = await say(stack, "de los de 3/4 nomás los que tengas, y de los de 2 mándame los 8 y lo demás cuando llegue",
                     conversation="c-2")
    assert sorted((ln["sku"], ln["quantity"], ln["backorder"]) for ln in each.state["cart"]) == [
        ("PVC-TUB-075-6M", 24, 0), ("PVC-TUB-200-6M", 8, 2)]


async def test_the_rest_on_backorder_said_before_any_offer(stack: Stack) -> None:
    await say(stack, "cuantos tubos pvc hidraulico de 3/4 tienen?")  # 24
    said = await say(stack, "ocupo 30, mandame los 24 y los otros 6 cuando te lleguen")
    assert said.state["pending"] == "awaiting_confirmation"  # no offer asked about: it was answered already
    assert [(ln["sku"], ln["quantity"], ln["backorder"]) for ln in said.state["cart"]] == [("PVC-TUB-075-6M", 24, 6)]


async def test_variants_quoted_together_then_counted_each_by_a_detail(stack: Stack) -> None:
    quoted = await say(stack, "cuanto cuestan la stilson de 14 y la de 18?")
    assert {ln["sku"] for ln in quoted.state["cart"]} == {"HER-TRU-STI-14", "HER-TRU-STI-18"}
    counted = await say(stack, "2 de la mas grande y 3 de la otra")
    assert sorted((ln["sku"], ln["quantity"]) for ln in counted.state["cart"]) == [
        ("HER-TRU-STI-14", 3), ("HER-TRU-STI-18", 2)]
    await say(stack, "cuanto cuestan la stilson de 14 y la de 18?", conversation="c-2")
    one = await say(stack, "va la mas barata, 4 piezas", conversation="c-2")  # that one: no yes to both
    assert [(ln["sku"], ln["quantity"]) for ln in one.state["cart"]] == [("HER-TRU-STI-14", 4)]
    other = await say(stack, "y 1 de la otra", conversation="c-2")  # the one left out is still quoted
    assert sorted((ln["sku"], ln["quantity"]) for ln in other.state["cart"]) == [
        ("HER-TRU-STI-14", 4), ("HER-TRU-STI-18", 1)]


async def test_a_short_line_swapped_for_the_other_brand(stack: Stack) -> None:
    offer = await say(stack, "mandame 100 pinzas de chofer truper")  # 95 in stock
    assert offer.state["pending"] == "stock_offer"
    other = await say(stack, "no pues entonces la otra marca, las 100")
    assert [(ln["sku"], ln["quantity"]) for ln in other.state["cart"]] == [("HER-PRE-PCH-08", 100)]
    assert other.state["pending"] == "awaiting_confirmation"


async def test_a_turn_result_is_the_stored_state_it_ended_at(stack: Stack) -> None:
    """run_turn builds its result from the run's own stream; it must match a read of the checkpoint."""
    for text in ("Necesito 10 tubos de 1/2", "el pvc hidráulico", "sí, confirmo", "ya pagué", "hola"):
        result = await say(stack, text)
        stored = await stack.runner.result(T, "c-1")
        assert result == stored
        assert result.checkpoint_id is not None


async def test_every_node_transition_is_on_the_audit_stream_with_its_checkpoint(stack: Stack, redis: Redis) -> None:
    await order_flow(stack)
    transitions = [m for m in await audit(redis) if m.intent in ("node_start", "node_end")]
    nodes = {m.payload["node"] for m in transitions}
    assert SUBGRAPH_NODES | {"supervisor", "order", "pricing", "payment"} <= nodes
    for node in SUBGRAPH_NODES | {"supervisor"}:
        kinds = [m.intent for m in transitions if m.payload["node"] == node]
        assert "node_start" in kinds and "node_end" in kinds, node
    assert all(m.payload["checkpoint_id"] for m in transitions)
    assert all(m.conversation_id == "c-1" and m.tenant_id == T for m in transitions)
    # subgraph events name the parent checkpoint an audit replay would start from
    parent_ids = {c.checkpoint_id for c in await stack.runner.audit.history(T, "c-1")}
    sub = [m for m in transitions if "." in m.payload["node"]]
    assert sub and all(m.payload["parent_checkpoint_id"] in parent_ids for m in sub)
    latency = stack.metrics.node_latency.labels("order.edit")._sum.get()
    assert latency > 0


async def test_history_and_state_at_a_checkpoint(stack: Stack) -> None:
    await order_flow(stack)
    checkpoints = await stack.runner.audit.history(T, "c-1")
    # per turn: the input, then one after the supervisor and after each subgraph it went through
    assert len(checkpoints) == 4 + 5 + 5
    assert all(c.step >= -1 for c in checkpoints)
    assert [c.step for c in checkpoints] == sorted((c.step for c in checkpoints), reverse=True)
    assert checkpoints[0].next == [] and checkpoints[-1].source == "input"
    at_options = next(c for c in checkpoints if c.intent == "create_order" and not c.next)
    snapshot = await stack.runner.audit.state(T, "c-1", at_options.checkpoint_id)
    assert snapshot.values["pending"] == "options_shown" and snapshot.values.get("order") is None
    with pytest.raises(CheckpointNotFoundError):
        await stack.runner.audit.state(T, "c-1", "1f000000-0000-6000-8000-000000000000")
    assert await stack.runner.audit.history("otro", "c-1") == []  # another tenant's thread is empty


async def test_replay_and_fork_never_repeat_side_effects(stack: Stack, redis: Redis) -> None:
    *_, confirmed = await order_flow(stack)
    checkpoints = await stack.runner.audit.history(T, "c-1")
    # the checkpoint where the confirming turn was about to run its subgraphs
    before = next(c for c in checkpoints if c.intent == "confirm" and c.next == ["order"])
    stock = (await Catalog(redis, T).get("PVC-TUB-050-6M")).stock  # type: ignore[union-attr]
    links_before = [k async for k in redis.scan_iter(match=f"{TenantKeys(T).key('paylink')}:*")]

    replayed = None
    async for item in stack.runner.stream_replay(tenant=T, conversation_id="c-1", checkpoint_id=before.checkpoint_id):
        replayed = item
    assert replayed is not None and "Tu pedido está confirmado" in replayed.reply  # type: ignore[union-attr]
    assert replayed.state["order"]["order_id"] == confirmed.state["order"]["order_id"]  # type: ignore[union-attr]
    assert replayed.state["payment_link"]["link_id"] == confirmed.state["payment_link"]["link_id"]  # type: ignore[union-attr]

    forked = None
    async for item in stack.runner.stream_fork(tenant=T, conversation_id="c-1", checkpoint_id=before.checkpoint_id,
                                               values={"channel": "studio"}):
        forked = item
    assert forked is not None
    assert forked.state["payment_link"]["link_id"] == confirmed.state["payment_link"]["link_id"]  # type: ignore[union-attr]

    assert (await Catalog(redis, T).get("PVC-TUB-050-6M")).stock == stock  # type: ignore[union-attr]
    assert [k async for k in redis.scan_iter(match=f"{TenantKeys(T).key('paylink')}:*")] == links_before
    kinds = [e.intent for e in await events(redis)]
    assert kinds.count("order_created") == 1 and kinds.count("payment_link_created") == 1


async def test_an_order_over_the_credit_limit_waits_for_a_human(stack: Stack, redis: Redis) -> None:
    conv, customer = "c-credit", "CUST-0001"  # bronze, 5,000 MXN limit; 60 of the 69 tubes in stock
    await say(stack, "necesito 60 tubos pvc hidraulico de 1/2", conversation=conv, customer=customer)
    paused = await say(stack, "si", conversation=conv, customer=customer)
    assert paused.interrupt is not None and paused.interrupt["kind"] == "credit_approval"
    assert paused.interrupt["customer_id"] == customer
    assert "quedó en autorización" in (paused.reply or "")  # the customer hears at once that it waits
    assert paused.state.get("order") is None
    assert [e.intent for e in await events(redis)] == []
    # messages while it waits are answered and never drop the paused order
    asking = await say(stack, "ya quedó?", conversation=conv, customer=customer)
    assert "sigue en autorización" in (asking.reply or "") and asking.interrupt is not None
    statement = await say(stack, "y mientras cuánto debo?", conversation=conv, customer=customer)
    assert "estado de cuenta" in (statement.reply or "").lower() or "al corriente" in (statement.reply or "")
    assert statement.interrupt is not None and statement.state["pending"] == "awaiting_approval"
    # a search that lists options and a price quote answer too, and the order still waits
    search = await say(stack, "oye y tienen codos de cobre?", conversation=conv, customer=customer)
    assert "1." in (search.reply or "") and search.interrupt is not None
    assert search.state["pending"] == "awaiting_approval"
    price = await say(stack, "a como el cople pvc de 1/2?", conversation=conv, customer=customer)
    assert "$" in (price.reply or "") and price.interrupt is not None
    assert price.state["pending"] == "awaiting_approval" and price.state["approval"]["customer_id"] == customer

    done = await stack.runner.resume(tenant=T, conversation_id=conv, value={"approved": True, "by": "ana"})
    assert done.interrupt is None
    assert "Tu pedido está confirmado" in (done.reply or "")
    assert done.state["order"]["approved_by"] == "ana"
    assert [e.intent for e in await events(redis)].count("order_created") == 1


async def test_a_refused_approval_creates_nothing(stack: Stack, redis: Redis) -> None:
    conv, customer = "c-refused", "CUST-0001"
    for text in ("necesito 60 tubos pvc hidraulico de 1/2", "va"):
        await say(stack, text, conversation=conv, customer=customer)
    done = await stack.runner.resume(tenant=T, conversation_id=conv, value={"approved": False})
    assert "no fue autorizado" in (done.reply or "")
    assert done.state.get("order") in (None, {}) or "order_id" not in (done.state.get("order") or {})
    assert [e.intent for e in await events(redis)] == []


async def test_collections_statement_and_promise_to_pay(stack: Stack, redis: Redis) -> None:
    statement = await say(stack, "cuánto debo?", conversation="c-dunning", customer="CUST-0007")
    assert statement.intent == "account_statement"
    assert statement.route == ["supervisor", "dunning.statement"]
    assert "Total pendiente" in (statement.reply or "")
    promise = await say(stack, "les pago el viernes", conversation="c-dunning", customer="CUST-0007")
    assert promise.intent == "promise_to_pay"
    assert promise.state["collections"]["promise"]["promised_date"] == "2026-11-27"
    assert "viernes 27 de noviembre" in (promise.reply or "")
    (event,) = [e for e in await events(redis) if e.intent == "promise_to_pay"]
    assert event.customer_id == "CUST-0007" and event.payload["promised_date"] == "2026-11-27"


async def test_an_order_with_a_statement_asked_beside_it_answers_both(stack: Stack) -> None:
    both = await say(stack, "le encargo seis coples pvc de 3/4 y de paso me dice cuanto traigo de saldo",
                     conversation="c-order-and-owed", customer="CUST-0007")
    assert both.route[:3] == ["supervisor", "service.answer", "order.edit"]
    assert "Total pendiente" in (both.reply or "") and "Tu pedido" in (both.reply or "")
    assert [(ln["sku"], ln["quantity"]) for ln in both.state["cart"]] == [("PVC-CPL-075", 6)]
    assert both.state["collections"]["statement"]["customer_id"] == "CUST-0007"


async def test_price_question_and_general_answers(stack: Stack) -> None:
    price = await say(stack, "a como el codo pvc de 90 de 3/4?", conversation="c-price")
    assert price.intent == "check_price" and price.route == ["supervisor", "pricing.ask"]
    assert "Total" in (price.reply or "") and "IVA" in (price.reply or "")
    variants = await say(stack, "a como el codo de 1/2?", conversation="c-variants")
    assert variants.state["options_for"] == "price" and "CPVC" in variants.reply and "PVC hidráulico" in variants.reply
    follow = await say(stack, "y el de 3/4?", conversation="c-price")
    assert 'Codo 90° PVC hidráulico 3/4"' in (follow.reply or "")  # the same product, the size changed
    hours = await say(stack, "a qué hora abren?", conversation="c-faq")
    assert hours.route == ["supervisor", "service.answer"] and "8:00" in (hours.reply or "")
    thanks = await say(stack, "gracias", conversation="c-faq")
    assert "Soy el asistente" not in (thanks.reply or "")  # small talk is no opening greeting
    nothing = await say(stack, "sí", conversation="c-empty")
    assert nothing.route == ["supervisor", "service.answer"]


async def test_tenants_never_share_a_conversation(redis: Redis, settings: Settings) -> None:
    async with open_stack(redis, settings, tenants=("ferre-mx", "aceros-norte")) as stack:
        await order_flow(stack, conversation="same-id")
        other = await stack.runner.run_turn(tenant="aceros-norte", conversation_id="same-id",
                                            customer_id="CUST-0003", text="sí, confirmo")
    assert other.state.get("order") is None and other.route == ["supervisor"]
    assert await events(redis, "aceros-norte") == []


async def test_service_answers_come_from_the_tenant_settings(stack: Stack, redis: Redis) -> None:
    bank = await say(stack, "me pasas los datos para transferencia?", conversation="c-bank")
    assert "CLABE 012180001122334451" in (bank.reply or "") and bank.route == ["supervisor", "service.answer"]
    where = await say(stack, "donde estan ubicados?", conversation="c-bank")
    assert "Av. Central 123" in (where.reply or "")
    again = await say(stack, "y los sabados?", conversation="c-hours-2")
    assert again.route == ["supervisor"] and "no te entendí" in (again.reply or "")  # nothing asked yet to follow
    hours = await say(stack, "a que hora abren?", conversation="c-hours")
    saturday = await say(stack, "y los sabados?", conversation="c-hours")
    assert "9:00 a 14:00" in (hours.reply or "") and "9:00 a 14:00" in (saturday.reply or "")


async def test_order_status_and_a_link_on_request(stack: Stack, redis: Redis) -> None:
    status = await say(stack, "cuando me llega mi pedido?", conversation="c-status")
    assert "No encuentro pedidos" in (status.reply or "")
    *_, confirmed = await order_flow(stack, conversation="c-status", customer="CUST-0003")
    order_id = confirmed.state["order"]["order_id"]
    status = await say(stack, "cuando me llega mi pedido?", conversation="c-status")
    assert order_id in (status.reply or "") and "a crédito" in (status.reply or "")
    link = await say(stack, "me mandas la liga de pago? prefiero pagarlo ya", conversation="c-status")
    assert order_id in (link.reply or "") and "/pay/" in (link.reply or "")
    again = await say(stack, "me mandas el link de pago otra vez", conversation="c-status")
    assert link.reply == again.reply  # the same link, never a second one
    assert [e.intent for e in await events(redis)].count("payment_link_created") == 0  # asked, not announced


async def test_a_complaint_is_handed_to_a_person_once_per_turn(stack: Stack, redis: Redis) -> None:
    answer = await say(stack, "me llegaron rotos los codos del pedido pasado", conversation="c-complaint")
    assert answer.intent == "human_handoff" and "persona del equipo" in (answer.reply or "")
    person = await say(stack, "quiero hablar con alguien", conversation="c-complaint")
    assert person.intent == "human_handoff"
    handoffs = [e for e in await events(redis) if e.intent == "handoff_requested"]
    assert [(e.payload["reason"], e.payload["turn"]) for e in handoffs] == [("complaint", 1), ("human", 2)]
    assert all(e.customer_id == "CUST-0003" and e.conversation_id == "c-complaint" for e in handoffs)


async def test_english_in_english_out(stack: Stack) -> None:
    draft = await say(stack, "hi, I need 30 pvc elbows 3/4 90 and 10 lengths of 3/4 pvc hidraulico pipe",
                      conversation="c-en", customer=CASH)
    assert [ln["sku"] for ln in draft.state["cart"]] == ["PVC-C90-075", "PVC-TUB-075-6M"]
    assert "Your order:" in (draft.reply or "") and "30 pieces of" in (draft.reply or "")
    done = await say(stack, "yes", conversation="c-en", customer=CASH)
    assert "Your order is confirmed" in (done.reply or "") and "Pay with this link" in (done.reply or "")
    assert done.state["language"] == "en"


async def test_units_taken_off_a_line_another_kind_counted_and_the_product_just_quoted_instead(stack: Stack) -> None:
    def cart(result: Any) -> list[tuple[str, int]]:
        return sorted((ln["sku"], ln["quantity"]) for ln in result.state["cart"])

    await say(stack, "codo galv 3/4 x20 y tee galv 3/4 x15")
    fewer = await say(stack, "quitale 5 a las tees")
    assert cart(fewer) == [("GAL-C90-075", 20), ("GAL-TEE-075", 10)]  # five fewer, the line stays

    await say(stack, "fester 5 años 4 cubetas", conversation="c-2")
    sealer = await say(stack, "sellador fester 1", conversation="c-2")  # a sealer, not one waterproofing bucket
    assert cart(sealer) == [("IMP-FES-A05-19", 4), ("IMP-FES-SEL-19", 1)]

    offered = await say(stack, "requiero 12 bombas centrifugas de 1 hp", conversation="c-3")
    assert offered.state["pending"] == "stock_offer"
    await say(stack, "y perifericas de 1 hp cuantas tienes?", conversation="c-3")
    instead = await say(stack, "entonces mejor esas, las 12", conversation="c-3")
    assert cart(instead) == [("BOM-TRU-PER-100", 12)]

    await say(stack, "tapon registro 4 x12", conversation="c-6")
    counted = await say(stack, "8", conversation="c-6")
    assert "8" in counted.reply and counted.state["pending"] == "awaiting_confirmation"  # "Anoto 8. ¿De qué…?"
    named = await say(stack, "coladeras", conversation="c-6")
    assert cart(named) == [("SAN-COL-400", 8), ("SAN-TRG-400", 12)]

    await say(stack, "10 codos de 45 pvc sanitario de 4 y 5 yees sanitarias de 4", conversation="c-7")
    swapped = await say(stack, "cambia los codos por coples", conversation="c-7")  # fittings of the same pipe
    assert cart(swapped) == [("SAN-CPL-400", 10), ("SAN-YEE-400", 5)]
    await say(stack, "2 rotomartillos truper y 2 esmeriladoras de 4 1/2", conversation="c-8")
    other = await say(stack, "cambia las esmeriladoras por 4 juegos de brocas para metal", conversation="c-8")
    assert cart(other) == [("BRO-TRU-MET-J13", 4), ("HER-TRU-ROT-12", 2)]  # no grinder's size on the drill bits
    bucket = await say(stack, "necesito 57 litros de impermeabilizante fester 5 años blanco", conversation="c-9")
    assert cart(bucket) == [("IMP-FES-A05-19", 3)] and "19 L" in bucket.reply

    listed = await say(stack, "que tinacos tienes?", conversation="c-4")
    assert "Tinaco" in listed.reply.split("\n")[1]  # the tinacos first, not what is sold for them
