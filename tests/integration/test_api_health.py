"""Health, readiness and metrics over real HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from agents.agent import Agent
from agents.messages import AgentMessage
from agents.runtime import Worker
from api.app import create_app
from core.embedded import EmbeddedRedis
from core.settings import Settings
from tests.support.http import serve_app


async def test_healthz_readyz_and_metrics(settings: Settings) -> None:
    async with serve_app(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as http:
        assert (await http.get("/healthz")).json() == {"status": "ok", "reason": None}
        ready = await http.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ok"
        metrics = await http.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        for name in ("agent_messages_total", "agent_message_latency_seconds", "agent_errors_total"):
            assert f"# TYPE {name}" in metrics.text


async def test_metrics_count_what_this_process_handled(settings: Settings) -> None:
    app = create_app(settings)
    async with serve_app(app) as base, httpx.AsyncClient(base_url=base) as http:
        services = app.state.services

        async def pong(m: AgentMessage) -> AgentMessage:
            return m.reply(from_agent="ping", intent="pong")

        worker = Worker(services.redis, settings, [Agent("ping", pong)], bus=services.bus, tenants=["acme"])
        task = asyncio.create_task(worker.run())
        try:
            await services.bus.request(AgentMessage(
                from_agent="api", to_agent="ping", message_type="request", intent="ping",
                tenant_id="acme", timeout_ms=5000))
        finally:
            worker.stop()
            await task
        text = (await http.get("/metrics")).text
    assert 'agent_messages_total{from_agent="api",message_type="request",to_agent="ping"} 1.0' in text
    assert 'agent_message_latency_seconds_count{agent="ping",intent="ping"} 1.0' in text
    assert 'bus_published_total{message_type="response",to_agent="api"} 1.0' in text


async def test_readyz_is_503_with_the_reason_when_redis_goes_away(tmp_path: Path) -> None:
    own = EmbeddedRedis(tmp_path)
    url = own.start()
    settings = Settings(_env_file=None, REDIS_URL=url)  # type: ignore[call-arg]
    try:
        async with serve_app(create_app(settings)) as base, httpx.AsyncClient(base_url=base) as http:
            assert (await http.get("/readyz")).status_code == 200
            own.stop()
            ready = await http.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["status"] == "unavailable"
            assert ready.json()["reason"].startswith("redis:")
            assert (await http.get("/healthz")).status_code == 200
    finally:
        own.stop()
