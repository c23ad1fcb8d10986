"""Fixtures: one real Redis 8 (JSON + search) for the run, started by the same launcher as `orkesta serve`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from agents.bus import EventBus
from core.embedded import EmbeddedRedis
from core.redis import create_redis
from core.settings import Settings
from core.telemetry import Metrics


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an embedded Redis private to this test run."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    with server.running() as url:
        yield url


@pytest.fixture
def settings(redis_server: str, tmp_path: Path) -> Settings:
    """Settings for one test: no `.env`, quick blocking reads and reclaims."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        REDIS_URL=redis_server,
        ORKESTA_DATA_DIR=tmp_path / "data",
        ORKESTA_BUS_BLOCK_MS=100,
        ORKESTA_BUS_CLAIM_IDLE_MS=500,
        ORKESTA_BUS_RETRY_BASE_MS=20,
        ORKESTA_BUS_MAX_ATTEMPTS=3,
        ORKESTA_WORKER_METRICS_PORT=0,
    )


@pytest.fixture
async def redis(settings: Settings) -> AsyncIterator[Redis]:
    """A pooled client on a freshly emptied Redis."""
    assert settings.redis_url
    client = create_redis(settings.redis_url, settings)
    await client.flushall()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def bus(redis: Redis, settings: Settings, metrics: Metrics) -> EventBus:
    return EventBus(redis, settings, metrics=metrics)
