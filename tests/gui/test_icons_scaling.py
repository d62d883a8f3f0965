"""The app's SVG icons are drawn from the vector at the screen's scale (100–200 %),
never a small bitmap blown up."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from operator_app.gui.theme import resources_dir
from operator_app.gui.tray import status_icon
from operator_app.gui.widgets.icons import pixmap
from tests.gui.app_support import ROOT, app_env

ICONS = sorted(p.stem for p in (resources_dir() / "icons").glob("*.svg"))
SCALES = (1.0, 1.25, 1.5, 2.0)


def vector(name: str, device_px: int) -> QImage:
    image = QImage(device_px, device_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(resources_dir() / "icons" / f"{name}.svg")).render(
        painter, QRectF(0, 0, device_px, device_px)
    )
    painter.end()
    return image


def max_difference(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    b = b.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            worst = max(
                worst,
                abs(pa.red() - pb.red()),
                abs(pa.green() - pb.green()),
                abs(pa.blue() - pb.blue()),
                abs(pa.alpha() - pb.alpha()),
            )
    return worst


def test_there_are_icons() -> None:
    assert "app" in ICONS and "search" in ICONS and len(ICONS) > 10


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("name", ICONS)
def test_icon_is_rendered_from_the_vector_at_the_scale(name: str, scale: float) -> None:
    logical = 20
    shown = pixmap(name, logical, scale)
    device = round(logical * scale)
    assert shown.devicePixelRatio() == scale
    assert shown.size() == QSize(device, device)
    # A bitmap scaled up would smear the edges; the vector drawn at this size is exact.
    assert max_difference(shown.toImage(), vector(name, device)) <= 2


def test_tray_icon_has_sharp_sizes_for_hidpi() -> None:
    sizes = status_icon("online").availableSizes()
    for wanted in (16, 22, 32, 44, 48, 64):
        assert QSize(wanted, wanted) in sizes


def test_at_200_percent_icons_use_device_pixels() -> None:
    script = textwrap.dedent(
        """
        from PySide6.QtCore import QSize
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        from operator_app.gui.widgets.icons import icon
        label = QLabel()
        label.show()
        shown = icon("find-customer").pixmap(QSize(64, 64), label.devicePixelRatioF())
        print(label.devicePixelRatioF(), shown.width(), shown.devicePixelRatio())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=app_env(QT_SCALE_FACTOR="2"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2.0", "128", "2.0"]
