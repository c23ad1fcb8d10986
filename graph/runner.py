"""Runs one conversation turn through the compiled graph, mirroring node transitions to audit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import HumanMessage
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from pydantic import BaseModel
from redis.exceptions import LockNotOwnedError

from agents.bus import EventBus
from agents.contracts import NodeEvent
from checkpoints.audit import ConversationAudit, thread_config
from core.telemetry import Metrics
from core.tenants import TenantKeys
from graph.bridge import EventBridge
from graph.state import Channel

log = logging.getLogger(__name__)

STREAM_MODES = ["tasks", "checkpoints"]
#: A turn holds its conversation's lock at most this long (a crashed holder frees it then).
TURN_LOCK_TTL_S = 300
#: A second message waits this long for the turn ahead of it before giving up.
TURN_WAIT_S = 120


class ConversationBusyError(TimeoutError):
    """The conversation's previous turn did not finish in time for this one to run."""


class TurnResult(BaseModel):
    """What a turn produced: the reply, the decision, the route and where it was checkpointed."""

    conversation_id: str
    reply: str | None
    intent: str | None
    route: list[str]
    state: dict[str, Any]
    checkpoint_id: str | None
    interrupt: dict[str, Any] | None = None  # set when the turn waits for a human


class ConversationRunner:
    """One per process: the compiled graph (with its checkpointer), the bus and metrics."""

    def __init__(self, graph: CompiledStateGraph, bus: EventBus, metrics: Metrics) -> None:
        self.graph = graph
        self.bus = bus
        self.metrics = metrics
        self.audit = ConversationAudit(graph)

    async def stream_turn(
        self, *, tenant: str, conversation_id: str, customer_id: str, text: str, channel: Channel = "rest",
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        """Run a customer message; yields node events as they happen, then the `TurnResult`."""
        payload = {"messages": [HumanMessage(content=text)], "tenant_id": tenant,
                   "conversation_id": conversation_id, "customer_id": customer_id, "channel": channel}
        async for item in self._run(payload, tenant=tenant, conversation_id=conversation_id, customer_id=customer_id):
            yield item

    async def stream_resume(
        self, *, tenant: str, conversation_id: str, value: Any, customer_id: str | None = None,
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        """Resume a turn paused on `interrupt()` (a human's approval) with `value`."""
        async for item in self._run(Command(resume=value), tenant=tenant, conversation_id=conversation_id,
                                    customer_id=customer_id):
            yield item

    async def stream_replay(
        self, *, tenant: str, conversation_id: str, checkpoint_id: str
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        """Re-run from a parent-graph checkpoint (a new branch); side effects are not repeated."""
        config = await self.audit.replay_from(tenant, conversation_id, checkpoint_id)
        async for item in self._run(None, tenant=tenant, conversation_id=conversation_id, customer_id=None,
                                    config=config):
            yield item

    async def stream_fork(
        self, *, tenant: str, conversation_id: str, checkpoint_id: str, values: dict[str, Any]
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        """Branch from a checkpoint with edited values and run on from there."""
        payload, forked = await self.audit.fork_from(tenant, conversation_id, checkpoint_id, values)
        async for item in self._run(payload, tenant=tenant, conversation_id=conversation_id, customer_id=None,
                                    config=forked):
            yield item

    async def run_turn(self, **kwargs: Any) -> TurnResult:
        """`stream_turn`, keeping only the result."""
        return await _last(self.stream_turn(**kwargs))

    async def resume(self, **kwargs: Any) -> TurnResult:
        """`stream_resume`, keeping only the result."""
        return await _last(self.stream_resume(**kwargs))

    async def _run(
        self, payload: Any, *, tenant: str, conversation_id: str, customer_id: str | None,
        config: dict[str, Any] | None = None,
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        config = config or thread_config(tenant, conversation_id)
        # One turn at a time per conversation, across processes: a message that arrives while
        # a turn runs (double-texting) waits its turn instead of racing it on the same thread.
        lock = self.bus.redis.lock(TenantKeys(tenant).key("turn-lock", conversation_id),
                                   timeout=TURN_LOCK_TTL_S, blocking_timeout=TURN_WAIT_S, sleep=0.02)
        if not await lock.acquire():
            raise ConversationBusyError(f"conversation {conversation_id!r} is still busy with its previous turn")
        try:
            async for item in self._run_locked(payload, config, tenant=tenant, conversation_id=conversation_id,
                                               customer_id=customer_id):
                yield item
        finally:
            try:
                await lock.release()
            except LockNotOwnedError:  # the turn outlived the lock's TTL; the next turn may have started
                log.warning("turn of %s outlived its %d s lock", conversation_id, TURN_LOCK_TTL_S)

    async def _run_locked(
        self, payload: Any, config: dict[str, Any], *, tenant: str, conversation_id: str, customer_id: str | None,
    ) -> AsyncIterator[NodeEvent | TurnResult]:
        bridge = EventBridge(self.bus, self.metrics, tenant=tenant, conversation_id=conversation_id,
                             customer_id=customer_id)
        last: dict[str, Any] | None = None  # the run's latest parent checkpoint, as streamed
        interrupted = False
        try:
            async for namespace, mode, chunk in self.graph.astream(
                payload, config, stream_mode=STREAM_MODES, subgraphs=True
            ):
                for event in bridge.observe(namespace, mode, chunk):
                    yield event
                if mode == "checkpoints" and not namespace:
                    last = chunk
                    await bridge.flush()  # one write per parent superstep
                elif mode == "tasks" and chunk.get("interrupts"):
                    interrupted = True
            for event in bridge.close():
                yield event
        finally:
            await bridge.flush()
        if last is not None and not last["next"] and not interrupted:
            # The run ended at this checkpoint (stored by now: the run waits for its writes),
            # so its streamed values are the conversation's state; no need to read it back.
            yield _turn_result(conversation_id, last["values"], last["config"]["configurable"]["checkpoint_id"])
        else:  # paused on an interrupt, or nothing ran: the stored state says where it stands
            yield await self.result(tenant, conversation_id)

    async def result(self, tenant: str, conversation_id: str) -> TurnResult:
        """The conversation's latest state, as a `TurnResult`."""
        snapshot = await self.graph.aget_state(thread_config(tenant, conversation_id))
        interrupts = [i.value for i in snapshot.interrupts] if snapshot.interrupts else []
        return _turn_result(conversation_id, snapshot.values, snapshot.config["configurable"].get("checkpoint_id"),
                            interrupt=interrupts[0] if interrupts else None)

    async def pending_interrupt(self, tenant: str, conversation_id: str) -> dict[str, Any] | None:
        """What the conversation's paused turn asks a human, or None; raises CheckpointNotFoundError."""
        await self.audit.state(tenant, conversation_id)
        return (await self.result(tenant, conversation_id)).interrupt


def _turn_result(
    conversation_id: str, values: dict[str, Any], checkpoint_id: str | None, *, interrupt: Any = None,
) -> TurnResult:
    return TurnResult(
        conversation_id=conversation_id,
        reply=values.get("reply"),
        intent=values.get("intent"),
        route=values.get("route") or [],
        state=public_state(values),
        checkpoint_id=checkpoint_id,
        interrupt=interrupt,
    )


def public_state(values: dict[str, Any]) -> dict[str, Any]:
    """The state as JSON: messages become {role, content}."""
    out = {k: v for k, v in values.items() if k != "messages"}
    out["messages"] = [{"role": m.type, "content": m.content} for m in values.get("messages") or []]
    return out


async def _last(stream: AsyncIterator[NodeEvent | TurnResult]) -> TurnResult:
    result: TurnResult | None = None
    async for item in stream:
        if isinstance(item, TurnResult):
            result = item
    assert result is not None
    return result
