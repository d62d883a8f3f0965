"""The committed ``operator_app/gui/forms/ui_*.py`` are exactly what ``pyside6-uic``
makes of ``ui/*.ui`` today: nobody edited generated code, nobody forgot ``make forms``."""

from __future__ import annotations

from pathlib import Path

import pytest

from operator_app.gui.forms import build

UI_FILES = build.ui_files()


def test_there_are_forms_to_check() -> None:
    assert len(UI_FILES) >= 5


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.name)
def test_committed_form_matches_its_ui_source(ui_file: Path, tmp_path: Path) -> None:
    fresh = build.compile_form(ui_file, tmp_path)
    committed = build.FORMS_DIR / build.target_name(ui_file)
    assert committed.is_file(), f"{committed.name} is missing: run `make forms`"
    assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        f"{committed.name} is out of date with {ui_file.name}: run `make forms`"
    )


def test_every_compiled_form_has_a_source(tmp_path: Path) -> None:
    expected = {build.target_name(ui) for ui in UI_FILES}
    present = {p.name for p in build.FORMS_DIR.glob("ui_*.py")}
    assert present == expected


def test_a_broken_form_is_reported_by_name(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ui"
    broken.write_text("<ui version='4.0'><widget class='QWidget'", encoding="utf-8")
    with pytest.raises(build.FormsError, match=r"broken\.ui"):
        build.compile_form(broken, tmp_path)
