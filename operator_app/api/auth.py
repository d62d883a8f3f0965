"""Signing in and out of one server as one user, with the token kept in the keyring."""

from __future__ import annotations

from operator_app.api.client import ApiClient
from operator_app.api.models import LoginResult
from operator_app.api.tokens import TokenStore


class Session:
    """The signed-in state of an :class:`ApiClient`.

    ``resume()`` picks up a token from an earlier run; ``sign_in()`` asks the server
    for a new one and keeps it in the OS keyring (memory only when there is none:
    see :attr:`TokenStore.notice`).
    """

    def __init__(self, api: ApiClient, username: str, tokens: TokenStore | None = None) -> None:
        self.api = api
        self.username = username
        self.tokens = tokens or TokenStore(api.server_url, username)
        self.login: LoginResult | None = None

    def resume(self) -> bool:
        """Use a stored token if there is one (its validity shows on the first call)."""
        token = self.tokens.load()
        self.api.use_token(token)
        return token is not None

    async def sign_in(self, password: str) -> LoginResult:
        result = await self.api.login(self.username, password)
        self.tokens.save(result.access_token)
        self.login = result
        return result

    def forget_token(self) -> None:
        """The server refused the token: drop it here and in the keyring."""
        self.api.use_token(None)
        self.tokens.clear()

    async def sign_out(self) -> None:
        try:
            await self.api.logout()
        finally:
            self.tokens.clear()
            self.login = None
