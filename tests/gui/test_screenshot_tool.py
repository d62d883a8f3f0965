"""The screenshot tool that made docs/screenshot.png still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.gui import screenshots


def test_it_renders_the_card_at_1280_by_800(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # main() points it elsewhere
    out = tmp_path / "shot.png"
    assert screenshots.main([str(out)]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
