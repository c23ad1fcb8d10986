"""The fake model's "reasoning": a small keyword reading of a message into a reading's JSON.

It stands in for a chat model behind `openai_server`, so it knows only the message and today's
date, never our code or the open flow (it reads "el primero" as a choice whatever was shown, as a
careless model would). Its confidence is 0.97, a figure the rules never give, and its reason
starts with "fake model", so a test can tell the model's answer from the fallback's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

CONFIDENCE = 0.97
_ORDINALS = {"primero": 0, "primera": 0, "segundo": 1, "segunda": 1, "tercero": 2, "tercera": 2, "último": -1}
_MATERIALS = ("pvc", "cpvc", "cobre", "galvanizado")
_LINE = re.compile(r"(\d+) ((?:coples?|tees?|tubos?|codos?)\b.*?)(?=,|\s+y\s+\d|$)")


def _promise(match: re.Match[str], text: str, today: date) -> dict[str, Any]:
    if "mañana" in text:
        when: date | None = today + timedelta(days=1)
    elif "viernes" in text:
        when = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    else:
        when = None
    amount = re.search(r"(\d+) mil\b", text)
    return {"kind": "promise_to_pay", "promise_date": when.isoformat() if when else None,
            "promise_amount": int(amount.group(1)) * 1000 if amount else None}


def _choose(match: re.Match[str], text: str, today: date) -> dict[str, Any]:
    return {"kind": "choose", "option_index": _ORDINALS[match.group(1)]}


def _stock(match: re.Match[str], text: str, today: date) -> dict[str, Any]:
    return {"kind": "stock_answer", "backorder": "resto" in match.group()}


def _kind(kind: str) -> Callable[[re.Match[str], str, date], dict[str, Any]]:
    return lambda match, text, today: {"kind": kind}


# One act per cue, at the position its first match starts.
_CUES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], str, date], dict[str, Any]]], ...] = (
    (re.compile(r"^(?:hola|buen[oa]s)\b"), _kind("greeting")),
    (re.compile(r"\bya (?:les )?(?:pagu[eé]|transfer[ií]|deposit[eé])"), _kind("paid")),
    (re.compile(r"\b(?:pago|deposito)\b"), _promise),
    (re.compile(r"^(?:s[ií]|sale|va|dale)\b|\bconfirmo\b"), _kind("confirm")),
    (re.compile(r"\bcancela"), _kind("cancel")),
    (re.compile(r"\b(?:el|la) (primer[oa]|segund[oa]|tercer[oa]|último)\b"), _choose),
    (re.compile(r"los que tengas|el resto cuando llegue"), _stock),
)


def keyword_reading(text: str, *, today: date) -> dict[str, Any]:
    """The reading's JSON for `text`: acts in the order written, language, confidence and reason."""
    text = text.lower()
    found: list[tuple[int, dict[str, Any]]] = []
    for pattern, make in _CUES:
        if match := pattern.search(text):
            found.append((match.start(), make(match, text, today)))
    if lines := list(_LINE.finditer(text)):
        found.append((lines[0].start(), {"kind": "order", "lines": [_line(match) for match in lines]}))
    acts = [act for _, act in sorted(found, key=lambda pair: pair[0])]
    if not acts:
        return {"acts": [], "language": "es", "confidence": 0.5, "reason": "fake model: unsure"}
    return {"acts": acts, "language": "es", "confidence": CONFIDENCE,
            "reason": "fake model: " + ", ".join(act["kind"] for act in acts)}


def _line(match: re.Match[str]) -> dict[str, Any]:
    product = match.group(2).strip(" ?!.")
    size = re.search(r"\d+(?: \d+)?/\d+", product)
    return {"quantity": int(match.group(1)), "product": product, "size": size.group() if size else None,
            "attributes": [word for word in product.split() if word in _MATERIALS]}
