"""HTTP bodies of the `/v1` API (requests and responses), shared by the routes and OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from agents.messages import AgentMessage
from checkpoints.audit import CheckpointInfo

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"
ConversationId = Field(pattern=ID_PATTERN, description="Letters, digits and `_.:-`, up to 128 characters.")


class ChatRequest(BaseModel):
    """One customer message."""

    model_config = ConfigDict(extra="forbid")

    customer_id: str = Field(min_length=1, max_length=128, pattern=r"^\S+$", examples=["CUST-0003"])
    text: str = Field(min_length=1, max_length=4096, examples=["Necesito 10 tubos PVC de 1/2"])
    conversation_id: str | None = Field(default=None, pattern=ID_PATTERN,
                                        description="Continue this conversation; a new one when omitted.")


class ChatResponse(BaseModel):
    """The turn's answer and where it left the conversation."""

    conversation_id: str
    reply: str | None
    intent: str | None
    route: list[str] = Field(description="The nodes this turn passed through, subgraph nodes as `subgraph.node`.")
    state: dict[str, Any]
    checkpoint_id: str | None
    interrupt: dict[str, Any] | None = Field(default=None, description="Set while the turn waits for a human.")


class ReplayRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    checkpoint_id: str = Field(min_length=1, max_length=64)


class ForkRequest(ReplayRequest):
    values: dict[str, Any] = Field(description="State fields to change on the new branch (not `messages`).")


class ApprovalRequest(BaseModel):
    """A human's answer to a turn paused for credit approval."""

    model_config = ConfigDict(extra="forbid")

    approved: bool
    by: str = Field(min_length=1, max_length=128, description="Who decided, for the audit trail.")


class HistoryResponse(BaseModel):
    conversation_id: str
    checkpoints: list[CheckpointInfo] = Field(description="Parent-graph checkpoints, newest first.")


class StateResponse(BaseModel):
    conversation_id: str
    checkpoint_id: str
    created_at: datetime | None
    next: list[str]
    values: dict[str, Any]


class AuditEntry(BaseModel):
    entry_id: str
    message: AgentMessage


class AuditResponse(BaseModel):
    entries: list[AuditEntry]


class ErrorResponse(BaseModel):
    detail: str | list[dict[str, Any]]
