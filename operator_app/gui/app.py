"""The application shell: one process, one window, one event loop.

``run_gui`` resolves the data folder, makes sure only one window serves it (later
starts and ``operator-app pop NUMBER`` hand over to the running one), opens or builds
the cache, shows the main window and runs Qt and asyncio on one loop (qasync), so
network code added later runs on the GUI thread without blocking it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import qasync
from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QProgressDialog

from operator_app import APP_NAME, ORG_NAME, __version__
from operator_app.gui.context import AppContext
from operator_app.gui.event_loop import close_event_loop
from operator_app.gui.i18n import translate
from operator_app.gui.language import LOCALES, apply_language
from operator_app.gui.main_window import MainWindow, app_settings
from operator_app.gui.settings_registry import open_settings, start_logging_and_settings
from operator_app.gui.single_instance import (
    DeliveryError,
    DeliveryRefused,
    InstanceLock,
    InstanceServer,
    ProtocolError,
    Request,
    send_request,
    server_name,
)
from operator_app.gui.startup import ConsoleUI, DialogUI, prepare_cache
from operator_app.gui.theme import THEME_MODES, apply_theme
from operator_app.gui.url_events import OperatorApplication
from operator_app.gui.user_messages import user_message
from operator_app.services.cache_probe import cache_has_customers
from operator_app.services.datadir import cache_path, default_data_dir, demo_data_dir

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from operator_app.gui.demo_server import DemoServer

# Set to 1 to print one line and exit as soon as the window is first painted
# (start-up benchmark; not a user option).
EXIT_WHEN_SHOWN_ENV = "OPERATOR_APP_EXIT_WHEN_SHOWN"
SHOWN_LINE = "operator-app: window shown"
SCREENSHOT_TIMEOUT_S = 60.0
SYNC_CLOSE_TIMEOUT_S = 10.0
LIVE_DEMO_FOLDER = "live"  # the live demo's cache, filled from its server
SCREENSHOT_SIZE = QSize(1280, 800)
FORWARD_PATIENCE_S = 10.0


def empty_hint() -> str:
    # Short enough for the status bar beside its permanent fields at 1280 px.
    return translate(
        "AppShell", "No customers yet: sign in (File › Sign in…) or try operator-app --demo"
    )


def run_gui(args: argparse.Namespace) -> int:
    headless = args.screenshot is not None
    request = Request.pop(args.uri) if getattr(args, "command", None) == "pop" else None
    data_dir = resolve_data_dir(args.data_dir, demo=bool(args.demo))
    _set_identity()
    lock: InstanceLock | None = None
    name = server_name(data_dir)
    if not headless:  # a screenshot run is a batch job: it neither serves nor forwards
        lock = InstanceLock(name)
        # Handing over needs no display and no QApplication: a PBX script may call us.
        handed_over = claim_or_forward(lock, name, request or Request.activate())
        if handed_over is not None:
            return handed_over
    try:
        display_problem = _check_display(headless)
        if display_problem:
            print(f"operator-app: {display_problem}", file=sys.stderr)
            return 1
        app = _application()
        args.settings_notice = start_logging_and_settings(args.data_dir)
        apply_theme(app, args.theme or saved_theme())
        apply_language(args.lang or saved_language())
        with _quit_on_signals(app) as signals:
            server = None if headless else _serve(name)
            code = _run(app, args, data_dir, request, signals, server)
        return 0 if signals.received else code
    finally:
        if lock is not None:
            lock.release()


def _serve(name: str) -> InstanceServer | None:
    server = InstanceServer(name)
    if server.listen():
        return server
    print(f"operator-app: pop from other programs is off: {server.error_text()}", file=sys.stderr)
    return None


def _run(
    app: QApplication,
    args: argparse.Namespace,
    data_dir: Path,
    request: Request | None,
    signals: _quit_on_signals,
    server: InstanceServer | None,
) -> int:
    headless = args.screenshot is not None
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = Shell(app, request=request, screenshot=args.screenshot)
    if server is not None:
        server.pop_requested.connect(shell.pop)
        server.activate_requested.connect(shell.activate)
    if isinstance(app, OperatorApplication):  # macOS hands over clicked links as events
        app.url_opened.connect(shell.pop_link)
    engine: Engine | None = None
    window: MainWindow | None = None
    # The demo syncs with its own server when the server extra is installed; a
    # --screenshot run stays on the local demo so its picture is always the same.
    live = _start_demo_server(app, data_dir) if args.demo and not headless else None
    cache_dir = data_dir / LIVE_DEMO_FOLDER if live is not None else data_dir
    try:
        engine = prepare_cache(
            cache_dir,
            demo=bool(args.demo) and live is None,
            ui=ConsoleUI() if headless else DialogUI(),
        )
        if engine is None or signals.received:
            return 1
        ctx = AppContext(
            data_dir=cache_dir,
            cache_path=cache_path(cache_dir),
            engine=engine,
            demo=bool(args.demo),
            user_name="Demo Operator" if args.demo else "Not signed in",
        )
        window = MainWindow(ctx)
        shell.attach(window, ctx)
        if live is not None:
            from operator_app.gui.demo_server import DEMO_PASSWORD, DEMO_USER

            window.sync.start_demo(live.url, DEMO_USER, DEMO_PASSWORD)
        elif args.demo and not headless:
            from operator_app.gui.demo_server import local_only_notice

            window.statusBar().showMessage(local_only_notice(), 15000)
        elif not headless:
            window.sync.resume_or_ask()
        if getattr(args, "settings_notice", None):
            window.statusBar().showMessage(user_message(args.settings_notice), 30000)
        return int(loop.run_forever())
    finally:
        if window is not None and not loop.is_closed():
            _close_sync(loop, window)
        shell.close()
        if live is not None:
            live.stop()
        if server is not None:
            server.close()
        if engine is not None:
            engine.dispose()
        asyncio.set_event_loop(None)
        close_event_loop(loop)


def _close_sync(loop: qasync.QEventLoop, window: MainWindow) -> None:
    """Stop syncing and close the connection before the loop goes away."""
    task = asyncio.ensure_future(asyncio.wait_for(window.sync.aclose(), SYNC_CLOSE_TIMEOUT_S))
    # A quit still queued (Ctrl+C, SIGTERM) may end the first run early: run again.
    for _attempt in range(3):
        try:
            loop.run_until_complete(task)
            return
        except RuntimeError:
            continue
        except TimeoutError:
            print("operator-app: sync did not stop in time", file=sys.stderr)
            return


def _start_demo_server(app: QApplication, data_dir: Path) -> DemoServer | None:
    """The live demo's server, or ``None`` (local-only demo; the window says why)."""
    # Imported here: it loads httpx, which an ordinary start does not need before the
    # window is on screen.
    from operator_app.gui.demo_server import DemoServer, DemoServerError, server_available

    if not server_available():
        return None
    server = DemoServer(data_dir)
    progress = QProgressDialog(translate("AppShell", "Starting the demo server…"), "", 0, 0)
    progress.setWindowTitle(translate("AppShell", "operator-app — demo"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(500)
    try:
        server.prepare(app.processEvents)
        server.start(app.processEvents)
    except (DemoServerError, OSError) as exc:
        print(f"operator-app: {exc} The demo runs without a server.", file=sys.stderr)
        server.stop()
        return None
    finally:
        progress.close()
    return server


def resolve_data_dir(data_dir: Path | None, *, demo: bool) -> Path:
    base = (data_dir or default_data_dir()).expanduser().absolute()
    return demo_data_dir(base) if demo else base


def claim_or_forward(lock: InstanceLock, name: str, request: Request) -> int | None:
    """``None`` when this process now owns the data folder; otherwise the request went
    to the window that does, and the exit code for this process."""
    deadline = time.monotonic() + FORWARD_PATIENCE_S
    while not lock.try_acquire():
        try:
            send_request(name, request)
            return 0
        except DeliveryRefused as exc:
            print(f"operator-app: the running window refused: {exc}", file=sys.stderr)
            return 1
        except DeliveryError as exc:
            # Still starting (opening or seeding its cache), or just quitting: wait a bit.
            if time.monotonic() > deadline:
                print(
                    "operator-app: another operator-app window is running for this data "
                    f"folder but does not answer ({exc}). Close it, or use another --data-dir.",
                    file=sys.stderr,
                )
                return 1
            time.sleep(0.25)
    return None


class Shell(QObject):
    """Glue between the process and the window: pops, first paint, screenshot."""

    def __init__(
        self, app: QApplication, *, request: Request | None, screenshot: Path | None
    ) -> None:
        super().__init__()
        self.app = app
        self.window: QMainWindow | None = None
        self.ctx: AppContext | None = None
        self.screenshot = screenshot
        self.pending: list[str] = []
        if request is not None and request.number is not None:
            self.pending.append(request.number)
        self.exit_when_shown = os.environ.get(EXIT_WHEN_SHOWN_ENV) == "1"
        self._shown = False
        self._deadline = 0.0
        self._idle_polls = 0

    def attach(self, window: QMainWindow, ctx: AppContext) -> None:
        self.window, self.ctx = window, ctx
        window.installEventFilter(self)
        if not ctx.demo and not cache_has_customers(ctx.engine):
            window.statusBar().showMessage(empty_hint())
        if self.screenshot is not None:  # the same picture whatever size was saved last
            window.resize(SCREENSHOT_SIZE)
        window.show()

    def close(self) -> None:
        if self.window is not None:
            self.window.removeEventFilter(self)
            if self.screenshot is None:
                self.window.close()  # saves the layout the user left
            else:
                self.window.hide()  # a screenshot run must not overwrite it
            self.window.deleteLater()
            self.window = None

    # --- requests from other processes -------------------------------------------------
    def activate(self) -> None:
        window = self.window
        if window is None:
            return
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def pop_link(self, link: str) -> None:
        """A clicked tel:/callto:/sip: link (macOS sends it as an event)."""
        try:
            number = Request.pop(link).number
        except ProtocolError:
            return
        if number is not None:
            self.pop(number)

    def pop(self, number: str) -> None:
        if self.window is None or not self._shown:
            self.pending.append(number)
            return
        self.activate()
        self.window.pop_phone(number)  # type: ignore[attr-defined]

    # --- first paint -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._shown and watched is self.window and event.type() == QEvent.Type.Paint:
            self._shown = True
            QTimer.singleShot(0, self._on_first_shown)
        return False

    def _on_first_shown(self) -> None:
        if self.exit_when_shown:
            print(SHOWN_LINE, flush=True)
            self.app.exit(0)
            return
        if self.screenshot is not None:
            self._start_screenshot()
            return
        pending, self.pending = self.pending, []
        for number in pending[-1:]:  # only the latest caller matters
            self.pop(number)

    # --- --screenshot ------------------------------------------------------------------
    def _start_screenshot(self) -> None:
        assert self.window is not None and self.ctx is not None
        window = self.window
        if self.pending:
            window.pop_phone(self.pending[-1])  # type: ignore[attr-defined]
        elif self.ctx.demo:
            from operator_app.services.showcase import pick_showcase_customer

            customer = pick_showcase_customer(self.ctx.engine)
            if customer is not None:
                window.open_customer(customer)  # type: ignore[attr-defined]
        self._deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
        self._poll_ready()

    def _busy(self) -> bool:
        is_busy = getattr(self.window, "is_busy", None)
        return bool(is_busy()) if callable(is_busy) else False

    def _poll_ready(self) -> None:
        # Loading runs off the GUI thread; wait for it, then for two quiet turns of
        # the event loop so the results are laid out before the grab.
        if self._busy():
            self._idle_polls = 0
        else:
            self._idle_polls += 1
        if self._idle_polls >= 3:
            self._save_screenshot()
        elif time.monotonic() > self._deadline:
            print(
                "operator-app: the window did not finish loading; no screenshot taken",
                file=sys.stderr,
            )
            self.app.exit(1)
        else:
            QTimer.singleShot(20, self._poll_ready)

    def _save_screenshot(self) -> None:
        assert self.window is not None and self.screenshot is not None
        self.app.processEvents()
        pixmap = self.window.grab()
        if pixmap.isNull() or not pixmap.save(str(self.screenshot), "PNG"):
            print(
                f"operator-app: could not write the screenshot to {self.screenshot}",
                file=sys.stderr,
            )
            self.app.exit(1)
            return
        self.app.exit(0)


THEME_SETTING = "appearance/theme"  # written by MainWindow.set_theme
__all__ = ["LOCALES", "apply_language", "empty_hint", "run_gui", "saved_language", "saved_theme"]


def saved_theme() -> str:
    """The theme chosen in the View menu last time (``--theme`` overrides it for a run)."""
    value = app_settings().value(THEME_SETTING)
    return value if isinstance(value, str) and value in THEME_MODES else "system"


def saved_language() -> str:
    """``appearance.language`` from Settings (``--lang`` overrides it for a run)."""
    try:
        value = open_settings().value("appearance.language")
    except Exception:  # unreadable settings were already reported; use the system's
        return "system"
    return value if isinstance(value, str) else "system"


def _set_identity() -> None:
    # Static: also names the lock file's owner before any application object exists.
    QApplication.setOrganizationName(ORG_NAME)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_NAME)


def _application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Qt must not see our own flags; argv[0] is enough for it.
    return OperatorApplication(sys.argv[:1])


def _check_display(headless: bool) -> str | None:
    """On Linux without any display, Qt aborts with a cryptic message; explain instead."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    if headless:  # a screenshot needs no screen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    return (
        "no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it in a desktop "
        "session, or under a virtual display: xvfb-run -a operator-app"
    )


class _quit_on_signals:  # a context manager, named like one
    """Ctrl+C and SIGTERM close the window cleanly instead of being ignored by Qt."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.received = False
        self.previous: dict[int, object] = {}
        # Qt's loop runs in C++; a timer lets Python notice signals promptly.
        self.timer = QTimer()
        self.timer.setInterval(250)
        self.timer.timeout.connect(lambda: None)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.received = True
        # Ends the main loop and any dialog's loop: a dialog then reads as "Quit".
        # The timer covers a signal that lands just before the main loop starts.
        self.app.quit()
        QTimer.singleShot(0, self.app.quit)

    def __enter__(self) -> _quit_on_signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self.previous[signum] = signal.signal(signum, self._handle)
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.stop()
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]
