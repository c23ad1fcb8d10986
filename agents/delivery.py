"""What the worker tracks per stream entry, and how handlers' outcomes reach Redis together.

An `Entry` is one stream entry in hand (its message, or why it cannot be handled); an `Outcome`
says what became of some entries (acknowledged, handled, failed, dead); `GroupCommit` writes
the outcomes of concurrent handlers in one round trip, each handler waiting for its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from agents.messages import AgentMessage


@dataclass(slots=True)
class Entry:
    """One stream entry in hand: where it came from, its message (or the problem), its attempt."""

    stream: str
    entry_id: str
    tenant: str
    raw: bytes | None
    message: AgentMessage | None = None
    problem: str | None = None  # why it cannot be handled at all
    attempt: int = 1
    not_before_ms: int = 0  # a RetryLater's own delay, the least the backoff may wait

    @property
    def member(self) -> str:
        return f"{self.stream}|{self.entry_id}"


@dataclass(slots=True)
class Outcome:
    """What became of some entries; written to Redis by `Worker._settle`."""

    acks: list[Entry] = field(default_factory=list)
    handled: list[Entry] = field(default_factory=list)
    failed: list[tuple[Entry, str]] = field(default_factory=list)
    dead: list[tuple[Entry, str]] = field(default_factory=list)

    def absorb(self, other: Outcome) -> None:
        self.acks += other.acks
        self.handled += other.handled
        self.failed += other.failed
        self.dead += other.dead


class GroupCommit:
    """Writes each handler's outcome before the handler counts as done, merging the outcomes
    of concurrent handlers into one round trip: whoever arrives while none is writing leads
    and writes for everyone waiting (group commit)."""

    def __init__(self, write: Callable[[Outcome], Awaitable[None]]) -> None:
        self._write = write
        self._waiting: list[tuple[Outcome, asyncio.Future[None]]] = []
        self._leading = False

    async def __call__(self, outcome: Outcome) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((outcome, done))
        if self._leading:
            return await done
        self._leading = True
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                merged = Outcome()
                for o, _ in batch:
                    merged.absorb(o)
                try:
                    await self._write(merged)
                except BaseException as exc:
                    for _, f in batch:
                        if not f.done():
                            f.set_exception(exc)
                    raise
                for _, f in batch:
                    f.set_result(None)
        finally:
            self._leading = False
            for _, f in self._waiting:  # only left behind if the leader was cancelled
                if not f.done():
                    f.cancel()
        return await done


__all__ = ["Entry", "GroupCommit", "Outcome"]
