"""Audit of a conversation: its checkpoints, the state at one, replay and fork; human approval."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, status

from agents.conversation import send_decision
from api.deps import RunnerDep, TenantDep
from api.schemas import (
    ID_PATTERN,
    ApprovalRequest,
    ChatResponse,
    ErrorResponse,
    ForkRequest,
    HistoryResponse,
    ReplayRequest,
    StateResponse,
)
from checkpoints.audit import CheckpointNotFoundError
from graph.runner import ConversationBusyError, TurnResult, public_state
from graph.state import OrkestaState

router = APIRouter(prefix="/v1/conversations", tags=["audit"])
ERRORS = {400: {"model": ErrorResponse, "description": "The body is not valid JSON text"},
          401: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}}
ConversationPath = Annotated[str, Path(pattern=ID_PATTERN)]
#: What a fork may edit: the state's fields, but not the transcript (forks never rewrite what was said).
FORKABLE = (OrkestaState.__required_keys__ | OrkestaState.__optional_keys__) - {
    "messages", "tenant_id", "conversation_id"}


def _not_found(exc: Exception) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, str(exc))


async def _run(stream: Any) -> ChatResponse:
    result: TurnResult | None = None
    try:
        async for item in stream:
            if isinstance(item, TurnResult):
                result = item
    except CheckpointNotFoundError as exc:
        raise _not_found(exc) from None
    except ConversationBusyError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    assert result is not None
    return ChatResponse.model_validate(result.model_dump())


@router.get("/{conversation_id}/history", response_model=HistoryResponse, responses=ERRORS)
async def get_history(
    conversation_id: ConversationPath, tenant: TenantDep, runner: RunnerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> HistoryResponse:
    """The conversation's parent-graph checkpoints, newest first."""
    checkpoints = await runner.audit.history(tenant, conversation_id, limit=limit)
    if not checkpoints:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no conversation {conversation_id!r}")
    return HistoryResponse(conversation_id=conversation_id, checkpoints=checkpoints)


@router.get("/{conversation_id}/state", response_model=StateResponse, responses=ERRORS)
async def get_state(
    conversation_id: ConversationPath, tenant: TenantDep, runner: RunnerDep,
    checkpoint_id: Annotated[str | None, Query(max_length=64)] = None,
) -> StateResponse:
    """The state at a checkpoint (the latest when none is named)."""
    try:
        snapshot = await runner.audit.state(tenant, conversation_id, checkpoint_id)
    except CheckpointNotFoundError as exc:
        raise _not_found(exc) from None
    return StateResponse(
        conversation_id=conversation_id, checkpoint_id=snapshot.config["configurable"]["checkpoint_id"],
        created_at=snapshot.created_at, next=list(snapshot.next), values=public_state(dict(snapshot.values)),
    )


@router.post("/{conversation_id}/replay", response_model=ChatResponse, responses=ERRORS)
async def replay(conversation_id: ConversationPath, body: ReplayRequest, tenant: TenantDep,
                 runner: RunnerDep) -> ChatResponse:
    """Re-run from a checkpoint on a new branch; payment links, orders and messages are not repeated."""
    return await _run(runner.stream_replay(tenant=tenant, conversation_id=conversation_id,
                                           checkpoint_id=body.checkpoint_id))


@router.post("/{conversation_id}/fork", response_model=ChatResponse,
             responses=ERRORS | {422: {"model": ErrorResponse}})
async def fork(conversation_id: ConversationPath, body: ForkRequest, tenant: TenantDep,
               runner: RunnerDep) -> ChatResponse:
    """Branch from a checkpoint with edited state values and run on; side effects are not repeated."""
    unknown = sorted(set(body.values) - FORKABLE)
    if unknown:
        raise HTTPException(422,
                            f"cannot fork with {', '.join(unknown)}; editable: {', '.join(sorted(FORKABLE))}")
    return await _run(runner.stream_fork(tenant=tenant, conversation_id=conversation_id,
                                         checkpoint_id=body.checkpoint_id, values=body.values))


@router.post("/{conversation_id}/approval", response_model=ChatResponse, responses=ERRORS)
async def approve(conversation_id: ConversationPath, body: ApprovalRequest, tenant: TenantDep,
                  runner: RunnerDep) -> ChatResponse:
    """Answer a turn paused for a human's credit approval; it resumes from where it stopped.

    The decision's reply is this response's; a WhatsApp customer also gets it on WhatsApp.
    """
    try:
        current = await runner.pending_interrupt(tenant, conversation_id)
    except CheckpointNotFoundError as exc:
        raise _not_found(exc) from None
    if current is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "this conversation is not waiting for an approval")
    response = await _run(runner.stream_resume(tenant=tenant, conversation_id=conversation_id,
                                               value=body.model_dump()))
    await send_decision(runner.bus, tenant=tenant, conversation_id=conversation_id, result=response)
    return response

