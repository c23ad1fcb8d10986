"""Audit over the checkpointer: a conversation's checkpoints, the state at any of them, and where a
replay or a fork starts (the runner runs them, mirroring them to the audit stream like any turn).

Replays and forks start from the parent graph's checkpoints only, because time travel into a
subgraph's own checkpoint is fragile upstream (langgraph#8458). `thread_config` is the one way a
conversation (and a checkpoint of it) is named to LangGraph.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, StateSnapshot
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


def thread_config(tenant: str, conversation_id: str, checkpoint_id: str | None = None) -> dict[str, Any]:
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


class ConversationAudit:
    """Reads a compiled graph's checkpoints for audit, and prepares replays and forks from them."""

    def __init__(self, graph: CompiledStateGraph) -> None:
        self.graph = graph

    async def history(self, tenant: str, conversation_id: str, *, limit: int | None = None) -> list[CheckpointInfo]:
        """The conversation's parent-graph checkpoints, newest first; empty for an unknown conversation."""
        out: list[CheckpointInfo] = []
        # AsyncRedisSaver (0.5) lists subgraph checkpoints too when asked for namespace "": keep
        # the parent graph's, the only ones an audit replay may start from.
        async for snapshot in self.graph.aget_state_history(thread_config(tenant, conversation_id)):
            if snapshot.config["configurable"].get("checkpoint_ns", "") == "":
                out.append(_info(snapshot))
                if limit is not None and len(out) >= limit:
                    break
        return out

    async def state(self, tenant: str, conversation_id: str, checkpoint_id: str | None = None) -> StateSnapshot:
        """The state at a checkpoint (the latest when None); raises CheckpointNotFoundError."""
        snapshot = await self.graph.aget_state(thread_config(tenant, conversation_id, checkpoint_id))
        if snapshot.created_at is None:
            raise CheckpointNotFoundError(
                f"conversation {conversation_id!r} has no checkpoint {checkpoint_id!r}" if checkpoint_id
                else f"conversation {conversation_id!r} has no checkpoints"
            )
        return snapshot

    async def replay_from(self, tenant: str, conversation_id: str, checkpoint_id: str) -> dict[str, Any]:
        """The config that re-runs from a checkpoint (a new branch); raises CheckpointNotFoundError."""
        await self.state(tenant, conversation_id, checkpoint_id)
        return thread_config(tenant, conversation_id, checkpoint_id)

    async def fork_from(self, tenant: str, conversation_id: str, checkpoint_id: str,
                        values: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Branch from a checkpoint with edited values: the run's input and config."""
        snapshot = await self.state(tenant, conversation_id, checkpoint_id)
        # The edit is written as the supervisor's (the node that routes), which leaves the new
        # branch with no next node of its own; going on to the nodes the original checkpoint
        # had next makes the fork run what a replay from it would run.
        forked = await self.graph.aupdate_state(
            thread_config(tenant, conversation_id, checkpoint_id), values, as_node="supervisor")
        return (Command(goto=list(snapshot.next)) if snapshot.next else None), forked
