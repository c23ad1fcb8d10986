"""OpenTelemetry: publish and process spans join into one trace through the message's traceparent."""

from __future__ import annotations

import asyncio

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from redis.asyncio import Redis

from agents.agent import Agent
from agents.bus import EventBus
from agents.messages import AgentMessage
from agents.runtime import Worker
from core.settings import Settings
from core.telemetry import Metrics


async def test_request_trace_crosses_the_bus(redis: Redis, settings: Settings) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    # Two buses with separate tracers stand for two processes; only the message links them.
    caller = EventBus(redis, settings, metrics=Metrics(), tracer=tracer)
    worker_bus = EventBus(redis, settings, metrics=Metrics(), tracer=tracer)

    async def catalog(m: AgentMessage) -> AgentMessage:
        return m.reply(from_agent="catalog", intent="found")

    worker = Worker(redis, settings, [Agent("catalog", catalog)], bus=worker_bus, tenants=["acme"], tracer=tracer)
    task = asyncio.create_task(worker.run())
    try:
        with tracer.start_as_current_span("http POST /v1/chat") as root:
            response = await caller.request(AgentMessage(
                from_agent="order", to_agent="catalog", message_type="request", intent="search",
                tenant_id="acme", timeout_ms=5000))
    finally:
        worker.stop()
        await task

    spans = {s.name: s for s in exporter.get_finished_spans()}
    publish_spans = [s for s in exporter.get_finished_spans() if s.name == "bus.publish"]
    process = spans["agent.catalog.process"]
    request_publish = next(s for s in publish_spans if s.parent and s.parent.span_id == root.get_span_context().span_id)
    reply_publish = next(s for s in publish_spans if s.parent and s.parent.span_id == process.context.span_id)

    trace_id = root.get_span_context().trace_id
    assert {request_publish.context.trace_id, process.context.trace_id, reply_publish.context.trace_id} == {trace_id}
    assert process.parent is not None and process.parent.span_id == request_publish.context.span_id
    assert request_publish.kind == SpanKind.PRODUCER and process.kind == SpanKind.CONSUMER
    assert process.attributes is not None and process.attributes["tenant.id"] == "acme"
    # the message itself carries the W3C context of the span that sent it
    assert response.traceparent is not None
    assert response.traceparent.split("-")[1] == format(trace_id, "032x")
    assert response.traceparent.split("-")[2] == format(reply_publish.context.span_id, "016x")
