"""The `ping` agent: answers every request at once, to prove a worker is alive and measure round trips."""

from __future__ import annotations

from agents.agent import Agent
from agents.contracts import PING, Pong, reply
from agents.messages import AgentMessage

NAME = PING


async def _pong(message: AgentMessage) -> AgentMessage | None:
    if message.message_type != "request":
        return None
    return reply(message, Pong(echo=message.payload), from_agent=NAME)


def build() -> Agent:
    """The ping agent; it keeps no state."""
    return Agent(name=NAME, handle=_pong, concurrency=64)
