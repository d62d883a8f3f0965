"""Sending e-mail over SMTP: plain, STARTTLS or implicit TLS, with optional login.

Blocking (``smtplib``): the delivery worker calls it on a worker thread. Failures are
sorted into :class:`TemporaryFailure` (try again later: the server is down, busy, or
answered 4xx) and :class:`PermanentFailure` (5xx: the address or message is refused,
retrying will not help).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from operator_app.server.delivery_settings import SmtpSettings


class DeliveryFailure(Exception):
    """Sending failed; the message is for the dead-letter list (no secrets in it)."""


class TemporaryFailure(DeliveryFailure):
    pass


class PermanentFailure(DeliveryFailure):
    pass


def build_message(
    settings: SmtpSettings, *, to: str, subject: str, text: str, html: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr(("", to))
    message["Subject"] = subject
    domain = settings.sender.rpartition("@")[2].strip("> ") or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.ca_file)


def send_email(settings: SmtpSettings, message: EmailMessage) -> None:
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host,
                settings.port,
                timeout=settings.timeout_seconds,
                context=_tls_context(settings),
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds)
        with client:
            if settings.security == "starttls":
                client.starttls(context=_tls_context(settings))
            if settings.username:
                client.login(settings.username, settings.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = {code for code, _ in error.recipients.values()}
        failure = PermanentFailure if all(code >= 500 for code in codes) else TemporaryFailure
        raise failure(f"recipient refused by the SMTP server ({sorted(codes)})") from None
    except smtplib.SMTPNotSupportedError:
        raise PermanentFailure(
            "the SMTP server does not offer STARTTLS or login as configured "
            "(check OPERATOR_APP_SMTP_SECURITY and the port)"
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise PermanentFailure(f"SMTP login refused ({error.smtp_code})") from None
    except smtplib.SMTPResponseException as error:
        failure = PermanentFailure if error.smtp_code >= 500 else TemporaryFailure
        raise failure(f"SMTP server answered {error.smtp_code}") from None
    except ssl.SSLError as error:
        raise TemporaryFailure(f"TLS with the SMTP server failed: {error.reason}") from None
    except (OSError, smtplib.SMTPException) as error:
        raise TemporaryFailure(
            f"cannot reach the SMTP server {settings.host}:{settings.port} ({type(error).__name__})"
        ) from None
