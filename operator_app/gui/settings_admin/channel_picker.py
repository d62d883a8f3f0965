"""A button that opens a checklist of channels; none ticked means "all channels"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolButton, QWidget

from operator_app.domain.enums import Channel
from operator_app.gui.i18n import translate


def channel_names() -> dict[str, str]:
    return {
        "phone": translate("ChannelPicker", "Phone"),
        "email": translate("ChannelPicker", "E-mail"),
        "webchat": translate("ChannelPicker", "Web chat"),
        "whatsapp": "WhatsApp",
        "telegram": "Telegram",
        "vk": translate("ChannelPicker", "VK"),
        "instagram": "Instagram",
        "sms": translate("ChannelPicker", "SMS"),
        "other": translate("ChannelPicker", "In person and other"),
    }


class ChannelPicker(QToolButton):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(translate("ChannelPicker", "Tick the channels; none ticked: all channels"))
        menu = QMenu(self)
        self.actions_by_channel: dict[str, QAction] = {}
        for value, text in channel_names().items():
            action = menu.addAction(text)
            action.setCheckable(True)
            action.toggled.connect(self._refresh)
            self.actions_by_channel[value] = action
        self.setMenu(menu)
        self._refresh()

    def channels(self) -> list[str]:
        return [c.value for c in Channel if self.actions_by_channel[c.value].isChecked()]

    def set_channels(self, channels: list[str]) -> None:
        for value, action in self.actions_by_channel.items():
            action.blockSignals(True)
            action.setChecked(value in channels)
            action.blockSignals(False)
        self._refresh()

    def _refresh(self) -> None:
        chosen = self.channels()
        names = channel_names()
        self.setText(
            ", ".join(names[c] for c in chosen)
            if chosen
            else translate("ChannelPicker", "All channels")
        )
        self.changed.emit()
