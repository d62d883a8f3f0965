"""Outbound webhooks: the channel gateway (SMS, messengers, chats) and review alerts.

Every request is signed so the receiver can tell it came from this server and was not
replayed later::

    X-OperatorApp-Timestamp: 1767225600
    X-OperatorApp-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>
    X-OperatorApp-Delivery:  <uuid, the same on every retry: deduplicate on it>
    X-OperatorApp-Event:     survey.send | survey.reminder | review_case.opened

A receiver recomputes the HMAC over the raw body with the shared secret, compares in
constant time (:func:`verify_signature` does all of it), and refuses timestamps older
than a few minutes. Any 2xx answer is success. 4xx (except 408/429) means the request
itself is wrong, so it is not retried; 5xx, 408, 429 and network errors are.
"""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import datetime
from typing import Any

import httpx

from operator_app.server.mailer import PermanentFailure, TemporaryFailure

SIGNATURE_HEADER = "X-OperatorApp-Signature"
TIMESTAMP_HEADER = "X-OperatorApp-Timestamp"
DELIVERY_HEADER = "X-OperatorApp-Delivery"
EVENT_HEADER = "X-OperatorApp-Event"
_RETRYABLE_4XX = frozenset({408, 425, 429})


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + digest.hexdigest()


def verify_signature(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature_header: str,
    now: datetime,
    tolerance_seconds: int = 300,
) -> bool:
    """For receivers: the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(now.timestamp() - int(timestamp)) > tolerance_seconds:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), signature_header)


def post_json(
    url: str,
    payload: dict[str, Any],
    *,
    event: str,
    delivery_id: uuid.UUID,
    secret: str | None,
    now: datetime,
    timeout: float,
) -> None:
    """POST ``payload`` as JSON, signed when ``secret`` is set; raises on failure."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "operator-app-server",
        TIMESTAMP_HEADER: timestamp,
        DELIVERY_HEADER: str(delivery_id),
        EVENT_HEADER: event,
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, timestamp, body)
    try:
        # No redirects: a signed request must not wander to another host.
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        raise TemporaryFailure(f"cannot reach the webhook ({type(error).__name__})") from None
    if 200 <= response.status_code < 300:
        return
    code = response.status_code
    if 400 <= code < 500 and code not in _RETRYABLE_4XX:
        raise PermanentFailure(f"the webhook refused the request (HTTP {code})")
    raise TemporaryFailure(f"the webhook answered HTTP {code}")
