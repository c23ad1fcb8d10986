"""The one pooled async Redis client of a process, and the start-up capability check."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, overload

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.client import Pipeline

from core.autopipeline import AutoPipeline
from core.embedded import EmbeddedRedis
from core.settings import Settings

GET_REDIS_8 = (
    "use Redis 8 (or Redis Stack 7.4+), e.g. `docker compose up -d redis`, "
    "or unset REDIS_URL to use the embedded Redis"
)


class _ReusedJson:
    """`json()` built once per client or pipeline rather than per command.

    redis-py builds a fresh JSON namespace (an import and ~20 response callbacks) on every
    `.json()` call, and langgraph-checkpoint-redis calls it once per checkpoint write:
    measured at ~40 µs each, about a hundred times a conversation turn.
    """

    _json: Any = None

    def json(self, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return super().json(*args, **kwargs)  # type: ignore[misc]
        if self._json is None:
            self._json = super().json()  # type: ignore[misc]
        return self._json


class _Pipeline(_ReusedJson, Pipeline):
    """A pipeline with a reused JSON namespace."""


class OrkestaRedis(_ReusedJson, Redis):
    """redis-py's async client with a reused JSON namespace (and pipelines that reuse theirs),
    plus one auto-pipelined connection for hot paths made of many small commands."""

    _autopipeline: AutoPipeline | None = None

    def pipeline(self, transaction: bool = True, shard_hint: str | None = None) -> Pipeline:
        return _Pipeline(self.connection_pool, self.response_callbacks, transaction, shard_hint)

    @property
    def autopipeline(self) -> AutoPipeline | None:
        """The client's shared auto-pipelined connection (made on first use, closed with the
        client); None where it does not apply (TLS), and callers use the client itself."""
        if self._autopipeline is None and AutoPipeline.supports(self.connection_pool):
            self._autopipeline = AutoPipeline(self.connection_pool)
        return self._autopipeline

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        if self._autopipeline is not None:
            await self._autopipeline.aclose()
            self._autopipeline = None
        await super().aclose(close_connection_pool)


@overload
def as_text(value: bytes | str, *, errors: str = ...) -> str: ...
@overload
def as_text(value: None, *, errors: str = ...) -> None: ...
def as_text(value: bytes | str | None, *, errors: str = "strict") -> str | None:
    """A Redis reply as text (None stays None): clients without decode_responses hand back bytes."""
    return value.decode(errors=errors) if isinstance(value, bytes) else value


class RedisCapabilityError(RuntimeError):
    """The Redis behind REDIS_URL lacks a capability Orkesta needs."""


def create_redis(url: str, settings: Settings, *, decode_responses: bool = False) -> Redis:
    """Build a client on a bounded, blocking pool: a burst queues for a connection, never fails."""
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=settings.redis_max_connections,
        timeout=settings.redis_pool_timeout_s,
        decode_responses=decode_responses,
        health_check_interval=30,
    )
    return OrkestaRedis.from_pool(pool)  # the client owns the pool and closes it


async def missing_capabilities(client: Redis) -> list[str]:
    """Name what this Redis lacks among JSON, search and Streams with XAUTOCLAIM (Redis >= 7)."""
    missing: list[str] = []
    info: dict[str, Any] = await client.info("server")
    major = int(str(info.get("redis_version", "0")).split(".")[0])
    if major < 7:
        missing.append(f"Redis >= 7 (found {info.get('redis_version')})")
    modules = {_module_name(m) for m in await client.module_list()}
    # Redis 8 ships JSON and search built in; they still answer MODULE LIST as modules.
    if not modules & {"rejson", "json", "redisjson"}:
        missing.append("JSON (RedisJSON)")
    if not modules & {"search", "ft", "redisearch", "searchlight"}:
        missing.append("search (Redis Query Engine)")
    return missing


def _module_name(entry: dict[Any, Any]) -> str:
    name = entry.get(b"name", entry.get("name", b""))
    return str(as_text(name)).lower()


async def ensure_capabilities(client: Redis) -> None:
    """Raise one clear line naming what is missing and how to get Redis 8."""
    missing = await missing_capabilities(client)
    if missing:
        raise RedisCapabilityError(f"Redis lacks {', '.join(missing)}: {GET_REDIS_8}")


@asynccontextmanager
async def open_redis(settings: Settings, *, check: bool = True) -> AsyncIterator[Redis]:
    """The process's client: REDIS_URL, or the embedded Redis of the data dir (started if needed).

    With `check`, fail at once with one clear line if Redis lacks JSON or search.
    """
    embedded: EmbeddedRedis | None = None
    url = settings.redis_url
    if not url:
        # Started on the loop's own thread, before anything is served: the child's
        # parent-death signal is tied to the thread that forked it.
        embedded = EmbeddedRedis(settings.data_dir)
        url = embedded.start()
    client = create_redis(url, settings)
    try:
        if check:
            await ensure_capabilities(client)
        yield client
    finally:
        await client.aclose()
        if embedded is not None:
            embedded.stop()
