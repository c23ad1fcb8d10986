"""What an agent type is to the worker: a name, a handler, what it listens to, and its lifecycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from agents.messages import BROADCAST, AgentMessage

#: Handles one message; a returned message (a response) is published by the worker.
Handler = Callable[[AgentMessage], Awaitable[AgentMessage | None]]
#: The tenants a worker serves right now (all registered ones, or those it was started for).
TenantSource = Callable[[], Awaitable[list[str]]]


@dataclass(frozen=True, slots=True)
class Agent:
    """An agent type: its name (the consumer group), its handler and what it listens to.

    `events` names the broadcast intents it reacts to (`{"*"}` for all); `concurrency`
    bounds how many of its messages one worker handles at once. `start` runs when the worker
    starts (given the tenants it serves: a scheduler ticks only those) and `stop` when it stops,
    after the last message was handled; what `start` opens, `stop` closes.
    """

    name: str
    handle: Handler
    events: frozenset[str] = frozenset()
    concurrency: int = 1
    start: Callable[[TenantSource], Awaitable[None]] | None = None
    stop: Callable[[], Awaitable[None]] | None = None

    def wants(self, message: AgentMessage) -> bool:
        """True for direct messages, and for broadcast events the agent subscribed to."""
        if message.to_agent != BROADCAST:
            return True
        return "*" in self.events or message.intent in self.events


__all__ = ["Agent", "Handler", "TenantSource"]
