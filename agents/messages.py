"""`AgentMessage`: the seed's message schema as a strict pydantic v2 model."""

from __future__ import annotations

import json
import os
import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.tenants import AGENT_RE, TENANT_RE

BROADCAST = "broadcast"
MAX_PAYLOAD_BYTES = 256 * 1024
URGENT_PRIORITY = 8  # 8-10 ride the urgent lane

MessageType = Literal["request", "response", "event", "error"]
_TRACEPARENT_RE = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def _new_trace_id() -> str:
    return os.urandom(16).hex()


def _new_span_id() -> str:
    return os.urandom(8).hex()


def _agent_name(value: str) -> str:
    if value != BROADCAST and not AGENT_RE.fullmatch(value):
        raise ValueError("must be an agent name (lowercase letters, digits, _) or 'broadcast'")
    return value


def _sender_name(value: str) -> str:
    if not AGENT_RE.fullmatch(value):
        raise ValueError("must be an agent name (lowercase letters, digits, _)")
    return value


def _tenant_slug(value: str) -> str:
    if not TENANT_RE.fullmatch(value):
        raise ValueError("must be a lowercase slug: a-z, 0-9 and inner dashes, 1-63 characters")
    return value


AgentName = Annotated[str, AfterValidator(_agent_name)]
SenderName = Annotated[str, AfterValidator(_sender_name)]
TenantId = Annotated[str, AfterValidator(_tenant_slug)]


class AgentMessage(BaseModel):
    """One message on the bus: a request, its response, an event or an error."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()), min_length=1, max_length=128)
    timestamp: datetime = Field(default_factory=lambda: datetime.now(UTC))

    from_agent: SenderName
    to_agent: AgentName
    reply_to: str | None = Field(default=None, min_length=1, max_length=128)

    message_type: MessageType
    intent: str = Field(min_length=1, max_length=128)
    payload: dict[str, Any] = Field(default_factory=dict)

    priority: int = Field(default=5, ge=1, le=10)
    timeout_ms: int = Field(default=5000, ge=1, le=600_000)
    requires_ack: bool = True

    tenant_id: TenantId
    conversation_id: str | None = Field(default=None, max_length=256)
    customer_id: str | None = Field(default=None, max_length=256)

    trace_id: str = Field(default_factory=_new_trace_id, pattern=r"^[0-9a-f]{32}$")
    span_id: str = Field(default_factory=_new_span_id, pattern=r"^[0-9a-f]{16}$")
    traceparent: str | None = Field(default=None, description="W3C trace context of the sender")

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must carry a timezone (UTC recommended)")
        return value

    @field_validator("traceparent")
    @classmethod
    def _w3c(cls, value: str | None) -> str | None:
        if value is not None and not _TRACEPARENT_RE.fullmatch(value):
            raise ValueError("must be a W3C traceparent: 00-<32 hex>-<16 hex>-<2 hex>")
        return value

    @field_validator("payload")
    @classmethod
    def _bounded_json(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        if info.context and info.context.get("wire_bytes", MAX_PAYLOAD_BYTES + 1) <= MAX_PAYLOAD_BYTES:
            return value  # parsed from JSON no larger than the limit: the payload cannot exceed it
        try:
            size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
        except (TypeError, ValueError) as exc:
            raise ValueError(f"must be JSON-serialisable: {exc}") from exc
        if size > MAX_PAYLOAD_BYTES:
            raise ValueError(f"is {size} bytes serialised; the limit is {MAX_PAYLOAD_BYTES}")
        return value

    @model_validator(mode="after")
    def _correlated(self) -> Self:
        if self.message_type in ("response", "error") and self.reply_to is None:
            raise ValueError(f"reply_to is required for a {self.message_type}")
        if self.to_agent == BROADCAST and self.message_type != "event":
            raise ValueError("only events can be sent to 'broadcast'")
        return self

    @property
    def urgent(self) -> bool:
        """Priority 8-10: served before everything else."""
        return self.priority >= URGENT_PRIORITY

    def to_json(self) -> str:
        """The wire form; `AgentMessage.from_json(m.to_json()) == m` exactly."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, data: str | bytes) -> AgentMessage:
        """Parse the wire form; raises `pydantic.ValidationError` naming the bad field."""
        return cls.model_validate_json(data, context={"wire_bytes": len(data)})

    def caused(self, **fields: Any) -> AgentMessage:
        """A new message caused by this one: the same tenant, trace, conversation and customer,
        unless `fields` name others (None inherits), so one flow reads end to end in the audit."""
        inherited: dict[str, Any] = {
            "tenant_id": self.tenant_id, "trace_id": self.trace_id, "traceparent": self.traceparent,
            "conversation_id": self.conversation_id, "customer_id": self.customer_id,
        }
        return AgentMessage(**(inherited | {k: v for k, v in fields.items() if v is not None}))

    def reply(self, *, from_agent: str, intent: str, payload: dict[str, Any] | None = None,
              error: bool = False) -> AgentMessage:
        """A response (or error) to this request, correlated by `reply_to` and the same trace."""
        return self.caused(
            from_agent=from_agent, to_agent=self.from_agent, reply_to=self.id,
            message_type="error" if error else "response", intent=intent, payload=payload or {},
            priority=self.priority,
        )
