"""The app's own SVG icons from ``resources/icons``, rendered once per size."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from operator_app.domain.entities import TimelineItem
from operator_app.domain.enums import Channel, Direction, TimelineKind
from operator_app.gui.theme import resources_dir


@cache
def icon(name: str) -> QIcon:
    """``QIcon`` for ``resources/icons/<name>.svg`` (an empty icon if it is missing)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


_pixmaps: dict[tuple[str, int, float], QPixmap] = {}


def pixmap(name: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """A crisp pixmap of the icon at ``size`` logical pixels, cached."""
    key = (name, size, device_pixel_ratio)
    found = _pixmaps.get(key)
    if found is None:
        found = icon(name).pixmap(QSize(size, size), device_pixel_ratio)
        _pixmaps[key] = found
    return found


def channel_icon_name(channel: Channel | str | None) -> str:
    return f"channel-{Channel(channel).value}" if channel else "channel-other"


def timeline_icon_name(item: TimelineItem) -> str:
    """Messages and conversations show their channel; other kinds their own symbol."""
    if item.kind in (TimelineKind.MESSAGE, TimelineKind.CONVERSATION) and item.channel:
        return channel_icon_name(item.channel)
    if item.kind == TimelineKind.MESSAGE:
        return "message-out" if item.direction == Direction.OUTBOUND else "message-in"
    return f"kind-{item.kind.value}"
