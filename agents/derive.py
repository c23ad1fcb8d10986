"""What the background agents share: their clock and messages that continue another's trace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agents.messages import AgentMessage, MessageType
from core.locale import MEXICO_CITY as LOCAL_TZ
from core.locale import local_now

#: Returns the current time, timezone-aware; tests pass a controllable one.
Clock = Callable[[], datetime]

__all__ = ["LOCAL_TZ", "Clock", "derived", "local_now"]


def derived(
    source: AgentMessage | None, *, tenant: str, from_agent: str, to_agent: str, intent: str,
    payload: dict[str, Any], message_type: MessageType = "event", customer_id: str | None = None,
    trace_id: str | None = None,
) -> AgentMessage:
    """A message caused by `source` (or by a scheduled job), on the same trace, so an auditor
    reading the tenant's audit stream can follow one flow from end to end."""
    extra: dict[str, Any] = {}
    if source is not None:
        extra = {"trace_id": source.trace_id, "traceparent": source.traceparent,
                 "conversation_id": source.conversation_id}
        customer_id = customer_id or source.customer_id
    elif trace_id is not None:
        extra = {"trace_id": trace_id}
    return AgentMessage(
        from_agent=from_agent, to_agent=to_agent, message_type=message_type, intent=intent,
        tenant_id=tenant, customer_id=customer_id, payload=payload, **extra,
    )
