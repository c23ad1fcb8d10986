"""The agent types a process can run, by name, built from its services.

Here rather than in `agents/` because some agents (the conversation agent) run the graph,
and only `api/` may import everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from agents import ping
from agents.runtime import Agent
from api.services import Services

#: name -> factory; each agent module adds itself here.
AGENTS: dict[str, Callable[[Services], Agent]] = {
    ping.NAME: lambda services: ping.build(),
}

#: Agents whose factories need the compiled graph (`open_services(with_graph=True)`).
NEEDS_GRAPH: frozenset[str] = frozenset()


def agent_names(spec: str | None) -> list[str]:
    """Parse `a,b` (all known agents when empty); unknown names are refused."""
    wanted = [n.strip() for n in (spec or "").split(",") if n.strip()] or sorted(AGENTS)
    unknown = [n for n in wanted if n not in AGENTS]
    if unknown:
        raise ValueError(f"unknown agent {', '.join(unknown)}; known: {', '.join(sorted(AGENTS))}")
    return wanted


def build_agents(names: Sequence[str], services: Services) -> list[Agent]:
    """Build the named agents with the process's services."""
    return [AGENTS[n](services) for n in names]
