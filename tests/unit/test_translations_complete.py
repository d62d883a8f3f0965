"""Both languages are complete and current: every translatable text in the code is in
the ``.ts`` files, none is unfinished, and the committed ``.qm`` files are built from
exactly these ``.ts`` files. When this fails: ``make translations``, translate what
``make translations-check`` lists, ``make translations`` again, commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from operator_app.gui import translations_build as tb

LANGUAGES = list(tb.LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_in_the_code_is_translated(language: str) -> None:
    report = tb.check(language)
    assert report.ok, "\n".join(report.lines())


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_qm_is_built_from_the_ts(language: str, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.qm"
    tb.release(tb.ts_path(language), fresh)
    committed = tb.qm_path(language)
    assert committed.is_file(), f"{committed.name} is missing: run `make translations`"
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"{committed.name} is out of date with its .ts: run `make translations`"
    )


def test_a_new_text_in_the_code_is_reported_missing(tmp_path: Path) -> None:
    module = tmp_path / "new_panel.py"
    module.write_text(
        "from operator_app.gui.i18n import translate\n"
        'TITLE = translate("NewPanel", "A text nobody translated yet")\n',
        encoding="utf-8",
    )
    report = tb.check("ru", sources=[*tb.source_files(), module])
    assert ("NewPanel", "A text nobody translated yet", "") in report.missing
    assert not report.ok


def test_a_plural_call_lupdate_cannot_see_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "dotted.py"
    module.write_text(
        "from operator_app.gui.i18n import translate\n"
        "def label(box):\n"
        '    return translate("Dotted", "%n box(es)", None, box.count)\n',
        encoding="utf-8",
    )
    report = tb.check("ru", sources=[*tb.source_files(), module])
    assert ("Dotted", "%n box(es)", "") in report.unextractable


def test_merge_keeps_translations_and_makes_plural_messages() -> None:
    found = [
        tb.Message("Ctx", "Open"),
        tb.Message("Ctx", "%n customer(s)"),
        tb.Message("Ctx", "Brand new"),
    ]
    existing = [
        tb.Message("Ctx", "Open", forms=["Открыть"], unfinished=False),
        tb.Message("Ctx", "Gone from the code", forms=["Удалено"], unfinished=False),
    ]
    merged = {m.source: m for m in tb.merge(found, existing, "ru")}
    assert merged["Open"].forms == ["Открыть"] and not merged["Open"].unfinished
    plural = merged["%n customer(s)"]
    assert plural.numerus and plural.forms == ["", "", ""] and plural.unfinished
    assert merged["Brand new"].unfinished
    assert "Gone from the code" not in merged


def test_english_is_made_from_the_source_text() -> None:
    found = [tb.Message("Ctx", "%n match(es) · %n day(s)"), tb.Message("Ctx", "Open")]
    merged = tb.merge(found, [], "en")
    assert merged[0].forms == ["%n match · %n day", "%n matches · %n days"]
    assert merged[1].forms == ["Open"]
    assert not any(m.unfinished for m in merged)


def test_ts_round_trip_keeps_plural_forms_and_special_characters(tmp_path: Path) -> None:
    messages = [
        tb.Message("Ctx", "“{q}” & <b>", forms=["«{q}» & <b>"], unfinished=False),
        tb.Message(
            "Ctx", "%n item(s)", numerus=True, forms=["%n штука", "%n штуки", ""], unfinished=True
        ),
    ]
    path = tmp_path / "x.ts"
    tb.write_ts(path, "ru", messages)
    assert tb.read_ts(path) == messages


def _import_time_translations(path: Path) -> list[int]:
    """Lines where ``translate`` runs when the module is imported (module or class level)."""
    import ast

    lines = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bodies = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for statement in body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            for node in ast.walk(statement):
                func = node.func if isinstance(node, ast.Call) else None
                if isinstance(func, ast.Name) and func.id == "translate":
                    lines.append(node.lineno)
    return lines


def test_no_text_is_translated_at_import_time() -> None:
    # A constant would keep the language of the moment it was imported: before the
    # translator is installed, and forever after a language switch. Use a function.
    found = {
        f"{path.relative_to(tb.ROOT)}:{line}"
        for path in tb.source_files()
        if path.suffix == ".py"
        for line in _import_time_translations(path)
    }
    assert found == set()
