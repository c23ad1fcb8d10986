"""A local WhatsApp Cloud API for tests, and webhook notifications built and signed as Meta sends them.

The server speaks `POST /{version}/{phone_number_id}/messages`: Bearer token per phone number,
Meta's checks on the fields Orkesta sends (text ≤ 4,096; ≤ 3 reply buttons with titles ≤ 20;
list rows ≤ 10 with titles ≤ 24 and descriptions ≤ 72; templates it knows), Meta-shaped error
bodies, and it can be told to fail the next calls as Meta does under load or outside the window.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.support.http import serve_app

VERSION = "v21.0"
#: Error titles Meta uses for the codes the tests provoke.
ERROR_TITLES = {
    130429: "Rate limit hit", 131056: "(Business Account, Consumer Account) pair rate limit hit",
    131047: "Re-engagement message", 80007: "Rate limit issues", 100: "Invalid parameter",
    190: "Invalid OAuth access token", 132001: "Template name does not exist in the translation",
    132000: "Number of parameters does not match the expected number of params",
}
_DETAILS = {
    131047: "Message failed to send because more than 24 hours have passed since the customer last replied "
            "to this number.",
    130429: "Cloud API message throughput has been reached.",
    131056: "Too many messages sent from the sender phone number to the same recipient phone number in a "
            "short period of time.",
}


def meta_error(status: int, code: int, message: str | None = None, details: str | None = None,
               error_type: str = "OAuthException") -> JSONResponse:
    """An error body shaped like the Graph API's."""
    title = ERROR_TITLES.get(code, "Error")
    error: dict[str, Any] = {
        "message": message or f"(#{code}) {title}", "type": error_type, "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details or _DETAILS.get(code, title)},
        "fbtrace_id": secrets.token_urlsafe(12),
    }
    return JSONResponse({"error": error}, status_code=status)


@dataclass(frozen=True, slots=True)
class Accepted:
    """A message the server accepted: the number it was sent from, the body as posted, its wamid."""

    phone_number_id: str
    body: dict[str, Any]
    wamid: str

    @property
    def to(self) -> str:
        return str(self.body.get("to") or self.body.get("recipient"))

    @property
    def type(self) -> str:
        return str(self.body["type"])

    @property
    def interactive_type(self) -> str | None:
        return self.body.get("interactive", {}).get("type")

    @property
    def text(self) -> str:
        """The words the user sees: a text body or an interactive body."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        return ""

    def option_ids(self) -> list[str]:
        action = self.body.get("interactive", {}).get("action", {})
        if "buttons" in action:
            return [b["reply"]["id"] for b in action["buttons"]]
        return [r["id"] for s in action.get("sections", []) for r in s["rows"]]


@dataclass
class LocalWhatsApp:
    """The server's state: tokens per phone number, known templates, what it accepted and was sent."""

    tokens: dict[str, str]
    templates: dict[str, int] = field(default_factory=lambda: {"orkesta_reply": 1})
    accepted: list[Accepted] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    base: str = ""
    _failures: list[tuple[int, int]] = field(default_factory=list)
    _changed: asyncio.Condition | None = None

    def fail_next(self, count: int, *, status: int = 429, code: int = 130429) -> None:
        """Refuse the next `count` well-formed sends with `status` and Meta's error `code`."""
        self._failures.extend([(status, code)] * count)

    def stop_failing(self) -> None:
        self._failures.clear()

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{version}/{phone_number_id}/messages", self._send, methods=["POST"])])

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Run over real HTTP; yields the base URL to give as WHATSAPP_API_BASE_URL."""
        self._changed = asyncio.Condition()
        async with serve_app(self.app()) as base:
            self.base = base
            yield base

    async def wait_for(self, count: int, *, timeout: float = 30.0) -> list[Accepted]:
        """Wait (bounded) until at least `count` messages were accepted; returns them all."""
        assert self._changed is not None, "serve() first"
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.accepted) >= count)
        return list(self.accepted)

    async def _send(self, request: Request) -> JSONResponse:
        phone_number_id = request.path_params["phone_number_id"]
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError:
            return meta_error(400, 100, "(#100) The request body is not valid JSON")
        self.requests.append({"phone_number_id": phone_number_id, "version": request.path_params["version"],
                              "headers": dict(request.headers), "body": body})
        auth = request.headers.get("authorization", "")
        expected = self.tokens.get(phone_number_id)
        if not auth.startswith("Bearer ") or expected is None or auth.removeprefix("Bearer ") != expected:
            return meta_error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if request.path_params["version"] != VERSION:
            return meta_error(400, 100, f"Unknown version {request.path_params['version']}")
        problem = _validate(body, self.templates)
        if problem is not None:
            return meta_error(400, 100, f"(#100) {problem}", problem)
        if self._failures:
            status, code = self._failures.pop(0)
            return meta_error(status, code)
        wamid = "wamid." + secrets.token_urlsafe(30)
        self.accepted.append(Accepted(phone_number_id, body, wamid))
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        recipient = body.get("to") or body.get("recipient")
        contact = {"input": recipient, "wa_id": recipient} if "to" in body else {"input": recipient,
                                                                                "user_id": recipient}
        return JSONResponse({"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]})


def _validate(body: Mapping[str, Any], templates: Mapping[str, int]) -> str | None:
    """Meta's checks on a send, as a message; None when the body is acceptable."""
    if body.get("messaging_product") != "whatsapp":
        return "The parameter messaging_product is required and must be 'whatsapp'."
    if body.get("recipient_type", "individual") != "individual":
        return "Param recipient_type must be 'individual'."
    if not (body.get("to") or body.get("recipient")):
        return "The parameter to is required."
    kind = body.get("type")
    if kind == "text":
        text = (body.get("text") or {}).get("body")
        if not isinstance(text, str) or not text:
            return "The parameter text['body'] is required."
        if len(text) > 4096:
            return "Param text['body'] must be at most 4096 characters long."
        return None
    if kind == "interactive":
        return _validate_interactive(body.get("interactive") or {})
    if kind == "template":
        return _validate_template(body.get("template") or {}, templates)
    return f"Unsupported message type {kind!r}."


