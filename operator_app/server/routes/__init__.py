"""HTTP routes of ``/api/v1``, one module per area."""

from __future__ import annotations

from typing import Any

from operator_app.server.errors import PROBLEM_MEDIA_TYPE
from operator_app.server.schemas import Problem

_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Not signed in, or the token is invalid or expired",
    403: "Signed in, but the role may not do this",
    404: "Not found",
    409: "Conflict",
    413: "Request body too large",
    422: "Invalid fields",
    429: "Too many requests; see Retry-After",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for problem+json answers."""
    return {
        code: {
            "model": Problem,
            "description": _DESCRIPTIONS.get(code, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for code in codes
    }


# 400: a body that is not JSON at all (FastAPI refuses it before validation).
AUTHENTICATED = (400, 401, 403, 413, 422)
