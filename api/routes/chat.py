"""`POST /v1/chat` and `POST /v1/chat/stream`: a customer message through the supervisor graph."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, status
from sse_starlette import EventSourceResponse, ServerSentEvent

from agents.contracts import NodeEvent
from api.deps import RunnerDep, TenantDep
from api.schemas import ChatRequest, ChatResponse, ErrorResponse
from graph.runner import ConversationBusyError, TurnResult

router = APIRouter(prefix="/v1", tags=["chat"])
ERRORS = {400: {"model": ErrorResponse, "description": "The body is not valid JSON text"},
          401: {"model": ErrorResponse}, 409: {"model": ErrorResponse}, 413: {"model": ErrorResponse}}


def _conversation(body: ChatRequest) -> str:
    return body.conversation_id or f"rest-{uuid.uuid4().hex}"


@router.post("/chat", response_model=ChatResponse, responses=ERRORS, summary="One turn of a conversation")
async def chat(body: ChatRequest, tenant: TenantDep, runner: RunnerDep) -> ChatResponse:
    """Run the customer's message; a message for a conversation whose turn is running waits for it."""
    try:
        result = await runner.run_turn(tenant=tenant, conversation_id=_conversation(body),
                                       customer_id=body.customer_id, text=body.text, channel="rest")
    except ConversationBusyError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return ChatResponse.model_validate(result.model_dump())


@router.post(
    "/chat/stream", responses={200: {"content": {"text/event-stream": {}},
                                     "description": "`node` per transition, then `reply`, then `done`."}} | ERRORS,
    summary="One turn, as server-sent events", response_class=EventSourceResponse,
)
async def chat_stream(body: ChatRequest, tenant: TenantDep, runner: RunnerDep) -> EventSourceResponse:
    """The same turn as `/v1/chat`, streamed: each node start/end as it happens, then the reply."""
    conversation = _conversation(body)

    async def events() -> AsyncIterator[ServerSentEvent]:
        try:
            async for item in runner.stream_turn(tenant=tenant, conversation_id=conversation,
                                                 customer_id=body.customer_id, text=body.text, channel="rest"):
                if isinstance(item, NodeEvent):
                    yield ServerSentEvent(event="node", data=item.model_dump_json())
                elif isinstance(item, TurnResult):
                    yield ServerSentEvent(event="reply", data=item.model_dump_json())
        except ConversationBusyError as exc:
            yield ServerSentEvent(event="error", data=json.dumps({"detail": str(exc)}))
        yield ServerSentEvent(event="done", data=json.dumps({"conversation_id": conversation}))

    return EventSourceResponse(events(), ping=15)
