"""The tray icon: connection status at a glance, notifications, and a way back to the window.

Present whenever the desktop has a tray. The icon carries a status dot (green online,
amber syncing, grey offline) and the tooltip says the state and how many changes wait
to be sent. Its menu: Show window, Pause notifications, Quit. A click on the icon or on
a notification brings the window forward. Notifications themselves are decided by
``services.notifier.Notifier`` (on/off, paused, sound); this class only shows them —
as a tray bubble, or in the status bar where there is no tray.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from operator_app.gui import theme
from operator_app.gui.i18n import translate
from operator_app.services.notifier import Notification, Notifier

ICON_SIZES = (16, 20, 22, 24, 32, 40, 44, 48, 64, 96, 128, 256)
BUBBLE_MS = 8000
STATUS_BAR_MS = 10000
STATES = ("online", "syncing", "offline")


def app_icon_path() -> str:
    return str(theme.resources_dir() / "icons" / "app.svg")


@cache
def _renderer() -> QSvgRenderer:
    return QSvgRenderer(app_icon_path())


def _dot_colour(state: str) -> str:
    t = theme.tokens()
    return {"online": t.success, "syncing": t.warning}.get(state, t.muted)


def status_pixmap(state: str, size: int) -> QPixmap:
    """The app icon drawn at ``size`` px from its SVG, with the state's dot bottom-right.

    Each size is rendered from the vector, so the icon stays sharp at any scaling."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer().render(painter, QRectF(0, 0, size, size))
    if state in STATES:
        radius = size * 0.2
        centre = QPointF(size - radius - size * 0.02, size - radius - size * 0.02)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawEllipse(centre, radius, radius)
        painter.setBrush(QColor(_dot_colour(state)))
        painter.drawEllipse(centre, radius * 0.72, radius * 0.72)
    painter.end()
    return pixmap


def status_icon(state: str) -> QIcon:
    # Drawn once per state and theme: the tray refreshes on every status change.
    return _status_icon(state, theme.current_theme())


@cache
def _status_icon(state: str, _theme_name: str) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(status_pixmap(state, size))
    return icon


def state_words(state: str) -> str:
    if state == "online":
        return translate("Tray", "Online")
    if state == "syncing":
        return translate("Tray", "Syncing")
    return translate("Tray", "Offline")


class Tray(QObject):
    """Tray icon and menu for ``window``; shows what ``notifier`` lets through."""

    def __init__(
        self, window: QMainWindow, notifier: Notifier, *, available: bool | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.notifier = notifier
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.state = "offline"
        self.state_text = ""
        self.pending = 0
        self.last: Notification | None = None
        self.icon = QSystemTrayIcon(self)
        self.menu = QMenu(window)
        self.menu.setObjectName("trayMenu")
        self.show_action = QAction(self)
        self.show_action.triggered.connect(self.show_window)
        self.pause_action = QAction(self)
        self.pause_action.setCheckable(True)
        self.pause_action.toggled.connect(self.set_paused)
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.quit)
        self.menu.addAction(self.show_action)
        self.menu.addAction(self.pause_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._on_activated)
        self.icon.messageClicked.connect(self._on_message_clicked)
        notifier.deliver = self.deliver
        theme.theme_changed().connect(self._on_theme_changed)
        self.retranslate()
        if self.available:
            self.icon.show()

    def retranslate(self) -> None:
        """Texts in the interface language (at start and when the language changes)."""
        self.menu.setAccessibleName(translate("Tray", "Tray menu"))
        self.show_action.setText(translate("Tray", "&Show window"))
        self.pause_action.setText(translate("Tray", "&Pause notifications"))
        self.quit_action.setText(translate("Tray", "&Quit"))
        self.refresh()  # the tooltip

    # -- status --------------------------------------------------------------------------

    def set_connection(self, text: str, state: str) -> None:
        """``state``: the status bar's style word (online, syncing, offline)."""
        self.state = state if state in STATES else "offline"
        self.state_text = text
        self.refresh()

    def set_pending(self, pending: int) -> None:
        if pending != self.pending:
            self.pending = max(0, pending)
            self.refresh()

    def tooltip(self) -> str:
        lines = [translate("Tray", "Operator — {state}").format(state=state_words(self.state))]
        if self.state_text and self.state_text.rstrip("…") != state_words(self.state):
            lines.append(self.state_text)
        pending = self.pending  # a plain name: the translation extractor skips dotted counts
        if pending:
            lines.append(translate("Tray", "%n change(s) waiting to be sent", None, pending))
        if self.notifier.paused:
            lines.append(translate("Tray", "Notifications paused"))
        elif not self.notifier.enabled:
            lines.append(translate("Tray", "Notifications off in Settings"))
        return "\n".join(lines)

    def refresh(self) -> None:
        self.icon.setIcon(status_icon(self.state))
        self.icon.setToolTip(self.tooltip())

    def _on_theme_changed(self, _name: str) -> None:
        self.refresh()

    # -- notifications -------------------------------------------------------------------

    def set_paused(self, paused: bool) -> None:
        self.notifier.paused = paused
        if self.pause_action.isChecked() != paused:
            self.pause_action.setChecked(paused)
        self.refresh()

    def deliver(self, note: Notification) -> None:
        self.last = note
        if self.available and self.icon.isVisible():
            kind = (
                QSystemTrayIcon.MessageIcon.Warning
                if note.kind == "review"
                else QSystemTrayIcon.MessageIcon.Information
            )
            self.icon.showMessage(note.title, note.text, kind, BUBBLE_MS)
        else:
            message = translate("Tray", "{title}: {text}").format(title=note.title, text=note.text)
            self.window.statusBar().showMessage(message, STATUS_BAR_MS)
        if note.sound:
            QApplication.beep()

    def _on_message_clicked(self) -> None:
        self.show_window()
        note = self.last
        if note is not None and note.on_click is not None:
            note.on_click()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    # -- window --------------------------------------------------------------------------

    def show_window(self) -> None:
        window = self.window
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def quit(self) -> None:
        # Closing the main window is the app's own way out (layout saved, sync closed).
        self.icon.hide()
        self.window.close()

    def hide(self) -> None:
        self.icon.hide()
