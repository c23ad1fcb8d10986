"""The checkpointer: langgraph-checkpoint-redis's full-history AsyncRedisSaver on our pooled client.

The shallow saver keeps only the latest checkpoint and cannot serve audit or replay, so it
is never used. Checkpoint keys are the library's own (`checkpoint:…`), the one family of keys
outside the `ork:{tenant}:…` scheme; tenants are kept apart by thread ids, which always
start with the tenant (`thread_id()`).

`OrkestaRedisSaver` writes and reads exactly the library's keys and documents (so its
indexes, `alist`, history and replay keep working; tests/integration/test_checkpoint_saver.py
holds it to that) at a fraction of the cost per step, because a step is many small
commands and redis-py's per-command overhead dominated:

- a checkpoint and its latest pointer, a task's writes with their registry, and a read of
  the latest checkpoint with its pending writes are each one Lua script call;
- those calls share the client's auto-pipelined connection (`core.autopipeline`), so
  concurrent conversations' steps leave in common writes;
- values are encoded in one orjson pass, and a message's encoding is kept while it lives.

Anything unusual (TTL, cluster, bytes in the state) takes the library's own path.

Library internals this module relies on (hence the upper bounds in `pyproject.toml`):
- `AsyncRedisSaver`: `aput`, `aput_writes` and `aget_tuple` are overridden and fall back to the
  library's; it calls `_make_redis_checkpoint_key(_cached)`, `_make_redis_checkpoint_latest_key`,
  `_make_redis_checkpoint_writes_key_cached`, `_dump_metadata`, `_load_checkpoint`, `_key_registry`,
  `_redis`, `BaseRedisSaver._load_writes`, `CheckpointKeyRegistry` and `util.to_storage_safe_id/_str`;
- `JsonPlusRedisSerializer`: `_preprocess_redis_json`, `_default_handler`, `_revive_if_needed`,
  `_recursive_deserialize` and `_constructor_class`;
- `langgraph.checkpoint.base.WRITES_IDX_MAP` and the key layout of langgraph-checkpoint-redis 0.5.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import weakref
from collections.abc import Sequence
from typing import Any, cast

import orjson
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    PendingWrite,
    get_checkpoint_id,
)
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.checkpoint.redis.base import BaseRedisSaver
from langgraph.checkpoint.redis.jsonplus_redis import JsonPlusRedisSerializer
from langgraph.checkpoint.redis.key_registry import CheckpointKeyRegistry
from langgraph.checkpoint.redis.util import (
    EMPTY_ID_SENTINEL,
    from_storage_safe_id,
    to_storage_safe_id,
    to_storage_safe_str,
)
from langgraph.constants import TASKS
from langgraph.types import Interrupt, Send
from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redisvl.exceptions import RedisSearchError
from ulid import ULID

from core.redis import OrkestaRedis
from core.settings import Settings
from core.tenants import validate_tenant


def thread_id(tenant: str, conversation_id: str) -> str:
    """The LangGraph thread of a tenant's conversation; the tenant prefix is the wall."""
    return f"{validate_tenant(tenant)}:{conversation_id}"


def ttl_policy(settings: Settings) -> dict[str, Any] | None:
    """The saver's TTL setting, or None to keep every checkpoint (what audit needs)."""
    if not settings.checkpoint_ttl_minutes:
        return None
    return {"default_ttl": settings.checkpoint_ttl_minutes, "refresh_on_read": settings.checkpoint_refresh_on_read}


def _checkpoint_ts(checkpoint_id: str) -> float | int | None:
    """The library's `checkpoint_ts`: the ULID's milliseconds, else now in milliseconds."""
    if not checkpoint_id:
        return None
    try:
        return ULID.from_str(checkpoint_id).timestamp
    except Exception:
        return time.time() * 1000


# A checkpoint document and its latest pointer, atomically, in one command.
_PUT_LUA = """
redis.call('JSON.SET', KEYS[1], '$', ARGV[1])
redis.call('SET', KEYS[2], KEYS[1])
"""

