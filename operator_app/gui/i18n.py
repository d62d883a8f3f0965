"""Every visible string goes through :func:`translate` so both languages stay complete.

Call it with literal strings only — ``translate("CustomerCard", "Open complaints")`` —
because the extraction tool reads the source, not the running program. Put values in
afterwards with ``str.format``. For counts write ``%n`` in the text and pass the count
positionally — ``translate("Worklist", "%n customer(s)", None, count)`` — the extractor
does not see keyword arguments, and it silently skips a call whose count is dotted
(``self.count``, ``len(rows)``): pass a plain name. ``%Ln`` writes the count with the
locale's digit grouping. Russian plural forms live in the translation files;
``make translations`` updates them (see README "Translations").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """The text in the interface language (the English source when no translation)."""
    return QCoreApplication.translate(context, text, disambiguation, n)
