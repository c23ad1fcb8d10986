"""The event bridge: every node start and end of a run, subgraph nodes included, as an
`AgentMessage` on the tenant's audit stream, carrying the checkpoint id.

It reads LangGraph's own stream (`tasks` and `checkpoints` modes, `subgraphs=True`) rather
than wrapping nodes, so what it reports is what the runtime did. A node starts from the
latest checkpoint of its namespace (replaying from that checkpoint re-runs it); its end
carries the checkpoint that recorded its writes.
"""

from __future__ import annotations

import time
from typing import Any

from agents.bus import EventBus
from agents.contracts import NodeEvent, message
from agents.messages import AgentMessage
from core.telemetry import Metrics


def _node_name(namespace: tuple[str, ...], name: str) -> str:
    parents = [part.split(":", 1)[0] for part in namespace]
    return ".".join([*parents, name])


class EventBridge:
    """Turns one run's stream into node events and writes them to the audit stream in batches."""

    def __init__(
        self, bus: EventBus, metrics: Metrics, *, tenant: str, conversation_id: str, customer_id: str | None
    ) -> None:
        self.bus = bus
        self.metrics = metrics
        self.tenant = tenant
        self.conversation_id = conversation_id
        self.customer_id = customer_id
        self._latest: dict[tuple[str, ...], str] = {}
        self._step: dict[tuple[str, ...], int] = {}
        self._started: dict[str, tuple[float, tuple[str, ...], str]] = {}
        self._ended: list[tuple[tuple[str, ...], NodeEvent]] = []  # waiting for their checkpoint
        self._outbox: list[AgentMessage] = []

    def observe(self, namespace: tuple[str, ...], mode: str, chunk: dict[str, Any]) -> list[NodeEvent]:
        """Digest one stream item; return the node events it completes."""
        if mode == "checkpoints":
            return self._on_checkpoint(namespace, chunk)
        if mode != "tasks":
            return []
        task_id, name = str(chunk["id"]), str(chunk["name"])
        node = _node_name(namespace, name)
        if "result" not in chunk and "error" not in chunk:  # a task starting
            self._started[task_id] = (time.perf_counter(), namespace, node)
            event = NodeEvent(kind="node_start", node=node, step=self._step.get(namespace), task_id=task_id,
                              checkpoint_id=self._latest.get(namespace),
                              parent_checkpoint_id=self._latest.get(()) if namespace else None)
            self._emit(event)
            return [event]
        started = self._started.pop(task_id, None)
        if started is not None:
            self.metrics.node_latency.labels(node).observe(time.perf_counter() - started[0])
        error = chunk.get("error")
        end = NodeEvent(kind="node_end", node=node, step=self._step.get(namespace), task_id=task_id,
                        checkpoint_id=None, parent_checkpoint_id=self._latest.get(()) if namespace else None,
                        error=str(error) if error else None)
        self._ended.append((namespace, end))
        return []

    def _on_checkpoint(self, namespace: tuple[str, ...], chunk: dict[str, Any]) -> list[NodeEvent]:
        configurable = chunk["config"]["configurable"]
        self._latest[namespace] = configurable["checkpoint_id"]
        self._step[namespace] = int(chunk.get("metadata", {}).get("step", -1)) + 1
        done = [e.model_copy(update={"checkpoint_id": configurable["checkpoint_id"]})
                for ns, e in self._ended if ns == namespace]
        self._ended = [(ns, e) for ns, e in self._ended if ns != namespace]
        for event in done:
            self._emit(event)
        return done

    def close(self) -> list[NodeEvent]:
        """End what never reported an end (a node that handed off to the parent graph)."""
        done = [e.model_copy(update={"checkpoint_id": self._latest.get(ns)}) for ns, e in self._ended]
        for task_id, (_, namespace, node) in self._started.items():
            done.append(NodeEvent(kind="node_end", node=node, task_id=task_id, step=self._step.get(namespace),
                                  checkpoint_id=self._latest.get(namespace),
                                  parent_checkpoint_id=self._latest.get(()) if namespace else None))
        self._ended, self._started = [], {}
        for event in done:
            self._emit(event)
        return done

    def _emit(self, event: NodeEvent) -> None:
        # The message's intent is the transition's kind: `node_start` or `node_end`.
        self._outbox.append(message(event, intent=event.kind, from_agent=event.node.split(".", 1)[0],
                                    tenant=self.tenant, conversation_id=self.conversation_id,
                                    customer_id=self.customer_id))

    async def flush(self) -> None:
        """Write the buffered events to the audit stream (one round trip)."""
        if self._outbox:
            batch, self._outbox = self._outbox, []
            await self.bus.record(batch)
