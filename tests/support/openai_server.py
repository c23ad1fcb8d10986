"""A small OpenAI-compatible Chat Completions server for tests, served over real HTTP by `serve_app`.

It checks each request the way the real API would (model, messages, a `json_schema` response
format or a forced tool call), records it, and answers with a `chat.completion` whose decision is
picked by keyword logic, so tests can tell the model's answer from the rules' ("fake model: ...").
`mode` makes it fail on purpose: HTTP 500, malformed JSON, an invalid decision, an answer outside
the open flow, or a request that hangs until the test ends.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Mode = Literal["ok", "error", "malformed", "invalid", "off_flow", "hang"]
_ROLES = {"system", "developer", "user", "assistant", "tool"}
_DECISION_FIELDS = ("intent", "confidence", "quantity", "product_query", "option_index", "option_hint",
                    "promise_date", "promise_amount", "reason")


class RequestError(ValueError):
    """The request breaks the Chat Completions format; answered with HTTP 400 like the real API."""


@dataclass
class FakeOpenAI:
    """The server's state: how it should behave and every request it received."""

    mode: Mode = "ok"
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def app(self) -> Starlette:
        """The ASGI app: `POST /v1/chat/completions`."""
        return Starlette(routes=[Route("/v1/chat/completions", self._completions, methods=["POST"])])

    def release(self) -> None:
        """Let hanging requests finish, so the server can stop."""
        self._release.set()

    async def _completions(self, request: Request) -> JSONResponse:
        try:
            body = json.loads(await request.body())
            kind = _validate(body)
        except (json.JSONDecodeError, RequestError) as exc:
            return _error(400, str(exc), "invalid_request_error")
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if self.mode == "error":
            return _error(500, "The server had an error while processing your request.", "server_error")
        if self.mode == "hang":
            await self._release.wait()
        decision = self._decision(body)
        content = json.dumps(decision)
        if self.mode == "malformed":
            content = '{"intent": "payment_status", "confidence": 0.9,'  # cut short: not JSON
        return JSONResponse(_completion(body, kind, content))

    def _decision(self, body: dict[str, Any]) -> dict[str, Any]:
        system = " ".join(m["content"] for m in body["messages"] if m["role"] in ("system", "developer"))
        user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
        found = re.search(r"\d{4}-\d{2}-\d{2}", system)
        today = date.fromisoformat(found.group()) if found else date.today()
        decision = keyword_decision(user.lower(), today)
        if self.mode == "invalid":
            decision["intent"] = "buy_things"
        elif self.mode == "off_flow":
            decision.update(intent="select_option", option_index=0)
        return {name: decision.get(name) for name in _DECISION_FIELDS}


def keyword_decision(text: str, today: date) -> dict[str, Any]:
    """The fake model's "reasoning": a few keywords, with a confidence the rules never give (0.97)."""
    if "ya pag" in text:
        return {"intent": "payment_status", "confidence": 0.97, "reason": "fake model: already paid"}
    if "pago" in text or "deposito" in text:
        when = today + timedelta(days=1) if "mañana" in text else today + timedelta(days=(4 - today.weekday()) % 7 or 7)
        amount = "5000" if "5 mil" in text else None
        return {"intent": "promise_to_pay", "confidence": 0.97, "promise_date": when.isoformat(),
                "promise_amount": amount, "reason": "fake model: promise to pay"}
    if match := re.search(r"(\d+) (tubos?|codos?)", text):
        return {"intent": "create_order", "confidence": 0.97, "quantity": int(match.group(1)),
                "product_query": text[match.start(2):].strip(" ?"), "reason": "fake model: order"}
    return {"intent": "general_question", "confidence": 0.5, "reason": "fake model: unsure"}


def _validate(body: Any) -> Literal["json_schema", "tools"]:
    """Check the request shape; return how the caller asked for structured output."""
    if not isinstance(body, dict):
        raise RequestError("the body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise RequestError("'model' is required")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty array")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise RequestError(f"messages[{i}].role is invalid")
        if not isinstance(message.get("content"), str):
            raise RequestError(f"messages[{i}].content must be a string")
    if not any(m["role"] == "user" for m in messages):
        raise RequestError("no user message")
    response_format = body.get("response_format")
    if response_format is not None:
        if response_format.get("type") != "json_schema":
            raise RequestError("response_format.type must be json_schema")
        spec = response_format.get("json_schema") or {}
        if not isinstance(spec.get("name"), str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", spec["name"]):
            raise RequestError("response_format.json_schema.name is invalid")
        _check_schema(spec.get("schema"), "response_format.json_schema.schema")
        return "json_schema"
    tools = body.get("tools")
    if isinstance(tools, list) and tools:
        for i, tool in enumerate(tools):
            if tool.get("type") != "function" or not isinstance(tool.get("function", {}).get("name"), str):
                raise RequestError(f"tools[{i}] must be a named function")
            _check_schema(tool["function"].get("parameters"), f"tools[{i}].function.parameters")
        choice = body.get("tool_choice")
        if isinstance(choice, dict) and choice.get("function", {}).get("name") != tools[0]["function"]["name"]:
            raise RequestError("tool_choice names an unknown function")
        return "tools"
    raise RequestError("this server only answers structured requests (response_format or tools)")


def _check_schema(schema: Any, where: str) -> None:
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise RequestError(f"{where} must be an object schema")
    properties = schema.get("properties") or {}
    missing = [name for name in ("intent", "confidence", "reason") if name not in properties]
    if missing:
        raise RequestError(f"{where} lacks {missing}")


def _completion(body: dict[str, Any], kind: str, content: str) -> dict[str, Any]:
    if kind == "tools":
        name = body["tools"][0]["function"]["name"]
        message: dict[str, Any] = {
            "role": "assistant", "content": None, "refusal": None,
            "tool_calls": [{"id": "call_fake_1", "type": "function", "function": {"name": name, "arguments": content}}],
        }
        finish = "tool_calls"
    else:
        message, finish = {"role": "assistant", "content": content, "refusal": None}, "stop"
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}", "object": "chat.completion", "created": int(time.time()),
        "model": body["model"], "system_fingerprint": "fp_fake",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def _error(status: int, message: str, kind: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": None}}, status_code=status)
