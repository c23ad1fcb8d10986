"""One Redis connection shared by concurrent coroutines, their commands sent in batches.

redis-py's asyncio client takes a connection from the pool for every command, packs it in
Python and reads its reply through a stream reader: 40-80 µs of CPU a command here,
whatever its size. Checkpointing is many small commands (a script call per step and per
task), so that overhead, not Redis, was what separated the Redis saver from the in-memory
one. RESP replies come back in the order the commands were written, so commands from any
number of coroutines can share one connection: what is queued during one pass of the
event loop leaves in one write (packed by hiredis), and the protocol's `data_received`
parses replies (hiredis again) and hands each to its caller in order, with no task per
command. redis-py has no auto-pipelining and valkey-glide would add a second client with
its own runtime, so this is written here. It speaks to plain TCP and unix-socket Redis
(what Orkesta runs on); for anything else (TLS) the caller keeps to redis-py.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from typing import Any

import hiredis
from redis.asyncio.connection import Connection as TcpConnection
from redis.asyncio.connection import ConnectionPool, UnixDomainSocketConnection
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError


def _error(reply: hiredis.ReplyError) -> ResponseError:
    message = str(reply)
    return NoScriptError(message) if message.startswith("NOSCRIPT") else ResponseError(message)


class _Resp(asyncio.Protocol):
    """One connection: commands written in order, replies matched to their futures in order."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.lost: BaseException | None = None
        self._parser = hiredis.Reader()
        self._queued: list[bytes] = []

    def send(self, packed: bytes, future: asyncio.Future[Any]) -> None:
        """Queue a command for this pass's write; its reply goes to `future`."""
        self.waiting.append(future)  # registered with its command, so the n-th reply is its
        if not self._queued:
            asyncio.get_running_loop().call_soon(self._flush)
        self._queued.append(packed)

    def _flush(self) -> None:
        batch, self._queued = self._queued, []
        if self.lost is None and self.transport is not None:
            self.transport.write(b"".join(batch))
        # else connection_lost has already failed their futures

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._parser.feed(data)
        while (reply := self._parser.gets()) is not False:
            future = self.waiting.popleft()
            if future.done():  # its caller was cancelled; the reply is still consumed
                continue
            if isinstance(reply, hiredis.ReplyError):
                future.set_exception(_error(reply))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = RedisConnectionError(f"Redis connection lost: {exc!r}" if exc else "Redis connection closed")
        while self.waiting:
            future = self.waiting.popleft()
            if not future.done():
                future.set_exception(self.lost)


class AutoPipeline:
    """Commands from concurrent callers written back to back on one connection; replies FIFO."""

    def __init__(self, pool: ConnectionPool) -> None:
        self._kwargs = pool.connection_kwargs
        self._unix = issubclass(pool.connection_class, UnixDomainSocketConnection)
        self._protocol: _Resp | None = None
        self._connecting: asyncio.Lock | None = None
        self._closed = False

    @staticmethod
    def supports(pool: ConnectionPool) -> bool:
        """Plain TCP and unix sockets; TLS and other connection classes stay with redis-py."""
        return pool.connection_class in (TcpConnection, UnixDomainSocketConnection)

    async def execute(self, *args: Any) -> Any:
        """Run one command; a Redis error reply is raised as redis-py raises it."""
        protocol = self._protocol
        if protocol is None or protocol.lost is not None:
            protocol = await self._connect()
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        protocol.send(hiredis.pack_command(args), future)
        return await future

    async def script(self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        """EVALSHA, loading the script once if this Redis does not know it yet."""
        try:
            return await self.execute("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            await self.execute("SCRIPT", "LOAD", script.script)
            return await self.execute("EVALSHA", script.sha, len(keys), *keys, *args)

    async def _connect(self) -> _Resp:
        if self._closed:
            raise RedisConnectionError("the auto-pipeline is closed")
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._protocol is not None and self._protocol.lost is None:
                return self._protocol
            loop = asyncio.get_running_loop()
            kwargs = self._kwargs
            try:
                async with asyncio.timeout(kwargs.get("socket_connect_timeout") or 10):
                    if self._unix:
                        _, protocol = await loop.create_unix_connection(_Resp, kwargs["path"])
                    else:
                        _, protocol = await loop.create_connection(
                            _Resp, kwargs.get("host", "localhost"), kwargs.get("port", 6379))
            except (OSError, TimeoutError) as exc:
                raise RedisConnectionError(f"cannot connect to Redis: {exc}") from exc
            self._protocol = protocol
            # The handshake rides the same connection, ahead of anything queued after it.
            if kwargs.get("password"):
                credentials = [kwargs["username"]] if kwargs.get("username") else []
                await self.execute("AUTH", *credentials, kwargs["password"])
            if kwargs.get("db"):
                await self.execute("SELECT", kwargs["db"])
            return protocol

    async def aclose(self) -> None:
        """Close the connection; whatever is still waiting fails with a connection error."""
        self._closed = True
        protocol, self._protocol = self._protocol, None
        if protocol is not None and protocol.transport is not None:
            protocol.transport.close()
            await asyncio.sleep(0)  # let connection_lost run