def _validate_interactive(interactive: Mapping[str, Any]) -> str | None:
    text = (interactive.get("body") or {}).get("text")
    if not isinstance(text, str) or not text or len(text) > 1024:
        return "Param interactive['body']['text'] is required and must be at most 1024 characters long."
    action = interactive.get("action") or {}
    if interactive.get("type") == "button":
        buttons = action.get("buttons") or []
        if not 1 <= len(buttons) <= 3:
            return "Param interactive['action']['buttons'] must have between 1 and 3 elements."
        ids = [b.get("reply", {}).get("id") for b in buttons]
        if len(set(ids)) != len(ids):
            return "Buttons must have unique ids."
        for b in buttons:
            reply = b.get("reply") or {}
            if b.get("type") != "reply" or not reply.get("id") or len(reply["id"]) > 256:
                return "Button id is required and must be at most 256 characters long."
            if not reply.get("title") or len(reply["title"]) > 20:
                return "Param interactive['action']['buttons'][]['reply']['title'] must be at most 20 characters."
        return None
    if interactive.get("type") == "list":
        button = action.get("button")
        if not isinstance(button, str) or not button or len(button) > 20:
            return "Param interactive['action']['button'] must be at most 20 characters long."
        rows = [r for s in action.get("sections") or [] for r in s.get("rows") or []]
        if not 1 <= len(rows) <= 10:
            return "Total row count exceed max allowed count: 10"
        for r in rows:
            if not r.get("id") or len(r["id"]) > 200:
                return "Row id is required and must be at most 200 characters long."
            if not r.get("title") or len(r["title"]) > 24:
                return "Row title is required and must be at most 24 characters long."
            if len(r.get("description") or "") > 72:
                return "Row description must be at most 72 characters long."
        return None
    return f"Unsupported interactive type {interactive.get('type')!r}."


