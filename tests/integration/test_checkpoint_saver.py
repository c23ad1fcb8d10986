"""OrkestaRedisSaver against the library's own AsyncRedisSaver, on the same real Redis.

Our saver takes short cuts (scripts, one orjson pass, cached message encodings, the
auto-pipelined connection); these tests hold it to the library's storage: what it writes,
the library reads back the same, and a conversation checkpointed by either looks the same.
"""

from __future__ import annotations

import dataclasses
import re
from collections import namedtuple
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.checkpoint.redis.jsonplus_redis import JsonPlusRedisSerializer
from langgraph.checkpoint.serde.types import _DeltaSnapshot
from langgraph.types import Interrupt, Send
from redis.asyncio import Redis

from checkpoints.audit import thread_config
from checkpoints.saver import OrkestaRedisSaver, _FastRedisSerializer, create_saver, thread_id
from core.settings import Settings
from tests.support.stack import open_stack

T = "ferre-mx"
LINK_ID = re.compile(r"pl_[A-Za-z0-9_-]+")
TURNS = ("Necesito 10 tubos de 1/2", "el pvc hidráulico", "sí, confirmo", "ya pagué")


@dataclasses.dataclass
class Summary:
    text: str
    tags: set[str]


Point = namedtuple("Point", "x y")

