"""``operator-app sync``: pull and push with the server until both sides are idle.

Sign-in order: the token kept in the OS keyring, then ``$OPERATOR_APP_PASSWORD``, then a
password prompt when a terminal is attached. The server address and user name given
once are remembered in the cache, so later runs need neither. Exit status: 0 synced,
1 could not sync (message says why), 2 wrong usage, 3 sign-in refused.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from operator_app.api import (
    ApiClient,
    ApiError,
    AuthError,
    ConfigurationError,
    RateLimitedError,
    Session,
    normalize_server_url,
)
from operator_app.cache.db import CacheError, open_cache
from operator_app.cache.sync_outcomes import issue_counts
from operator_app.cache.sync_state import bind_owner, read_sync_status
from operator_app.services.datadir import (
    DataDirError,
    cache_path,
    default_data_dir,
    prepare_data_dir,
)
from operator_app.sync import (
    EventBus,
    StateChanged,
    SyncEngine,
    SyncProgress,
    SyncReport,
)

ENV_PASSWORD = "OPERATOR_APP_PASSWORD"
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3


class SyncCommandError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Target:
    server_url: str
    username: str


def resolve_target(
    args: argparse.Namespace,
    remembered_server: str | None,
    remembered_user: str | None,
    cursor: int,
) -> Target:
    """The server and user to sync with: the flags, else what this cache remembers."""
    server = getattr(args, "server", None) or remembered_server
    user = getattr(args, "user", None) or remembered_user
    if not server or not user:
        raise SyncCommandError(
            "No server to sync with yet: run once with --server URL --user NAME "
            "(they are remembered for the next time).",
            EXIT_USAGE,
        )
    try:
        server = normalize_server_url(server)
    except ConfigurationError as exc:
        raise SyncCommandError(str(exc), EXIT_USAGE) from None
    user = user.strip()
    if not user:
        raise SyncCommandError("The user name is empty.", EXIT_USAGE)
    if remembered_server and cursor > 0 and (server, user) != (remembered_server, remembered_user):
        raise SyncCommandError(
            f"This cache holds {remembered_user}'s data from {remembered_server}; use another "
            "--data-dir for a different account or server.",
            EXIT_USAGE,
        )
    return Target(server, user)


def read_password(username: str, server: str, stdin: TextIO | None = None) -> str:
    password = os.environ.get(ENV_PASSWORD)
    if password:
        return password
    stream = stdin or sys.stdin
    if stream is not None and stream.isatty():
        return getpass.getpass(f"Password for {username} at {server}: ")
    raise SyncCommandError(
        f"No saved sign-in for {username} at {server}: set {ENV_PASSWORD} or run the "
        "command in a terminal to type the password.",
        EXIT_AUTH,
    )


class ProgressPrinter:
    """Progress on a terminal (one rewritten line), a plain line per wait otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self._open_line = False

    def __call__(self, event: Any) -> None:
        if isinstance(event, SyncProgress) and self.live:
            verb = "Pulled" if event.phase == "pull" else "Pushed"
            noun = "changes" if event.phase == "pull" else "local changes"
            self.stream.write(f"\r{verb} {event.done:,} {noun}…\x1b[K")
            self.stream.flush()
            self._open_line = True
        elif isinstance(event, StateChanged) and event.retry_in is not None:
            self.end_line()
            self.stream.write(f"{event.message} Retrying in {event.retry_in:.0f} s.\n")
            self.stream.flush()

    def end_line(self) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False


def _summary(report: SyncReport, target: Target) -> str:
    text = (
        f"Synced with {target.server_url} as {target.username}: pulled {report.pulled:,} "
        f"changes, pushed {report.pushed:,} local changes (cursor {report.cursor:,})."
    )
    if report.pending:
        text += f" {report.pending:,} local changes are still waiting."
    return text


async def _sign_in(session: Session, target: Target) -> None:
    password = read_password(target.username, target.server_url)
    try:
        await session.sign_in(password)
    except AuthError as exc:
        raise SyncCommandError(str(exc), EXIT_AUTH) from None


async def sync_with_server(
    cache_file: Path,
    target: Target,
    *,
    ca_bundle: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    page_size: int = 1000,
) -> SyncReport:
    out = out or sys.stdout
    err = err or sys.stderr
    engine = open_cache(cache_file)
    printer = ProgressPrinter(err)
    bus = EventBus()
    bus.subscribe(printer)
    try:
        async with ApiClient(target.server_url, ca_bundle=ca_bundle) as api:
            await api.version()
            session = Session(api, target.username)
            used_saved_token = session.resume()
            if not used_saved_token:
                await _sign_in(session, target)
            sync = SyncEngine(engine, session, bus=bus, listen_events=False, page_size=page_size)
            try:
                try:
                    report = await sync.sync_until_idle()
                except AuthError:
                    if not used_saved_token:
                        raise
                    session.forget_token()  # expired or revoked: sign in afresh
                    await _sign_in(session, target)
                    report = await sync.sync_until_idle()
                await sync.db.run(bind_owner, engine, target.server_url, target.username)
                conflicts, rejected = await sync.db.run(issue_counts, engine)
            finally:
                printer.end_line()
                await sync.aclose()
            if session.tokens.notice:
                err.write(session.tokens.notice + "\n")
            out.write(_summary(report, target) + "\n")
            if conflicts or rejected:
                out.write(
                    f"{conflicts} conflicting and {rejected} refused changes need a decision "
                    "in the app.\n"
                )
            return report
    finally:
        engine.dispose()


def run_sync_command(args: argparse.Namespace) -> int:
    try:
        data_dir = prepare_data_dir(getattr(args, "data_dir", None) or default_data_dir())
        path = cache_path(data_dir)
        engine = open_cache(path)
        try:
            status = read_sync_status(engine)
        finally:
            engine.dispose()
        target = resolve_target(args, status.server_url, status.username, status.cursor)
        asyncio.run(sync_with_server(path, target, ca_bundle=getattr(args, "ca_bundle", None)))
        return 0
    except SyncCommandError as exc:
        return _fail(str(exc), exc.exit_code)
    except (DataDirError, CacheError) as exc:
        return _fail(str(exc), EXIT_FAILED)
    except AuthError as exc:
        return _fail(str(exc), EXIT_AUTH)
    except RateLimitedError as exc:
        return _fail(f"{exc} Gave up waiting; try again later.", EXIT_FAILED)
    except ApiError as exc:
        return _fail(
            f"Sync failed: {exc} Local changes are kept and will be sent next time.", EXIT_FAILED
        )


def _fail(message: str, code: int) -> int:
    print(f"operator-app sync: {message}", file=sys.stderr)
    return code
