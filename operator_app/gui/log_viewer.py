"""Help › Show logs: the end of this run's log, filtered by level and text.

A non-modal window (the operator keeps working beside it). Only the last part of the
file is read (``services.log_tail``), when the window opens and on Reload (F5); the
log is scrubbed of secrets when written, so what shows here can be copied into a
support ticket as it is.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from operator_app.gui.i18n import translate
from operator_app.services.log_tail import TAIL_BYTES, LogRecord, read_tail, select
from operator_app.services.logs import LOG_FILE

FILTER_DELAY_MS = 150


class LogViewer(QWidget):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("logViewer")
        self.setWindowTitle(translate("LogViewer", "Operator — log"))
        self.setAccessibleName(translate("LogViewer", "Log viewer"))
        self.folder = folder
        self.records: list[LogRecord] = []
        self.shown: list[LogRecord] = []

        self.level_combo = QComboBox(self)
        self.level_combo.setObjectName("logLevelCombo")
        for text, level in (
            (translate("LogViewer", "All messages"), "DEBUG"),
            (translate("LogViewer", "Information and above"), "INFO"),
            (translate("LogViewer", "Warnings and errors"), "WARNING"),
            (translate("LogViewer", "Errors only"), "ERROR"),
        ):
            self.level_combo.addItem(text, level)
        self.level_combo.setAccessibleName(translate("LogViewer", "Show messages of level"))
        level_label = QLabel(translate("LogViewer", "&Show:"), self)
        level_label.setBuddy(self.level_combo)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("logFilterEdit")
        self.filter_edit.setPlaceholderText(translate("LogViewer", "Filter by text (Ctrl+F)"))
        self.filter_edit.setAccessibleName(translate("LogViewer", "Filter by text"))
        self.filter_edit.setClearButtonEnabled(True)

        self.reload_button = QPushButton(translate("LogViewer", "&Reload"), self)
        self.reload_button.setObjectName("logReloadButton")
        self.reload_button.setToolTip(translate("LogViewer", "Read the log file again (F5)"))
        self.reload_button.setAccessibleName(translate("LogViewer", "Reload the log"))

        self.text_view = QPlainTextEdit(self)
        self.text_view.setObjectName("logText")
        self.text_view.setReadOnly(True)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text_view.setAccessibleName(translate("LogViewer", "Log messages"))
        # Tab moves on to the buttons instead of being typed (the view is read-only).
        self.text_view.setTabChangesFocus(True)
        self.text_view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.info_label = QLabel(self)
        self.info_label.setObjectName("logInfoLabel")
        self.info_label.setProperty("cssClass", "muted")
        self.info_label.setAccessibleName(translate("LogViewer", "About the log file"))
        self.info_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.folder_button = QPushButton(translate("LogViewer", "Open log &folder"), self)
        self.folder_button.setObjectName("logFolderButton")
        self.folder_button.setAccessibleName(translate("LogViewer", "Open log folder"))
        self.copy_button = QPushButton(translate("LogViewer", "&Copy"), self)
        self.copy_button.setObjectName("logCopyButton")
        self.copy_button.setToolTip(
            translate("LogViewer", "Copy the selected lines, or everything shown")
        )
        self.copy_button.setAccessibleName(translate("LogViewer", "Copy log text"))
        self.close_button = QPushButton(translate("LogViewer", "Close"), self)
        self.close_button.setObjectName("logCloseButton")
        self.close_button.setToolTip(translate("LogViewer", "Close (Esc)"))
        self.close_button.setAccessibleName(translate("LogViewer", "Close the log viewer"))

        top = QHBoxLayout()
        top.addWidget(level_label)
        top.addWidget(self.level_combo)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.reload_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info_label, 1)
        bottom.addWidget(self.folder_button)
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text_view, 1)
        layout.addLayout(bottom)
        QWidget.setTabOrder(self.level_combo, self.filter_edit)
        QWidget.setTabOrder(self.filter_edit, self.reload_button)
        QWidget.setTabOrder(self.reload_button, self.text_view)
        QWidget.setTabOrder(self.text_view, self.folder_button)
        QWidget.setTabOrder(self.folder_button, self.copy_button)
        QWidget.setTabOrder(self.copy_button, self.close_button)

        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.show_records)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.level_combo.currentIndexChanged.connect(self.show_records)
        self.reload_button.clicked.connect(self.reload)
        self.folder_button.clicked.connect(self.open_folder)
        self.copy_button.clicked.connect(self.copy)
        self.close_button.clicked.connect(self.close)
        for keys, slot in (
            (QKeySequence(QKeySequence.StandardKey.Find), self._focus_filter),
            (QKeySequence(Qt.Key.Key_F5), self.reload),
            (QKeySequence(Qt.Key.Key_Escape), self.close),
        ):
            QShortcut(keys, self, slot)
        self.resize(900, 560)

    @property
    def log_file(self) -> Path:
        return self.folder / LOG_FILE

    def reload(self) -> None:
        try:
            tail = read_tail(self.log_file)
        except OSError as exc:
            self.records = []
            self.info_label.setText(
                translate("LogViewer", "The log cannot be read: {error}").format(
                    error=exc.strerror or exc
                )
            )
            self.show_records()
            return
        self.records = tail.records
        if not tail.size:
            info = translate("LogViewer", "No log yet in {folder}").format(folder=self.folder)
        elif tail.truncated:
            info = translate("LogViewer", "The last {kb} KB of {file}").format(
                kb=TAIL_BYTES // 1024, file=self.log_file
            )
        else:
            info = str(self.log_file)
        self.info_label.setText(info)
        self.show_records()

    def show_records(self) -> None:
        self._filter_timer.stop()
        level = str(self.level_combo.currentData())
        self.shown = select(self.records, level, self.filter_edit.text())
        self.text_view.setPlainText("\n".join(r.text for r in self.shown))
        bar = self.text_view.verticalScrollBar()
        bar.setValue(bar.maximum())  # the newest lines are what one looks for first
        if self.records and not self.shown:
            self.text_view.setPlaceholderText(translate("LogViewer", "No messages match."))
        else:
            self.text_view.setPlaceholderText(translate("LogViewer", "The log is empty."))

    def copy(self) -> None:
        cursor = self.text_view.textCursor()
        text = cursor.selectedText().replace("\u2029", "\n") if cursor.hasSelection() else ""
        QApplication.clipboard().setText(text or self.text_view.toPlainText())

    def open_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    def present(self) -> None:
        """Show (or bring forward) with a fresh read of the file."""
        self.reload()
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter_edit.setFocus(Qt.FocusReason.OtherFocusReason)
