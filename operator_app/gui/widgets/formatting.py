"""Locale-aware display text: money, dates and times, channel and tier names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone

from operator_app.domain.enums import Channel, CoverageKind, InterestStage, OrderStatus, Tier

EMPTY = "—"

CURRENCY_SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸", "BYN": "Br"}

CHANNEL_NAMES = {
    Channel.PHONE: "Phone",
    Channel.EMAIL: "E-mail",
    Channel.WEBCHAT: "Web chat",
    Channel.WHATSAPP: "WhatsApp",
    Channel.TELEGRAM: "Telegram",
    Channel.VK: "VK",
    Channel.INSTAGRAM: "Instagram",
    Channel.SMS: "SMS",
    Channel.OTHER: "In person / other",
}

TIER_NAMES = {
    Tier.STANDARD: "Standard",
    Tier.SILVER: "Silver",
    Tier.GOLD: "Gold",
    Tier.PLATINUM: "Platinum",
}

ORDER_STATUS_NAMES = {
    OrderStatus.PAID: "Paid",
    OrderStatus.PENDING: "Pending",
    OrderStatus.CANCELLED: "Cancelled",
    OrderStatus.REFUNDED: "Refunded",
}

COVERAGE_NAMES = {
    CoverageKind.SUBSCRIPTION: "Subscription",
    CoverageKind.WARRANTY: "Warranty",
    CoverageKind.SUPPORT: "Support",
}

INTEREST_NAMES = {
    InterestStage.VIEWED: "Viewed",
    InterestStage.CART: "In cart",
    InterestStage.ABANDONED: "Abandoned at checkout",
    InterestStage.WON: "Bought",
    InterestStage.LOST: "Lost",
}

LANGUAGE_NAMES = {"ru": "Russian", "en": "English", "kk": "Kazakh", "uk": "Ukrainian"}


def display_locale() -> QLocale:
    """The app's locale; the bare "C" locale (no LANG set) reads as British English,
    so amounts still get digit grouping and dates an unambiguous order."""
    loc = QLocale()
    if loc.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    return loc


def channel_name(channel: Channel | str | None) -> str:
    if channel is None:
        return EMPTY
    try:
        return CHANNEL_NAMES[Channel(channel)]
    except ValueError:
        return str(channel)


def money(amount: Decimal | None, currency: str = "RUB", locale: QLocale | None = None) -> str:
    """``287 450,00 ₽`` in a Russian locale, ``₽287,450.00`` in an English one."""
    if amount is None:
        return EMPTY
    loc = locale or display_locale()
    symbol = CURRENCY_SYMBOLS.get(currency.upper(), currency.upper())
    # Whole amounts read faster in a dashboard; kopecks only when there are some.
    precision = 0 if amount == amount.to_integral_value() else 2
    return loc.toCurrencyString(float(amount), symbol, precision)


def percent(value: float | None, locale: QLocale | None = None) -> str:
    if value is None:
        return EMPTY
    loc = locale or display_locale()
    return f"{loc.toString(value * 100, 'f', 0)} %"


def _qdatetime(value: datetime) -> QDateTime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return QDateTime.fromMSecsSinceEpoch(int(value.timestamp() * 1000))


def short_date(value: date | datetime, locale: QLocale | None = None) -> str:
    loc = locale or display_locale()
    if isinstance(value, datetime):
        return loc.toString(_qdatetime(value).date(), QLocale.FormatType.ShortFormat)
    return loc.toString(QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat)


def day_month(value: date, locale: QLocale | None = None) -> str:
    loc = locale or display_locale()
    return loc.toString(QDate(value.year, value.month, value.day), "d MMM yyyy")


class MomentFormatter:
    """Timeline time stamps in the operator's local time: ``14:05`` today,
    ``Yesterday 14:05``, ``12 Mar 14:05`` this year, ``12 Mar 2023`` before.

    Formats are resolved once per formatter; the delegate paints many rows with one.
    """

    def __init__(self, locale: QLocale | None = None, now: QDateTime | None = None) -> None:
        self.locale = locale or display_locale()
        current = now or QDateTime.currentDateTime()
        self.today = current.date()
        self.yesterday = self.today.addDays(-1)
        self.time_format = self.locale.timeFormat(QLocale.FormatType.ShortFormat)

    def format(self, value: datetime) -> str:
        moment = _qdatetime(value)
        day = moment.date()
        clock = self.locale.toString(moment.time(), self.time_format)
        if day == self.today:
            return clock
        if day == self.yesterday:
            return f"Yesterday {clock}"
        if day.year() == self.today.year():
            return f"{self.locale.toString(day, 'd MMM')} {clock}"
        return self.locale.toString(day, "d MMM yyyy")


def customer_local_time(timezone_name: str, locale: QLocale | None = None) -> str | None:
    """The wall-clock time where the customer is, e.g. ``16:42 (UTC+05:00)``."""
    zone = QTimeZone(timezone_name.encode())
    if not zone.isValid():
        return None
    loc = locale or display_locale()
    there = QDateTime.currentDateTime().toTimeZone(zone)
    offset = zone.offsetFromUtc(there) // 60
    sign = "+" if offset >= 0 else "−"
    hours, minutes = divmod(abs(offset), 60)
    clock = loc.toString(there.time(), loc.timeFormat(QLocale.FormatType.ShortFormat))
    return f"{clock} (UTC{sign}{hours:02d}:{minutes:02d})"


def segment_name(code: str | None) -> str:
    """Segments arrive as codes (``small_business``) or as words; show words."""
    if not code:
        return ""
    if code.isascii() and (code.islower() or "_" in code):
        words = code.replace("_", " ").replace("-", " ").strip()
        return words[:1].upper() + words[1:]
    return code


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code.upper() if code else EMPTY)


def age(moment: datetime, now: datetime | None = None) -> str:
    """Compact distance from now: ``now``, ``12 min``, ``3 h``, ``2 d``; ``in 3 h`` ahead."""
    current = now or datetime.now(UTC)
    seconds = (current - moment).total_seconds()
    ahead = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "now"
    if seconds < 3600:
        text = f"{int(seconds // 60)} min"
    elif seconds < 86_400:
        text = f"{int(seconds // 3600)} h"
    else:
        text = f"{int(seconds // 86_400)} d"
    return f"in {text}" if ahead else text
