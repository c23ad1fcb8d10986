"""The agent types `orkesta worker` can run, by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from agents import ping
from agents.runtime import Agent

#: name -> factory; each asynchronous agent module adds itself here.
AGENTS: dict[str, Callable[[], Agent]] = {
    ping.NAME: ping.build,
}


def build_agents(names: Sequence[str] | None = None) -> list[Agent]:
    """Build the named agents (all of them when `names` is empty); unknown names are refused."""
    wanted = list(names) if names else sorted(AGENTS)
    unknown = [n for n in wanted if n not in AGENTS]
    if unknown:
        raise ValueError(f"unknown agent {', '.join(unknown)}; known: {', '.join(sorted(AGENTS))}")
    return [AGENTS[n]() for n in wanted]
