"""A small OpenAI-compatible Chat Completions server for tests, served over real HTTP by `serve_app`.

It checks each request the way the real API does (model, messages, a `json_schema` response
format or a forced function call, the schema held to strict mode when `"strict": true`, see
`openai_schema`), records it, and answers in the documented `chat.completion` format: the JSON in
the message's `content`, or in a `tool_calls` entry's `arguments`. The answer is `keyword_model`'s
reading of the last user message, written out to the requested schema. `mode` makes it misbehave
on purpose: HTTP 500, a refusal, JSON cut short, an act of a kind the schema does not list, a
promise without its date and amount or with a past date, or a request that hangs until released.
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

from tests.support.keyword_model import keyword_reading
from tests.support.openai_schema import SchemaError, check_strict, complete

Mode = Literal["ok", "error", "refusal", "malformed", "unknown_kind", "bare_promise", "stale_promise", "hang"]
_ROLES = {"system", "developer", "user", "assistant", "tool"}
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
REFUSAL = "I'm sorry, I can't help with that request."


class RequestError(ValueError):
    """The request breaks the Chat Completions format; answered with HTTP 400 like the real API."""

    def __init__(self, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.param, self.code = param, code


@dataclass(frozen=True)
class Structured:
    """How a request asked for structured output: the schema, and the function to call if any."""

    schema: dict[str, Any]
    function: str | None  # None: a json_schema response format


@dataclass
class FakeOpenAI:
    """The server's state: how it should behave and every request it accepted, with its headers."""

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
            structured = _validate(body)
        except json.JSONDecodeError as exc:
            return _error(400, f"We could not parse the JSON body of your request. ({exc})", "invalid_request_error")
        except RequestError as exc:
            return _error(400, str(exc), "invalid_request_error", param=exc.param, code=exc.code)
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if self.mode == "error":
            return _error(500, "The server had an error while processing your request.", "server_error")
        if self.mode == "hang":
            await self._release.wait()
        if self.mode == "refusal" and structured.function is None:
            message = {"role": "assistant", "content": None, "refusal": REFUSAL, "annotations": []}
            return JSONResponse(_completion(body, message, "stop"))
        content = json.dumps(complete(self._reading(body), structured.schema, structured.schema))
        if self.mode == "malformed":
            content = content[: len(content) // 2]  # cut short: not JSON
        if structured.function is None:
            message = {"role": "assistant", "content": content, "refusal": None, "annotations": []}
            return JSONResponse(_completion(body, message, "stop"))
        call = {"id": f"call_fake_{len(self.requests)}", "type": "function",
                "function": {"name": structured.function, "arguments": content}}
        message = {"role": "assistant", "content": None, "refusal": None, "annotations": [], "tool_calls": [call]}
        return JSONResponse(_completion(body, message, "tool_calls"))

    def _reading(self, body: dict[str, Any]) -> dict[str, Any]:
        system = " ".join(_text(m) for m in body["messages"] if m["role"] in ("system", "developer"))
        found = re.search(r"\d{4}-\d{2}-\d{2}", system)
        today = date.fromisoformat(found.group()) if found else date.today()
        reading = keyword_reading([_text(m) for m in body["messages"] if m["role"] == "user"][-1], today=today)
        if self.mode == "unknown_kind":  # a kind the schema's enum does not list: what strict mode prevents
            reading["acts"] = [{**act, "kind": "buy_things"} for act in reading["acts"]] or [{"kind": "buy_things"}]
        for act in reading["acts"]:
            if act["kind"] == "promise_to_pay" and self.mode == "bare_promise":
                act.update(promise_date=None, promise_amount=None)
            elif act["kind"] == "promise_to_pay" and self.mode == "stale_promise":
                act["promise_date"] = (today - timedelta(days=365)).isoformat()
        return reading


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(part["text"] for part in content)


def _validate(body: Any) -> Structured:
    """Check the request's shape and schema; return how it asked for structured output."""
    if not isinstance(body, dict):
        raise RequestError("the body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise RequestError("you must provide a model parameter", param="model")
    _validate_messages(body.get("messages"))
    temperature = body.get("temperature", 1)
    if not isinstance(temperature, int | float) or not 0 <= temperature <= 2:
        raise RequestError("'temperature' must be between 0 and 2", param="temperature")
    if (response_format := body.get("response_format")) is not None:
        return _validate_response_format(response_format)
    if body.get("tools"):
        return _validate_tools(body["tools"], body.get("tool_choice"))
    raise RequestError("this server only answers structured requests (response_format or tools)")


def _validate_messages(messages: Any) -> None:
    if not isinstance(messages, list) or not messages:
        raise RequestError("'messages' must be a non-empty array", param="messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise RequestError(f"Invalid value for 'messages[{i}].role'", param=f"messages[{i}].role")
        content = message.get("content")
        parts_ok = isinstance(content, list) and all(
            isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str) for p in content)
        if not isinstance(content, str) and not parts_ok:
            raise RequestError(f"Invalid type for 'messages[{i}].content'", param=f"messages[{i}].content")
    if not any(m["role"] == "user" for m in messages):
        raise RequestError("no user message", param="messages")


def _validate_response_format(response_format: Any) -> Structured:
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        raise RequestError("this server only answers response_format.type 'json_schema'", param="response_format")
    spec = response_format.get("json_schema")
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not _NAME.fullmatch(spec["name"]):
        raise RequestError("Invalid 'response_format.json_schema.name'", param="response_format.json_schema.name")
    schema = spec.get("schema")
    _check_schema(schema, strict=spec.get("strict") is True, what=f"response_format '{spec['name']}'",
                  param="response_format", code=None)
    return Structured(schema=schema, function=None)


def _validate_tools(tools: Any, choice: Any) -> Structured:
    names: list[str] = []
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        function = tool.get("function") if isinstance(tool, dict) and tool.get("type") == "function" else None
        if not isinstance(function, dict) or not _NAME.fullmatch(str(function.get("name"))):
            raise RequestError(f"Invalid 'tools[{i}]': a function with a valid name", param=f"tools[{i}]")
        _check_schema(function.get("parameters"), strict=function.get("strict") is True,
                      what=f"function '{function['name']}'", param=f"tools[{i}].function.parameters",
                      code="invalid_function_parameters")
        names.append(function["name"])
    if not names:
        raise RequestError("'tools' must be a non-empty array", param="tools")
    if not isinstance(choice, dict) or choice.get("type") != "function":
        raise RequestError("this server only answers a forced function call (tool_choice naming one)",
                           param="tool_choice")
    name = (choice.get("function") or {}).get("name")
    if name not in names:
        raise RequestError(f"Invalid value for 'tool_choice': no function named '{name}'", param="tool_choice")
    return Structured(schema=next(t["function"]["parameters"] for t in tools if t["function"]["name"] == name),
                      function=name)


def _check_schema(schema: Any, *, strict: bool, what: str, param: str, code: str | None) -> None:
    try:
        if strict:
            check_strict(schema)
        elif not isinstance(schema, dict) or schema.get("type") != "object":
            raise SchemaError((), "schema must be a JSON Schema of 'type: \"object\"', got something else.")
    except SchemaError as exc:
        raise RequestError(f"Invalid schema for {what}: {exc}", param=param, code=code) from exc


def _completion(body: dict[str, Any], message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}", "object": "chat.completion", "created": int(time.time()),
        "model": body["model"], "system_fingerprint": "fp_fake", "service_tier": "default",
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def _error(status: int, message: str, kind: str, *, param: str | None = None, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}},
                        status_code=status)
