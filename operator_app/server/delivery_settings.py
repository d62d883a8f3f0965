"""Where survey messages and alerts go: SMTP, the channel gateway, the review webhook.

These are deployment settings (hosts, secrets), read from the environment by
``operator-app-server serve``; the team's rules (what to send when) are the policy.

=================================== ==============================================
``OPERATOR_APP_PUBLIC_URL``         base of survey links (``https://survey.example``);
                                    default: the address the request came in on
``OPERATOR_APP_SMTP_HOST``          SMTP server; unset = no e-mail
``OPERATOR_APP_SMTP_PORT``          default 587 (starttls), 465 (ssl), 25 (none)
``OPERATOR_APP_SMTP_SECURITY``      ``starttls`` (default), ``ssl`` or ``none``
``OPERATOR_APP_SMTP_FROM``          sender address, e.g. ``Support <care@example.com>``
``OPERATOR_APP_SMTP_USER``          login, if the server wants one
``OPERATOR_APP_SMTP_PASSWORD``      its password
``OPERATOR_APP_SMTP_CA_FILE``       PEM bundle to trust instead of the system's
``OPERATOR_APP_GATEWAY_URL``        channel gateway for SMS, messengers and chats
``OPERATOR_APP_WEBHOOK_SECRET``     HMAC-SHA256 key signing outbound webhooks
``OPERATOR_APP_REVIEW_WEBHOOK_URL`` Slack-compatible URL told about new review cases
``OPERATOR_APP_SECRET_KEY``         signs survey forms; default: a random key kept
                                    in the database
``OPERATOR_APP_BRAND_NAME``         the name customers see, default "Customer care"
=================================== ==============================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

SmtpSecurity = Literal["starttls", "ssl", "none"]
_DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}
MIN_SECRET_LENGTH = 16


class DeliverySettingsError(ValueError):
    """A delivery setting cannot be used; the message names the variable and the fix."""


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    security: SmtpSecurity = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    timeout_seconds: float = 15.0


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    public_url: str | None = None
    smtp: SmtpSettings | None = None
    gateway_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    review_webhook_url: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    brand_name: str = "Customer care"
    # Retries: attempt n waits base·2^(n-1) (±50 % jitter), at most `retry_max_seconds`.
    max_attempts: int = 6
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 3600.0
    poll_seconds: float = 2.0
    http_timeout_seconds: float = 10.0
    lease_seconds: float = 120.0

    def __post_init__(self) -> None:
        if self.gateway_url and not self.webhook_secret:
            raise DeliverySettingsError(
                "OPERATOR_APP_GATEWAY_URL needs OPERATOR_APP_WEBHOOK_SECRET: the gateway "
                "checks the signature of every request"
            )
        if self.webhook_secret is not None and len(self.webhook_secret) < MIN_SECRET_LENGTH:
            raise DeliverySettingsError(
                f"OPERATOR_APP_WEBHOOK_SECRET needs at least {MIN_SECRET_LENGTH} characters"
            )
        if self.max_attempts < 1:
            raise DeliverySettingsError("max_attempts must be at least 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DeliverySettings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get("OPERATOR_APP_" + name, "").strip()
            return value or None

        smtp = None
        host = get("SMTP_HOST")
        if host:
            security = (get("SMTP_SECURITY") or "starttls").lower()
            if security not in _DEFAULT_PORTS:
                raise DeliverySettingsError(
                    f"OPERATOR_APP_SMTP_SECURITY is {security!r}; use starttls, ssl or none"
                )
            port_text = get("SMTP_PORT")
            try:
                port = int(port_text) if port_text else _DEFAULT_PORTS[security]
            except ValueError:
                raise DeliverySettingsError(
                    f"OPERATOR_APP_SMTP_PORT is {port_text!r}; expected a port number"
                ) from None
            if not 1 <= port <= 65535:
                raise DeliverySettingsError(f"OPERATOR_APP_SMTP_PORT {port} is out of range")
            sender = get("SMTP_FROM")
            if not sender:
                raise DeliverySettingsError("OPERATOR_APP_SMTP_FROM is needed with SMTP_HOST")
            smtp = SmtpSettings(
                host=host,
                port=port,
                sender=sender,
                security=security,  # type: ignore[arg-type]  # checked above
                username=get("SMTP_USER"),
                password=env.get("OPERATOR_APP_SMTP_PASSWORD") or None,
                ca_file=get("SMTP_CA_FILE"),
            )
        return cls(
            public_url=_url(get("PUBLIC_URL"), "OPERATOR_APP_PUBLIC_URL"),
            smtp=smtp,
            gateway_url=_url(get("GATEWAY_URL"), "OPERATOR_APP_GATEWAY_URL"),
            webhook_secret=env.get("OPERATOR_APP_WEBHOOK_SECRET") or None,
            review_webhook_url=_url(get("REVIEW_WEBHOOK_URL"), "OPERATOR_APP_REVIEW_WEBHOOK_URL"),
            secret_key=env.get("OPERATOR_APP_SECRET_KEY") or None,
            brand_name=get("BRAND_NAME") or "Customer care",
        )


def _url(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise DeliverySettingsError(f"{name} must be an http(s):// URL, got {value[:80]!r}")
    return value.rstrip("/")


def display_target(url: str) -> str:
    """What people may see of a webhook URL: scheme and host (paths often hold secrets)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
