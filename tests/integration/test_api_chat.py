"""The REST doors over real HTTP: chat, streaming, audit and replay API, tenants, errors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from redis.asyncio import Redis

from core.settings import Settings
from core.tenants import TenantKeys
from tests.support.api import Api, open_api

T, OTHER = "ferre-mx", "aceros-norte"
ORDER_FLOW = ("Necesito 10 tubos de 1/2", "el pvc hidráulico", "sí, confirmo")


@pytest.fixture
async def api(redis: Redis, settings: Settings) -> Any:
    async with open_api(redis, settings) as a:
        yield a


async def chat(api: Api, text: str, conversation: str | None = "c-1", tenant: str = T,
               customer: str = "CUST-0003") -> Any:
    body: dict[str, Any] = {"customer_id": customer, "text": text}
    if conversation:
        body["conversation_id"] = conversation
    return await api.http.post("/v1/chat", json=body, headers=api.as_tenant(tenant))


async def test_the_order_flow_over_rest(api: Api) -> None:
    replies = []
    for text in ORDER_FLOW:
        r = await chat(api, text, customer="NEW-0001")  # no account: pays the link first
        assert r.status_code == 200, r.text
        replies.append(r.json())
    assert [r["intent"] for r in replies] == ["create_order", "select_option", "confirm"]
    assert replies[0]["route"] == ["supervisor", "order.edit"]
    assert "Tu pedido está confirmado" in replies[2]["reply"]
    assert replies[2]["state"]["payment_link"]["url"] in replies[2]["reply"]
    assert all(r["conversation_id"] == "c-1" and r["checkpoint_id"] for r in replies)


async def test_a_new_conversation_gets_an_id(api: Api) -> None:
    r = await chat(api, "hola", conversation=None)
    assert r.status_code == 200 and r.json()["conversation_id"].startswith("rest-")


async def test_streaming_sends_nodes_then_reply_then_done(api: Api) -> None:
    events: list[tuple[str, Any]] = []
    body = {"customer_id": "CUST-0003", "text": "Necesito 10 tubos PVC", "conversation_id": "c-stream"}
    async with api.http.stream("POST", "/v1/chat/stream", json=body, headers=api.as_tenant(T)) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        kind = None
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and kind:
                events.append((kind, json.loads(line.split(":", 1)[1])))
    kinds = [k for k, _ in events]
    assert kinds[-2:] == ["reply", "done"] and set(kinds[:-2]) == {"node"}
    nodes = [d["node"] for k, d in events if k == "node"]
    assert nodes[0] == "supervisor" and "order.edit" in nodes
    assert events[-2][1]["intent"] == "create_order" and "¿cuál de estas?" in events[-2][1]["reply"]


async def test_double_texting_runs_turns_one_after_the_other(api: Api) -> None:
    first, second = await asyncio.gather(chat(api, "Necesito 10 tubos de 1/2", "c-dt"),
                                         chat(api, "el pvc hidráulico", "c-dt"))
    assert first.status_code == second.status_code == 200
    turns = sorted([first.json()["state"]["turn"], second.json()["state"]["turn"]])
    assert turns == [1, 2]  # never both on turn 1: the second waited for the first
    history = (await api.http.get("/v1/conversations/c-dt/history", headers=api.as_tenant(T))).json()
    inputs = [c for c in history["checkpoints"] if c["source"] == "input"]
    assert len(inputs) == 2
    state = (await api.http.get("/v1/conversations/c-dt/state", headers=api.as_tenant(T))).json()
    assert [m["role"] for m in state["values"]["messages"]] == ["human", "ai", "human", "ai"]


async def test_keys_name_tenants_and_tenants_are_walls(api: Api, redis: Redis) -> None:
    assert (await api.http.post("/v1/chat", json={"customer_id": "x", "text": "hola"})).status_code == 401
    bad = await api.http.post("/v1/chat", json={"customer_id": "x", "text": "hola"},
                              headers={"X-API-Key": "not-a-key-of-anyone-123"})
    assert bad.status_code == 401 and bad.json() == {"detail": "unknown API key"}
    for text in ORDER_FLOW:
        await chat(api, text, "shared-id")
    mine = await api.http.get("/v1/conversations/shared-id/history", headers=api.as_tenant(T))
    assert mine.status_code == 200
    theirs = await api.http.get("/v1/conversations/shared-id/history", headers=api.as_tenant(OTHER))
    assert theirs.status_code == 404
    state = await api.http.get("/v1/conversations/shared-id/state", headers=api.as_tenant(OTHER))
    assert state.status_code == 404
    other = await chat(api, "sí, confirmo", "shared-id", tenant=OTHER)
    assert other.json()["state"].get("order") is None
    audit = (await api.http.get("/v1/audit", params={"limit": 1000}, headers=api.as_tenant(OTHER))).json()
    assert {e["message"]["tenant_id"] for e in audit["entries"]} <= {OTHER}
    assert not await redis.exists(TenantKeys(OTHER).events)


async def test_audit_history_state_replay_and_fork(api: Api) -> None:
    for text in ORDER_FLOW:
        confirmed = (await chat(api, text, "c-audit", customer="NEW-0001")).json()
    headers = api.as_tenant(T)
    audit = (await api.http.get("/v1/audit", params={"conversation_id": "c-audit", "limit": 1000},
                                headers=headers)).json()["entries"]
    transitions = [e["message"] for e in audit if e["message"]["intent"] in ("node_start", "node_end")]
    assert {"order.create", "payment.link"} <= {m["payload"]["node"] for m in transitions}
    assert {m["conversation_id"] for m in transitions} == {"c-audit"}

    history = (await api.http.get("/v1/conversations/c-audit/history", headers=headers)).json()["checkpoints"]
    before = next(c for c in history if c["intent"] == "confirm" and c["next"] == ["order"])
    state = (await api.http.get("/v1/conversations/c-audit/state", params={"checkpoint_id": before["checkpoint_id"]},
                                headers=headers)).json()
    assert state["next"] == ["order"] and state["values"]["pending"] == "awaiting_confirmation"

    replayed = await api.http.post("/v1/conversations/c-audit/replay", json={"checkpoint_id": before["checkpoint_id"]},
                                   headers=headers)
    assert replayed.status_code == 200, replayed.text
    link = confirmed["state"]["payment_link"]["link_id"]
    assert replayed.json()["state"]["payment_link"]["link_id"] == link

    forked = await api.http.post("/v1/conversations/c-audit/fork",
                                 json={"checkpoint_id": before["checkpoint_id"], "values": {"channel": "studio"}},
                                 headers=headers)
    assert forked.status_code == 200 and forked.json()["state"]["payment_link"]["link_id"] == link
    events = (await api.http.get("/v1/audit", params={"limit": 1000}, headers=headers)).json()["entries"]
    created = [e for e in events if e["message"]["intent"] in ("order_created", "payment_link_created")]
    assert len(created) == 2  # one order, one link, whatever was replayed or forked


async def test_credit_approval_over_http(api: Api) -> None:
    for text in ("necesito 60 tubos pvc hidraulico de 1/2",):
        await chat(api, text, "c-credit", customer="CUST-0001")
    paused = (await chat(api, "si", "c-credit", customer="CUST-0001")).json()
    assert paused["interrupt"]["kind"] == "credit_approval"
    headers = api.as_tenant(T)
    done = await api.http.post("/v1/conversations/c-credit/approval", json={"approved": True, "by": "ana"},
                               headers=headers)
    assert done.status_code == 200 and "Tu pedido está confirmado" in done.json()["reply"]
    again = await api.http.post("/v1/conversations/c-credit/approval", json={"approved": True, "by": "ana"},
                                headers=headers)
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/v1/chat", b"{not json", 422),
        ("/v1/chat", b'{"customer_id": 5, "text": "hola"}', 422),
        ("/v1/chat", b'{"customer_id": "c", "text": ""}', 422),
        ("/v1/chat", b'{"customer_id": "c", "text": "hola", "extra": 1}', 422),
        ("/v1/chat", b'{"customer_id": "c", "text": "hola", "conversation_id": "../../etc"}', 422),
        ("/v1/conversations/nope/replay", b'{"checkpoint_id": "x"}', 404),
        ("/v1/conversations/nope/fork", b'{"checkpoint_id": "x", "values": {}}', 404),
        ("/v1/conversations/nope/approval", b'{"approved": true, "by": "ana"}', 404),
    ],
)
async def test_bad_requests_get_a_clear_4xx_and_change_nothing(
    api: Api, redis: Redis, path: str, body: bytes, status: int
) -> None:
    before = await redis.dbsize()
    r = await api.http.post(path, content=body, headers=api.as_tenant(T) | {"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert "detail" in r.json()
    assert await redis.dbsize() == before


async def test_oversized_bodies_are_refused(api: Api) -> None:
    big = b'{"customer_id": "c", "text": "' + b"x" * (1024 * 1024) + b'"}'
    r = await api.http.post("/v1/chat", content=big, headers=api.as_tenant(T) | {"content-type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]

    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 65536

    chunked = await api.http.post("/v1/chat", content=chunks(), headers=api.as_tenant(T))
    assert chunked.status_code == 413


async def test_fork_refuses_rewriting_the_transcript(api: Api) -> None:
    await chat(api, "hola", "c-fork")
    history = (await api.http.get("/v1/conversations/c-fork/history", headers=api.as_tenant(T))).json()
    r = await api.http.post("/v1/conversations/c-fork/fork", headers=api.as_tenant(T), json={
        "checkpoint_id": history["checkpoints"][0]["checkpoint_id"], "values": {"messages": []}})
    assert r.status_code == 422 and "messages" in r.json()["detail"]