def _validate_template(template: Mapping[str, Any], templates: Mapping[str, int]) -> str | None:
    name = template.get("name")
    if name not in templates:
        return f"Template name {name!r} does not exist in the translation."
    if not (template.get("language") or {}).get("code"):
        return "The parameter template['language']['code'] is required."
    params = [p for c in template.get("components") or [] if c.get("type") == "body" for p in c.get("parameters", [])]
    if len(params) != templates[name]:
        return f"Number of parameters ({len(params)}) does not match the expected number ({templates[name]})."
    for p in params:
        text = p.get("text") or ""
        if "\n" in text or "\t" in text or "     " in text:
            return "Param text cannot have new-line/tab characters or more than 4 consecutive spaces."
    return None


# --- webhook notifications --------------------------------------------------------------------


def _wamid() -> str:
    return "wamid." + secrets.token_urlsafe(30)


def _now() -> str:
    return str(int(time.time()))


def text_message(sender: str, body: str, *, wamid: str | None = None, timestamp: str | None = None) -> dict[str, Any]:
    """An inbound text message from a phone number."""
    return {"from": sender, "id": wamid or _wamid(), "timestamp": timestamp or _now(), "type": "text",
            "text": {"body": body}}


def button_reply(sender: str, reply_id: str, title: str, *, list_reply: bool = False,
                 context: str | None = None) -> dict[str, Any]:
    """A tap on one of our reply buttons (or list rows, with `list_reply`)."""
    kind = "list_reply" if list_reply else "button_reply"
    message: dict[str, Any] = {"from": sender, "id": _wamid(), "timestamp": _now(), "type": "interactive",
                               "interactive": {"type": kind, kind: {"id": reply_id, "title": title}}}
    if context:
        message["context"] = {"from": "5215500000000", "id": context}
    return message


def template_button(sender: str, payload: str, text: str) -> dict[str, Any]:
    """A tap on a template's quick-reply button."""
    return {"from": sender, "id": _wamid(), "timestamp": _now(), "type": "button",
            "button": {"payload": payload, "text": text}}


def status(wamid: str, state: str, *, recipient: str, timestamp: str | None = None,
           errors: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """A delivery status of a message we sent."""
    out: dict[str, Any] = {"id": wamid, "status": state, "timestamp": timestamp or _now(), "recipient_id": recipient}
    if state != "failed":
        out["conversation"] = {"id": secrets.token_hex(16), "origin": {"type": "service"}}
        out["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "service"}
    errors = list(errors)
    if errors:
        out["errors"] = errors
    return out


def change(phone_number_id: str, *, messages: Iterable[dict[str, Any]] = (),
           statuses: Iterable[dict[str, Any]] = (), contacts: Iterable[dict[str, Any]] | None = None,
           names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One `messages` change of a business phone number; contacts default to the senders."""
    messages, statuses = list(messages), list(statuses)
    value: dict[str, Any] = {"messaging_product": "whatsapp",
                             "metadata": {"display_phone_number": "15550001111", "phone_number_id": phone_number_id}}
    if contacts is None:
        senders = dict.fromkeys(m["from"] for m in messages if "from" in m)
        contacts = [{"profile": {"name": (names or {}).get(s, "Cliente")}, "wa_id": s} for s in senders]
    contacts = list(contacts)
    if contacts:
        value["contacts"] = contacts
    if messages:
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return {"field": "messages", "value": value}


def notification(*changes: dict[str, Any], waba_id: str = "102290129340398") -> dict[str, Any]:
    """A webhook body: one entry per change, as Meta batches them."""
    return {"object": "whatsapp_business_account", "entry": [{"id": waba_id, "changes": [c]} for c in changes]}


def encode(body: Mapping[str, Any]) -> bytes:
    """The bytes Meta posts: compact JSON with non-ASCII and slashes escaped (so a re-serialised
    body would not match its signature)."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def sign(raw: bytes, app_secret: str) -> str:
    """`X-Hub-Signature-256` for `raw`: `sha256=` and the hex HMAC-SHA256 under the app secret."""
    return "sha256=" + hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()


def signed(body: Mapping[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """The exact bytes and headers of one delivery."""
    raw = encode(body)
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, app_secret)}
