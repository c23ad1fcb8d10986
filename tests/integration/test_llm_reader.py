"""The model-backed router over real HTTP: a local OpenAI-compatible server, langchain-openai, the rules fallback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import httpx
import pytest
from langchain_openai import ChatOpenAI

from core.settings import Settings
from graph.understanding import LLMRouter, RulesRouter, build_router, route_by_rules
from tests.support.http import serve_app
from tests.support.openai_server import FakeOpenAI

TODAY = date(2026, 11, 25)  # a Wednesday
MODEL = "fake-router-1"


def model_settings(base_url: str | None, api_key: str | None = None) -> Settings:
    """Settings naming only the model server; explicit Nones so the environment cannot add a key."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        OPENAI_BASE_URL=base_url, OPENAI_API_KEY=api_key, ORKESTA_OPENAI_MODEL=MODEL,
    )


@pytest.fixture
async def fake_openai() -> AsyncIterator[tuple[FakeOpenAI, str]]:
    """The fake model server on a free loopback port, and its `/v1` base URL."""
    fake = FakeOpenAI()
    async with serve_app(fake.app()) as url:
        try:
            yield fake, f"{url}/v1"
        finally:
            fake.release()  # a hanging request must end before the server can stop


@pytest.fixture
async def router(fake_openai: tuple[FakeOpenAI, str]) -> AsyncIterator[LLMRouter]:
    """The router `build_router` makes for settings pointing at the fake server."""
    built = build_router(model_settings(fake_openai[1]))
    assert isinstance(built, LLMRouter)
    try:
        yield built
    finally:
        await built.aclose()


async def test_base_url_alone_builds_an_llm_router_with_a_placeholder_key(
    fake_openai: tuple[FakeOpenAI, str], router: LLMRouter
) -> None:
    fake, _ = fake_openai
    await router.decide("ya pague", context="none", today=TODAY)
    assert fake.headers[-1]["authorization"] == "Bearer not-needed"


async def test_api_key_is_sent(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    built = build_router(model_settings(url, api_key="sk-test-123"))
    try:
        await built.decide("ya pague", context="none", today=TODAY)
    finally:
        await built.aclose()
    assert fake.headers[-1]["authorization"] == "Bearer sk-test-123"


async def test_decision_round_trips_through_langchain_openai(router: LLMRouter) -> None:
    decision = await router.decide("les deposito el viernes 5 mil", context="none", today=TODAY)
    assert decision.intent == "promise_to_pay"
    assert decision.confidence == 0.97  # the server's figure: the rules never say 0.97
    assert decision.promise_date == date(2026, 11, 27)
    assert decision.promise_amount == Decimal("5000")
    assert decision.reason == "fake model: promise to pay"


async def test_order_details_round_trip(router: LLMRouter) -> None:
    decision = await router.decide("necesito 10 tubos pvc de 1/2", context="none", today=TODAY)
    assert (decision.intent, decision.quantity, decision.product_query) == ("create_order", 10, "tubos pvc de 1/2")
    assert decision.reason.startswith("fake model")


async def test_request_carries_the_prompt_the_text_and_the_schema(
    fake_openai: tuple[FakeOpenAI, str], router: LLMRouter
) -> None:
    fake, _ = fake_openai
    await router.decide("sale, confirmo", context="awaiting_confirmation", today=TODAY)
    request = fake.requests[-1]
    assert request["model"] == MODEL
    assert request["temperature"] == 0
    system, user = request["messages"]
    assert system["role"] == "system" and user == {"role": "user", "content": "sale, confirmo"}
    assert "awaiting_confirmation" in system["content"]
    assert "2026-11-25" in system["content"] and "miércoles" in system["content"]
    assert "promise_to_pay" in system["content"]
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["intent"]["enum"] == [
        "search_product", "create_order", "check_price", "payment_status", "promise_to_pay",
        "account_statement", "general_question", "select_option", "confirm", "cancel",
    ]
    assert schema["properties"]["option_index"]["description"]


async def test_function_calling_method(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    async with httpx.AsyncClient() as http:
        model = ChatOpenAI(model=MODEL, api_key="not-needed", base_url=url, max_retries=0, http_async_client=http)
        router = LLMRouter(model, fallback=RulesRouter(), method="function_calling")
        decision = await router.decide("ya pague", context="none", today=TODAY)
    assert (decision.intent, decision.reason) == ("payment_status", "fake model: already paid")
    request = fake.requests[-1]
    assert "response_format" not in request
    assert request["tools"][0]["function"]["name"] == request["tool_choice"]["function"]["name"]


@pytest.mark.parametrize(("mode", "why"), [
    ("error", "500"),  # langchain-openai wraps the client's error; the status stays in the message
    ("malformed", "Invalid JSON"),
    ("invalid", "buy_things"),
])
async def test_model_failures_fall_back_to_the_rules(
    fake_openai: tuple[FakeOpenAI, str], router: LLMRouter, caplog: pytest.LogCaptureFixture, mode: str, why: str
) -> None:
    fake, _ = fake_openai
    fake.mode = mode  # type: ignore[assignment]
    text = "ya les transferí"
    with caplog.at_level(logging.WARNING, logger="graph.understanding.llm"):
        decision = await router.decide(text, context="none", today=TODAY)
    rules = route_by_rules(text, context="none", today=TODAY)
    assert decision.intent == rules.intent == "payment_status"
    assert decision.confidence == rules.confidence
    assert decision.reason.startswith("fallback (")
    warnings = [r.getMessage() for r in caplog.records if "intent model failed" in r.getMessage()]
    assert len(warnings) == 1 and why in warnings[0], warnings
    assert len(fake.requests) == (2 if mode == "error" else 1)  # max_retries=1: one retry of a 500


async def test_an_answer_outside_the_open_flow_falls_back(
    fake_openai: tuple[FakeOpenAI, str], router: LLMRouter
) -> None:
    fake, _ = fake_openai
    fake.mode = "off_flow"  # the model picks an option though none were shown
    decision = await router.decide("necesito 10 tubos pvc de 1/2", context="none", today=TODAY)
    assert decision.intent == "create_order"
    assert decision.reason.startswith("fallback (select_option off-flow)")


async def test_a_hanging_model_times_out_to_the_rules(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    fake.mode = "hang"
    async with httpx.AsyncClient() as http:
        model = ChatOpenAI(model=MODEL, api_key="not-needed", base_url=url, max_retries=0, http_async_client=http)
        router = LLMRouter(model, fallback=RulesRouter(), timeout_s=0.5)
        decision = await router.decide("pago mañana", context="none", today=TODAY)
    assert (decision.intent, decision.promise_date) == ("promise_to_pay", date(2026, 11, 26))
    assert decision.reason.startswith("fallback (TimeoutError)")


async def test_without_model_settings_the_rules_route() -> None:
    built = build_router(model_settings(None))
    assert isinstance(built, RulesRouter)
    decision = await built.decide("el primero", context="options_shown", today=TODAY)
    assert (decision.intent, decision.option_index) == ("select_option", 0)


async def test_api_key_alone_builds_an_llm_router() -> None:
    built = build_router(model_settings(None, api_key="sk-test-123"))
    try:
        assert isinstance(built, LLMRouter)
    finally:
        await built.aclose()
