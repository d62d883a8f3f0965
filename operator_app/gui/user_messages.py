"""Messages from the layers below the GUI, in the interface language.

The API, sync and services layers are Qt-free and speak English (their messages also
go to logs). The GUI shows them through :func:`user_message`, which recognises the
common sentences — connection refused, wrong password, timeout, server version, bad
address — and puts them in the interface language, keeping the values (host names,
versions) they carry. Anything not recognised is shown as it came.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from operator_app.gui.i18n import translate

Rewrite = Callable[[re.Match[str]], str]


def _exact(text: str) -> Rewrite:
    return lambda _m: text


def _fill(template: str) -> Rewrite:
    """The translated sentence with the values the English one carried."""
    return lambda m: template.format(**m.groupdict())


def _patterns() -> list[tuple[re.Pattern[str], Rewrite]]:
    # Built per call: the translations depend on the language chosen at that moment.
    return [
        (
            re.compile(r"Wrong user name or password\.?"),
            _exact(translate("ServerMessages", "Wrong user name or password.")),
        ),
        (
            re.compile(
                r"Cannot connect to (?P<server>.+?): the server is unreachable or offline\."
            ),
            _fill(
                translate(
                    "ServerMessages",
                    "Cannot connect to {server}: the server is unreachable or offline.",
                )
            ),
        ),
        (
            re.compile(r"Cannot reach (?P<server>.+?) through the proxy\."),
            _fill(translate("ServerMessages", "Cannot reach {server} through the proxy.")),
        ),
        (
            re.compile(r"The proxy address (?P<proxy>.+?) is not valid\."),
            _fill(translate("ServerMessages", "The proxy address {proxy} is not valid.")),
        ),
        (
            re.compile(r"The proxy's host name '(?P<host>.+?)' could not be found \(DNS\)\..*"),
            _fill(
                translate(
                    "ServerMessages",
                    "The proxy's host name “{host}” could not be found (DNS). Check the proxy "
                    "address.",
                )
            ),
        ),
        (
            re.compile(
                r"The proxy refused the connection: nothing listens on (?P<host>.+?) port "
                r"(?P<port>\d+)\..*"
            ),
            _fill(
                translate(
                    "ServerMessages",
                    "The proxy refused the connection: nothing listens on {host} port {port}. "
                    "Check the proxy address.",
                )
            ),
        ),
        (
            re.compile(r"The proxy asks for a user name and password.*"),
            _exact(
                translate(
                    "ServerMessages",
                    "The proxy asks for a user name and password; put them in the proxy "
                    "address (http://user:password@proxy:port).",
                )
            ),
        ),
        (
            re.compile(r"The proxy answers, but it could not reach (?P<url>\S+)\..*"),
            _fill(
                translate(
                    "ServerMessages",
                    "The proxy answers, but it could not reach {url}. Check the server "
                    "address, or ask whether the proxy lets this address through.",
                )
            ),
        ),
        (
            re.compile(r"The server (?P<server>.+?) did not answer in time\."),
            _fill(translate("ServerMessages", "The server {server} did not answer in time.")),
        ),
        (
            re.compile(r"The connection to (?P<server>.+?) was interrupted\."),
            _fill(translate("ServerMessages", "The connection to {server} was interrupted.")),
        ),
        (
            re.compile(r"The certificate of (?P<server>.+?) could not be verified.*"),
            _fill(
                translate(
                    "ServerMessages",
                    "The certificate of {server} could not be verified; check the address or set "
                    "the company CA bundle in the connection settings.",
                )
            ),
        ),
        (
            re.compile(r"A secure connection to (?P<server>.+?) could not be established\."),
            _fill(
                translate(
                    "ServerMessages", "A secure connection to {server} could not be established."
                )
            ),
        ),
        (
            re.compile(
                r"The server speaks API version (?P<version>.+?), this app speaks version "
                r"(?P<ours>\S+?); update the app or the server\."
            ),
            _fill(
                translate(
                    "ServerMessages",
                    "The server speaks API version {version}, this app speaks version {ours}; "
                    "update the app or the server.",
                )
            ),
        ),
        (
            re.compile(r"(?P<url>\S+) does not look like an operator-app server.*"),
            _fill(
                translate(
                    "ServerMessages",
                    "{url} does not look like an operator-app server; check the address.",
                )
            ),
        ),
        (
            re.compile(r"Please sign in again: .*"),
            _exact(
                translate(
                    "ServerMessages",
                    "Please sign in again: the server did not accept your credentials.",
                )
            ),
        ),
        (
            re.compile(r"Your role does not allow this.*"),
            _exact(translate("ServerMessages", "Your role does not allow this.")),
        ),
        (
            re.compile(r"The server had a problem \(HTTP (?P<status>\d+)\).*"),
            _fill(
                translate(
                    "ServerMessages",
                    "The server had a problem (HTTP {status}); trying again later.",
                )
            ),
        ),
        (
            re.compile(r"The server is busy with too many requests.*"),
            _exact(
                translate(
                    "ServerMessages",
                    "The server is busy with too many requests; waiting before retrying.",
                )
            ),
        ),
        (
            re.compile(r"Enter the server address, for example (?P<example>\S+?)\.?"),
            _fill(translate("ServerMessages", "Enter the server address, for example {example}.")),
        ),
        (
            re.compile(r"The server address must not contain '\?' or '#' parts\."),
            _exact(
                translate("ServerMessages", "The server address must not contain '?' or '#' parts.")
            ),
        ),
        (
            re.compile(r"The server address (?P<address>.+?) has no host name\."),
            _fill(translate("ServerMessages", "The server address {address} has no host name.")),
        ),
        (
            re.compile(r"(?P<address>.+?) is not a valid server address\."),
            _fill(translate("ServerMessages", "{address} is not a valid server address.")),
        ),
        (
            re.compile(r"The host name '(?P<host>.+?)' could not be found \(DNS\)\..*"),
            _fill(
                translate(
                    "ServerMessages",
                    "The host name “{host}” could not be found (DNS). Check the spelling.",
                )
            ),
        ),
        (
            re.compile(
                r"Connection refused: (?P<host>.+?) answers, but nothing listens on port "
                r"(?P<port>\d+)\."
            ),
            _fill(
                translate(
                    "ServerMessages",
                    "Connection refused: {host} answers, but nothing listens on port {port}.",
                )
            ),
        ),
        (
            re.compile(r"No answer from (?P<address>\S+) within (?P<seconds>\S+) s.*"),
            _fill(
                translate(
                    "ServerMessages",
                    "No answer from {address} within {seconds} s (a firewall or a wrong port?).",
                )
            ),
        ),
        (
            re.compile(r"(?P<url>\S+) answers, but it is not an operator-app server.*"),
            _fill(
                translate(
                    "ServerMessages",
                    "{url} answers, but it is not an operator-app server; check the address.",
                )
            ),
        ),
        (
            re.compile(r"Connected: operator-app server (?P<server>.+?), API (?P<api>.+?)\."),
            _fill(
                translate("ServerMessages", "Connected: operator-app server {server}, API {api}.")
            ),
        ),
        # Settings fields (services.settings_schema), shown next to the field.
        (
            re.compile(r"The CA bundle '(?P<path>.+)' does not exist\."),
            _fill(translate("ServerMessages", "The CA bundle “{path}” does not exist.")),
        ),
        (
            re.compile(r"The CA bundle '(?P<path>.+)' is a folder; choose a \.pem file\."),
            _fill(
                translate(
                    "ServerMessages", "The CA bundle “{path}” is a folder; choose a .pem file."
                )
            ),
        ),
        (
            re.compile(r"The proxy must look like (?P<example>\S+) \(http, https or socks5\)\."),
            _fill(
                translate(
                    "ServerMessages", "The proxy must look like {example} (http, https or socks5)."
                )
            ),
        ),
        (
            re.compile(r"The proxy's port must be a number between 1 and 65535\."),
            _exact(
                translate(
                    "ServerMessages", "The proxy's port must be a number between 1 and 65535."
                )
            ),
        ),
        (
            re.compile(r"The user name must not be only spaces\."),
            _exact(translate("ServerMessages", "The user name must not be only spaces.")),
        ),
        (
            re.compile(r"The cache folder must be a full path, such as (?P<example>\S+?)\."),
            _fill(
                translate(
                    "ServerMessages", "The cache folder must be a full path, such as {example}."
                )
            ),
        ),
        (
            re.compile(r"'(?P<path>.+)' is a file, not a folder\."),
            _fill(translate("ServerMessages", "“{path}” is a file, not a folder.")),
        ),
        (
            re.compile(r"'(?P<keys>.+)' is not a key combination\."),
            _fill(translate("ServerMessages", "“{keys}” is not a key combination.")),
        ),
        (
            re.compile(r"Also used by (?P<actions>.+)\."),
            lambda m: translate("ServerMessages", "Also used by {actions}.").format(
                actions=", ".join(
                    # The action names are the settings dialog's own texts.
                    translate("SettingsDialog", name)
                    for name in m.group("actions").split(", ")
                )
            ),
        ),
        # The operator's own input, checked before it goes to the outbox.
        (
            re.compile(r"'(?P<text>.+)' is not a phone number\."),
            _fill(translate("ServerMessages", "“{text}” is not a phone number.")),
        ),
        (
            re.compile(r"'(?P<text>.+)' is not an e-mail address\."),
            _fill(translate("ServerMessages", "“{text}” is not an e-mail address.")),
        ),
        (
            re.compile(
                r"The text is (?P<length>\d+) characters long; at most (?P<limit>\d+) fit\. "
                r"Shorten it and send again\."
            ),
            _fill(
                translate(
                    "ServerMessages",
                    "The text is {length} characters long; at most {limit} fit. "
                    "Shorten it and send again.",
                )
            ),
        ),
        (
            re.compile(r"The text is empty\."),
            _exact(translate("ServerMessages", "The text is empty.")),
        ),
        (
            re.compile(r"This conflict was already resolved\."),
            _exact(translate("ServerMessages", "This conflict was already resolved.")),
        ),
        (
            re.compile(r"This change is no longer waiting for a decision\."),
            _exact(translate("ServerMessages", "This change is no longer waiting for a decision.")),
        ),
        (
            re.compile(r"Offline \(local cache\)"),
            _exact(translate("ServerMessages", "Offline (local cache)")),
        ),
        (re.compile(r"Not signed in"), _exact(translate("ServerMessages", "Not signed in"))),
        (re.compile(r"Demo Operator"), _exact(translate("ServerMessages", "Demo Operator"))),
        (
            re.compile(r"Your session has ended; sign in again\."),
            _exact(translate("ServerMessages", "Your session has ended; sign in again.")),
        ),
        (
            re.compile(r"The change could not be saved; see the log for details\."),
            _exact(
                translate(
                    "ServerMessages", "The change could not be saved; see the log for details."
                )
            ),
        ),
    ]


def user_message(message: object) -> str:
    """``message`` (an exception or its text) in the interface language when known."""
    text = str(message).strip()
    for pattern, rewrite in _patterns():
        match = pattern.fullmatch(text)
        if match is not None:
            return rewrite(match)
    return text
