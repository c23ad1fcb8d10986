"""The WhatsApp door end to end: signed webhooks over real HTTP, the in-process agents, and a local
Cloud API that receives the replies."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from agents.bus import FIELD, DeadLetter, EventBus
from agents.messages import AgentMessage
from api.app import create_app
from core.settings import Settings
from core.tenant_store import TenantStore
from core.tenants import TenantKeys
from tests.support.http import serve_app
from tests.support.whatsapp_server import (
    VERSION,
    Accepted,
    LocalWhatsApp,
    button_reply,
    change,
    notification,
    sign,
    signed,
    status,
    text_message,
)
from tools.seed import seed_demo
from tools.whatsapp import status_of

A, B, NO_WA = "ferre-mx", "aceros-norte", "sin-whatsapp"
PNID_A, PNID_B = "PNID1", "PNID2"
SECRETS = {A: "app-secret-ferre", B: "app-secret-aceros"}
VERIFY = {A: "verify-ferre-0001", B: "verify-aceros-0002"}
TOKENS = {PNID_A: "EAAG-token-ferre", PNID_B: "EAAG-token-aceros"}
CUST_0003 = "5215574064027"  # Ferretería La Llave de Iztapalapa (gold), customers.json
CUST_0001 = "5215573416538"  # Plomería Hernández (bronze)


@pytest.fixture
async def cloud() -> AsyncIterator[LocalWhatsApp]:
    server = LocalWhatsApp(tokens=dict(TOKENS), templates={"orkesta_reply": 1, "orkesta_cobranza_suave": 2})
    async with server.serve():
        yield server


@pytest.fixture
def app_settings(settings: Settings, cloud: LocalWhatsApp) -> Settings:
    return settings.model_copy(update={
        "whatsapp_api_base_url": cloud.base, "whatsapp_api_version": VERSION,
        "serve_agents": "conversation,whatsapp_outbound", "bus_block_ms": 50, "bus_retry_base_ms": 20,
    })


@pytest.fixture
async def http(app_settings: Settings, redis: Redis) -> AsyncIterator[httpx.AsyncClient]:
    """The app over real HTTP, its agents in-process, two tenants on WhatsApp and one without."""
    store = TenantStore(redis)
    await seed_demo(redis, A)
    await store.add(A, api_key="fmx-test-key-0123456789abcdef", wa_phone_number_id=PNID_A,
                    wa_app_secret=SECRETS[A], wa_verify_token=VERIFY[A], wa_access_token=TOKENS[PNID_A])
    await store.add(B, api_key="acn-test-key-0123456789abcdef", wa_phone_number_id=PNID_B,
                    wa_app_secret=SECRETS[B], wa_verify_token=VERIFY[B], wa_access_token=TOKENS[PNID_B])
    await store.add(NO_WA, api_key="nwa-test-key-0123456789abcdef")
    async with serve_app(create_app(app_settings)) as base, httpx.AsyncClient(base_url=base, timeout=30) as client:
        yield client


async def deliver(http: httpx.AsyncClient, body: dict[str, Any], secret: str = SECRETS[A]) -> httpx.Response:
    raw, headers = signed(body, secret)
    return await http.post("/webhooks/whatsapp", content=raw, headers=headers)


async def say(http: httpx.AsyncClient, message: dict[str, Any], *, pnid: str = PNID_A,
              secret: str = SECRETS[A]) -> httpx.Response:
    response = await deliver(http, notification(change(pnid, messages=[message])), secret)
    assert response.status_code == 200, response.text
    return response


async def audit(redis: Redis, tenant: str = A, intent: str | None = None) -> list[AgentMessage]:
    found = [AgentMessage.from_json(f[FIELD]) for _, f in await redis.xrange(TenantKeys(tenant).audit)]
    return [m for m in found if intent is None or m.intent == intent]


async def dead_letters(bus: EventBus, tenant: str, count: int = 1, timeout: float = 20.0) -> list[DeadLetter]:
    async with asyncio.timeout(timeout):
        while len(letters := await bus.dead_letters(tenant)) < count:
            await asyncio.sleep(0.02)
    return letters


async def sent_records(redis: Redis, count: int, tenant: str = A, timeout: float = 20.0) -> list[AgentMessage]:
    """Wait (bounded) for the outbound agent to finish `count` sends: it audits each after recording it."""
    async with asyncio.timeout(timeout):
        while len(sent := await audit(redis, tenant, intent="whatsapp_sent")) < count:
            await asyncio.sleep(0.02)
    return sent


def answer_to(shown: Accepted, option: str, sender: str) -> dict[str, Any]:
    """Tap `option` on what was shown: a list row or a reply button, as the user would."""
    action = shown.body["interactive"]["action"]
    rows = {r["id"]: r["title"] for s in action.get("sections", []) for r in s["rows"]}
    rows |= {b["reply"]["id"]: b["reply"]["title"] for b in action.get("buttons", [])}
    return button_reply(sender, option, rows[option], list_reply=shown.interactive_type == "list",
                        context=shown.wamid)


# --- the handshake -------------------------------------------------------------------------------


async def test_the_handshake_echoes_the_challenge_for_any_tenants_token(http: httpx.AsyncClient) -> None:
    for token in VERIFY.values():
        got = await http.get("/webhooks/whatsapp", params={"hub.mode": "subscribe", "hub.verify_token": token,
                                                           "hub.challenge": "1158201444"})
        assert got.status_code == 200 and got.text == "1158201444"
        assert got.headers["content-type"].startswith("text/plain")


async def test_the_handshake_refuses_a_wrong_token_or_mode(http: httpx.AsyncClient) -> None:
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY[A], "hub.challenge": "1"},
                   {"hub.challenge": "1"}):
        got = await http.get("/webhooks/whatsapp", params=params)
        assert got.status_code == 403 and "1" not in got.text


# --- signatures ------------------------------------------------------------------------------------


async def test_unsigned_or_badly_signed_posts_are_refused_and_nothing_is_queued(
    http: httpx.AsyncClient, redis: Redis
) -> None:
    body = notification(change(PNID_A, messages=[text_message(CUST_0003, "Necesito 10 tubos PVC de 1/2")]))
    raw, headers = signed(body, SECRETS[A])
    unsigned = await http.post("/webhooks/whatsapp", content=raw, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    wrong = await http.post("/webhooks/whatsapp", content=raw,
                            headers={**headers, "X-Hub-Signature-256": sign(raw, "not-the-secret")})
    assert wrong.status_code == 403
    # Signed over other bytes of the same JSON (as a re-serialising proxy would send): refused.
    reserialised = json.dumps(body).encode()
    assert reserialised != raw
    other = await http.post("/webhooks/whatsapp", content=reserialised, headers=headers)
    assert other.status_code == 403
    malformed = await http.post("/webhooks/whatsapp", content=b"{not json",
                                headers={"X-Hub-Signature-256": sign(b"{not json", SECRETS[A])})
    assert malformed.status_code == 400
    assert await audit(redis, intent="customer_message") == []
    assert await redis.xlen(TenantKeys(A).inbox("conversation")) == 0


async def test_a_post_signed_by_another_tenant_is_refused(http: httpx.AsyncClient, redis: Redis) -> None:
    body = notification(change(PNID_A, messages=[text_message(CUST_0003, "Necesito 10 tubos PVC de 1/2")]))
    got = await deliver(http, body, SECRETS[B])
    assert got.status_code == 403
    for tenant in (A, B):
        assert await audit(redis, tenant, intent="customer_message") == []


async def test_an_unknown_phone_number_is_acknowledged_but_not_processed(http: httpx.AsyncClient, redis: Redis) -> None:
    body = notification(change("PNID-UNKNOWN", messages=[text_message(CUST_0003, "hola")]))
    got = await deliver(http, body, "whatever")
    assert got.status_code == 200 and got.json() == {"received": 0}
    assert await audit(redis, intent="customer_message") == []


# --- the order flow --------------------------------------------------------------------------------


def option_number(message: Any, name: str) -> int:
    """The number of the option whose row names `name` in a message listing options."""
    for line in message.text.splitlines():
        number, _, rest = line.partition(". ")
        if number.isdigit() and rest.startswith(name):
            return int(number)
    raise AssertionError(f"no option {name!r} in {message.text!r}")


async def test_the_seed_order_flow_over_whatsapp(http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis) -> None:
    got = await say(http, text_message(CUST_0003, "Necesito 10 tubos de 1/2"))
    assert got.json() == {"received": 1}
    [options] = await cloud.wait_for(1)
    assert options.phone_number_id == PNID_A and options.to == CUST_0003 and options.type == "interactive"
    pvc = option_number(options, 'Tubo PVC hidráulico 1/2"')  # the material is asked, by list
    ids = options.option_ids()
    assert ids[0] == "opt:1" and ids == [f"opt:{i}" for i in range(1, len(ids) + 1)]
    assert options.interactive_type == ("button" if len(ids) <= 3 else "list")
    request = cloud.requests[0]
    assert request["headers"]["authorization"] == f"Bearer {TOKENS[PNID_A]}"
    assert request["body"]["messaging_product"] == "whatsapp" and request["body"]["recipient_type"] == "individual"

    await say(http, answer_to(options, f"opt:{pvc}", CUST_0003))
    confirm = (await cloud.wait_for(2))[1]
    assert confirm.interactive_type == "button" and "¿Confirmo tu pedido?" in confirm.text
    assert confirm.option_ids() == ["confirm", "cancel"]

    await say(http, answer_to(confirm, "confirm", CUST_0003))
    done = (await cloud.wait_for(3))[2]
    # a customer on credit terms is told the terms, not sent a link
    assert done.type == "text" and "Tu pedido está confirmado" in done.text and "a crédito a 30 días" in done.text

    messages = await audit(redis, intent="customer_message")
    assert [m.payload["text"] for m in messages] == ["Necesito 10 tubos de 1/2", f"el {pvc}", "sí"]
    assert [m.payload["kind"] for m in messages] == ["text", "interactive", "interactive"]
    assert {(m.conversation_id, m.customer_id, m.from_agent, m.to_agent) for m in messages} == {
        (f"wa:{CUST_0003}", "CUST-0003", "whatsapp_webhook", "conversation")}
    sends = await audit(redis, intent="send_reply")
    assert [m.payload["step_key"] for m in sends] == [f"wa:{CUST_0003}:{turn}" for turn in (1, 2, 3)]
    finished = await sent_records(redis, 3)  # the cloud saw the message; let the agent finish writing
    assert finished[2].payload == {"step_key": f"wa:{CUST_0003}:3", "wamids": [done.wamid], "format": "text",
                                   "duplicate": False}
    recorded = await status_of(redis, A, done.wamid)
    assert recorded["step_key"] == f"wa:{CUST_0003}:3" and recorded["status"] == "accepted"
    assert len(cloud.accepted) == 3
    assert [e.intent for e in await audit(redis)].count("order_created") == 1


async def test_replaying_a_whatsapp_turn_sends_nothing_again(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis
) -> None:
    await say(http, text_message(CUST_0003, "Necesito 10 tubos de 1/2"))
    [options] = await cloud.wait_for(1)
    await say(http, answer_to(options, f"opt:{option_number(options, 'Tubo PVC hidráulico 1/2')}", CUST_0003))
    confirm = (await cloud.wait_for(2))[1]
    await say(http, answer_to(confirm, "confirm", CUST_0003))
    await cloud.wait_for(3)
    await sent_records(redis, 3)
    key = {"X-API-Key": "fmx-test-key-0123456789abcdef"}
    conversation = f"wa:{CUST_0003}"
    history = (await http.get(f"/v1/conversations/{conversation}/history", headers=key)).json()["checkpoints"]
    for checkpoint in history:  # an auditor replays every turn of the conversation
        if checkpoint["source"] == "input":
            replayed = await http.post(f"/v1/conversations/{conversation}/replay", headers=key,
                                       json={"checkpoint_id": checkpoint["checkpoint_id"]})
            assert replayed.status_code == 200, replayed.text
    # ...and the confirming turn's reply is asked for again under a new message id (a re-run
    # step upstream), which the bus's own redelivery guard would not catch
    sends = await audit(redis, intent="send_reply")
    again = AgentMessage.model_validate({**sends[-1].model_dump(), "id": "repeat-of-the-last-send"})
    await EventBus(redis, Settings(_env_file=None)).publish(again)  # type: ignore[call-arg]
    async with asyncio.timeout(20):  # the outbound agent handled the repeat request...
        while not await redis.hget(TenantKeys(A).handled("whatsapp_outbound"), again.id):
            await asyncio.sleep(0.02)
    assert len(cloud.accepted) == 3  # ...and sent nothing: each step goes out once
    assert [e.intent for e in await audit(redis)].count("order_created") == 1


async def test_an_order_over_the_credit_limit_waits_and_the_decision_reaches_whatsapp(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis
) -> None:
    await say(http, text_message(CUST_0001, "necesito 60 tubos pvc hidraulico de 1/2"))  # bronze: 5,000 MXN of credit
    [confirm] = await cloud.wait_for(1)
    await say(http, answer_to(confirm, "confirm", CUST_0001))
    held = (await cloud.wait_for(2))[1]
    assert held.type == "text" and "quedó en autorización" in held.text and "$5,000.00" in held.text
    assert [e.intent for e in await audit(redis)].count("order_created") == 0
    # the operator approves over the API: the customer hears it on WhatsApp
    approved = await http.post(f"/v1/conversations/wa:{CUST_0001}/approval", json={"approved": True, "by": "ana"},
                               headers={"X-API-Key": "fmx-test-key-0123456789abcdef"})
    assert approved.status_code == 200, approved.text
    decision = (await cloud.wait_for(3))[2]
    assert decision.to == CUST_0001 and "Tu pedido está confirmado" in decision.text
    assert [e.intent for e in await audit(redis)].count("order_created") == 1


async def test_a_username_user_is_answered_by_business_scoped_id(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis
) -> None:
    bsuid = "MX.1502576394655843"
    message = {"from_user_id": bsuid, "id": "wamid.bsuid-1", "timestamp": text_message("x", "")["timestamp"],
               "type": "text", "text": {"body": "a qué hora abren?"}}
    contact = {"profile": {"name": "Beto", "username": "@beto"}, "user_id": bsuid}
    await deliver(http, notification(change(PNID_A, messages=[message], contacts=[contact])))
    [reply] = await cloud.wait_for(1)
    assert reply.body["recipient"] == bsuid and "to" not in reply.body and reply.type == "text"
    [queued] = await audit(redis, intent="customer_message")
    assert (queued.conversation_id, queued.customer_id) == (f"wa:{bsuid}", f"wa:{bsuid}")
    assert queued.payload["wa_id"] is None and queued.payload["user_id"] == bsuid


# --- at most once ----------------------------------------------------------------------------------


async def test_a_redelivered_post_is_handled_once(http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis) -> None:
    body = notification(change(PNID_A, messages=[text_message(CUST_0003, "a qué hora abren?")]))
    first, second = await deliver(http, body), await deliver(http, body)
    assert (first.json(), second.json()) == ({"received": 1}, {"received": 0})
    [reply] = await cloud.wait_for(1)
    assert "8:00" in reply.text
    # The next message of the conversation is answered as turn 2: the duplicate never became a turn.
    await say(http, text_message(CUST_0003, "cuánto debo?"))
    replies = await cloud.wait_for(2)
    assert len(replies) == 2 and "8:00" not in replies[1].text
    assert len(await audit(redis, intent="customer_message")) == 2
    assert [m.payload["step_key"] for m in await audit(redis, intent="send_reply")] == [
        f"wa:{CUST_0003}:1", f"wa:{CUST_0003}:2"]


async def test_one_post_with_two_entries_handles_both(http: httpx.AsyncClient, cloud: LocalWhatsApp) -> None:
    body = notification(change(PNID_A, messages=[text_message(CUST_0003, "a qué hora abren?")]),
                        change(PNID_A, messages=[text_message(CUST_0001, "a qué hora abren?")]))
    assert len(body["entry"]) == 2
    got = await deliver(http, body)
    assert got.json() == {"received": 2}
    replies = await cloud.wait_for(2)
    assert sorted(r.to for r in replies) == sorted([CUST_0003, CUST_0001])


async def test_a_step_is_sent_once_however_often_it_is_asked(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis, app_settings: Settings
) -> None:
    await say(http, text_message(CUST_0003, "hola"))  # opens the window; its reply is turn 1
    await cloud.wait_for(1)
    bus = EventBus(redis, app_settings)
    payload = {"to": CUST_0003, "text": "Tu pedido va en camino.", "options": None, "step_key": "wa:test:99"}
    answers = []
    for _ in range(2):  # two different messages naming the same step, as a replay would
        ask = AgentMessage(from_agent="conversation", to_agent="whatsapp_outbound", message_type="request",
                           intent="send_reply", tenant_id=A, payload=payload, timeout_ms=20_000)
        answers.append((await bus.request(ask)).payload)
    assert [a["duplicate"] for a in answers] == [False, True]
    assert answers[0]["wamids"] == answers[1]["wamids"] and answers[0]["format"] == "text"
    assert [m.text for m in cloud.accepted].count("Tu pedido va en camino.") == 1


async def test_outside_the_window_only_the_template_goes_out(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis, app_settings: Settings
) -> None:
    bus = EventBus(redis, app_settings)
    ask = AgentMessage(from_agent="dunning", to_agent="whatsapp_outbound", message_type="request", intent="send_reply",
                       tenant_id=A, timeout_ms=20_000,
                       payload={"to": CUST_0001, "text": "Tu factura F-1 vence hoy.\nTotal: $1,200.00",
                                "options": [{"id": "confirm", "title": "Ya pagué"}], "step_key": "dunning:F-1:1"})
    answer = await bus.request(ask)
    assert answer.payload["format"] == "template"
    [sent] = cloud.accepted
    assert sent.type == "template" and sent.to == CUST_0001
    assert sent.body["template"] == {
        "name": "orkesta_reply", "language": {"code": "es_MX"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "Tu factura F-1 vence hoy. · Total: $1,200.00"}]}]}


async def test_a_senders_template_is_used_only_outside_the_window(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis, app_settings: Settings
) -> None:
    bus = EventBus(redis, app_settings)
    template = {"name": "orkesta_cobranza_suave", "language": "es_MX", "body_parameters": ["Ana", "$1,200.00 MXN"]}

    async def remind(to: str, step: str) -> dict[str, Any]:
        ask = AgentMessage(from_agent="collections", to_agent="whatsapp_outbound", message_type="request",
                           intent="send_reply", tenant_id=A, timeout_ms=20_000,
                           payload={"to": to, "text": "Ana, tu saldo es $1,200.00 MXN.", "options": None,
                                    "step_key": step, "template": template})
        return (await bus.request(ask)).payload

    assert (await remind(CUST_0001, "cobranza:1"))["format"] == "template"  # never wrote: window closed
    await say(http, text_message(CUST_0003, "hola"))  # CUST-0003 wrote just now: window open
    await cloud.wait_for(1 + 1)
    assert (await remind(CUST_0003, "cobranza:3"))["format"] == "text"
    by_recipient = {m.to: m for m in cloud.accepted if "saldo" in m.text or m.type == "template"}
    assert by_recipient[CUST_0001].body["template"]["name"] == "orkesta_cobranza_suave"
    assert [p["text"] for p in by_recipient[CUST_0001].body["template"]["components"][0]["parameters"]] == [
        "Ana", "$1,200.00 MXN"]
    assert by_recipient[CUST_0003].text == "Ana, tu saldo es $1,200.00 MXN."


# --- statuses --------------------------------------------------------------------------------------


async def test_statuses_out_of_order_never_move_a_message_back(http: httpx.AsyncClient, redis: Redis) -> None:
    wamid, failed = "wamid.out-1", "wamid.out-2"

    async def report(*statuses: dict[str, Any]) -> int:
        got = await deliver(http, notification(change(PNID_A, statuses=statuses)))
        assert got.status_code == 200
        return int(got.json()["received"])

    assert await report(status(wamid, "read", recipient=CUST_0003, timestamp="1764000300")) == 1
    assert await report(status(wamid, "delivered", recipient=CUST_0003, timestamp="1764000200"),
                        status(wamid, "sent", recipient=CUST_0003, timestamp="1764000100")) == 0
    recorded = await status_of(redis, A, wamid)
    assert recorded["status"] == "read" and recorded["timestamp"] == "1764000300"
    assert (recorded["sent_at"], recorded["delivered_at"], recorded["read_at"]) == (
        "1764000100", "1764000200", "1764000300")

    error = {"code": 131026, "title": "Message undeliverable", "message": "Message undeliverable",
             "error_data": {"details": "Message Undeliverable."}}
    await report(status(failed, "sent", recipient=CUST_0003), status(failed, "failed", recipient=CUST_0003,
                                                                      errors=[error]))
    await report(status(failed, "delivered", recipient=CUST_0003))
    recorded = await status_of(redis, A, failed)
    assert recorded["status"] == "failed"
    assert json.loads(recorded["errors"])[0]["code"] == 131026


# --- failures from the Cloud API -----------------------------------------------------------------


@pytest.mark.parametrize(("http_status", "code"), [(429, 130429), (400, 131056)])
async def test_a_rate_limited_send_is_retried_and_sent_once(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, http_status: int, code: int
) -> None:
    cloud.fail_next(1, status=http_status, code=code)
    await say(http, text_message(CUST_0003, "a qué hora abren?"))
    [reply] = await cloud.wait_for(1)
    assert "8:00" in reply.text
    assert len(cloud.requests) == 2 and len(cloud.accepted) == 1


async def test_a_rejected_send_ends_in_the_dead_letters(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis, app_settings: Settings
) -> None:
    cloud.fail_next(100, status=400, code=131047)
    await say(http, text_message(CUST_0003, "a qué hora abren?"))
    [letter] = await dead_letters(EventBus(redis, app_settings), A)
    # a rejection is permanent: dead-lettered at the first refusal, not retried into the same wall
    assert letter.group == "whatsapp_outbound" and letter.attempts == 1
    assert letter.reason.startswith("permanent failure")
    assert "WhatsAppRejected" in letter.reason and "131047" in letter.reason and "24 hours" in letter.reason
    assert letter.message is not None and letter.message.intent == "send_reply"
    assert cloud.accepted == [] and len(cloud.requests) == 1
    assert not await redis.exists(TenantKeys(A).key("wa-sent", f"wa:{CUST_0003}:1"))


async def test_a_message_for_a_tenant_without_whatsapp_is_dead_lettered(
    http: httpx.AsyncClient, cloud: LocalWhatsApp, redis: Redis, app_settings: Settings
) -> None:
    bus = EventBus(redis, app_settings)
    await bus.publish(AgentMessage(
        from_agent="whatsapp_webhook", to_agent="conversation", message_type="event", intent="customer_message",
        tenant_id=NO_WA, conversation_id=f"wa:{CUST_0003}", customer_id="CUST-0003",
        payload={"wamid": "wamid.nowa", "wa_id": CUST_0003, "user_id": None, "name": None, "text": "hola",
                 "kind": "text", "timestamp": 1764000000, "phone_number_id": "PNIDX"}))
    [letter] = await dead_letters(bus, NO_WA)
    assert letter.group == "conversation" and "WhatsAppNotConfiguredError" in letter.reason
    assert cloud.requests == []