VALUES: list[Any] = [
    {"plain": [1, 2.5, "tres", None, True], "nested": {"a": {"b": []}}},
    [HumanMessage(content="Necesito 10 tubos", id="h1"), AIMessage(content="Encontré", name="catalog", id="a1")],
    {"messages": [AIMessage(content="x", additional_kwargs={"k": [1, 2]}, id="a2")], "n": 3},
    Interrupt(value={"kind": "credit_approval", "total": "12.50"}, id="i-1"),
    [Send("pricing", {"cart": [1]})],
    {"tags": {"b", "a"}},
    (1, "dos", [3]),
    Point(1, 2),
    Summary(text="resumen", tags={"x"}),
    _DeltaSnapshot({"v": 1}),
    {"when": datetime(2026, 11, 25, 10, 30, tzinfo=UTC), "amount": Decimal("12.50")},
    {"raw": b"\x00\x01"},  # bytes nested: both fall back to the same msgpack path
    b"bytes",
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_the_fast_serializer_writes_what_the_library_writes(value: Any) -> None:
    ours, library = _FastRedisSerializer(), JsonPlusRedisSerializer()
    dumped = ours.dumps_typed(value)
    expected = library.dumps_typed(value)
    assert dumped[0] == expected[0]
    if dumped[0] == "json":  # key order may differ only where orjson and the walk differ: compare parsed
        assert library.loads_typed(dumped) == library.loads_typed(expected)
    else:
        assert dumped == expected


def test_a_cached_message_encoding_follows_a_reassigned_field() -> None:
    serde = _FastRedisSerializer()
    message = AIMessage(content="hola", name="catalog")
    first = serde.loads_typed(serde.dumps_typed([message]))
    message.id = "assigned-later"  # what add_messages does to a message without an id
    message.content = "adiós"
    second = serde.loads_typed(serde.dumps_typed([message]))
    assert first[0].id is None and first[0].content == "hola"
    assert second[0].id == "assigned-later" and second[0].content == "adiós"


def test_a_message_read_back_is_written_again_as_the_library_would() -> None:
    ours, library = _FastRedisSerializer(), JsonPlusRedisSerializer()
    stored = ours.dumps_typed([AIMessage(content="hola", name="catalog", id="a-1")])
    (revived,) = ours.loads_typed(stored)  # remembered with the encoding it was read from
    assert ours.dumps_typed([revived]) == library.dumps_typed([revived])
    revived.content = "adiós"
    assert library.loads_typed(ours.dumps_typed([revived]))[0].content == "adiós"


def _comparable(snapshot: Any) -> dict[str, Any]:
    """A state snapshot without what differs between two runs: payment link ids and times."""
    values = dict(snapshot.values)
    values["messages"] = [(m.type, LINK_ID.sub("pl_…", str(m.content)), m.name) for m in values.get("messages", [])]
    if values.get("reply"):
        values["reply"] = LINK_ID.sub("pl_…", values["reply"])
    if values.get("payment_link"):
        values["payment_link"] = {k: v for k, v in values["payment_link"].items()
                                  if k not in ("link_id", "url", "created_at", "expires_at")}
    if values.get("order"):
        values["order"] = {k: v for k, v in values["order"].items() if k != "created_at"}
    return {"values": values, "next": snapshot.next, "step": snapshot.metadata.get("step"),
            "source": snapshot.metadata.get("source"),
            "tasks": [(t.name, bool(t.interrupts)) for t in snapshot.tasks]}


async def _conversation(redis: Redis, settings: Settings, saver: Any, conversation: str) -> list[dict[str, Any]]:
    async with open_stack(redis, settings, checkpointer=saver) as stack:
        for text in TURNS:
            await stack.runner.run_turn(tenant=T, conversation_id=conversation, customer_id="CUST-0003", text=text)
        config = thread_config(T, conversation)
        return [_comparable(s) async for s in stack.runner.graph.aget_state_history(config)]


async def test_a_conversation_checkpoints_the_same_as_with_the_library_saver(redis: Redis, settings: Settings) -> None:
    library = AsyncRedisSaver(redis_client=redis)
    await library.asetup()
    assert isinstance(await create_saver(redis, settings), OrkestaRedisSaver)

    with_library = await _conversation(redis, settings, library, "c-1")
    await redis.flushall()  # the same tenant data and conversation again, for our saver
    await library.asetup()
    ours = await create_saver(redis, settings)
    with_ours = await _conversation(redis, settings, ours, "c-1")

    assert len(with_ours) == len(with_library) > 4 * 4
    assert with_ours == with_library


async def test_the_library_reads_back_what_our_saver_wrote(redis: Redis, settings: Settings) -> None:
    ours = await create_saver(redis, settings)
    await _conversation(redis, settings, ours, "c-1")
    library = AsyncRedisSaver(redis_client=redis)
    await library.asetup()
    config = {"configurable": {"thread_id": thread_id(T, "c-1"), "checkpoint_ns": ""}}

    read_by_ours = [t async for t in ours.alist(config)]
    read_by_library = [t async for t in library.alist(config)]
    assert [t.config for t in read_by_ours] == [t.config for t in read_by_library]
    for mine, theirs in zip(read_by_ours, read_by_library, strict=True):
        # the latest-checkpoint read (our script) against the library's own read of that checkpoint
        fast = await ours.aget_tuple(mine.config)
        slow = await library.aget_tuple(theirs.config)
        assert fast is not None and slow is not None
        assert fast.checkpoint["channel_values"] == slow.checkpoint["channel_values"]
        assert fast.checkpoint["channel_versions"] == slow.checkpoint["channel_versions"]
        assert fast.metadata == slow.metadata and fast.parent_config == slow.parent_config
        assert fast.pending_writes == slow.pending_writes

    latest_ours = await ours.aget_tuple(config)
    latest_library = await library.aget_tuple(config)
    assert latest_ours is not None and latest_library is not None
    assert latest_ours.config == latest_library.config
    assert latest_ours.checkpoint["channel_values"] == latest_library.checkpoint["channel_values"]


async def test_pending_writes_of_an_interrupted_run_are_read_back(redis: Redis, settings: Settings) -> None:
    """The credit-approval interrupt lives only in pending writes until a human answers."""
    ours = await create_saver(redis, settings)
    library = AsyncRedisSaver(redis_client=redis)
    await library.asetup()
    async with open_stack(redis, settings, checkpointer=ours) as stack:
        # CUST-0001 is bronze with a 5,000 MXN limit: 60 pipes go over it
        for text in ("necesito 60 tubos pvc hidraulico de 1/2", "si"):
            result = await stack.runner.run_turn(tenant=T, conversation_id="c-2", customer_id="CUST-0001", text=text)
        assert result.interrupt is not None and result.interrupt["kind"] == "credit_approval"
        config = thread_config(T, "c-2")
        fast = await ours.aget_tuple(config)
        slow = await library.aget_tuple(config)
        assert fast is not None and slow is not None
        assert fast.pending_writes == slow.pending_writes and fast.pending_writes


async def test_a_task_with_more_writes_than_one_batch(redis: Redis, settings: Settings) -> None:
    """The write script sends its documents in batches of 500; all of them come back, in order."""
    ours = await create_saver(redis, settings)
    library = AsyncRedisSaver(redis_client=redis)
    await library.asetup()
    config = {"configurable": {"thread_id": thread_id(T, "wide"), "checkpoint_ns": ""}}
    checkpoint = empty_checkpoint()
    saved = await ours.aput(config, checkpoint, {"source": "input", "step": -1}, {})
    writes = [(f"channel-{i}", {"n": i}) for i in range(1201)]
    await ours.aput_writes(saved, writes, task_id="task-1")

    fast, slow = await ours.aget_tuple(saved), await library.aget_tuple(saved)
    assert fast is not None and slow is not None
    assert fast.pending_writes == slow.pending_writes == [("task-1", c, v) for c, v in writes]
