"""Extract the translatable texts, keep the ``.ts`` sources current, build the ``.qm`` files.

Run as ``python -m operator_app.gui.translations_build`` (``make translations``):

1. ``pyside6-lupdate`` reads every ``translate("Context", "Text")`` in ``operator_app/gui``
   (the compiled forms excepted) and every Designer form in ``ui/``.
2. Its Python reader does not know plural texts, so texts with ``%n`` (or ``%Ln``)
   become plural messages here: three forms in Russian (one, few, many), two in English.
3. ``resources/translations/operator_app_<lang>.ts`` is rewritten with every text found,
   keeping the translations already made; texts no longer in the code are dropped.
   English needs no translator: each text is its own translation, and plural forms are
   made from the ``(s)`` / ``(es)`` spelling (``%n day(s)`` → ``%n day``, ``%n days``).
4. ``pyside6-lrelease`` builds ``operator_app_<lang>.qm`` next to it. The ``.qm`` files
   are committed, so a fresh clone, the tests and the installer have them.

``--check`` changes nothing and lists what is missing or unfinished (exit code 1).
The module is Qt-free: it only runs the Qt tools that ship with PySide6.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
GUI_DIR = ROOT / "operator_app" / "gui"
UI_DIR = ROOT / "ui"
TS_DIR = ROOT / "resources" / "translations"
# Language → (Qt's name for it, number of plural forms).
LANGUAGES = {"ru": ("ru_RU", 3), "en": ("en_GB", 2)}
PLURAL = re.compile(r"%L?n")
_XML_ESCAPES = {'"': "&quot;", "'": "&apos;"}


class TranslationsError(RuntimeError):
    """A Qt tool is missing or failed; the message says which and why."""


Key = tuple[str, str, str]  # context, source, disambiguation


@dataclass
class Message:
    context: str
    source: str
    comment: str = ""
    numerus: bool = False
    forms: list[str] = field(default_factory=list)  # one entry unless numerus
    unfinished: bool = True

    @property
    def key(self) -> Key:
        return (self.context, self.source, self.comment)


# -- the Qt tools ------------------------------------------------------------------------


def tool(name: str) -> str:
    """``pyside6-<name>`` of the running interpreter's environment."""
    scripts = Path(sys.executable).parent
    for candidate in (scripts / f"pyside6-{name}", scripts / f"pyside6-{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(f"pyside6-{name}")
    if found:
        return found
    raise TranslationsError(f"pyside6-{name} not found; install the project with `make install`")


def source_files(gui_dir: Path = GUI_DIR, ui_dir: Path = UI_DIR) -> list[Path]:
    """Python sources (not the compiled forms: their ``.ui`` is read instead) and forms."""
    python = [
        p
        for p in sorted(gui_dir.rglob("*.py"))
        if not (p.parent.name == "forms" and p.name.startswith("ui_"))
    ]
    return python + sorted(ui_dir.glob("*.ui"))


def extract(sources: Iterable[Path], language: str) -> list[Message]:
    """Every translatable text in ``sources``, in the order lupdate lists them."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / f"extract_{language}.ts"
        listing = Path(tmp) / "sources.lst"
        listing.write_text("\n".join(str(p) for p in sources), encoding="utf-8")
        result = subprocess.run(
            [
                tool("lupdate"),
                "-silent",
                "-locations",
                "none",
                "-source-language",
                "en",
                "-target-language",
                LANGUAGES[language][0],
                f"@{listing}",
                "-ts",
                str(ts),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not ts.is_file():
            raise TranslationsError(f"lupdate failed: {result.stderr.strip() or result.stdout}")
        return read_ts(ts)


def code_keys(sources: Iterable[Path]) -> dict[Key, str]:
    """Every ``translate("Ctx", "text"[, "disambiguation"])`` in the Python ``sources``,
    found by parsing them: the safety net for calls lupdate's reader silently skips.
    Values say where (``file:line``)."""
    found: dict[Key, str] = {}
    for path in sources:
        if path.suffix != ".py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_translate(node.func)):
                continue
            args = node.args
            texts = [a.value if isinstance(a, ast.Constant) else None for a in args[:3]]
            if len(texts) < 2 or not isinstance(texts[0], str) or not isinstance(texts[1], str):
                continue
            comment = texts[2] if len(texts) > 2 and isinstance(texts[2], str) else ""
            where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno}"
            found.setdefault((texts[0], texts[1], comment), where)
    return found


def _is_translate(func: ast.expr) -> bool:
    if isinstance(func, ast.Name):
        return func.id == "translate"
    return isinstance(func, ast.Attribute) and func.attr == "translate"


# -- reading and writing .ts -------------------------------------------------------------


def read_ts(path: Path) -> list[Message]:
    messages: list[Message] = []
    if not path.is_file():
        return messages
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for element in context.iter("message"):
            translation = element.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            numerus = element.get("numerus") == "yes"
            if translation is None:
                forms = [""]
            elif numerus:
                forms = [f.text or "" for f in translation.iter("numerusform")]
            else:
                forms = [translation.text or ""]
            messages.append(
                Message(
                    context=name,
                    source=element.findtext("source") or "",
                    comment=element.findtext("comment") or "",
                    numerus=numerus,
                    forms=forms,
                    unfinished=kind == "unfinished",
                )
            )
    return messages


def _text(value: str) -> str:
    return escape(value, _XML_ESCAPES)


def write_ts(path: Path, language: str, messages: list[Message]) -> None:
    """The ``.ts`` in the layout lupdate itself writes (so Qt Linguist diffs stay small)."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{LANGUAGES[language][0]}" sourcelanguage="en">',
    ]
    by_context: dict[str, list[Message]] = {}
    for message in messages:
        by_context.setdefault(message.context, []).append(message)
    for context in sorted(by_context):
        lines += ["<context>", f"    <name>{_text(context)}</name>"]
        for m in by_context[context]:
            lines.append('    <message numerus="yes">' if m.numerus else "    <message>")
            lines.append(f"        <source>{_text(m.source)}</source>")
            if m.comment:
                lines.append(f"        <comment>{_text(m.comment)}</comment>")
            state = ' type="unfinished"' if m.unfinished else ""
            if m.numerus:
                lines.append(f"        <translation{state}>")
                lines += [f"            <numerusform>{_text(f)}</numerusform>" for f in m.forms]
                lines.append("        </translation>")
            else:
                lines.append(f"        <translation{state}>{_text(m.forms[0])}</translation>")
            lines.append("    </message>")
        lines.append("</context>")
    lines.append("</TS>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- merging -----------------------------------------------------------------------------


def english_forms(source: str) -> list[str]:
    """``%n day(s)`` → ``%n day``, ``%n days``; ``%n match(es)`` → ``match``, ``matches``."""
    one = re.sub(r"\((?:e?s)\)", "", source)
    many = re.sub(r"\((e?s)\)", r"\1", source)
    return [one, many]


def merge(found: list[Message], existing: list[Message], language: str) -> list[Message]:
    """``found`` (fresh from the code) with the translations of ``existing`` kept."""
    plural_forms = LANGUAGES[language][1]
    old = {m.key: m for m in existing}
    merged: list[Message] = []
    for message in found:
        numerus = bool(PLURAL.search(message.source))
        count = plural_forms if numerus else 1
        previous = old.get(message.key)
        forms = [""] * count
        unfinished = True
        if previous is not None and previous.numerus == numerus:
            forms = (previous.forms + [""] * count)[:count]
            unfinished = previous.unfinished
        if language == "en" and (unfinished or not all(forms)):
            forms = english_forms(message.source) if numerus else [message.source]
            unfinished = False
        if not all(forms):
            unfinished = True
        merged.append(
            Message(
                context=message.context,
                source=message.source,
                comment=message.comment,
                numerus=numerus,
                forms=forms,
                unfinished=unfinished,
            )
        )
    return merged


@dataclass
class Report:
    language: str
    missing: list[Key]  # in the code, not in the .ts
    vanished: list[Key]  # in the .ts, no longer in the code
    unfinished: list[Key]  # in the .ts without a finished translation
    unextractable: list[Key] = field(default_factory=list)  # lupdate cannot see the call

    @property
    def ok(self) -> bool:
        return not (self.missing or self.vanished or self.unfinished or self.unextractable)

    def lines(self) -> list[str]:
        out = []
        for title, keys in (
            ("not in the .ts yet (run `make translations`)", self.missing),
            ("no longer in the code (run `make translations`)", self.vanished),
            ("unfinished (translate them in the .ts)", self.unfinished),
            (
                "skipped by lupdate (pass the count as a plain name, literal strings only)",
                self.unextractable,
            ),
        ):
            if keys:
                out.append(f"{self.language}: {len(keys)} {title}:")
                out += [f"  [{context}] {source!r}" for context, source, _c in keys]
        return out


def ts_path(language: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"operator_app_{language}.ts"


def qm_path(language: str, ts_dir: Path = TS_DIR) -> Path:
    return ts_dir / f"operator_app_{language}.qm"


def check(language: str, ts_dir: Path = TS_DIR, sources: list[Path] | None = None) -> Report:
    """What ``make translations`` would add or drop, and what is left to translate."""
    sources = source_files() if sources is None else sources
    found = extract(sources, language)
    current = read_ts(ts_path(language, ts_dir))
    have = {m.key for m in current}
    want = {m.key for m in found}
    in_code = code_keys(sources)
    return Report(
        language,
        missing=[m.key for m in found if m.key not in have]
        + [k for k in in_code if k not in want and k not in have],
        vanished=[m.key for m in current if m.key not in want],
        unfinished=[m.key for m in current if m.unfinished or not all(m.forms)],
        unextractable=[k for k in in_code if k not in want],
    )


def release(ts: Path, qm: Path) -> None:
    result = subprocess.run(
        [tool("lrelease"), "-silent", str(ts), "-qm", str(qm)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not qm.is_file():
        raise TranslationsError(f"lrelease failed for {ts.name}: {result.stderr.strip()}")


def update(language: str, ts_dir: Path = TS_DIR) -> Report:
    """Rewrite the language's ``.ts`` from the code, then build its ``.qm``."""
    path = ts_path(language, ts_dir)
    sources = source_files()
    found = extract(sources, language)
    merged = merge(found, read_ts(path), language)
    write_ts(path, language, merged)
    release(path, qm_path(language, ts_dir))
    unfinished = [m.key for m in merged if m.unfinished]
    seen = {m.key for m in found}
    skipped = [k for k in code_keys(sources) if k not in seen]
    return Report(language, missing=[], vanished=[], unfinished=unfinished, unextractable=skipped)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; list problems")
    args = parser.parse_args(argv)
    status = 0
    try:
        for language in LANGUAGES:
            report = check(language) if args.check else update(language)
            for line in report.lines():
                print(line)
            if not args.check:
                path = ts_path(language).relative_to(ROOT)
                print(f"translations: wrote {path} and its .qm")
            status |= 0 if report.ok else 1
    except TranslationsError as exc:
        print(f"translations: {exc}", file=sys.stderr)
        return 2
    return status if args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
