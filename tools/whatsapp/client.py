"""The Cloud API client, its errors and Meta's error codes.

`WhatsAppClient` POSTs one message and returns its wamid; a failed call raises `WhatsAppRateLimited`
(retry after a pause), `WhatsAppRejected` (permanent) or `WhatsAppUnavailable` (transient), chosen by
`parse_error` from Meta's `{"error": {...}}` body and the error-code tables below. One client serves
every tenant: the phone number id and access token are per call. `WhatsAppNotConfiguredError` is
raised when a tenant has no complete WhatsApp configuration.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import PermanentError, RetryLater

# --- error codes (Cloud API error codes reference) -----------------------------------------
#: Throughput (130429), pair rate (131056: too many messages to one user), WABA (80007), app (4).
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
#: Meta's "unknown" / "service temporarily unavailable" / "something went wrong": try again.
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016})
#: Outside the 24-hour customer-service window: only a template may be sent.
REENGAGEMENT_CODE = 131047
#: Pause suggested when Meta gives no Retry-After: a pair-rate hit clears in seconds, a WABA one later.
_DEFAULT_RETRY_AFTER_S = {131056: 6.0, 80007: 60.0}


# --- errors ----------------------------------------------------------------------------------


class WhatsAppNotConfiguredError(RuntimeError):
    """The tenant has no complete WhatsApp configuration: nothing can be sent or run for it."""


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
