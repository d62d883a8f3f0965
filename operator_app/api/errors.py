"""Typed failures of the HTTP API, each with a message an operator can read.

Every way a request can go wrong ends in one of these classes, so callers (the sync
engine, the GUI, the command line) decide by type: retry later, ask for credentials,
show the operator a problem, or give up on one mutation. Messages never contain
tokens, passwords or message bodies.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Base of every API failure. ``str(error)`` is a user-readable sentence."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        problem_type: str | None = None,
        detail: str | None = None,
        field_errors: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.problem_type = problem_type
        self.detail = detail
        # (field, message) pairs from a problem document's ``errors``, for forms.
        self.field_errors = list(field_errors or [])


class NetworkError(ApiError):
    """The server could not be reached: refused, DNS, TLS, timeout, dropped connection."""

    retryable = True


class ProtocolError(ApiError):
    """The server answered something this client cannot understand (not our API)."""

    retryable = True


class IncompatibleServerError(ApiError):
    """The server speaks another API version; updating one side is the only fix."""


class AuthError(ApiError):
    """401: not signed in, wrong credentials, or the session expired."""


class ForbiddenError(ApiError):
    """403: the signed-in user's role does not allow this."""


class NotFoundError(ApiError):
    """404: the resource does not exist (or the API path is wrong)."""


class ConflictError(ApiError):
    """409: the request collides with the server's current state."""


class ValidationError(ApiError):
    """400/413/422: the server refused the request's content."""


class RateLimitedError(ApiError):
    """429: too many requests; ``retry_after`` seconds to wait (None when not given)."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server failed; trying again later may work."""

    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ConfigurationError(ApiError):
    """The client is set up wrongly (bad server address, unreadable CA bundle)."""
