"""The agent types a process can run, by name, built from its services.

Here rather than in `agents/` because some agents (the conversation agent) run the graph,
and only `api/` may import everything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from agents import collections, inventory, notifications, ping, purchasing, whatsapp_outbound
from agents.runtime import Agent
from api.services import Services
from graph import conversation_agent

#: name -> factory; each agent module adds itself here.
AGENTS: dict[str, Callable[[Services], Agent]] = {
    ping.NAME: lambda services: ping.build(),
    whatsapp_outbound.NAME: lambda s: whatsapp_outbound.build(
        redis=s.redis, tenants=s.tenants, bus=s.bus, settings=s.settings, http=s.http),
    conversation_agent.NAME: lambda s: conversation_agent.build(
        runner=s.conversations(), bus=s.bus, tenants=s.tenants),
    # Building it starts its scheduler's ticker in the worker's event loop.
    collections.NAME: lambda s: collections.agent(collections.build(redis=s.redis, bus=s.bus, settings=s.settings)),
    inventory.NAME: lambda s: inventory.build(redis=s.redis, bus=s.bus),
    purchasing.NAME: lambda s: purchasing.build(
        redis=s.redis, bus=s.bus, supplier_base_url=s.settings.supplier_api_base_url, http=s.http),
    notifications.NAME: lambda s: notifications.build(bus=s.bus, tenants=s.tenants, http=s.http),
}

#: Agents whose factories need the compiled graph (`open_services(with_graph=True)`).
NEEDS_GRAPH: frozenset[str] = frozenset({conversation_agent.NAME})


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
