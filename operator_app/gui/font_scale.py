"""The application font's scale (Settings › Appearance), applied at start and live.

Apart from the settings dialog so that applying the saved scale at start does not
load the dialog and its pages.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


def apply_font_scale(app: QApplication, scale: float) -> None:
    """Scale the application font from the platform's default size."""
    base = app.property("baseFontPointSize")
    if not isinstance(base, float):
        base = QFont().pointSizeF() if QFont().pointSizeF() > 0 else 10.0
        app.setProperty("baseFontPointSize", float(base))
    font = app.font()
    font.setPointSizeF(base * scale)
    app.setFont(font)
