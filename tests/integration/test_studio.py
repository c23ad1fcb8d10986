"""LangGraph Studio's server for real: `langgraph dev` on the repo's langgraph.json, driven with langgraph-sdk.

One process for the whole test (it takes a few seconds to start): the graph `orkesta` is found, Studio's
x-ray view shows the supervisor and the five subgraphs with their inner nodes, the seed's order flow runs
through the platform's own runs API and checkpointer against the test Redis, and the FastAPI app mounted
through `http.app` answers on the same port with its lifespan run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from langgraph_sdk import get_client
from redis.asyncio import Redis

from agents.bus import FIELD
from agents.messages import AgentMessage
from core.settings import Settings
from core.tenants import TenantKeys
from tests.support.langgraph_dev import langgraph_dev
from tools.catalog import Catalog
from tools.seed import seed_demo

T = "ferre-mx"
CUSTOMER = "NEW-0001"  # no account: a cash buyer, who gets the payment link
SKU = "PVC-TUB-050-6M"  # "el pvc hidráulico" among the options for "10 tubos de 1/2"
SUBGRAPHS = ("catalog", "order", "pricing", "payment", "dunning", "service")
# Studio's x-ray names a subgraph's nodes "<subgraph>:<node>"; subgraphs whose START has a
# conditional edge also show their own __start__/__end__.
INNER_NODES = {
    "catalog:search", "catalog:stock",
    "order:edit", "order:approve", "order:waiting", "order:rewait", "order:authorize", "order:create", "order:cancel",
    "pricing:draft", "pricing:ask",
    "payment:terms", "payment:link", "payment:confirm", "payment:status",
    "dunning:statement", "dunning:promise",
    "service:answer",
}
TURNS = (
    ("Necesito 10 tubos de 1/2", ["supervisor", "order.edit"]),
    ("el pvc hidráulico", ["supervisor", "order.edit", "pricing.draft"]),
    ("sí, confirmo", ["supervisor", "order.approve", "order.create", "payment.link", "payment.confirm"]),
)


async def events(redis: Redis) -> list[str]:
    return [AgentMessage.from_json(f[FIELD]).intent for _, f in await redis.xrange(TenantKeys(T).events)]


def check_xray(graph: dict[str, list[dict[str, Any]]]) -> None:
    ids = {node["id"] for node in graph["nodes"]}
    assert {"__start__", "supervisor", "__end__"} <= ids
    assert ids >= INNER_NODES, sorted(ids)
    assert {node_id.split(":")[0] for node_id in ids if ":" in node_id} == set(SUBGRAPHS)
    assert ids - INNER_NODES - {"__start__", "supervisor", "__end__"} <= {
        f"{name}:{end}" for name in SUBGRAPHS for end in ("__start__", "__end__")}
    edges = {(edge["source"], edge["target"]) for edge in graph["edges"]}
    # the supervisor's Command(goto=...) destinations, the subgraphs' own edges, and the order and
    # service subgraphs' hand-offs (Command(graph=PARENT)) to the flows after them
    assert {("__start__", "supervisor"), ("supervisor", "catalog:__start__"), ("supervisor", "service:answer"),
            ("supervisor", "__end__"), ("catalog:__start__", "catalog:stock"), ("pricing:__start__", "pricing:ask"),
            ("payment:link", "payment:confirm"), ("order:approve", "order:create"),
            ("order:__end__", "pricing:__start__"), ("order:__end__", "payment:__start__"),
            ("service:answer", "order:__start__")} <= edges, sorted(edges)


async def test_langgraph_dev_serves_the_graph_its_subgraphs_and_the_app(
    redis: Redis, settings: Settings, tmp_path: Path
) -> None:
    assert settings.redis_url
    await seed_demo(redis, T)
    stock_before = (await Catalog(redis, T).get(SKU)).stock  # type: ignore[union-attr]

    async with (
        langgraph_dev(settings.redis_url, tmp_path) as server,
        get_client(url=server.url, api_key=None, timeout=60) as client,
        httpx.AsyncClient(base_url=server.url, timeout=10) as http,
    ):
        # The FastAPI app of langgraph.json's http.app, on the same port; /readyz reads the Redis
        # its lifespan opened, so a 200 there means langgraph dev ran that lifespan too.
        health = await http.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ok"

        found = await client.assistants.search(graph_id="orkesta")
        (assistant,) = [a for a in found if a["metadata"].get("created_by") == "system"]
        check_xray(await client.assistants.get_graph(assistant["assistant_id"], xray=True))

        thread_id = (await client.threads.create())["thread_id"]
        state: dict[str, Any] = {}
        for text, route in TURNS:
            state = await client.runs.wait(thread_id, "orkesta", input={  # type: ignore[assignment]
                "messages": [{"role": "human", "content": text}], "tenant_id": T, "customer_id": CUSTOMER,
                "conversation_id": thread_id, "channel": "studio"})
            assert isinstance(state, dict) and "__error__" not in state, state
            assert state["route"] == route, (text, state.get("reply"))

        reply, order, link = state["reply"], state["order"], state["payment_link"]
        assert "Tu pedido está confirmado" in reply
        assert order["order_id"] in reply and link["url"] in reply
        assert link["url"].endswith(f"/pay/{link['link_id']}") and link["order_id"] == order["order_id"]
        assert state["pending"] is None and state["cart"] == []
        assert state["channel"] == "studio" and state["conversation_id"] == thread_id
        assert [m["type"] for m in state["messages"]] == ["human", "ai"] * 3

        history = await client.threads.get_history(thread_id, limit=100)
        assert len(history) > 3
        steps = [c["metadata"]["step"] for c in history]
        assert steps == sorted(steps, reverse=True)
        assert history[0]["next"] == [] and history[0]["values"]["reply"] == reply
        assert [c["metadata"]["source"] for c in history].count("input") == len(TURNS)
        assert history[-1]["metadata"]["source"] == "input" and history[-1]["metadata"]["step"] == -1

    # The runs worked on the test Redis (REDIS_URL reached the graph factory): the order, its stock
    # and its domain events are there.
    stored = await redis.json().get(TenantKeys(T).key("order", order["order_id"]))
    assert stored["customer_id"] == CUSTOMER and stored["status"] == "pending_payment"
    assert (await Catalog(redis, T).get(SKU)).stock == stock_before - 10  # type: ignore[union-attr]
    kinds = await events(redis)
    assert kinds.count("order_created") == 1 and kinds.count("payment_link_created") == 1
