"""The model-backed reader over real HTTP: a local OpenAI-compatible server, langchain-openai, the rules fallback."""

from __future__ import annotations

import copy
import logging
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from langchain_openai import ChatOpenAI

from core.settings import Settings
from graph.understanding import LLMReader, Reading, RulesReader, build_reader, read_by_rules
from graph.understanding.reading import ACT_KINDS, FlowContext
from tests.support.http import serve_app
from tests.support.keyword_model import CONFIDENCE
from tests.support.openai_server import FakeOpenAI

TODAY = date(2026, 11, 25)  # a Wednesday
FRIDAY = date(2026, 11, 27)
MODEL = "fake-reader-1"
MULTI_LINE_ORDER = "mándame 15 coples pvc de 3/4 y 8 tees pvc de 3/4"


def model_settings(base_url: str | None, api_key: str | None = None) -> Settings:
    """Settings naming only the model server; explicit Nones so the environment cannot add a key."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        OPENAI_BASE_URL=base_url, OPENAI_API_KEY=api_key, ORKESTA_OPENAI_MODEL=MODEL,
    )


def rules(text: str, context: FlowContext = "none") -> Reading:
    return read_by_rules(text, context=context, today=TODAY)


def without_reason(reading: Reading) -> dict[str, Any]:
    return reading.model_dump(mode="json", exclude={"reason"})


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
async def reader(fake_openai: tuple[FakeOpenAI, str]) -> AsyncIterator[LLMReader]:
    """The reader `build_reader` makes for settings pointing at the fake server."""
    built = build_reader(model_settings(fake_openai[1]))
    assert isinstance(built, LLMReader)
    try:
        yield built
    finally:
        await built.aclose()


def direct_reader(url: str, http: httpx.AsyncClient, **options: Any) -> LLMReader:
    """An `LLMReader` on a model without retries, over the caller's client."""
    model = ChatOpenAI(model=MODEL, api_key="not-needed", base_url=url, max_retries=0, http_async_client=http)
    return LLMReader(model, fallback=RulesReader(), **options)


# --- building the reader, and what it sends --------------------------------------------------


async def test_base_url_alone_builds_an_llm_reader_with_a_placeholder_key(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader
) -> None:
    fake, _ = fake_openai
    await reader.read("ya pague", context="none", today=TODAY)
    assert fake.headers[-1]["authorization"] == "Bearer not-needed"


