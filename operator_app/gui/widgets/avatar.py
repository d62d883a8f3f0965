"""Round initials avatars; the colour is stable per customer so people learn it."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap

# Mid-tone hues that keep white initials readable in both themes.
AVATAR_COLOURS = (
    "#2f6fde",
    "#1f9d55",
    "#c93a78",
    "#8b45d6",
    "#dd6b20",
    "#0e8fc9",
    "#b7791f",
    "#4a76a8",
    "#0f8a7e",
    "#d14343",
)


def avatar_colour(seed: str) -> QColor:
    return QColor(AVATAR_COLOURS[zlib.crc32(seed.encode()) % len(AVATAR_COLOURS)])


def initials_pixmap(
    initials: str, seed: str, size: int, device_pixel_ratio: float = 1.0
) -> QPixmap:
    pm = QPixmap(int(size * device_pixel_ratio), int(size * device_pixel_ratio))
    pm.setDevicePixelRatio(device_pixel_ratio)
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(avatar_colour(seed))
    painter.drawEllipse(QRectF(0, 0, size, size))
    font = QFont()
    font.setPixelSize(int(size * 0.38))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials[:2])
    painter.end()
    return pm
