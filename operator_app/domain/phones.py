"""Phone numbers: parse any user or PBX format into E.164, and the keys search uses.

``+7 912 345-67-89``, ``8 (912) 345-67-89``, ``89123456789`` and ``9123456789`` are
one Russian mobile number, ``+79123456789``. Other countries parse when written
with ``+`` and a country code. Extensions (``доб. 123``, ``ext 123``, ``x123``)
are kept apart from the number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

DEFAULT_REGION = "RU"
_EXTENSION = re.compile(r"(?:доб\.?|ext\.?|extension|x|#)\s*(\d{1,7})\s*$", re.IGNORECASE)
_DIALABLE = re.compile(r"[^\d+]")


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    e164: str
    extension: str | None = None

    @property
    def digits(self) -> str:
        return self.e164.lstrip("+")


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> PhoneNumber | None:
    """Parse ``raw`` into E.164, or ``None`` when it is not a plausible phone number."""
    if not raw or len(raw) > 64:
        return None
    text = raw.strip()
    for scheme in ("tel:", "callto:", "sip:"):
        if text.lower().startswith(scheme):
            text = text[len(scheme) :].split("@", 1)[0].split(";", 1)[0]
            break
    extension = None
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    compact = _DIALABLE.sub("", text)
    if not compact or compact.count("+") > 1 or ("+" in compact and not compact.startswith("+")):
        return None
    # Russian habits: 8XXXXXXXXXX (trunk prefix) and bare 10-digit national numbers.
    if region == "RU" and not compact.startswith("+"):
        if len(compact) == 11 and compact[0] in "78":
            compact = "+7" + compact[1:]
        elif len(compact) == 10:
            compact = "+7" + compact
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    # The +7 zone (Russia, Kazakhstan) has 10-digit national numbers only; the library's
    # length check lets much longer digit runs through.
    if parsed.country_code == 7 and len(str(parsed.national_number)) != 10:
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return PhoneNumber(e164=e164, extension=extension)


def phone_search_keys(e164: str) -> list[str]:
    """Digit strings under which a number is indexed, so any typed prefix finds it.

    ``+79123456789`` → ``79123456789``, ``89123456789``, ``9123456789``.
    """
    digits = e164.lstrip("+")
    keys = [digits]
    if digits.startswith("7") and len(digits) == 11:
        keys += ["8" + digits[1:], digits[1:]]
    return keys


_QUERY_NUMBER = re.compile(r"[\d\s+()\-.]+")


def query_digits(text: str) -> str | None:
    """The ASCII digits of a query that looks like a phone number (or a number), else None.

    Any decimal digits count (full-width ones come from some input methods)."""
    stripped = text.strip()
    if not stripped or not _QUERY_NUMBER.fullmatch(stripped):
        return None
    digits = "".join(str(unicodedata.decimal(ch)) for ch in stripped if ch.isdecimal())
    return digits or None


def format_phone(e164: str) -> str:
    """Human form for display: ``+7 912 345-67-89``."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
