"""The auto-pipelined connection: every caller gets its own reply, whatever happens to the others."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from core.autopipeline import AutoPipeline
from core.embedded import EmbeddedRedis
from core.redis import OrkestaRedis, create_redis
from core.settings import Settings


@pytest.fixture
async def pipe(redis: Redis) -> AutoPipeline:
    assert isinstance(redis, OrkestaRedis) and redis.autopipeline is not None
    return redis.autopipeline


async def test_concurrent_callers_each_get_their_own_reply(pipe: AutoPipeline) -> None:
    replies = await asyncio.gather(*(pipe.execute("ECHO", f"m-{i}") for i in range(2000)))
    assert replies == [f"m-{i}".encode() for i in range(2000)]


async def test_an_error_reply_fails_only_its_caller(pipe: AutoPipeline, redis: Redis) -> None:
    await redis.set("a-string", "x")
    results = await asyncio.gather(pipe.execute("ECHO", "before"), pipe.execute("LPUSH", "a-string", "y"),
                                   pipe.execute("ECHO", "after"), return_exceptions=True)
    assert results[0] == b"before" and results[2] == b"after"
    assert isinstance(results[1], ResponseError) and "WRONGTYPE" in str(results[1])


async def test_a_cancelled_caller_does_not_shift_the_replies_of_the_others(pipe: AutoPipeline) -> None:
    slow = asyncio.create_task(pipe.execute("ECHO", "cancelled"))
    others = [asyncio.create_task(pipe.execute("ECHO", f"o-{i}")) for i in range(50)]
    await asyncio.sleep(0)  # all queued on the same write
    slow.cancel()
    assert await asyncio.gather(*others) == [f"o-{i}".encode() for i in range(50)]
    assert await pipe.execute("ECHO", "next") == b"next"


async def test_scripts_are_loaded_when_redis_does_not_know_them(pipe: AutoPipeline, redis: Redis) -> None:
    script = redis.register_script("return ARGV[1] .. KEYS[1]")
    await redis.script_flush()
    assert await pipe.script(script, ["k"], ["v-"]) == b"v-k"
    assert await pipe.script(script, ["k2"], ["again-"]) == b"again-k2"


async def test_a_lost_connection_fails_what_was_pending_and_the_next_call_reconnects(
    pipe: AutoPipeline, redis: Redis,
) -> None:
    assert await pipe.execute("CLIENT", "SETNAME", "orkesta-autopipeline") == b"OK"
    # BLPOP keeps the pipeline's reply pending while its connection is killed from outside
    waiting = asyncio.create_task(pipe.execute("BLPOP", "never-pushed", 10))
    ours: dict[str, str] = {}
    for _ in range(200):
        ours = next((c for c in await redis.client_list() if c.get("name") == "orkesta-autopipeline"), {})
        if ours.get("cmd") == "blpop":
            break
        await asyncio.sleep(0.01)
    assert ours.get("cmd") == "blpop"
    await redis.execute_command("CLIENT", "KILL", "ID", ours["id"])
    with pytest.raises(RedisConnectionError):
        await waiting
    assert await pipe.execute("ECHO", "back") == b"back"


async def test_closing_the_client_closes_the_connection(settings: Settings) -> None:
    assert settings.redis_url
    client = create_redis(settings.redis_url, settings)
    assert isinstance(client, OrkestaRedis)
    pipe = client.autopipeline
    assert pipe is not None
    assert await pipe.execute("PING") in (b"PONG", True)
    await client.aclose()
    with pytest.raises(RedisConnectionError):
        await pipe.execute("PING")


async def test_over_tcp_with_a_password_and_a_database(tmp_path: Path) -> None:
    """AUTH and SELECT ride the connection ahead of the first commands."""
    deep = tmp_path / ("d" * 60) / ("e" * 60)  # too long for a unix socket: loopback TCP
    with EmbeddedRedis(deep).running() as url:
        assert url.startswith("redis://127.0.0.1:")
        admin = Redis.from_url(url)
        await admin.config_set("requirepass", "s3cret")
        await admin.aclose()
        guarded = url.replace("redis://", "redis://:s3cret@") + "/3"
        settings = Settings(_env_file=None, REDIS_URL=guarded)  # type: ignore[call-arg]
        client = create_redis(guarded, settings)
        try:
            assert isinstance(client, OrkestaRedis) and client.autopipeline is not None
            replies = await asyncio.gather(*(client.autopipeline.execute("SET", f"k{i}", i) for i in range(100)))
            assert replies == [b"OK"] * 100
            assert await client.get("k7") == b"7"  # the pool's own connections, also on db 3
            assert await client.dbsize() == 100
        finally:
            await client.aclose()
