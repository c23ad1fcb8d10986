"""AgentMessage: the seed's schema, strict validation, exact JSON round trip."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from agents.messages import MAX_PAYLOAD_BYTES, AgentMessage


def make(**over: Any) -> AgentMessage:
    base: dict[str, Any] = dict(
        from_agent="order", to_agent="catalog", message_type="request",
        intent="validate_product", tenant_id="ferre-mx", payload={"sku": "PVC-1/2", "qty": 10},
    )
    return AgentMessage(**(base | over))


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) or "__root__" for e in exc.value.errors()}


def test_defaults_follow_the_seed() -> None:
    m = make()
    assert m.priority == 5 and m.timeout_ms == 5000 and m.requires_ack is True
    assert m.timestamp.tzinfo is not None
    assert len(m.trace_id) == 32 and len(m.span_id) == 16
    assert m.id != make().id


def test_exact_json_round_trip() -> None:
    m = make(payload={"texto": "Necesito 10 tubos PVC ½\"", "n": [1, 2.5, None, True], "nested": {"a": {}}},
             conversation_id="c-1", customer_id="CUST-1",
             traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    wire = m.to_json()
    back = AgentMessage.from_json(wire)
    assert back == m
    assert back.to_json() == wire


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"priority": 0}, "priority"),
        ({"priority": 11}, "priority"),
        ({"timeout_ms": 0}, "timeout_ms"),
        ({"timeout_ms": 600_001}, "timeout_ms"),
        ({"message_type": "command"}, "message_type"),
        ({"to_agent": "Catalog Agent"}, "to_agent"),
        ({"tenant_id": "Ferre MX"}, "tenant_id"),
        ({"tenant_id": ""}, "tenant_id"),
        ({"traceparent": "not-a-traceparent"}, "traceparent"),
        ({"payload": {"blob": "x" * MAX_PAYLOAD_BYTES}}, "payload"),
        ({"payload": {"when": datetime(2026, 1, 1)}}, "payload"),
        ({"timestamp": datetime(2026, 1, 1)}, "timestamp"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_input_names_the_field(over: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        make(**over)
    assert field in field_of(exc)


def test_tenant_is_required() -> None:
    with pytest.raises(ValidationError) as exc:
        AgentMessage(from_agent="a", to_agent="b", message_type="event", intent="x")  # type: ignore[call-arg]
    assert "tenant_id" in field_of(exc)


@pytest.mark.parametrize("kind", ["response", "error"])
def test_responses_and_errors_need_reply_to(kind: str) -> None:
    with pytest.raises(ValidationError, match="reply_to is required"):
        make(message_type=kind)


def test_only_events_are_broadcast() -> None:
    with pytest.raises(ValidationError, match="broadcast"):
        make(to_agent="broadcast")
    assert make(to_agent="broadcast", message_type="event").to_agent == "broadcast"


def test_reply_is_correlated_and_keeps_the_trace() -> None:
    req = make(traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", conversation_id="c")
    resp = req.reply(from_agent="catalog", intent="product_validated", payload={"ok": True})
    assert (resp.reply_to, resp.to_agent, resp.message_type) == (req.id, "order", "response")
    assert (resp.trace_id, resp.tenant_id, resp.conversation_id) == (req.trace_id, req.tenant_id, "c")
    assert req.reply(from_agent="catalog", intent="x", error=True).message_type == "error"


def test_malformed_json_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        AgentMessage.from_json(b"{not json")


def test_urgent_lane_is_priority_8_to_10() -> None:
    assert [make(priority=p).urgent for p in (7, 8, 10)] == [False, True, True]