# A task's write documents, its checkpoint's has_writes flag and the key registry, in one
# command (redis-py packs and parses every command in Python: one per write cost more
# than encoding the writes); JSON.MSET indexes a batch in half the time of a JSON.SET each.
# KEYS: checkpoint, registry zset, then the write keys; ARGV: their documents. The flag is
# best effort, as in the library (a missing checkpoint or a Redis without JSON.MERGE leaves
# it unset).
_PUT_WRITES_LUA = """
for first = 3, #KEYS, 500 do  -- JSON.MSET and ZADD take many at once; unpack() has a limit
  local documents, members = {}, {}
  for i = first, math.min(first + 499, #KEYS) do
    table.insert(documents, KEYS[i]); table.insert(documents, '$'); table.insert(documents, ARGV[i - 2])
    table.insert(members, i - 3); table.insert(members, KEYS[i])
  end
  redis.call('JSON.MSET', unpack(documents))
  redis.call('ZADD', KEYS[2], unpack(members))
end
pcall(redis.call, 'JSON.MERGE', KEYS[1], '$', '{"has_writes":true}')
"""

# A checkpoint with its pending writes and its parent's pending sends, in one round trip.
# KEYS[1]: the latest pointer (ARGV[1] == 'latest') or the checkpoint key itself;
# ARGV[2]: the registry zset prefix of this thread and namespace ("write_keys_zset:T:NS:").
# Reply: {document, number of writes, write documents..., send documents...}.
_GET_LUA = """
local key = KEYS[1]
if ARGV[1] == 'latest' then
  key = redis.call('GET', key)
  if not key then return nil end
end
local doc = redis.call('JSON.GET', key)
if not doc then return nil end
local ids = cjson.decode(redis.call('JSON.GET', key, '$.checkpoint_id', '$.parent_checkpoint_id'))
local reply = {doc, 0}
for _, write_key in ipairs(redis.call('ZRANGE', ARGV[2] .. ids['$.checkpoint_id'][1], 0, -1)) do
  local write = redis.call('JSON.GET', write_key)
  if write then reply[#reply + 1] = write; reply[2] = reply[2] + 1 end
end
local parent = ids['$.parent_checkpoint_id'][1]
if parent and parent ~= '' then
  for _, send_key in ipairs(redis.call('ZRANGE', ARGV[2] .. parent, 0, -1)) do
    if string.find(send_key, '__pregel_tasks', 1, true) then
      local send = redis.call('JSON.GET', send_key)
      if send then reply[#reply + 1] = send end
    end
  end
end
return reply
"""


