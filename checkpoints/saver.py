"""The checkpointer: langgraph-checkpoint-redis's full-history AsyncRedisSaver on our pooled client.

The shallow saver keeps only the latest checkpoint and cannot serve audit or replay, so it
is never used. Checkpoint keys are the library's own (`checkpoint:…`), the one family of keys
outside the `ork:{tenant}:…` scheme; tenants are kept apart by thread ids, which always
start with the tenant (`thread_id()`).

`OrkestaRedisSaver` writes and reads exactly the library's keys and documents (so its
indexes, `alist`, history and replay keep working) with fewer round trips and less
re-encoding: a checkpoint and its latest pointer go in one MULTI/EXEC, the checkpoint JSON
is encoded once (orjson) instead of encode → decode → re-encode, and reading the latest
checkpoint fetches its document once and its pending writes/sends in one pipeline.
Anything unusual (TTL, cluster, a non-JSON serialization) takes the library's own path.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any, cast

import orjson
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
    from_storage_safe_str,
    to_storage_safe_id,
    to_storage_safe_str,
)
from langgraph.constants import TASKS
from redis.asyncio import Redis
from ulid import ULID

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


_SCALARS = frozenset({str, int, float, bool, type(None)})


class _FastRedisSerializer(JsonPlusRedisSerializer):
    """The library's serializer, with its pre-encoding walk short-cut for plain JSON values.

    `_preprocess_redis_json` re-imports three types and runs a chain of isinstance checks on
    every value it visits; plain scalars, dicts and lists (exact types, so never an
    Interrupt, Send, set, dataclass or tuple) come out unchanged or rebuilt the same way,
    so they are handled here and everything else goes to the library's own code.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._classes: dict[tuple[str, ...], type[Any] | ValueError] = {}

    def _preprocess_redis_json(self, obj: Any, *, encode_bytes: Any = None) -> Any:
        kind = type(obj)
        if kind in _SCALARS:
            return obj
        if kind is dict:
            return {k: self._preprocess_redis_json(v, encode_bytes=encode_bytes) for k, v in obj.items()}
        if kind is list:
            return [self._preprocess_redis_json(v, encode_bytes=encode_bytes) for v in obj]
        return super()._preprocess_redis_json(obj, encode_bytes=encode_bytes)

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
        # The document and the pointer to it in one MULTI/EXEC: one round trip, and no
        # reader ever sees a pointer to a checkpoint that is not there yet.
        pipe = self._redis.pipeline(transaction=True)
        pipe.execute_command("JSON.SET", checkpoint_key, "$", document)
        pipe.set(latest_key, checkpoint_key)
        try:
            await pipe.execute()
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
        # The library's write documents, keys, has_writes flag and key registry, in its one
        # pipeline; each document encoded once with orjson.
        pipe = self._redis.pipeline(transaction=False)
        created: list[str] = []
        for idx, (channel, value) in enumerate(writes):
            type_, blob = self.serde.dumps_typed(value)
            write_idx = WRITES_IDX_MAP.get(channel, idx)
            key = self._make_redis_checkpoint_writes_key_cached(
                thread, checkpoint_ns, checkpoint_id, task_id, write_idx)
            pipe.execute_command("JSON.SET", key, "$", orjson.dumps({
                "thread_id": safe_thread, "checkpoint_ns": safe_ns, "checkpoint_id": safe_id,
                "task_id": task_id, "task_path": task_path, "idx": write_idx, "channel": channel,
                "type": type_, "blob": self._encode_blob(blob),
            }))
            created.append(key)
        checkpoint_key = self._make_redis_checkpoint_key(thread, checkpoint_ns, checkpoint_id)
        pipe.execute_command("JSON.MERGE", checkpoint_key, "$", b'{"has_writes":true}')
        pipe.zadd(CheckpointKeyRegistry.make_write_keys_zset_key(thread, checkpoint_ns, checkpoint_id),
                  {key: idx for idx, key in enumerate(created)})
        results = await pipe.execute(raise_on_error=False)
        merge_failed = False
        for result in results:
            if isinstance(result, Exception):
                if "JSON.MERGE" in str(result) or "merge" in str(result).lower():
                    merge_failed = True
                else:
                    raise result
        if merge_failed:  # as the library: a Redis without JSON.MERGE gets the flag set by rewrite
            try:
                data = await self._redis.json().get(checkpoint_key)
                if isinstance(data, dict) and not data.get("has_writes"):
                    data["has_writes"] = True
                    await self._redis.json().set(checkpoint_key, "$", data)
            except Exception:
                pass

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
        safe_thread = to_storage_safe_id(thread)
        safe_ns = to_storage_safe_str(checkpoint_ns)

        if checkpoint_id and checkpoint_id != EMPTY_ID_SENTINEL:
            safe_id = to_storage_safe_id(checkpoint_id)
            checkpoint_key: Any = self._make_redis_checkpoint_key(safe_thread, safe_ns, safe_id)
            data = await self._redis.json().get(checkpoint_key)
            if not data:
                return None
            doc_checkpoint_id = from_storage_safe_id(data.get("checkpoint_id", safe_id))
            doc_parent_id = from_storage_safe_id(data.get("parent_checkpoint_id", safe_id))
        else:
            checkpoint_key = await self._redis.get(self._make_redis_checkpoint_latest_key(thread, checkpoint_ns))
            if not checkpoint_key:
                return None
            data = await self._redis.json().get(checkpoint_key)
            if not data:
                return None
            doc_checkpoint_id = from_storage_safe_id(data.get("checkpoint_id"))
            doc_parent_id = from_storage_safe_id(data.get("parent_checkpoint_id"))
        doc_ns = from_storage_safe_str(data.get("checkpoint_ns", safe_ns))
        checkpoint_data: dict[str, Any] = data.get("checkpoint", {}) or {}

        # Pending writes of this checkpoint and pending sends of its parent, from the
        # library's per-checkpoint key registries, in two round trips.
        pipe = self._redis.pipeline(transaction=False)
        pipe.zrange(CheckpointKeyRegistry.make_write_keys_zset_key(thread, checkpoint_ns, doc_checkpoint_id), 0, -1)
        if doc_parent_id:
            pipe.zrange(CheckpointKeyRegistry.make_write_keys_zset_key(thread, doc_ns, doc_parent_id), 0, -1)
        ranges = await pipe.execute()
        write_keys = [k.decode() if isinstance(k, bytes) else k for k in ranges[0]]
        send_keys = []
        if doc_parent_id:
            send_keys = [k for k in (k.decode() if isinstance(k, bytes) else k for k in ranges[1])
                         if TASKS in k or "__pregel_tasks" in k]
        fetched: list[Any] = []
        if write_keys or send_keys:
            pipe = self._redis.pipeline(transaction=False)
            for key in (*write_keys, *send_keys):
                pipe.json().get(key)
            fetched = await pipe.execute()

        writes_dict: dict[tuple[str, str], dict[str, Any]] = {}
        for write in fetched[: len(write_keys)]:
            if write:
                task_id = write.get("task_id", "")
                idx = str(write.get("idx", 0))
                writes_dict[(task_id, idx)] = {"task_id": task_id, "idx": idx, "channel": write.get("channel", ""),
                                               "type": write.get("type", ""), "blob": write.get("blob", b"")}
        pending_writes: list[PendingWrite] = BaseRedisSaver._load_writes(self.serde, writes_dict)
        sends = sorted(
            ((w.get("task_path", ""), w.get("task_id", ""), w.get("idx", 0), w.get("type", ""), w.get("blob", b""))
             for w in fetched[len(write_keys):] if w and w.get("channel") == TASKS),
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
    await saver.asetup()
    return saver
