"""Text folding shared by the search index and the search box.

Both sides fold the same way, so "Ёлкин", "ёлкин" and "елкин" find each other.
"""

from __future__ import annotations

import re
import unicodedata

# Letters and digits only. The underscore and combining marks separate words, the way the
# search index's tokenizer sees them, so a query token is never split into a phrase there.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case (full Unicode case folding), ё→е, й kept, other diacritics kept."""
    return text.casefold().replace("ё", "е")


def words(text: str) -> list[str]:
    """Folded word tokens: letters and digits only, in order, NFC-normalised."""
    return _WORD.findall(fold(unicodedata.normalize("NFC", text)))


def name_key(last_name: str, first_name: str, middle_name: str = "") -> str:
    """The sortable, prefix-searchable form of a person's name."""
    return " ".join(w for w in words(f"{last_name} {first_name} {middle_name}"))