class _FastRedisSerializer(JsonPlusRedisSerializer):
    """The library's JSON encoding, produced in one orjson pass with messages encoded once.

    The library walks every value in Python before handing it to orjson (to give Interrupt,
    Send, sets, tuples and dataclasses their markers) and re-runs `to_json()` on every
    message of the history at every checkpoint, although a step adds one or two. Here orjson
    walks the value itself and calls back only for those types, which get the library's
    own encoding; a message's `to_json()` is kept while the message lives and is unchanged.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._classes: dict[tuple[str, ...], type[Any] | ValueError] = {}
        # id(message) -> (its fields when encoded, the encoding, a weakref dropping the entry)
        self._messages: dict[int, tuple[dict[str, Any], dict[str, Any], weakref.ref[Any]]] = {}

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        if obj is None or isinstance(obj, (bytes, bytearray)):
            return super().dumps_typed(obj)
        try:
            return "json", orjson.dumps(obj, default=self._encode_other, option=orjson.OPT_PASSTHROUGH_DATACLASS)
        except TypeError:  # bytes nested somewhere, or a type JSON cannot hold: the library's path
            return super().dumps_typed(obj)

    def _encode_other(self, obj: Any) -> Any:
        """What orjson cannot encode itself, encoded as the library does."""
        if isinstance(obj, BaseMessage):
            return self._message_json(obj)
        if isinstance(obj, (Interrupt, Send, set, tuple)) or (
                dataclasses.is_dataclass(obj) and not isinstance(obj, type)):
            return self._preprocess_redis_json(obj)  # markers and envelopes (_DeltaSnapshot is a tuple)
        return self._default_handler(obj)

    def _message_json(self, message: BaseMessage) -> Any:
        """`message.to_json()`, computed again only if a field was reassigned since."""
        entry = self._messages.get(id(message))
        if entry is not None and entry[0] == message.__dict__:
            return entry[1]
        encoded = message.to_json()
        self._remember(message, encoded)
        return encoded

    def _remember(self, message: BaseMessage, encoded: Any) -> None:
        key = id(message)
        entry = self._messages.get(key)
        # Entries leave with their message, so an id is never reused for a stale one.
        ref = entry[2] if entry is not None else weakref.ref(
            message, lambda _, key=key, cache=self._messages: cache.pop(key, None))  # type: ignore[misc]
        self._messages[key] = (dict(message.__dict__), encoded, ref)

    def _revive_if_needed(self, obj: Any) -> Any:
        """The library's reviver; a message read back keeps the encoding it was read from
        (its `to_json()`, as stored), so a later checkpoint need not encode it again."""
        revived = super()._revive_if_needed(obj)
        if isinstance(revived, BaseMessage) and isinstance(obj, dict):
            self._remember(revived, obj)
        return revived

    def _constructor_class(self, obj: dict[str, Any]) -> type[Any]:
        """The library's lookup, remembered: messages stored as `langchain.schema.…` ids
        otherwise retry a failing import (a walk of sys.path) on every message read."""
        ident = obj.get("id")
        if not isinstance(ident, list) or not all(isinstance(part, str) for part in ident):
            return super()._constructor_class(obj)
        key = tuple(ident)
        found = self._classes.get(key)
        if found is None:
            try:
                found = super()._constructor_class(obj)
            except ValueError as exc:
                found = exc
            self._classes[key] = found
        if isinstance(found, ValueError):
            raise ValueError(*found.args)
        return found


class OrkestaRedisSaver(AsyncRedisSaver):
    """AsyncRedisSaver with the library's storage layout and fewer round trips per step."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.serde = _FastRedisSerializer()
        self._put_script = self._redis.register_script(_PUT_LUA)
        self._put_writes_script = self._redis.register_script(_PUT_WRITES_LUA)
        self._get_script = self._redis.register_script(_GET_LUA)

    async def _script(self, script: AsyncScript, keys: list[Any], args: list[Any]) -> Any:
        """Run one of the saver's scripts, on the client's auto-pipelined connection if it has one."""
        pipe = self._redis.autopipeline if isinstance(self._redis, OrkestaRedis) else None
        if pipe is not None:
            return await pipe.script(script, keys, args)
        return await script(keys=keys, args=args)

    def _fast(self) -> bool:
        return not self.cluster_mode and not self.ttl_config and self._key_registry is not None

    def _checkpoint_json(self, checkpoint: Checkpoint) -> bytes | None:
        """The library's `_dump_checkpoint` document as JSON bytes, or None if not plain JSON."""
        ck: dict[str, Any] = dict(checkpoint)
        ck.pop("pending_sends", None)
        ck.pop("type", None)
        if "channel_versions" in ck:
            ck["channel_versions"] = {k: str(v) for k, v in ck["channel_versions"].items()}
        type_, data = self.serde.dumps_typed(ck)
        if type_ != "json" or not data.startswith(b"{"):
            return None
        inner = data[1:-1]
        return b'{"type":"json",' + inner + (b',' if inner else b'') + b'"pending_sends":[]}'

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        stream_mode: str = "values",
    ) -> RunnableConfig:
        if not self._fast():
            return await super().aput(config, checkpoint, metadata, new_versions, stream_mode)
        configurable = config["configurable"].copy()
        run_id = configurable.pop("run_id", metadata.get("run_id"))
        thread = configurable.pop("thread_id")
        checkpoint_ns = configurable.pop("checkpoint_ns")
        config_checkpoint_id = configurable.pop("checkpoint_id", None)
        thread_ts = configurable.pop("thread_ts", "")
        checkpoint_id = config_checkpoint_id or thread_ts or checkpoint.get("id", "")
        parent_checkpoint_id = None
        if checkpoint.get("id") and config_checkpoint_id and checkpoint.get("id") != config_checkpoint_id:
            parent_checkpoint_id = config_checkpoint_id
            checkpoint_id = checkpoint["id"]

        checkpoint_json = self._checkpoint_json(checkpoint)
        if checkpoint_json is None:  # bytes in the state: the library's msgpack-normalizing path
            return await super().aput(config, checkpoint, metadata, new_versions, stream_mode)

        head: dict[str, Any] = {
            "thread_id": to_storage_safe_id(thread),
            "run_id": to_storage_safe_id(run_id) if run_id else "",
            "checkpoint_ns": to_storage_safe_str(checkpoint_ns),
            "checkpoint_id": to_storage_safe_id(checkpoint_id),
            "parent_checkpoint_id": to_storage_safe_id(parent_checkpoint_id) if parent_checkpoint_id else "",
            "checkpoint_ts": _checkpoint_ts(checkpoint_id),
            "metadata": self._dump_metadata(metadata),
            "has_writes": False,
        }
        if "source" in metadata and "step" in metadata:
            head["source"] = metadata["source"]
            head["step"] = metadata["step"]
        document = orjson.dumps(head)[:-1] + b',"checkpoint":' + checkpoint_json + b"}"

        checkpoint_key = self._make_redis_checkpoint_key_cached(thread, checkpoint_ns, checkpoint_id)
        latest_key = self._make_redis_checkpoint_latest_key(thread, checkpoint_ns)
        # The document and the pointer to it in one script: one round trip, and no reader
        # ever sees a pointer to a checkpoint that is not there yet.
        try:
            await self._script(self._put_script, [checkpoint_key, latest_key], [document])
        except asyncio.CancelledError:
            # As the library does: a cancelled put still leaves the checkpoint, marked interrupted.
            if stream_mode in ("values", "messages"):
                try:
                    head["metadata"] = self._dump_metadata(
                        cast(CheckpointMetadata, {**metadata, "interrupted": True, "stream_mode": stream_mode}))
                    retry = orjson.dumps(head)[:-1] + b',"checkpoint":' + checkpoint_json + b"}"
                    await self._redis.execute_command("JSON.SET", checkpoint_key, "$", retry)
                except Exception:
                    pass
            raise
        return {"configurable": {"thread_id": thread, "checkpoint_ns": checkpoint_ns,
                                 "checkpoint_id": checkpoint_id}}

    async def aput_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = "",
    ) -> None:
        if not writes:
            return
        if not self._fast():
            return await super().aput_writes(config, writes, task_id, task_path)
        thread = config["configurable"]["thread_id"]
        checkpoint_ns = config["configurable"].get("checkpoint_ns", "")
        checkpoint_id = config["configurable"]["checkpoint_id"]
        safe_thread, safe_ns = to_storage_safe_id(thread), to_storage_safe_str(checkpoint_ns)
        safe_id = to_storage_safe_id(checkpoint_id)
        # The library's write documents, keys, has_writes flag and key registry; each
        # document encoded once with orjson, all of them sent as one script call.
        keys = [self._make_redis_checkpoint_key_cached(thread, checkpoint_ns, checkpoint_id),
                CheckpointKeyRegistry.make_write_keys_zset_key(thread, checkpoint_ns, checkpoint_id)]
        documents: list[bytes] = []
        for idx, (channel, value) in enumerate(writes):
            type_, blob = self.serde.dumps_typed(value)
            write_idx = WRITES_IDX_MAP.get(channel, idx)
            keys.append(self._make_redis_checkpoint_writes_key_cached(
                thread, checkpoint_ns, checkpoint_id, task_id, write_idx))
            documents.append(orjson.dumps({
                "thread_id": safe_thread, "checkpoint_ns": safe_ns, "checkpoint_id": safe_id,
                "task_id": task_id, "task_path": task_path, "idx": write_idx, "channel": channel,
                "type": type_, "blob": self._encode_blob(blob),
            }))
        await self._script(self._put_writes_script, keys, documents)

    def _recursive_deserialize(self, obj: Any) -> Any:
        """The library's walk over stored channel values, without its marker checks on the
        dicts and lists that carry no marker (nearly all of them)."""
        kind = type(obj)
        if kind is list:
            return [self._recursive_deserialize(item) for item in obj]
        if kind is dict and not ("lc" in obj or "__bytes__" in obj or "__delta_snapshot__" in obj
                                 or "__send__" in obj):
            return {k: self._recursive_deserialize(v) for k, v in obj.items()}
        if isinstance(obj, (dict, list)):  # a marker, or a subclass: the library's own walk
            return super()._recursive_deserialize(obj)
        return obj

    @staticmethod
    def _registry_prefix(thread: str, checkpoint_ns: str) -> str:
        """`make_write_keys_zset_key` without its last part, for the read script to finish."""
        return CheckpointKeyRegistry.make_write_keys_zset_key(thread, checkpoint_ns, "x")[:-1]

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        if not self._fast():
            return await super().aget_tuple(config)
        try:
            return await self._aget_tuple_fast(config)
        except asyncio.CancelledError:
            raise
        except Exception:
            return await super().aget_tuple(config)

    async def _aget_tuple_fast(self, config: RunnableConfig) -> CheckpointTuple | None:
        thread = config["configurable"]["thread_id"]
        checkpoint_id = get_checkpoint_id(config)
        checkpoint_ns = config["configurable"].get("checkpoint_ns", "")
        if checkpoint_id and checkpoint_id != EMPTY_ID_SENTINEL:
            reply = await self._script(
                self._get_script, [self._make_redis_checkpoint_key(thread, checkpoint_ns, checkpoint_id)],
                ["key", self._registry_prefix(thread, checkpoint_ns)])
        else:
            reply = await self._script(
                self._get_script, [self._make_redis_checkpoint_latest_key(thread, checkpoint_ns)],
                ["latest", self._registry_prefix(thread, checkpoint_ns)])
        if not reply:
            return None
        data: dict[str, Any] = orjson.loads(reply[0])
        doc_checkpoint_id = from_storage_safe_id(data.get("checkpoint_id"))
        doc_parent_id = from_storage_safe_id(data.get("parent_checkpoint_id"))
        checkpoint_data: dict[str, Any] = data.get("checkpoint", {}) or {}
        written = 2 + int(reply[1])
        fetched = [orjson.loads(doc) for doc in reply[2:written]]
        sent = [orjson.loads(doc) for doc in reply[written:]]

        writes_dict: dict[tuple[str, str], dict[str, Any]] = {}
        for write in fetched:
            if write:
                task_id = write.get("task_id", "")
                idx = str(write.get("idx", 0))
                writes_dict[(task_id, idx)] = {"task_id": task_id, "idx": idx, "channel": write.get("channel", ""),
                                               "type": write.get("type", ""), "blob": write.get("blob", b"")}
        pending_writes: list[PendingWrite] = BaseRedisSaver._load_writes(self.serde, writes_dict)
        sends = sorted(
            ((w.get("task_path", ""), w.get("task_id", ""), w.get("idx", 0), w.get("type", ""), w.get("blob", b""))
             for w in sent if w and w.get("channel") == TASKS),
            key=lambda x: (x[0], x[1], x[2]),
        )
        pending_sends = [(s[3], s[4]) for s in sends]

        channel_values = self._recursive_deserialize(checkpoint_data.get("channel_values", {}))
        raw_metadata = data.get("metadata", "{}")
        metadata_dict = json.loads(raw_metadata) if isinstance(raw_metadata, str) else raw_metadata
        metadata = cast(CheckpointMetadata, {
            k.replace("\u0000", ""): (v.replace("\u0000", "") if isinstance(v, str) else v)
            for k, v in metadata_dict.items()
        })
        parent_config: RunnableConfig | None = None
        if doc_parent_id:
            parent_config = {"configurable": {"thread_id": thread, "checkpoint_ns": checkpoint_ns,
                                              "checkpoint_id": doc_parent_id}}
        return CheckpointTuple(
            config={"configurable": {"thread_id": thread, "checkpoint_ns": checkpoint_ns,
                                     "checkpoint_id": doc_checkpoint_id}},
            checkpoint=self._load_checkpoint(checkpoint_data, channel_values, pending_sends),
            metadata=metadata,
            parent_config=parent_config,
            pending_writes=pending_writes,
        )


async def create_saver(redis: Redis, settings: Settings) -> AsyncRedisSaver:
    """A ready saver (indexes created) sharing the process's bounded connection pool."""
    saver = OrkestaRedisSaver(redis_client=redis, ttl=ttl_policy(settings))
    try:
        await saver.asetup()
    except RedisSearchError as exc:
        # Server processes starting together race to create the indexes (the library checks,
        # then creates); the loser finds them there on a second pass.
        if "already exists" not in str(exc):
            raise
        await saver.asetup()
    return saver