async def test_api_key_is_sent(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    built = build_reader(model_settings(url, api_key="sk-test-123"))
    try:
        await built.read("ya pague", context="none", today=TODAY)
    finally:
        await built.aclose()
    assert fake.headers[-1]["authorization"] == "Bearer sk-test-123"


async def test_api_key_alone_builds_an_llm_reader() -> None:
    built = build_reader(model_settings(None, api_key="sk-test-123"))
    try:
        assert isinstance(built, LLMReader)
    finally:
        await built.aclose()


async def test_without_model_settings_the_rules_read() -> None:
    built = build_reader(model_settings(None))
    assert isinstance(built, RulesReader)
    reading = await built.read("el primero", context="options_shown", today=TODAY)
    assert (reading.intent, reading.acts[0].option_index) == ("select_option", 0)


async def test_request_carries_the_prompt_the_text_and_a_strict_schema(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader
) -> None:
    fake, _ = fake_openai
    await reader.read("sale, confirmo", context="awaiting_confirmation", today=TODAY)
    request = fake.requests[-1]  # accepted: the fake server held its schema to strict mode
    assert request["model"] == MODEL
    assert request["temperature"] == 0
    system, user = request["messages"]
    assert system["role"] == "system" and user == {"role": "user", "content": "sale, confirmo"}
    assert "awaiting_confirmation" in system["content"]
    assert "2026-11-25" in system["content"] and "miércoles" in system["content"]
    assert "promise_to_pay" in system["content"]
    spec = request["response_format"]["json_schema"]
    assert (request["response_format"]["type"], spec["name"], spec["strict"]) == ("json_schema", "Reading", True)
    schema = spec["schema"]
    assert schema["required"] == ["acts", "language", "confidence", "reason"]
    assert schema["properties"]["acts"]["items"] == {"$ref": "#/$defs/Act"}
    act, line = schema["$defs"]["Act"], schema["$defs"]["Line"]
    assert act["properties"]["kind"]["enum"] == list(ACT_KINDS)
    assert act["properties"]["lines"]["items"] == {"$ref": "#/$defs/Line"}
    assert sorted(act["required"]) == sorted(act["properties"]) and act["additionalProperties"] is False
    assert sorted(line["required"]) == sorted(line["properties"]) and line["additionalProperties"] is False
    assert act["properties"]["option_index"]["description"]


def _mutations(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Copies of a strict schema, each breaking one strict-mode rule, and the problem the server names."""
    cases: list[tuple[str, dict[str, Any], str]] = []

    def case(name: str, problem: str) -> dict[str, Any]:
        broken = copy.deepcopy(schema)
        cases.append((name, broken, problem))
        return broken

    del case("nested object open", "'additionalProperties' is required")["$defs"]["Line"]["additionalProperties"]
    case("nested property optional", "Missing 'unit'")["$defs"]["Line"]["required"].remove("unit")
    case("a default", "'default' is not permitted")["$defs"]["Act"]["properties"]["target"]["default"] = None
    case("missing definition", "'#/$defs/Item' which was not found")["properties"]["acts"]["items"] = {
        "$ref": "#/$defs/Item"}
    cases.append(("pydantic's own schema", Reading.model_json_schema(), "'additionalProperties' is required"))
    return cases


async def test_the_fake_server_rejects_what_strict_mode_rejects(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader
) -> None:
    fake, url = fake_openai
    await reader.read("ya pague", context="none", today=TODAY)
    sent = fake.requests[-1]
    async with httpx.AsyncClient(base_url=url) as http:
        for name, schema, problem in _mutations(sent["response_format"]["json_schema"]["schema"]):
            body = copy.deepcopy(sent)
            body["response_format"]["json_schema"]["schema"] = schema
            response = await http.post("/chat/completions", json=body)
            error = response.json()["error"]
            assert response.status_code == 400, name
            assert error["message"].startswith("Invalid schema for response_format 'Reading'"), name
            assert problem in error["message"], (name, error["message"])
    assert len(fake.requests) == 1  # none of the broken requests was accepted


# --- the model's reading -----------------------------------------------------------------------


async def test_a_reading_round_trips_through_langchain_openai(reader: LLMReader) -> None:
    reading = await reader.read("les deposito el viernes 5 mil", context="none", today=TODAY)
    assert reading.intent == "promise_to_pay"
    assert reading.confidence == CONFIDENCE  # the server's figure: the rules never say 0.97
    act = reading.acts[0]
    assert (act.promise_date, act.promise_amount) == (FRIDAY, Decimal("5000"))
    assert reading.reason == "fake model: promise_to_pay"


async def test_order_lines_round_trip(reader: LLMReader) -> None:
    reading = await reader.read("necesito 10 tubos pvc de 1/2", context="none", today=TODAY)
    assert reading.intent == "create_order"
    [line] = reading.acts[0].lines
    assert (line.quantity, line.product, line.size, line.attributes) == (10, "tubos pvc de 1/2", "1/2", ["pvc"])
    assert reading.reason.startswith("fake model")


async def test_the_llm_and_the_rules_give_one_schema_for_a_multi_line_order(reader: LLMReader) -> None:
    by_model = await reader.read(MULTI_LINE_ORDER, context="none", today=TODAY)
    by_rules = rules(MULTI_LINE_ORDER)
    assert type(by_model) is type(by_rules) is Reading
    assert Reading.model_validate(by_model.model_dump(mode="json")) == by_model
    assert by_model.reason.startswith("fake model") and by_model.confidence == CONFIDENCE
    assert by_model.intent == by_rules.intent == "create_order"
    for reading in (by_model, by_rules):
        [order] = reading.acts
        assert [(ln.quantity, ln.size, ln.attributes) for ln in order.lines] == [(15, "3/4", ["pvc"]),
                                                                                  (8, "3/4", ["pvc"])]


async def test_function_calling_method(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    async with httpx.AsyncClient() as http:
        reading = await direct_reader(url, http, method="function_calling").read(
            "ya pague", context="none", today=TODAY)
    assert (reading.intent, reading.reason) == ("payment_status", "fake model: paid")
    request = fake.requests[-1]
    assert "response_format" not in request
    assert request["tools"][0]["function"]["name"] == request["tool_choice"]["function"]["name"] == "Reading"


@pytest.mark.parametrize("mode", ["bare_promise", "stale_promise"])
async def test_a_promise_missing_its_date_and_amount_is_filled_from_the_parser(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader, mode: str
) -> None:
    fake, _ = fake_openai
    fake.mode = mode  # type: ignore[assignment]
    reading = await reader.read("les deposito el viernes 5 mil", context="none", today=TODAY)
    act = reading.acts[0]
    assert (act.promise_date, act.promise_amount) == (FRIDAY, Decimal("5000"))
    assert reading.reason == "fake model: promise_to_pay"  # the model's reading, completed, not the fallback


# --- the open flow -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "context", "intent"), [
    ("el primero", "options_shown", "select_option"),
    ("sale, confirmo", "awaiting_confirmation", "confirm"),
    ("sí", "stock_offer", "confirm"),
    ("y el resto cuando llegue", "stock_offer", "modify_order"),
])
async def test_a_flow_answer_inside_its_flow_is_the_models(
    reader: LLMReader, text: str, context: FlowContext, intent: str
) -> None:
    reading = await reader.read(text, context=context, today=TODAY)
    assert (reading.intent, reading.confidence) == (intent, CONFIDENCE)
    assert reading.reason.startswith("fake model")


@pytest.mark.parametrize(("text", "context", "kind"), [
    ("el primero", "none", "choose"),
    ("sí", "options_shown", "confirm"),
    ("mándame los que tengas", "awaiting_confirmation", "stock_answer"),
    ("necesito 10 tubos pvc de 1/2, el primero", "none", "choose"),  # an off-flow act after an order
])
async def test_an_act_outside_the_open_flow_falls_back(
    reader: LLMReader, text: str, context: FlowContext, kind: str
) -> None:
    reading = await reader.read(text, context=context, today=TODAY)
    assert without_reason(reading) == without_reason(rules(text, context))
    assert reading.reason.startswith(f"fallback ({kind} off-flow): ")


# --- failures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mode", "why"), [
    ("error", "500"),  # langchain-openai wraps the client's error; the status stays in the message
    ("refusal", "RefusalError"),
    ("malformed", "Invalid JSON"),
    ("unknown_kind", "buy_things"),
])
async def test_model_failures_fall_back_to_the_rules(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader, caplog: pytest.LogCaptureFixture, mode: str, why: str
) -> None:
    fake, _ = fake_openai
    fake.mode = mode  # type: ignore[assignment]
    text = "ya les transferí"
    with caplog.at_level(logging.WARNING, logger="graph.understanding.llm"):
        reading = await reader.read(text, context="none", today=TODAY)
    assert reading.intent == "payment_status"
    assert without_reason(reading) == without_reason(rules(text))
    assert reading.reason.startswith("fallback (")
    warnings = [r.getMessage() for r in caplog.records if "reader model failed" in r.getMessage()]
    assert len(warnings) == 1 and why in warnings[0], warnings
    assert len(fake.requests) == (2 if mode == "error" else 1)  # max_retries=1: one retry of a 500


async def test_acts_of_an_unknown_kind_break_the_schema_and_the_rules_answer(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader
) -> None:
    fake, _ = fake_openai
    fake.mode = "unknown_kind"  # the model's two-line order comes back as a "buy_things" act
    reading = await reader.read(MULTI_LINE_ORDER, context="none", today=TODAY)
    assert without_reason(reading) == without_reason(rules(MULTI_LINE_ORDER))
    assert reading.intent == "create_order" and len(reading.acts[0].lines) == 2
    assert reading.reason.startswith("fallback (ValidationError): ")


async def test_a_hanging_model_times_out_to_the_rules(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    fake.mode = "hang"
    async with httpx.AsyncClient() as http:
        reading = await direct_reader(url, http, timeout_s=0.5).read("pago mañana", context="none", today=TODAY)
    assert (reading.intent, reading.acts[0].promise_date) == ("promise_to_pay", date(2026, 11, 26))
    assert reading.reason.startswith("fallback (TimeoutError)")


# --- the HTTP client -----------------------------------------------------------------------------


async def test_a_shared_http_client_stays_open_when_the_reader_closes(fake_openai: tuple[FakeOpenAI, str]) -> None:
    fake, url = fake_openai
    async with httpx.AsyncClient() as http:
        first = build_reader(model_settings(url), http_client=http)
        await first.aclose()
        assert not http.is_closed
        second = build_reader(model_settings(url), http_client=http)
        reading = await second.read("ya pague", context="none", today=TODAY)
    assert reading.reason == "fake model: paid" and len(fake.requests) == 1


async def test_the_http_client_a_reader_owns_is_closed_with_it(
    fake_openai: tuple[FakeOpenAI, str], reader: LLMReader
) -> None:
    fake, _ = fake_openai
    assert (await reader.read("ya pague", context="none", today=TODAY)).reason == "fake model: paid"
    await reader.aclose()
    reading = await reader.read("ya pague", context="none", today=TODAY)
    assert reading.reason.startswith("fallback (")  # a closed client sends nothing: the rules answer
    assert len(fake.requests) == 1
