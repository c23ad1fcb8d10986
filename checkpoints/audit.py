"""Audit over the checkpointer: list a conversation's checkpoints and read the state at any of them.

Replay and fork run the graph, so they live with the runner (`graph.runner`); they start
from the parent graph's checkpoints only, because time travel into a subgraph's own
checkpoint is fragile upstream (langgraph#8458).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StateSnapshot
from pydantic import BaseModel

from checkpoints.saver import thread_id


class CheckpointNotFoundError(LookupError):
    """No such checkpoint in this tenant's conversation."""


class CheckpointInfo(BaseModel):
    """One checkpoint of a conversation, newest first in a history."""

    checkpoint_id: str
    parent_checkpoint_id: str | None
    step: int
    source: str | None  # input | loop | update | fork
    next: list[str]  # the nodes that run after it (what a replay from here re-executes)
    created_at: datetime | None
    intent: str | None
    reply: str | None


def config_at(tenant: str, conversation_id: str, checkpoint_id: str | None = None) -> dict[str, Any]:
    """The config naming a conversation (and optionally one of its parent-graph checkpoints)."""
    configurable: dict[str, Any] = {"thread_id": thread_id(tenant, conversation_id), "checkpoint_ns": ""}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _info(snapshot: StateSnapshot) -> CheckpointInfo:
    meta = snapshot.metadata or {}
    parent = (snapshot.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    return CheckpointInfo(
        checkpoint_id=snapshot.config["configurable"]["checkpoint_id"],
        parent_checkpoint_id=parent,
        step=int(meta.get("step", -1)),
        source=meta.get("source"),
        next=list(snapshot.next),
        created_at=datetime.fromisoformat(snapshot.created_at) if snapshot.created_at else None,
        intent=snapshot.values.get("intent"),
        reply=snapshot.values.get("reply"),
    )


async def history(
    graph: CompiledStateGraph, tenant: str, conversation_id: str, *, limit: int | None = None
) -> list[CheckpointInfo]:
    """The conversation's parent-graph checkpoints, newest first; empty for an unknown conversation."""
    out: list[CheckpointInfo] = []
    # AsyncRedisSaver (0.5) lists subgraph checkpoints too when asked for namespace "": keep
    # the parent graph's, the only ones an audit replay may start from.
    async for snapshot in graph.aget_state_history(config_at(tenant, conversation_id)):
        if snapshot.config["configurable"].get("checkpoint_ns", "") == "":
            out.append(_info(snapshot))
            if limit is not None and len(out) >= limit:
                break
    return out


async def state_at(
    graph: CompiledStateGraph, tenant: str, conversation_id: str, checkpoint_id: str | None = None
) -> StateSnapshot:
    """The state at a checkpoint (the latest when None); raises CheckpointNotFoundError."""
    snapshot = await graph.aget_state(config_at(tenant, conversation_id, checkpoint_id))
    if snapshot.created_at is None:
        raise CheckpointNotFoundError(
            f"conversation {conversation_id!r} has no checkpoint {checkpoint_id!r}" if checkpoint_id
            else f"conversation {conversation_id!r} has no checkpoints"
        )
    return snapshot
