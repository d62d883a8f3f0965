"""The HTTP client of ``/api/v1``: one shared ``httpx.AsyncClient`` per server.

Every failure leaves as a typed :mod:`operator_app.api.errors` exception. Only
idempotent calls are retried here (GETs, and ``POST /mutations``, which the server
deduplicates by ``mutation_id``); login and logout are tried once. Logs name the
method, path and status, never headers or bodies.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import ssl
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from httpx_sse import SSEError, aconnect_sse

from operator_app import __version__
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
    API_PREFIX,
    SUPPORTED_API_MAJOR,
    ChangesPage,
    LoginResult,
    Mutation,
    MutationResult,
    ServerEvent,
    ServerVersion,
    parse_mutation_results,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    # The event stream is idle for long stretches; a dead link is noticed after this.
    stream_read: float = 90.0

    def httpx(self, read: float | None = None) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect,
            read=self.read if read is None else read,
            write=self.write,
            pool=self.pool,
        )


def normalize_server_url(text: str) -> str:
    """``https://host[:port][/path]`` without a trailing slash, or a clear ConfigurationError."""
    raw = (text or "").strip()
    if not raw:
        raise ConfigurationError("Enter the server address, for example https://crm.example.com.")
    if "://" not in raw:
        raise ConfigurationError(
            f"The server address {raw[:80]!r} must start with http:// or https://."
        )
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise ConfigurationError(f"{raw[:80]!r} is not a valid server address.") from None
    if url.scheme not in ("http", "https"):
        raise ConfigurationError(
            f"The server address must start with http:// or https://, not {url.scheme}://."
        )
    if not url.host:
        raise ConfigurationError(f"The server address {raw[:80]!r} has no host name.")
    if url.userinfo:
        raise ConfigurationError(
            "Put the user name and password in the sign-in form, not in the address."
        )
    if url.query or url.fragment:
        raise ConfigurationError("The server address must not contain '?' or '#' parts.")
    return str(url.copy_with(path=url.path.rstrip("/") or "")).rstrip("/")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP date), None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _problem_errors(response: httpx.Response) -> list[tuple[str, str]]:
    """The (field, message) pairs of a problem document's ``errors`` list, if any."""
    if "json" not in response.headers.get("content-type", ""):
        return []
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [
        (str(e.get("field", ""))[:200], str(e.get("message", ""))[:500])
        for e in errors[:100]
        if isinstance(e, dict)
    ]


def _problem_fields(response: httpx.Response) -> tuple[str | None, str | None, str | None]:
    """(type, title, detail) of an RFC 9457 body, all None when the body is not one."""
    content_type = response.headers.get("content-type", "")
    if "json" not in content_type:
        return None, None, None
    try:
        body = response.json()
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None

    def text(key: str) -> str | None:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
        if key == "detail" and isinstance(value, list):  # FastAPI's 422 list of errors
            return "the server rejected some fields"
        return None

    return text("type"), text("title"), text("detail")


_STATUS_MESSAGES: dict[int, tuple[type[ApiError], str]] = {
    400: (ValidationError, "The server refused the request"),
    401: (AuthError, "Please sign in again: the server did not accept your credentials"),
    403: (ForbiddenError, "Your role does not allow this"),
    404: (NotFoundError, "The server does not know this item"),
    409: (ConflictError, "The change collides with newer data on the server"),
    412: (ConflictError, "Someone changed this on the server meanwhile"),
    413: (ValidationError, "The request is too large for the server"),
    422: (ValidationError, "The server refused the request's content"),
    429: (RateLimitedError, "The server is busy with too many requests; waiting before retrying"),
}


def error_from_response(response: httpx.Response) -> ApiError:
    status = response.status_code
    problem_type, title, detail = _problem_fields(response)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    if status in _STATUS_MESSAGES:
        cls, base = _STATUS_MESSAGES[status]
    elif status >= 500:
        cls, base = ServerError, f"The server had a problem (HTTP {status}); trying again later"
    elif 300 <= status < 400:
        location = response.headers.get("location", "")[:200]
        return ProtocolError(
            f"The server redirects to {location or 'another address'}; "
            "use that address in the connection settings.",
            status=status,
        )
    else:
        cls, base = ProtocolError, f"The server answered with an unexpected status (HTTP {status})"
    explanation = detail or title
    message = f"{base}: {explanation}." if explanation else f"{base}."
    kwargs: dict[str, Any] = {
        "status": status,
        "problem_type": problem_type,
        "detail": detail,
        "field_errors": _problem_errors(response),
    }
    if cls in (RateLimitedError, ServerError):
        kwargs["retry_after"] = retry_after
    return cls(message, **kwargs)


