"""What WhatsApp state we remember in Redis, all under the tenant's keys.

Keys (each under the tenant's prefix, `ork:{<tenant>}:`, via `TenantKeys`):
- `wa-window:<who>` (`window_key`): when `who` (wa_id or BSUID) last wrote, unix seconds; it
  opens the 24-hour customer-service window (`record_inbound`, `window_open`);
- `wa-status:<wamid>` (`status_key`): hash of one outbound message's delivery status, the step
  that sent it and its recipient (`record_sent`, `record_status`, `status_of`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from redis.asyncio import Redis

from core.redis import as_text
from core.tenants import TenantKeys

# --- what we remember in Redis (all under the tenant's keys) ---------------------------------

#: The customer-service window: a free-form reply is allowed this long after the user's last message.
WINDOW_S = 24 * 3600
#: Window records outlive the window a little, for operators; after that "no record" means closed.
_WINDOW_TTL_S = 2 * WINDOW_S
#: Delivery reports are kept a month: long enough to answer "did they get it?".
STATUS_TTL_S = 30 * 24 * 3600
#: How far a status has come; `failed` ranks highest, so nothing moves a message out of it.
STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}

# Keep the newest timestamp: webhooks arrive out of order, and an old one must not shorten the window.
_WINDOW_LUA = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""

# KEYS[1] the message's status hash. ARGV: status, rank, timestamp, recipient, errors JSON, ttl.
# The status only moves forward; each status's first time is kept as `<status>_at` either way.
_STATUS_LUA = """
redis.call('HSETNX', KEYS[1], ARGV[1] .. '_at', ARGV[3])
local current = tonumber(redis.call('HGET', KEYS[1], 'rank') or '-1')
local moved = 0
if tonumber(ARGV[2]) > current then
  redis.call('HSET', KEYS[1], 'status', ARGV[1], 'rank', ARGV[2], 'timestamp', ARGV[3])
  if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'errors', ARGV[5]) end
  moved = 1
end
if ARGV[4] ~= '' then redis.call('HSETNX', KEYS[1], 'recipient', ARGV[4]) end
redis.call('EXPIRE', KEYS[1], ARGV[6])
return moved
"""


def window_key(tenant: str, who: str) -> str:
    """When `who` (wa_id or BSUID) last wrote to the tenant: unix seconds."""
    return TenantKeys(tenant).key("wa-window", who)


def status_key(tenant: str, wamid: str) -> str:
    """The delivery status of one of our outbound messages."""
    return TenantKeys(tenant).key("wa-status", wamid)


async def record_inbound(redis: Redis, tenant: str, who: str, timestamp: int) -> bool:
    """Note that `who` wrote at `timestamp`, opening (or extending) the 24-hour window."""
    return bool(await redis.eval(_WINDOW_LUA, 1, window_key(tenant, who), str(int(timestamp)), str(_WINDOW_TTL_S)))


async def window_open(redis: Redis, tenant: str, who: str, *, now: float | None = None) -> bool:
    """True while a free-form message may be sent: the user wrote within the last 24 hours."""
    raw = await redis.get(window_key(tenant, who))
    if raw is None:
        return False
    return (time.time() if now is None else now) - int(raw) < WINDOW_S


async def record_status(redis: Redis, tenant: str, *, wamid: str, status: str, timestamp: int,
                        recipient: str | None = None, errors: Sequence[Mapping[str, Any]] = ()) -> bool:
    """Apply a status to an outbound message; False when it would move it backwards (or is unknown)."""
    rank = STATUS_RANK.get(status)
    if rank is None:
        return False
    errors_json = json.dumps(list(errors), ensure_ascii=False) if errors else ""
    moved = await redis.eval(_STATUS_LUA, 1, status_key(tenant, wamid), status, str(rank), str(int(timestamp)),
                             recipient or "", errors_json, str(STATUS_TTL_S))
    return bool(moved)


async def record_sent(redis: Redis, tenant: str, *, wamid: str, step_key: str, to: str) -> None:
    """Tie a wamid to the step that sent it; status webhooks (possibly earlier) fill in the rest."""
    key = status_key(tenant, wamid)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(key, mapping={"step_key": step_key, "recipient": to})
        pipe.eval(_STATUS_LUA, 1, key, "accepted", "0", str(int(time.time())), "", "", str(STATUS_TTL_S))
        await pipe.execute()


async def status_of(redis: Redis, tenant: str, wamid: str) -> dict[str, str]:
    """Everything recorded about one outbound message (empty when nothing is)."""
    raw = await redis.hgetall(status_key(tenant, wamid))
    return {as_text(k): as_text(v) for k, v in raw.items()}
