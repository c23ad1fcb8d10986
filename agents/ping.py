"""The `ping` agent: answers every request at once, to prove a worker is alive and measure round trips."""

from __future__ import annotations

from agents.messages import AgentMessage
from agents.runtime import Agent

NAME = "ping"


async def _pong(message: AgentMessage) -> AgentMessage | None:
    if message.message_type != "request":
        return None
    return message.reply(from_agent=NAME, intent="pong", payload={"echo": message.payload})


def build() -> Agent:
    """The ping agent; it keeps no state."""
    return Agent(name=NAME, handle=_pong, concurrency=64)
