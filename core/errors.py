"""Failure kinds a handler can signal to the bus runtime, raised by tools that know which applies."""

from __future__ import annotations


class PermanentError(Exception):
    """No retry can fix this (a rejected request, a missing configuration): dead-letter at once."""


class RetryLater(Exception):
    """A transient refusal that says when to come back (a rate limit): retry no sooner than that."""

    retry_after_s: float = 0.0