def _transport_error(exc: httpx.TransportError, server: str) -> NetworkError:
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"The server {server} did not answer in time.")
    if isinstance(exc, httpx.ProxyError):  # the proxy refused the tunnel (CONNECT)
        return NetworkError(f"Cannot reach {server} through the proxy.")
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return NetworkError(
                f"The certificate of {server} could not be verified; "
                "check the address or set the company CA bundle in the connection settings."
            )
        if isinstance(cause, ssl.SSLError):
            return NetworkError(f"A secure connection to {server} could not be established.")
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"Cannot connect to {server}: the server is unreachable or offline.")
    return NetworkError(f"The connection to {server} was interrupted.")


def _decode_json(response: httpx.Response) -> Any:
    # orjson: an initial sync decodes hundreds of megabytes of change pages, and the
    # standard decoder spent about half of the client's CPU on it.
    try:
        return orjson.loads(response.content)
    except ValueError:  # orjson.JSONDecodeError is a ValueError
        raise ProtocolError(
            "The server sent an answer this app does not understand (not JSON).",
            status=response.status_code,
        ) from None


class ApiClient:
    """All calls to one server. Use as ``async with ApiClient(url) as api: ...``."""

    def __init__(
        self,
        server_url: str,
        *,
        timeouts: Timeouts | None = None,
        ca_bundle: Path | str | None = None,
        proxy: str | None = None,
        retries: int = 2,
        retry_delay: float = 0.3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.server_url = normalize_server_url(server_url)
        self.timeouts = timeouts or Timeouts()
        self.retries = retries
        self.retry_delay = retry_delay
        self._token: str | None = None
        self._host = httpx.URL(self.server_url).host
        try:
            self._http = httpx.AsyncClient(
                base_url=self.server_url + API_PREFIX,
                timeout=self.timeouts.httpx(),
                verify=self._verify(ca_bundle),
                headers={
                    "User-Agent": f"operator-app/{__version__}",
                    "Accept": "application/json",
                },
                follow_redirects=False,
                transport=transport,
                proxy=proxy or None,  # None: direct, or the environment's *_PROXY
            )
        except ImportError:  # a socks5:// proxy needs the optional socksio package
            raise ConfigurationError(
                "SOCKS proxies need the 'socksio' package; use an http:// proxy or install it."
            ) from None

    @staticmethod
    def _verify(ca_bundle: Path | str | None) -> ssl.SSLContext | bool:
        if ca_bundle is None or str(ca_bundle) == "":
            return True
        path = Path(ca_bundle).expanduser()
        try:
            return ssl.create_default_context(cafile=str(path))
        except (OSError, ssl.SSLError):
            raise ConfigurationError(
                f"The CA bundle {str(path)[:200]!r} cannot be read as PEM certificates."
            ) from None

    def __repr__(self) -> str:
        return f"ApiClient({self.server_url!r}, signed_in={self._token is not None})"

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- token ---------------------------------------------------------------

    @property
    def signed_in(self) -> bool:
        return self._token is not None

    def use_token(self, token: str | None) -> None:
        """Use a token kept from an earlier session (from the keyring)."""
        self._token = token or None

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    # -- plumbing ------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        attempts = 1 + (self.retries if idempotent else 0)
        for attempt in range(attempts):
            try:
                response = await self._http.request(
                    method,
                    path,
                    json=json_body,
                    params=params,
                    headers={**(headers or {}), **self._auth_headers()},
                )
            except httpx.TransportError as exc:
                error: ApiError = _transport_error(exc, self._host)
                log.debug("%s %s failed: %s", method, path, type(exc).__name__)
            except httpx.InvalidURL as exc:
                raise ConfigurationError(f"The request address is invalid: {exc}") from None
            else:
                log.debug("%s %s -> %s", method, path, response.status_code)
                _check_api_version(response)
                if response.status_code < 300:
                    return _decode_json(response) if response.content else None
                error = error_from_response(response)
            # 429 waits belong to the caller (it knows how long and can show it).
            last = attempt == attempts - 1
            if last or not error.retryable or isinstance(error, RateLimitedError):
                raise error
            await asyncio.sleep(self.retry_delay * (2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    # -- endpoints -----------------------------------------------------------

    async def version(self) -> ServerVersion:
        """The server's API version; IncompatibleServerError when this app cannot talk to it."""
        try:
            body = await self._request("GET", "/version", idempotent=True)
        except (NotFoundError, ProtocolError) as exc:
            raise IncompatibleServerError(
                f"{self.server_url} does not look like an operator-app server "
                "(no /api/v1/version); check the address.",
                status=exc.status,
            ) from None
        version = ServerVersion.parse(body)
        if not version.compatible:
            raise _incompatible(version.api_version)
        return version

    async def login(self, username: str, password: str) -> LoginResult:
        try:
            body = await self._request(
                "POST",
                "/auth/login",
                idempotent=False,
                json_body={"username": username, "password": password},
            )
        except AuthError as exc:
            raise AuthError("Wrong user name or password.", status=exc.status) from None
        result = LoginResult.parse(body)
        self._token = result.access_token
        return result

    async def logout(self) -> None:
        """Ends the session on the server; the local token is forgotten whatever happens."""
        try:
            if self._token:
                await self._request("POST", "/auth/logout", idempotent=False)
        except AuthError:
            pass  # already expired: nothing to end
        finally:
            self._token = None

    async def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """One JSON request to ``/api/v1`` + ``path`` (admin resources): GETs are retried,
        writes are tried once (the caller shows the failure and the user decides)."""
        return await self._request(
            method,
            path,
            idempotent=method == "GET",
            json_body=json_body,
            params=params,
            headers=headers,
        )

    async def changes(self, since: int, limit: int = 1000) -> ChangesPage:
        body = await self._request(
            "GET", "/changes", idempotent=True, params={"since": since, "limit": limit}
        )
        return ChangesPage.parse(body, since)

    async def demo_traffic(self) -> bool:
        """Demo servers only: whether simulated customer traffic is on."""
        body = await self._request("GET", "/admin/demo/traffic", idempotent=True)
        if not isinstance(body, dict) or not isinstance(body.get("enabled"), bool):
            raise ProtocolError("The server's answer about simulated traffic is not readable.")
        return body["enabled"]

    async def set_demo_traffic(self, enabled: bool) -> bool:
        """Demo servers only: switch simulated customer traffic; returns whether it is on."""
        body = await self._request(
            "PUT", "/admin/demo/traffic", idempotent=True, json_body={"enabled": enabled}
        )
        return bool(body["enabled"]) if isinstance(body, dict) else enabled

    async def push(self, mutations: list[Mutation]) -> list[MutationResult]:
        # Idempotent by mutation_id, so a timeout can safely be retried.
        body = await self._request(
            "POST",
            "/mutations",
            idempotent=True,
            json_body={"mutations": [m.to_json() for m in mutations]},
        )
        return parse_mutation_results(body, mutations)

    async def review_case(self, case_id: uuid.UUID) -> dict[str, Any]:
        """One review case as the queue shows it, with ``actions`` and ``allowed_actions``."""
        body = await self._request("GET", f"/review-cases/{case_id}", idempotent=True)
        if not isinstance(body, dict):
            raise ProtocolError("The server's review case is not an object.")
        return body

    async def review_action(self, case_id: uuid.UUID, action: dict[str, Any]) -> dict[str, Any]:
        """Act on a review case (``{"action": "assign" | "compensate" | …, …}``); returns
        ``{case, entry, survey}``. Sent once: pass ``base_version`` so that a retry of an
        action that did reach the server is refused (409) rather than done twice."""
        body = await self._request(
            "POST", f"/review-cases/{case_id}/actions", idempotent=False, json_body=action
        )
        if not isinstance(body, dict):
            raise ProtocolError("The server's answer to a review action is not an object.")
        return body

    async def events(self, last_event_id: str | None = None) -> AsyncIterator[ServerEvent]:
        """Server-sent hints; resumes after ``last_event_id``. Ends when the server closes."""
        headers = self._auth_headers()
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        timeout = self.timeouts.httpx(read=self.timeouts.stream_read)
        try:
            async with aconnect_sse(
                self._http, "GET", "/events", headers=headers, timeout=timeout
            ) as source:
                response = source.response
                if response.status_code >= 300:
                    await response.aread()
                    raise error_from_response(response)
                async for sse in source.aiter_sse():
                    try:
                        data = json.loads(sse.data) if sse.data else None
                    except ValueError:
                        data = sse.data
                    yield ServerEvent(id=sse.id, kind=sse.event, data=data)
        except SSEError:  # a TransportError subclass: must come first
            raise ProtocolError("The server's event stream is not an event stream.") from None
        except httpx.TransportError as exc:
            raise _transport_error(exc, self._host) from None


def _incompatible(api_version: str) -> IncompatibleServerError:
    return IncompatibleServerError(
        f"The server speaks API version {api_version[:20]}, this app speaks "
        f"version {SUPPORTED_API_MAJOR}; update the app or the server."
    )


def _check_api_version(response: httpx.Response) -> None:
    """Every answer of our server says its API version (``X-API-Version``): a server
    upgraded to another version while the app runs is named as such, not mistaken for
    a broken or missing endpoint. Answers without the header (a proxy's) pass."""
    served = response.headers.get("x-api-version")
    if served is not None and not ServerVersion(served.strip(), "").compatible:
        raise _incompatible(served.strip())
