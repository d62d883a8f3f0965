"""Access tokens live only in the OS keyring, or in memory when there is none.

A token is never written to a file by this app. When the keyring is missing or
broken, :attr:`TokenStore.persistent` turns False and :attr:`TokenStore.notice`
says why in words the GUI can show; the token then lasts for this session only.
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

KEYRING_SERVICE = "operator-app"
NO_KEYRING_NOTICE = (
    "No system keyring is available, so your sign-in is kept in memory only: "
    "you will be asked to sign in again next time."
)

log = logging.getLogger(__name__)


def keyring_username(server_url: str, user: str) -> str:
    return f"{server_url}|{user}"


class TokenStore:
    """The token of one (server, user) pair."""

    def __init__(self, server_url: str, user: str) -> None:
        self.server_url = server_url
        self.user = user
        self._key = keyring_username(server_url, user)
        self._memory: str | None = None
        self.persistent = True
        self.notice: str | None = None

    def _keyring_failed(self, action: str, exc: Exception) -> None:
        # The exception text can name the backend but never holds the secret.
        log.info("keyring %s failed (%s); keeping the token in memory", action, type(exc).__name__)
        self.persistent = False
        self.notice = NO_KEYRING_NOTICE

    def load(self) -> str | None:
        if self._memory is not None or not self.persistent:
            return self._memory
        try:
            token = keyring.get_password(KEYRING_SERVICE, self._key)
        except Exception as exc:  # any backend failure means "no keyring", not a crash
            self._keyring_failed("read", exc)
            return None
        self._memory = token
        return token

    def save(self, token: str) -> None:
        self._memory = token
        if not self.persistent:
            return
        try:
            keyring.set_password(KEYRING_SERVICE, self._key, token)
        except Exception as exc:
            self._keyring_failed("write", exc)

    def clear(self) -> None:
        self._memory = None
        if not self.persistent:
            return
        try:
            keyring.delete_password(KEYRING_SERVICE, self._key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already clear
        except Exception as exc:
            self._keyring_failed("delete", exc)
