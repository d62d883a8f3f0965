"""Locale-aware display text: money, dates and times, channel and tier names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate, QDateTime, QLocale, QTimeZone

from operator_app.domain.enums import Channel, CoverageKind, InterestStage, OrderStatus, Tier
from operator_app.gui.i18n import translate

EMPTY = "—"

CURRENCY_SYMBOLS = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£", "KZT": "₸", "BYN": "Br"}


# Name tables are functions, not constants: each call reads the current language.
def channel_names() -> dict[Channel, str]:
    return {
        Channel.PHONE: translate("Channel", "Phone"),
        Channel.EMAIL: translate("Channel", "E-mail"),
        Channel.WEBCHAT: translate("Channel", "Web chat"),
        Channel.WHATSAPP: translate("Channel", "WhatsApp"),
        Channel.TELEGRAM: translate("Channel", "Telegram"),
        Channel.VK: translate("Channel", "VK"),
        Channel.INSTAGRAM: translate("Channel", "Instagram"),
        Channel.SMS: translate("Channel", "SMS"),
        Channel.OTHER: translate("Channel", "In person / other"),
    }


def tier_names() -> dict[Tier, str]:
    return {
        Tier.STANDARD: translate("Tier", "Standard"),
        Tier.SILVER: translate("Tier", "Silver"),
        Tier.GOLD: translate("Tier", "Gold"),
        Tier.PLATINUM: translate("Tier", "Platinum"),
    }


def order_status_names() -> dict[OrderStatus, str]:
    return {
        OrderStatus.PAID: translate("OrderStatus", "Paid"),
        OrderStatus.PENDING: translate("OrderStatus", "Pending"),
        OrderStatus.CANCELLED: translate("OrderStatus", "Cancelled"),
        OrderStatus.REFUNDED: translate("OrderStatus", "Refunded"),
    }


def coverage_names() -> dict[CoverageKind, str]:
    return {
        CoverageKind.SUBSCRIPTION: translate("Coverage", "Subscription"),
        CoverageKind.WARRANTY: translate("Coverage", "Warranty"),
        CoverageKind.SUPPORT: translate("Coverage", "Support"),
    }


def interest_names() -> dict[InterestStage, str]:
    return {
        InterestStage.VIEWED: translate("Interest", "Viewed"),
        InterestStage.CART: translate("Interest", "In cart"),
        InterestStage.ABANDONED: translate("Interest", "Abandoned at checkout"),
        InterestStage.WON: translate("Interest", "Bought"),
        InterestStage.LOST: translate("Interest", "Lost"),
    }


def language_names() -> dict[str, str]:
    return {
        "ru": translate("Language", "Russian"),
        "en": translate("Language", "English"),
        "kk": translate("Language", "Kazakh"),
        "uk": translate("Language", "Ukrainian"),
    }


def role_name(code: str) -> str:
    """The signed-in user's role in words (the server sends ``operator``, ``admin``...)."""
    names = {
        "operator": translate("Role", "operator"),
        "supervisor": translate("Role", "supervisor"),
        "admin": translate("Role", "administrator"),
    }
    return names.get(code, code)


# Segment codes: the customer's kind (from the CRM) and the value segment (analytics).
def segment_names() -> dict[str, str]:
    return {
        "consumer": translate("Segment", "Consumer"),
        "small_business": translate("Segment", "Small business"),
        "corporate": translate("Segment", "Corporate"),
        "new": translate("Segment", "New"),
        "loyal": translate("Segment", "Loyal"),
        "high_value": translate("Segment", "High value"),
        "at_risk": translate("Segment", "At risk"),
        "lost": translate("Segment", "Lost"),
    }


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
        return channel_names()[Channel(channel)]
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


def day_month_short(value: date, locale: QLocale | None = None) -> str:
    """``12 Mar`` / ``12 мар.`` — a day in the year without the year."""
    loc = locale or display_locale()
    return loc.toString(QDate(value.year, value.month, value.day), "d MMM")


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
            return translate("Moment", "Yesterday {time}").format(time=clock)
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
    known = segment_names().get(code.lower())
    if known:
        return known
    if code.isascii() and (code.islower() or "_" in code):
        words = code.replace("_", " ").replace("-", " ").strip()
        return words[:1].upper() + words[1:]
    return code


def language_name(code: str) -> str:
    return language_names().get(code, code.upper() if code else EMPTY)


def age(moment: datetime, now: datetime | None = None) -> str:
    """Compact distance from now: ``now``, ``12 min``, ``3 h``, ``2 days``; ``in 3 h`` ahead.
    Short on purpose (list corners); Russian needs the plural forms for days."""
    current = now or datetime.now(UTC)
    seconds = (current - moment).total_seconds()
    ahead = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return translate("Age", "now")
    if seconds < 3600:
        count = int(seconds // 60)
        if ahead:
            return translate("Age", "in %n min", None, count)
        return translate("Age", "%n min", None, count)
    if seconds < 86_400:
        count = int(seconds // 3600)
        if ahead:
            return translate("Age", "in %n h", None, count)
        return translate("Age", "%n h", None, count)
    count = int(seconds // 86_400)
    if ahead:
        return translate("Age", "in %n day(s)", None, count)
    return translate("Age", "%n day(s)", None, count)
