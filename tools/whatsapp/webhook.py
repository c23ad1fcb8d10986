"""Inbound webhooks: the models of what Meta posts, and the `X-Hub-Signature-256` check.

`WaNotification` parses one webhook POST exactly as Meta sends it (entries of changes, each with
the messages and delivery statuses of one business phone number); `signature_matches` verifies
the HMAC-SHA256 of the raw body under the app secret before anything is parsed.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.whatsapp.messages import text_for_reply

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
