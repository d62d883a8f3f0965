"""Every error as RFC 9457 problem+json, with a stable ``type`` a client can switch on.

``type`` is ``urn:operator-app:problem:<slug>``; ``title`` is fixed per slug, ``detail``
says what happened in this case; validation problems list the fields at fault.
Unexpected failures answer 500 with no internals in the body (they go to the log).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route

PROBLEM_TYPE_PREFIX = "urn:operator-app:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"

log = logging.getLogger(__name__)

# slug → title; the slug is the stable part of the contract
TITLES: dict[str, str] = {
    "bad-request": "Bad request",
    "malformed-json": "The request body is not valid JSON",
    "unauthorized": "Authentication required",
    "invalid-credentials": "Wrong username or password",
    "token-expired": "The session has expired",
    "forbidden": "Not allowed for your role",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "Conflict",
    "payload-too-large": "Request body too large",
    "unsupported-media-type": "Unsupported media type",
    "validation-failed": "The request is not valid",
    "too-many-requests": "Too many requests",
    "internal-error": "Internal server error",
    "service-unavailable": "Service unavailable",
    "precondition-failed": "Changed meanwhile",
    "survey-too-soon": "The customer was asked recently",
    "invalid-transition": "Not possible in the case's current state",
    "over-approval-limit": "Over your approval limit",
}

_SLUG_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-failed",
    429: "too-many-requests",
    500: "internal-error",
    503: "service-unavailable",
}


class ApiProblem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug or _SLUG_BY_STATUS.get(status, "bad-request")
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = list(errors) if errors is not None else None


def problem_body(
    status: int,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + slug,
        "title": TITLES.get(slug, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = list(errors)
    return body


def problem_response(
    status: int,
    slug: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: Sequence[Mapping[str, Any]] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, slug, detail, instance=instance, errors=errors),
        status_code=status,
        headers=dict(headers or {}),
        media_type=PROBLEM_MEDIA_TYPE,
    )


def _field_name(location: Sequence[Any]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] or parts
    return ".".join(parts)


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "field": _field_name(error.get("loc", ())),
            "location": str(error.get("loc", ("body",))[0]),
            "message": str(error.get("msg", "invalid value")),
        }
        for error in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(
            exc.status,
            exc.slug,
            exc.detail,
            instance=request.url.path,
            headers=exc.headers,
            errors=exc.errors,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        if any(error.get("type") == "json_invalid" for error in exc.errors()):
            return problem_response(
                400,
                "malformed-json",
                "The request body could not be parsed as JSON.",
                instance=request.url.path,
            )
        errors = validation_errors(exc)
        fields = ", ".join(sorted({e["field"] for e in errors})) or "the request"
        return problem_response(
            422,
            "validation-failed",
            f"Check these fields: {fields}.",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = _SLUG_BY_STATUS.get(exc.status_code, "bad-request")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES[slug]
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem_response(
            exc.status_code, slug, detail, instance=request.url.path, headers=headers
        )


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path.

    Starlette lists only the first route that matched the path, but each method here is
    its own route, so a 405 for PUT on a GET+PUT resource would otherwise say "Allow: GET".
    """
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route.methods or set()
    return ", ".join(sorted(methods))
