"""WhatsApp Cloud API: a small async client, message builders within Meta's limits, and webhook models.

Plain httpx and pydantic over Meta's documented JSON: one client serves every tenant (the phone
number id and access token are per call), and the webhook models parse exactly what Meta posts.

Recipients: a phone number goes in `to`; a business-scoped user id (BSUID, `CC.<id>`, for
users with a username and no visible number) goes in `recipient`, as Meta's BSUID rollout says.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from redis.asyncio import Redis

from core.errors import PermanentError, RetryLater
from core.redis import as_text
from core.tenants import TenantKeys

# --- Meta's limits (Cloud API reference, interactive and text messages) -------------------------
TEXT_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_ROWS_MAX = 10
LIST_BUTTON_MAX = 20
ROW_ID_MAX = 200
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
SECTION_TITLE_MAX = 24
TEMPLATE_PARAM_MAX = 1024
DEFAULT_LANGUAGE = "es_MX"

# --- error codes (Cloud API error codes reference) -----------------------------------------
#: Throughput (130429), pair rate (131056: too many messages to one user), WABA (80007), app (4).
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
#: Meta's "unknown" / "service temporarily unavailable" / "something went wrong": try again.
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016})
#: Outside the 24-hour customer-service window: only a template may be sent.
REENGAGEMENT_CODE = 131047
#: Pause suggested when Meta gives no Retry-After: a pair-rate hit clears in seconds, a WABA one later.
_DEFAULT_RETRY_AFTER_S = {131056: 6.0, 80007: 60.0}

# --- the ids our interactive replies carry, and the text the router reads for them ------------
OPTION_PREFIX = "opt:"
CONFIRM_ID = "confirm"
CANCEL_ID = "cancel"

_BSUID_RE = re.compile(r"^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$")
_SPACES_RE = re.compile(r"\s+")
_LINE_BREAKS_RE = re.compile(r"\s*\n\s*")


def option_id(number: int) -> str:
    """The reply id of the `number`-th option shown (1-based)."""
    return f"{OPTION_PREFIX}{number}"


def text_for_reply(reply_id: str | None, title: str | None) -> str:
    """What a tapped button or list row means, in words the intent router understands."""
    rid = (reply_id or "").strip()
    if rid.startswith(OPTION_PREFIX) and rid[len(OPTION_PREFIX):].isdigit():
        return f"el {int(rid[len(OPTION_PREFIX):])}"
    if rid == CONFIRM_ID:
        return "sí"
    if rid == CANCEL_ID:
        return "no"
    # A button we did not make (a template's quick reply): its visible text is what the user said.
    return (title or rid).strip()


# --- errors ----------------------------------------------------------------------------------


class WhatsAppError(Exception):
    """A Cloud API call failed; `code` and `details` are Meta's when it sent an error body."""

    def __init__(self, message: str, *, status: int | None = None, code: int | None = None,
                 details: str | None = None, fbtrace_id: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details
        self.fbtrace_id = fbtrace_id

    def __str__(self) -> str:
        parts = [super().__str__()]
        if self.code is not None:
            parts.append(f"code {self.code}")
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.details:
            parts.append(self.details)
        return " | ".join(parts)


class WhatsAppRateLimited(WhatsAppError, RetryLater):
    """Too many messages (throughput, pair rate or account limit): try again after `retry_after_s`."""

    def __init__(self, message: str, *, retry_after_s: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after_s = retry_after_s


class WhatsAppRejected(WhatsAppError, PermanentError):
    """Meta refused this message for good (bad request, token, re-engagement window): never retry as is."""


class WhatsAppUnavailable(WhatsAppError):
    """Meta failed or could not be reached: a transient failure, retry later."""


def parse_error(status: int, body: bytes | str | Mapping[str, Any] | None,
                headers: Mapping[str, str] | None = None) -> WhatsAppError:
    """The exception for a failed Cloud API response, from Meta's `{"error": {...}}` body."""
    error: dict[str, Any] = {}
    if isinstance(body, Mapping):
        error = dict(body.get("error") or {})
    elif body:
        try:
            parsed = _ErrorBody.model_validate_json(body)
        except ValidationError:
            parsed = None
        error = parsed.error.model_dump() if parsed and parsed.error else {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    message = str(error.get("message") or f"WhatsApp Cloud API answered HTTP {status}")
    data = error.get("error_data") or {}
    details = data.get("details") if isinstance(data, Mapping) else None
    kwargs: dict[str, Any] = {"status": status, "code": code, "details": details,
                              "fbtrace_id": error.get("fbtrace_id")}
    if status == 429 or code in RATE_LIMIT_CODES:
        return WhatsAppRateLimited(message, retry_after_s=_retry_after(headers, code), **kwargs)
    if status >= 500 or code in TRANSIENT_CODES:
        return WhatsAppUnavailable(message, **kwargs)
    return WhatsAppRejected(message, **kwargs)


def _retry_after(headers: Mapping[str, str] | None, code: int | None) -> float:
    raw = (headers or {}).get("retry-after") or (headers or {}).get("Retry-After")
    try:
        if raw is not None:
            return max(float(raw), 0.0)
    except ValueError:
        pass
    return _DEFAULT_RETRY_AFTER_S.get(code or 0, 1.0)


class _ErrorData(BaseModel):
    model_config = ConfigDict(extra="ignore")
    details: str | None = None


class _ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str | None = None
    type: str | None = None
    code: int | None = None
    error_subcode: int | None = None
    error_data: _ErrorData | None = None
    fbtrace_id: str | None = None


class _ErrorBody(BaseModel):
    model_config = ConfigDict(extra="ignore")
    error: _ErrorDetail | None = None


# --- the client ------------------------------------------------------------------------------


class _SendResponse(BaseModel):
    model_config = ConfigDict(extra="ignore")

    class _Id(BaseModel):
        model_config = ConfigDict(extra="ignore")
        id: str = Field(min_length=1)

    messages: list[_Id] = Field(min_length=1)


class WhatsAppClient:
    """Sends messages through the Cloud API; the caller owns (and closes) the httpx client."""

    def __init__(self, http: httpx.AsyncClient, *, base_url: str, version: str) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._version = version.strip("/")

    def messages_url(self, phone_number_id: str) -> str:
        return f"{self._base}/{self._version}/{phone_number_id}/messages"

    async def send(self, phone_number_id: str, access_token: str, payload: Mapping[str, Any]) -> str:
        """POST one message; returns its wamid. Raises WhatsAppRateLimited, -Rejected or -Unavailable."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **payload}
        try:
            response = await self._http.post(
                self.messages_url(phone_number_id), json=body,
                headers={"Authorization": f"Bearer {access_token}"},
            )
        except httpx.TransportError as exc:  # includes timeouts: Meta may or may not have it
            raise WhatsAppUnavailable(f"WhatsApp Cloud API unreachable: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 400:
            raise parse_error(response.status_code, response.content, response.headers)
        try:
            return _SendResponse.model_validate_json(response.content).messages[0].id
        except ValidationError as exc:
            raise WhatsAppUnavailable(f"WhatsApp Cloud API answered {response.status_code} without a message id",
                                      status=response.status_code) from exc


# --- builders --------------------------------------------------------------------------------


def is_bsuid(recipient: str) -> bool:
    """True for a business-scoped user id (`MX.123...`), false for a phone number."""
    return bool(_BSUID_RE.fullmatch(recipient))


def _addressed(to: str, kind: str) -> dict[str, Any]:
    to = to.strip()
    if not to:
        raise ValueError("recipient is empty")
    return {"recipient" if is_bsuid(to) else "to": to, "type": kind}


def fit(text: str, limit: int) -> str:
    """`text` on one line, shortened with an ellipsis to at most `limit` characters."""
    flat = _SPACES_RE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = TEXT_MAX) -> list[str]:
    """Cut a long reply into messages of at most `limit` characters, at line breaks where possible."""
    if not text.strip():
        raise ValueError("text is empty")
    if len(text) <= limit:
        return [text]
    chunks: list[str] = []
    lines: list[str] = []
    size = 0
    for piece in (p for line in text.split("\n") for p in _cut_line(line, limit)):
        extra = len(piece) + (1 if lines else 0)
        if lines and size + extra > limit:
            chunks.append("\n".join(lines))
            lines, size, extra = [], 0, len(piece)
        lines.append(piece)
        size += extra
    if lines:
        chunks.append("\n".join(lines))
    return [c.strip("\n") for c in chunks if c.strip()]


def _cut_line(line: str, limit: int) -> Iterator[str]:
    """A line longer than `limit`, cut at spaces (mid-word only when a word alone is too long)."""
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        yield line[:cut].rstrip()
        line = line[cut:].lstrip()
    yield line


def text_message(to: str, body: str, *, preview_url: bool = False) -> dict[str, Any]:
    """One text message; ValueError beyond 4,096 characters (use `text_messages` to split)."""
    if not body.strip():
        raise ValueError("text body is empty")
    if len(body) > TEXT_MAX:
        raise ValueError(f"text body is {len(body)} characters; the limit is {TEXT_MAX}")
    return {**_addressed(to, "text"), "text": {"body": body, "preview_url": preview_url}}


def text_messages(to: str, body: str, *, preview_url: bool = False) -> list[dict[str, Any]]:
    """A reply of any length as one or more text messages, split at line breaks."""
    return [text_message(to, chunk, preview_url=preview_url) for chunk in split_text(body)]


class Option(BaseModel):
    """A choice offered as a reply button or list row."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=BUTTON_ID_MAX)
    title: str = Field(min_length=1)
    description: str | None = None


def _interactive_body(body: str) -> dict[str, str]:
    if not body.strip():
        raise ValueError("interactive body is empty")
    if len(body) > INTERACTIVE_BODY_MAX:
        raise ValueError(f"interactive body is {len(body)} characters; the limit is {INTERACTIVE_BODY_MAX}")
    return {"text": body}


def buttons_message(to: str, body: str, options: Sequence[Option]) -> dict[str, Any]:
    """Up to 3 reply buttons (titles ≤ 20 characters, ids ≤ 256, all distinct)."""
    if not 1 <= len(options) <= BUTTONS_MAX:
        raise ValueError(f"reply buttons take 1-{BUTTONS_MAX} options, got {len(options)}")
    _distinct(options)
    for o in options:
        if len(o.title) > BUTTON_TITLE_MAX:
            raise ValueError(f"button title {o.title!r} is over {BUTTON_TITLE_MAX} characters")
    buttons = [{"type": "reply", "reply": {"id": o.id, "title": o.title}} for o in options]
    return {**_addressed(to, "interactive"),
            "interactive": {"type": "button", "body": _interactive_body(body), "action": {"buttons": buttons}}}


def list_message(to: str, body: str, options: Sequence[Option], *, button: str = "Ver opciones",
                 section_title: str = "Opciones") -> dict[str, Any]:
    """A list of up to 10 rows (titles ≤ 24, descriptions ≤ 72, ids ≤ 200) behind one button."""
    if not 1 <= len(options) <= LIST_ROWS_MAX:
        raise ValueError(f"a list takes 1-{LIST_ROWS_MAX} rows, got {len(options)}")
    if not button.strip() or len(button) > LIST_BUTTON_MAX:
        raise ValueError(f"list button text must be 1-{LIST_BUTTON_MAX} characters")
    if len(section_title) > SECTION_TITLE_MAX:
        raise ValueError(f"section title is over {SECTION_TITLE_MAX} characters")
    _distinct(options)
    rows = []
    for o in options:
        if len(o.id) > ROW_ID_MAX:
            raise ValueError(f"row id {o.id[:20]!r}… is over {ROW_ID_MAX} characters")
        if len(o.title) > ROW_TITLE_MAX:
            raise ValueError(f"row title {o.title!r} is over {ROW_TITLE_MAX} characters")
        if o.description is not None and len(o.description) > ROW_DESCRIPTION_MAX:
            raise ValueError(f"row description {o.description!r} is over {ROW_DESCRIPTION_MAX} characters")
        rows.append({"id": o.id, "title": o.title} | ({"description": o.description} if o.description else {}))
    action = {"button": button, "sections": [{"title": section_title, "rows": rows}]}
    return {**_addressed(to, "interactive"),
            "interactive": {"type": "list", "body": _interactive_body(body), "action": action}}


def _distinct(options: Sequence[Option]) -> None:
    ids = [o.id for o in options]
    if len(set(ids)) != len(ids):
        raise ValueError(f"option ids must be distinct: {ids}")


def template_param(text: str) -> str:
    """A template body parameter: Meta refuses newlines, tabs and runs of spaces, and > 1,024 characters."""
    flat = fit(_LINE_BREAKS_RE.sub(" · ", text.strip()), TEMPLATE_PARAM_MAX)
    if not flat:
        raise ValueError("template parameter is empty")
    return flat


def template_message(to: str, name: str, *, language: str = DEFAULT_LANGUAGE,
                     body_parameters: Sequence[str] = ()) -> dict[str, Any]:
    """An approved template (the only thing allowed outside the 24-hour window), text body parameters."""
    if not re.fullmatch(r"[a-z0-9_]{1,512}", name):
        raise ValueError(f"template name {name!r} must be lowercase letters, digits and underscores")
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if body_parameters:
        template["components"] = [{"type": "body", "parameters": [
            {"type": "text", "text": template_param(p)} for p in body_parameters]}]
    return {**_addressed(to, "template"), "template": template}


ReplyFormat = Literal["text", "buttons", "list"]


def reply_messages(to: str, text: str, options: Sequence[Option] | None = None
                   ) -> tuple[ReplyFormat, list[dict[str, Any]]]:
    """A conversational reply: ≤3 options as buttons, 4-10 as a list, else text (split when long).

    When the text is too long for an interactive body (1,024), it goes first as text and the
    options follow under a short prompt.
    """
    options = list(options or [])
    kind: ReplyFormat = ("buttons" if 1 <= len(options) <= BUTTONS_MAX
                         else "list" if BUTTONS_MAX < len(options) <= LIST_ROWS_MAX else "text")
    if kind == "text":
        return kind, text_messages(to, text)
    # A customer is better served by a shortened title than by no reply: fit, don't refuse.
    title_max = BUTTON_TITLE_MAX if kind == "buttons" else ROW_TITLE_MAX
    options = [o.model_copy(update={
        "title": fit(o.title, title_max),
        "description": fit(o.description, ROW_DESCRIPTION_MAX) if o.description else None,
    }) for o in options]
    build = buttons_message if kind == "buttons" else list_message
    if len(text) <= INTERACTIVE_BODY_MAX:
        return kind, [build(to, text, options)]
    return kind, [*text_messages(to, text), build(to, "Elige una opción:", options)]


# --- webhook payloads ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class WaProfile(_Model):
    name: str | None = None
    username: str | None = None


class WaContact(_Model):
    """The sender: `wa_id` (phone) may be missing for a username user; `user_id` is the BSUID."""

    profile: WaProfile | None = None
    wa_id: str | None = None
    user_id: str | None = None


class WaText(_Model):
    body: str = ""


class WaReply(_Model):
    id: str
    title: str | None = None
    description: str | None = None


class WaInteractive(_Model):
    type: str
    button_reply: WaReply | None = None
    list_reply: WaReply | None = None


class WaButton(_Model):
    """A template's quick-reply button: `payload` is what the template defined, `text` what was shown."""

    payload: str | None = None
    text: str | None = None


class WaMedia(_Model):
    id: str | None = None
    caption: str | None = None


class WaInboundMessage(_Model):
    """One message a user sent us."""

    id: str = Field(min_length=1, max_length=512)
    from_: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    timestamp: int = Field(ge=0)
    type: str
    text: WaText | None = None
    interactive: WaInteractive | None = None
    button: WaButton | None = None
    image: WaMedia | None = None
    document: WaMedia | None = None
    video: WaMedia | None = None

    def content(self) -> tuple[Literal["text", "button", "interactive"], str] | None:
        """The message as `(kind, text)` for the conversation, or None when it carries no words."""
        if self.type == "text" and self.text is not None:
            return "text", self.text.body
        if self.type == "interactive" and self.interactive is not None:
            reply = self.interactive.button_reply or self.interactive.list_reply
            if reply is not None:
                return "interactive", text_for_reply(reply.id, reply.title)
        if self.type == "button" and self.button is not None:
            return "button", text_for_reply(self.button.payload, self.button.text)
        media = self.image or self.document or self.video
        if media is not None and media.caption:  # a photo of the part with "necesito 10 de estos"
            return "text", media.caption
        return None


class WaStatusErrorData(_Model):
    details: str | None = None


class WaStatusError(_Model):
    code: int
    title: str | None = None
    message: str | None = None
    error_data: WaStatusErrorData | None = None


class WaStatus(_Model):
    """A delivery report for a message we sent."""

    id: str = Field(min_length=1, max_length=512)
    status: str
    timestamp: int = Field(ge=0)
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    errors: list[WaStatusError] = Field(default_factory=list)


class WaMetadata(_Model):
    display_phone_number: str | None = None
    phone_number_id: str = Field(min_length=1, max_length=64)


class WaValue(_Model):
    messaging_product: str | None = None
    metadata: WaMetadata | None = None
    contacts: list[WaContact] = Field(default_factory=list)
    messages: list[WaInboundMessage] = Field(default_factory=list)
    statuses: list[WaStatus] = Field(default_factory=list)

    def contact_for(self, message: WaInboundMessage) -> WaContact | None:
        """The contact entry of a message's sender (Meta sends one per sender)."""
        for contact in self.contacts:
            if (message.from_ and contact.wa_id == message.from_) or (
                    message.from_user_id and contact.user_id == message.from_user_id):
                return contact
        return self.contacts[0] if len(self.contacts) == 1 else None


class WaChange(_Model):
    field: str
    value: WaValue


class WaEntry(_Model):
    id: str | None = None
    changes: list[WaChange] = Field(default_factory=list)


class WaNotification(_Model):
    """The body of one webhook POST: entries of changes, each for one business phone number."""

    object: str
    entry: list[WaEntry] = Field(default_factory=list)

    def changes(self) -> list[WaChange]:
        """Every `messages` change with a phone number id, in order."""
        return [c for e in self.entry for c in e.changes
                if c.field == "messages" and c.value.metadata is not None]



# --- webhook signatures ----------------------------------------------------------------------


def signature_matches(raw: bytes, header: str, app_secret: str) -> bool:
    """True when `X-Hub-Signature-256` is `sha256=<hex HMAC-SHA256 of the exact bytes>` under the secret."""
    scheme, _, given = header.strip().partition("=")
    if scheme.lower() != "sha256" or not given:
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


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



__all__ = [
    "CANCEL_ID", "CONFIRM_ID", "Option", "WaChange", "WaContact", "WaInboundMessage", "WaNotification", "WaStatus",
    "WaValue", "WhatsAppClient", "WhatsAppError", "WhatsAppRateLimited", "WhatsAppRejected", "WhatsAppUnavailable",
    "buttons_message", "fit", "is_bsuid", "list_message", "option_id", "parse_error", "record_inbound",
    "record_sent", "record_status", "reply_messages", "signature_matches", "split_text", "status_of",
    "template_message", "text_for_reply", "text_message", "text_messages", "window_open",
]
