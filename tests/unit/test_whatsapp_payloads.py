"""WhatsApp Cloud API payloads: builders within Meta's limits, error parsing, webhook models, signatures."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from pydantic import ValidationError

from tools.whatsapp import (
    TEXT_MAX,
    Option,
    WaNotification,
    WhatsAppRateLimited,
    WhatsAppRejected,
    WhatsAppUnavailable,
    buttons_message,
    fit,
    list_message,
    option_id,
    parse_error,
    reply_messages,
    signature_matches,
    split_text,
    template_message,
    text_for_reply,
    text_message,
    text_messages,
)

TO = "5215574064027"


def options(n: int) -> list[Option]:
    return [Option(id=option_id(i), title=f"{i}. Tubo PVC", description=f"Tubo PVC {i} — $10.00/pieza")
            for i in range(1, n + 1)]


# --- text ------------------------------------------------------------------------------------


def test_a_short_text_is_one_message() -> None:
    assert text_message(TO, "Hola") == {"to": TO, "type": "text", "text": {"body": "Hola", "preview_url": False}}
    assert text_messages(TO, "Hola") == [text_message(TO, "Hola")]
    with pytest.raises(ValueError, match="empty"):
        text_message(TO, "  ")
    with pytest.raises(ValueError, match="4096"):
        text_message(TO, "x" * (TEXT_MAX + 1))


def test_a_long_reply_is_split_at_line_breaks() -> None:
    lines = [f"{i:03d}. " + "Tubo PVC hidráulico 1/2 pulgada " * 3 for i in range(150)]
    text = "\n".join(lines)
    assert len(text) > 2 * TEXT_MAX
    chunks = split_text(text)
    assert len(chunks) == 4 and all(len(c) <= TEXT_MAX for c in chunks)
    assert "\n".join(chunks) == text  # nothing lost, nothing reordered, cut only between lines
    assert all(c.split("\n")[0] in lines for c in chunks)
    assert [m["text"]["body"] for m in text_messages(TO, text)] == chunks


def test_a_line_longer_than_a_message_is_cut_at_spaces() -> None:
    words = " ".join(["palabra"] * 1200)  # 9,599 characters on one line
    chunks = split_text(words)
    assert all(len(c) <= TEXT_MAX for c in chunks) and len(chunks) == 3
    assert all(not c.startswith(" ") and not c.endswith(" ") for c in chunks)
    assert " ".join(chunks) == words
    solid = "x" * (TEXT_MAX + 10)  # no space at all: cut mid-word, nothing lost
    assert split_text(solid) == ["x" * TEXT_MAX, "x" * 10]


def test_fit_shortens_to_one_line_with_an_ellipsis() -> None:
    assert fit("1. Tubo PVC 1/2", 20) == "1. Tubo PVC 1/2"
    shortened = fit("1. Tubo PVC hidráulico 1/2\" x 6 m", 20)
    assert len(shortened) == 20 and shortened.endswith("…")
    assert fit("a\n b\t c", 20) == "a b c"


# --- interactive -------------------------------------------------------------------------------


def test_reply_buttons_take_up_to_three_short_titles() -> None:
    message = buttons_message(TO, "¿Confirmo tu pedido?", [Option(id="confirm", title="Sí, confirmo"),
                                                           Option(id="cancel", title="No")])
    assert message["type"] == "interactive"
    interactive = message["interactive"]
    assert interactive["type"] == "button" and interactive["body"] == {"text": "¿Confirmo tu pedido?"}
    assert interactive["action"]["buttons"] == [
        {"type": "reply", "reply": {"id": "confirm", "title": "Sí, confirmo"}},
        {"type": "reply", "reply": {"id": "cancel", "title": "No"}},
    ]
    with pytest.raises(ValueError, match="1-3"):
        buttons_message(TO, "x", options(4))
    with pytest.raises(ValueError, match="over 20"):
        buttons_message(TO, "x", [Option(id="a", title="x" * 21)])
    with pytest.raises(ValueError, match="distinct"):
        buttons_message(TO, "x", [Option(id="a", title="uno"), Option(id="a", title="dos")])
    with pytest.raises(ValidationError):
        Option(id="x" * 257, title="uno")


def test_a_list_takes_up_to_ten_rows() -> None:
    message = list_message(TO, "Encontré estas opciones", options(10))
    action = message["interactive"]["action"]
    assert message["interactive"]["type"] == "list" and action["button"] == "Ver opciones"
    rows = action["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [f"opt:{i}" for i in range(1, 11)]
    assert rows[0] == {"id": "opt:1", "title": "1. Tubo PVC", "description": "Tubo PVC 1 — $10.00/pieza"}
    with pytest.raises(ValueError, match="1-10"):
        list_message(TO, "x", options(11))
    with pytest.raises(ValueError, match="over 24"):
        list_message(TO, "x", [Option(id="a", title="x" * 25)])
    with pytest.raises(ValueError, match="over 72"):
        list_message(TO, "x", [Option(id="a", title="uno", description="d" * 73)])


def test_the_reply_format_follows_the_number_of_options() -> None:
    assert reply_messages(TO, "hola")[0] == "text"
    assert reply_messages(TO, "hola", [])[0] == "text"
    kind, [message] = reply_messages(TO, "¿Cuál?", options(3))
    assert kind == "buttons" and message["interactive"]["type"] == "button"
    kind, [message] = reply_messages(TO, "¿Cuál?", options(4))
    assert kind == "list" and message["interactive"]["type"] == "list"
    kind, [message] = reply_messages(TO, "¿Cuál?", options(10))
    assert kind == "list"
    kind, messages = reply_messages(TO, "Opciones:\n" + "x" * 100, options(11))
    assert kind == "text" and [m["type"] for m in messages] == ["text"]


def test_a_reply_shortens_titles_rather_than_fail() -> None:
    long = [Option(id=option_id(i), title=f"{i}. Tubo PVC hidráulico 1/2", description="d" * 100) for i in (1, 2)]
    _, [buttons] = reply_messages(TO, "¿Cuál?", long)
    titles = [b["reply"]["title"] for b in buttons["interactive"]["action"]["buttons"]]
    assert titles == ["1. Tubo PVC hidrául…", "2. Tubo PVC hidrául…"] and all(len(t) <= 20 for t in titles)
    more = [Option(id=option_id(i), title=f"{i}. Tubo PVC hidráulico 1/2", description="d" * 100) for i in (3, 4)]
    _, [listed] = reply_messages(TO, "¿Cuál?", long + more)
    rows = listed["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0]["title"] == "1. Tubo PVC hidráulico…" and len(rows[0]["description"]) == 72


def test_a_body_too_long_for_interactive_goes_first_as_text() -> None:
    long = "\n".join(f"{i}. Tubo PVC hidráulico de media pulgada, 6 metros, marca Tuboplus" for i in range(30))
    kind, messages = reply_messages(TO, long, options(5))
    assert kind == "list"
    assert [m["type"] for m in messages] == ["text", "interactive"]
    assert messages[0]["text"]["body"] == long and messages[1]["interactive"]["body"]["text"] == "Elige una opción:"


def test_a_business_scoped_user_id_is_addressed_as_recipient() -> None:
    message = text_message("MX.1502576394655843", "Hola")
    assert message["recipient"] == "MX.1502576394655843" and "to" not in message
    assert text_message("5215574064027", "Hola")["to"] == "5215574064027"


# --- templates ---------------------------------------------------------------------------------


def test_a_template_carries_its_language_and_flat_body_parameters() -> None:
    message = template_message(TO, "orkesta_reply", body_parameters=["Tu pedido:\n\n1. Tubo\t  PVC"])
    assert message["type"] == "template"
    assert message["template"] == {
        "name": "orkesta_reply", "language": {"code": "es_MX"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Tu pedido: · 1. Tubo PVC"}]}],
    }
    assert len(template_message(TO, "orkesta_reply", body_parameters=["x" * 5000])["template"]["components"][0]
               ["parameters"][0]["text"]) == 1024
    assert "components" not in template_message(TO, "hello_world", language="en_US")["template"]
    with pytest.raises(ValueError, match="lowercase"):
        template_message(TO, "Orkesta Reply")


# --- errors ------------------------------------------------------------------------------------


def meta(code: int, details: str = "details here") -> bytes:
    return json.dumps({"error": {"message": f"(#{code}) Something", "type": "OAuthException", "code": code,
                                 "error_data": {"messaging_product": "whatsapp", "details": details},
                                 "fbtrace_id": "AbCd"}}).encode()


@pytest.mark.parametrize(("status", "code"), [(429, 130429), (400, 131056), (400, 80007), (429, None)])
def test_rate_limits_are_recognised_by_status_or_code(status: int, code: int | None) -> None:
    error = parse_error(status, meta(code) if code else b"")
    assert isinstance(error, WhatsAppRateLimited)
    assert error.code == code and error.status == status and error.retry_after_s > 0


def test_pair_rate_limits_wait_longer_and_retry_after_is_honoured() -> None:
    assert parse_error(400, meta(131056)).retry_after_s == 6.0  # type: ignore[attr-defined]
    assert parse_error(429, meta(130429), {"retry-after": "12"}).retry_after_s == 12.0  # type: ignore[attr-defined]


def test_a_rejection_is_permanent_and_keeps_metas_details() -> None:
    error = parse_error(400, meta(131047, "more than 24 hours have passed"))
    assert isinstance(error, WhatsAppRejected)
    assert (error.code, error.details, error.fbtrace_id) == (131047, "more than 24 hours have passed", "AbCd")
    assert "131047" in str(error) and "24 hours" in str(error)
    assert isinstance(parse_error(401, meta(190)), WhatsAppRejected)
    assert isinstance(parse_error(400, b"<html>bad gateway</html>"), WhatsAppRejected)


def test_server_errors_are_transient() -> None:
    assert isinstance(parse_error(500, meta(1)), WhatsAppUnavailable)
    assert isinstance(parse_error(503, b""), WhatsAppUnavailable)
    assert isinstance(parse_error(400, meta(131016)), WhatsAppUnavailable)  # "service unavailable"
    assert isinstance(parse_error(400, {"error": {"code": 131000, "message": "Something went wrong"}}),
                      WhatsAppUnavailable)


# --- webhook payloads --------------------------------------------------------------------------


def test_reply_ids_become_words_the_reader_understands() -> None:
    assert text_for_reply("opt:1", "1. Tubo PVC") == "el 1"
    assert text_for_reply("opt:10", "10. Codo") == "el 10"
    assert text_for_reply("confirm", "Sí, confirmo") == "sí"
    assert text_for_reply("cancel", "No") == "no"
    assert text_for_reply("PROMO_2X1", "Quiero la promo") == "Quiero la promo"  # not ours: the visible text
    assert text_for_reply("opt:x", None) == "opt:x"


def test_an_inbound_notification_parses_every_kind_of_message() -> None:
    body = {"object": "whatsapp_business_account", "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PN"},
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": TO},
                     {"profile": {"name": "Beto", "username": "@beto"}, "user_id": "MX.77"}],
        "messages": [
            {"from": TO, "id": "wamid.1", "timestamp": "1764000000", "type": "text", "text": {"body": "Necesito"}},
            {"from": TO, "id": "wamid.2", "timestamp": "1764000001", "type": "interactive",
             "interactive": {"type": "button_reply", "button_reply": {"id": "opt:1", "title": "1. Tubo"}}},
            {"from": TO, "id": "wamid.3", "timestamp": "1764000002", "type": "interactive",
             "interactive": {"type": "list_reply", "list_reply": {"id": "opt:4", "title": "4. Codo",
                                                                  "description": "Codo 90"}}},
            {"from": TO, "id": "wamid.4", "timestamp": "1764000003", "type": "button",
             "button": {"payload": "confirm", "text": "Sí"}},
            {"from_user_id": "MX.77", "id": "wamid.5", "timestamp": "1764000004", "type": "sticker",
             "sticker": {"id": "s"}},
            {"from": TO, "id": "wamid.6", "timestamp": "1764000005", "type": "image",
             "image": {"id": "m", "caption": "necesito 10 de estos"}},
        ]}}]}]}
    notification = WaNotification.model_validate_json(json.dumps(body))
    [change] = notification.changes()
    value = change.value
    assert value.metadata is not None and value.metadata.phone_number_id == "PN"
    contents = [m.content() for m in value.messages]
    assert contents == [("text", "Necesito"), ("interactive", "el 1"), ("interactive", "el 4"),
                        ("button", "sí"), None, ("text", "necesito 10 de estos")]
    assert value.messages[0].timestamp == 1764000000 and value.messages[0].from_ == TO
    sticker = value.messages[4]
    assert sticker.from_ is None and sticker.from_user_id == "MX.77"
    contact = value.contact_for(sticker)
    assert contact is not None and contact.user_id == "MX.77" and contact.wa_id is None
    assert contact.profile is not None and contact.profile.username == "@beto"


def test_statuses_and_other_fields_parse() -> None:
    body = {"object": "whatsapp_business_account", "entry": [
        {"id": "W", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp", "metadata": {"phone_number_id": "PN"},
            "statuses": [{"id": "wamid.9", "status": "failed", "timestamp": "1764000000", "recipient_id": TO,
                          "errors": [{"code": 131047, "title": "Re-engagement message",
                                      "message": "Re-engagement message",
                                      "error_data": {"details": "24 hours have passed"}}]}]}}]},
        {"id": "W", "changes": [{"field": "account_update", "value": {"event": "VERIFIED_ACCOUNT"}}]},
    ]}
    notification = WaNotification.model_validate(body)
    [change] = notification.changes()  # only `messages` changes are ours
    [status] = change.value.statuses
    assert (status.status, status.recipient_id, status.errors[0].code) == ("failed", TO, 131047)
    assert status.errors[0].error_data is not None and status.errors[0].error_data.details == "24 hours have passed"
    with pytest.raises(ValidationError):
        WaNotification.model_validate_json(b"{not json")
    with pytest.raises(ValidationError):
        WaNotification.model_validate({"entry": []})  # no `object`


def test_signatures_cover_the_exact_bytes() -> None:
    raw = b'{"object":"whatsapp_business_account","entry":[]}'
    good = "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest()
    assert signature_matches(raw, good, "s3cret")
    assert signature_matches(raw, good.upper().replace("SHA256=", "sha256="), "s3cret")  # hex case is not meaning
    assert not signature_matches(raw + b" ", good, "s3cret")
    assert not signature_matches(raw, good, "other")
    assert not signature_matches(raw, good.removeprefix("sha256="), "s3cret")
    assert not signature_matches(raw, "sha1=" + hmac.new(b"s3cret", raw, hashlib.sha1).hexdigest(), "s3cret")
    assert not signature_matches(raw, "sha256=", "s3cret")
