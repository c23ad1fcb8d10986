"""Outbound messages: Meta's limits, the payload builders and the ids our interactive replies carry.

Plain dicts over Meta's documented JSON, checked against the Cloud API limits (text, reply buttons,
lists, templates); `reply_messages` picks the format of a conversational reply.

Recipients: a phone number goes in `to`; a business-scoped user id (BSUID, `CC.<id>`, for
users with a username and no visible number) goes in `recipient`, as Meta's BSUID rollout says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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

# --- the ids our interactive replies carry, and the text the message reader sees for them ----
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
    """What a tapped button or list row means, in words the message reader understands."""
    rid = (reply_id or "").strip()
    if rid.startswith(OPTION_PREFIX) and rid[len(OPTION_PREFIX):].isdigit():
        return f"el {int(rid[len(OPTION_PREFIX):])}"
    if rid == CONFIRM_ID:
        return "sí"
    if rid == CANCEL_ID:
        return "no"
    # A button we did not make (a template's quick reply): its visible text is what the user said.
    return (title or rid).strip()


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
