"""HTTP client of the reference server's ``/api/v1``: requests, auth, tokens, events."""

from operator_app.api.auth import Session
from operator_app.api.client import ApiClient, Timeouts, normalize_server_url
from operator_app.api.errors import (
    ApiError,
    AuthError,
    ConfigurationError,
    ConflictError,
    ForbiddenError,
    IncompatibleServerError,
    NetworkError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from operator_app.api.models import (
    Change,
    ChangesPage,
    LoginResult,
    Mutation,
    MutationResult,
    MutationStatus,
    ServerEvent,
    ServerVersion,
    UserInfo,
)
from operator_app.api.tokens import KEYRING_SERVICE, NO_KEYRING_NOTICE, TokenStore

__all__ = [
    "KEYRING_SERVICE",
    "NO_KEYRING_NOTICE",
    "ApiClient",
    "ApiError",
    "AuthError",
    "Change",
    "ChangesPage",
    "ConfigurationError",
    "ConflictError",
    "ForbiddenError",
    "IncompatibleServerError",
    "LoginResult",
    "Mutation",
    "MutationResult",
    "MutationStatus",
    "NetworkError",
    "NotFoundError",
    "ProtocolError",
    "RateLimitedError",
    "ServerError",
    "ServerEvent",
    "ServerVersion",
    "Session",
    "Timeouts",
    "TokenStore",
    "UserInfo",
    "ValidationError",
    "normalize_server_url",
]
