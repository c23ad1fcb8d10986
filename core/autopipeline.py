"""One Redis connection shared by concurrent coroutines, their commands sent in batches.

redis-py's asyncio client takes a connection from the pool for every command, packs it in
Python and waits for its reply alone on that connection: about 40-80 µs of CPU a command
here, whatever its size. Checkpointing is many small commands (a script call per step and
per task), so that overhead, not Redis, was what separated the Redis saver from the
in-memory one. RESP replies come back in the order the commands were written, so commands
from any number of coroutines can share one connection: whatever was queued during one
pass of the event loop leaves in one write (packed by hiredis), and one reader hands the
replies back in order. No client library we could use does this for redis-py (redis-py
has no auto-pipelining; valkey-glide would add a second client with its own runtime), so
it is written here, on redis-py's own connection class for connecting, AUTH, TLS and
parsing.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import hiredis
from redis.asyncio.connection import AbstractConnection
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError


class AutoPipeline:
    """Commands from concurrent callers written back to back on one connection; replies FIFO."""

    def __init__(self, connection_factory: Callable[[], AbstractConnection]) -> None:
        self._factory = connection_factory
        self._connection: AbstractConnection | None = None
        self._queued: list[tuple[bytes, asyncio.Future[Any]]] = []  # not written yet
        self._waiting: deque[asyncio.Future[Any]] = deque()  # written, reply not read yet
        self._writer: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False

    async def execute(self, *args: Any) -> Any:
        """Run one command; a Redis error reply is raised as redis-py raises it."""
        if self._closed:
            raise RedisConnectionError("the auto-pipeline is closed")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queued.append((hiredis.pack_command(args), future))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())
        return await future

    async def script(self, script: AsyncScript, keys: Sequence[Any], args: Sequence[Any]) -> Any:
        """EVALSHA, loading the script once if this Redis does not know it yet."""
        try:
            return await self.execute("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            await self.execute("SCRIPT", "LOAD", script.script)
            return await self.execute("EVALSHA", script.sha, len(keys), *keys, *args)

    async def _write(self) -> None:
        try:
            while self._queued:
                connection = self._connection
                if connection is None:
                    connection = self._connection = self._factory()
                    await connection.connect()
                # Everything queued while we were connecting or draining leaves in one write;
                # its replies are awaited in the same order.
                batch, self._queued = self._queued, []
                self._waiting.extend(future for _, future in batch)
                await connection.send_packed_command([packed for packed, _ in batch], check_health=False)
                if connection is not self._connection:  # the reader lost it meanwhile; batch failed
                    await connection.disconnect(nowait=True)
                    continue
                if self._reader is None or self._reader.done():
                    self._reader = asyncio.create_task(self._read(connection))
        except BaseException as exc:
            # Nothing that was queued or written can be matched to a reply any more.
            await self._drop_connection(exc)
            if isinstance(exc, asyncio.CancelledError):
                raise
        finally:
            self._writer = None

    async def _read(self, connection: AbstractConnection) -> None:
        try:
            while self._waiting:
                try:
                    reply: Any = await connection.read_response()
                except ResponseError as exc:  # an error reply: the connection is still in step
                    reply = exc
                future = self._waiting.popleft()
                if future.done():  # its caller was cancelled; the reply is still consumed
                    continue
                if isinstance(reply, ResponseError):
                    future.set_exception(reply)
                else:
                    future.set_result(reply)
        except BaseException as exc:
            await self._drop_connection(exc)
            if isinstance(exc, asyncio.CancelledError):
                raise

    async def _drop_connection(self, exc: BaseException) -> None:
        error = RedisConnectionError(f"Redis connection lost: {exc!r}")
        pending = [future for _, future in self._queued] + list(self._waiting)
        self._queued.clear()
        self._waiting.clear()
        for future in pending:
            if not future.done():
                future.set_exception(error)
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.disconnect(nowait=True)

    async def aclose(self) -> None:
        """Fail what is still pending and close the connection."""
        self._closed = True
        running = [task for task in (self._writer, self._reader) if task is not None and not task.done()]
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
        await self._drop_connection(RuntimeError("closed"))
