"""The bus contracts: one payload model per message, its intent and dedupe key, and the one factory."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from agents.contracts import (
    COLLECTIONS,
    WHATSAPP_OUTBOUND,
    CustomerMessage,
    HandoffRequested,
    LowStock,
    NodeEvent,
    OrderCreated,
    Pong,
    PromiseToPay,
    SendReply,
    TemplateSpec,
    message,
    reply,
)
from agents.messages import AgentMessage

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def cause() -> AgentMessage:
    return AgentMessage(from_agent="whatsapp_webhook", to_agent="conversation", message_type="event",
                        intent="customer_message", tenant_id="ferre-mx", conversation_id="wa:5215511112222",
                        customer_id="CUST-0003", traceparent=TRACEPARENT, payload={})


def test_a_payload_travels_as_the_json_its_consumer_reads_back() -> None:
    send = SendReply(to="5215511112222", text="Hola", step_key="wa:1:3",
                     template=TemplateSpec(name="orkesta_reply", body_parameters=["Hola"]))
    m = message(send, from_agent=COLLECTIONS, to_agent=WHATSAPP_OUTBOUND, tenant="ferre-mx")
    assert (m.intent, m.to_agent, m.message_type) == ("send_reply", WHATSAPP_OUTBOUND, "event")
    assert SendReply.read(AgentMessage.from_json(m.to_json())) == send
    assert m.payload["template"] == {"name": "orkesta_reply", "language": "es_MX", "body_parameters": ["Hola"]}


def test_money_and_dates_are_json_strings_as_before() -> None:
    created = OrderCreated(order_id="ORD-1", gross=Decimal("1571.35"), lines=[{"sku": "PVC", "quantity": 10}])
    assert created.model_dump(mode="json") == {"order_id": "ORD-1", "gross": "1571.35", "currency": "MXN",
                                               "lines": [{"sku": "PVC", "quantity": 10}]}
    promise = PromiseToPay(promise_id="PRM-1", promised_date=date(2026, 11, 27), amount=Decimal("5000"))
    assert promise.model_dump(mode="json") == {"promise_id": "PRM-1", "promised_date": "2026-11-27",
                                               "amount": "5000"}


def test_side_effects_name_their_dedupe_key() -> None:
    assert SendReply(to="x", text="t", step_key="cobranza:C:2026-11-10").effect_key == \
        "send_reply:cobranza:C:2026-11-10"
    assert LowStock(sku="PVC", stock=3, reorder_point=10, order_id="ORD-1").effect_key == "low_stock:ORD-1:PVC"
    assert CustomerMessage(wamid="wamid.A", wa_id="52155", text="hola").effect_key == "wa-inbound:wamid.A"
    assert Pong(echo={}).effect_key is None  # an answer, not a side effect


def test_reading_refuses_another_intent_and_names_a_bad_field() -> None:
    with pytest.raises(ValueError, match="expected a 'send_reply' message, got 'customer_message'"):
        SendReply.read(cause())
    bad = message({"to": "x", "step_key": "s"}, intent="send_reply", from_agent=COLLECTIONS, tenant="ferre-mx")
    with pytest.raises(ValidationError, match="text"):
        SendReply.read(bad)


def test_a_caused_message_continues_its_cause() -> None:
    source = cause()
    follow = message(SendReply(to="x", text="t", step_key="s"), from_agent="conversation",
                     to_agent=WHATSAPP_OUTBOUND, cause=source)
    assert (follow.tenant_id, follow.conversation_id, follow.customer_id, follow.trace_id, follow.traceparent) == (
        source.tenant_id, source.conversation_id, source.customer_id, source.trace_id, source.traceparent)
    other = message(SendReply(to="x", text="t", step_key="s"), from_agent="conversation", to_agent=WHATSAPP_OUTBOUND,
                    cause=source, customer_id="CUST-0009")
    assert other.customer_id == "CUST-0009" and other.conversation_id == source.conversation_id
    assert follow.id != source.id


def test_a_message_needs_a_tenant_and_a_plain_payload_an_intent() -> None:
    with pytest.raises(ValueError, match="needs a tenant"):
        message(Pong(echo={}), from_agent="ping")
    with pytest.raises(ValueError, match="needs an intent"):
        message({"a": 1}, from_agent="ping", tenant="ferre-mx")


def test_a_reply_is_correlated_to_its_request() -> None:
    request = AgentMessage(from_agent="order", to_agent="ping", message_type="request", intent="ping",
                           tenant_id="ferre-mx", priority=9, payload={"n": 1})
    answer = reply(request, Pong(echo=request.payload), from_agent="ping")
    assert (answer.reply_to, answer.to_agent, answer.message_type, answer.intent, answer.priority) == (
        request.id, "order", "response", "pong", 9)
    assert answer.trace_id == request.trace_id and answer.payload == {"echo": {"n": 1}}


def test_node_events_go_out_under_their_kind() -> None:
    event = NodeEvent(kind="node_end", node="catalog.search", task_id="t1", checkpoint_id="cp1")
    m = message(event, intent=event.kind, from_agent="catalog", tenant="ferre-mx", conversation_id="c-1")
    assert m.intent == "node_end" and m.payload["node"] == "catalog.search"


def test_a_handoff_is_one_effect_per_conversation_turn_with_bounded_words() -> None:
    handoff = HandoffRequested(conversation_id="wa:5215511112222", turn=4, reason="complaint",
                               text="Me llegó incompleto el pedido")
    assert handoff.effect_key == "handoff_requested:wa:5215511112222:4" and handoff.language == "es"
    m = message(handoff, from_agent="conversation", tenant="ferre-mx")
    assert (m.intent, m.to_agent) == ("handoff_requested", "broadcast")
    assert HandoffRequested.read(AgentMessage.from_json(m.to_json())) == handoff
    for bad in ({"reason": "angry"}, {"text": ""}, {"text": "x" * 4097}, {"turn": -1}, {"language": "fr"},
                {"conversation_id": ""}):
        with pytest.raises(ValidationError, match=next(iter(bad))):
            HandoffRequested.model_validate(handoff.model_dump() | bad)
