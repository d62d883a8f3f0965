"""Operator-facing lines of the assist panel in English and Russian.

Russian product names stay in the nominative inside «quotes», and sentences are
built so no verb has to agree with a product's unknown gender ("товар «X» остался",
"покупка «X»"). Numbers take the right plural form (1 месяц, 2 месяца, 5 месяцев).
"""

from __future__ import annotations

from datetime import date

from operator_app.domain.enums import CoverageKind
from operator_app.domain.upsell_policy import Suppression

SUPPORTED_LANGUAGES = ("en", "ru")


def language(lang: str) -> str:
    """ "ru", "ru_RU", "ru-RU" → "ru"; anything not supported falls back to English."""
    base = lang.replace("-", "_").split("_", 1)[0].lower()
    return base if base in SUPPORTED_LANGUAGES else "en"


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The Russian form for n: 1, 21, 101 → one; 2–4, 22–24 → few; 0, 5–20, 11–14 → many."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


_UNITS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"day": ("day", "days"), "month": ("month", "months"), "year": ("year", "years")},
    "ru": {
        "day": ("день", "дня", "дней"),
        "month": ("месяц", "месяца", "месяцев"),
        "year": ("год", "года", "лет"),
    },
}


def count(n: int, unit: str, lang: str) -> str:
    """ "1 month", "5 months", "1 месяц", "2 месяца", "5 месяцев"."""
    forms = _UNITS[lang][unit]
    if lang == "ru":
        return f"{n} {plural_ru(n, *forms)}"
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (12 Jan → 11 Feb is 0, → 12 Feb is 1)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def age(start: date, today: date, lang: str) -> str:
    """How long ago, in the unit a person would use: days, then months, then years."""
    days = (today - start).days
    months = months_between(start, today)
    if months < 1:
        return count(max(days, 0), "day", lang)
    if months < 24:
        return count(months, "month", lang)
    return count(months // 12, "year", lang)


def days_ago(days: int, lang: str) -> str:
    if days <= 0:
        return "сегодня" if lang == "ru" else "today"
    return f"{count(days, 'day', lang)} {'назад' if lang == 'ru' else 'ago'}"


def days_ahead(days: int, lang: str) -> str:
    if days <= 0:
        return "сегодня" if lang == "ru" else "today"
    return f"{'через' if lang == 'ru' else 'in'} {count(days, 'day', lang)}"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- lines per signal ------------------------------------------------------------------------


def successor_reason(
    product: str, successor: str, since: str, subscription: bool, lang: str
) -> str:
    if lang == "ru":
        if subscription:
            return (
                f"подписка «{product}» оформлена {since} назад; доступен новый тариф «{successor}»"
            )
        return f"покупка «{product}» — {since} назад; вышла новая модель «{successor}»"
    if subscription:
        return f"{product} subscription started {since} ago; newer plan {successor} available"
    return f"{product} bought {since} ago; newer {successor} available"


def successor_phrase(
    product: str, successor: str, since: str, subscription: bool, lang: str
) -> str:
    if lang == "ru":
        if subscription:
            return (
                f"Ваша подписка «{product}» действует уже {since}. Появился новый тариф "
                f"«{successor}» — рассказать, чем он лучше?"
            )
        return (
            f"Вы пользуетесь «{product}» уже {since}. Вышла новая модель «{successor}» — "
            "рассказать, что в ней нового?"
        )
    if subscription:
        return (
            f"You've been on {product} for {since} now. There's a newer plan, {successor} — "
            "may I tell you what it adds?"
        )
    return (
        f"You've had your {product} for {since} now. The new {successor} is out — "
        "may I tell you what's new in it?"
    )


# (kind, lang) → (still running, already ended): "{p}" product, "{w}" when
_COVERAGE_LINES: dict[tuple[CoverageKind, str], tuple[str, str]] = {
    (CoverageKind.WARRANTY, "en"): ("warranty for {p} expires {w}", "warranty for {p} expired {w}"),
    (CoverageKind.SUPPORT, "en"): (
        "support contract for {p} expires {w}",
        "support contract for {p} expired {w}",
    ),
    (CoverageKind.SUBSCRIPTION, "en"): (
        "{p} subscription expires {w}",
        "{p} subscription expired {w}",
    ),
    (CoverageKind.WARRANTY, "ru"): (
        "гарантия на «{p}» истекает {w}",
        "гарантия на «{p}» истекла {w}",
    ),
    (CoverageKind.SUPPORT, "ru"): (
        "договор поддержки «{p}» истекает {w}",
        "договор поддержки «{p}» истёк {w}",
    ),
    (CoverageKind.SUBSCRIPTION, "ru"): (
        "подписка «{p}» истекает {w}",
        "подписка «{p}» истекла {w}",
    ),
}

# (kind, lang) → "we can renew it" tail; {o} is the offered product
_COVERAGE_OFFERS: dict[tuple[CoverageKind, str], str] = {
    (CoverageKind.WARRANTY, "en"): "I can extend it today with {o} so you stay covered.",
    (CoverageKind.SUPPORT, "en"): "I can renew it today with {o} so support continues.",
    (CoverageKind.SUBSCRIPTION, "en"): "I can renew it today with {o} — no interruption.",
    (CoverageKind.WARRANTY, "ru"): "Можем продлить её уже сегодня — «{o}».",
    (CoverageKind.SUPPORT, "ru"): "Можем продлить его уже сегодня — «{o}».",
    (CoverageKind.SUBSCRIPTION, "ru"): "Можем продлить её уже сегодня — «{o}», без перерыва.",
}


def coverage_line(kind: CoverageKind, product: str, days_left: int, lang: str) -> str:
    running, ended = _COVERAGE_LINES[kind, lang]
    if days_left >= 0:
        return running.format(p=product, w=days_ahead(days_left, lang))
    return ended.format(p=product, w=days_ago(-days_left, lang))


def coverage_phrase(kind: CoverageKind, product: str, offer: str, days_left: int, lang: str) -> str:
    your = "" if lang == "ru" else "your "
    line = sentence(your + coverage_line(kind, product, days_left, lang))
    return f"{line}. {_COVERAGE_OFFERS[kind, lang].format(o=offer)}"


def interest_reason(product: str, in_cart: bool, days: int, lang: str) -> str:
    when = days_ago(days, lang)
    if lang == "ru":
        if in_cart:
            return f"товар «{product}» остался в корзине ({when})"
        return f"покупка «{product}» не завершена ({when})"
    if in_cart:
        return f"{product} left in the cart ({when})"
    return f"purchase of {product} not completed ({when})"


def interest_phrase(product: str, lang: str) -> str:
    if lang == "ru":
        return (
            f"Вижу, вы присматривались к «{product}» — помочь оформить заказ "
            "или ответить на вопросы?"
        )
    return (
        f"I see you were looking at {product} — can I help you complete the order "
        "or answer any questions?"
    )


def together_reason(anchor: str, lang: str) -> str:
    if lang == "ru":
        return f"часто покупают вместе с «{anchor}»"
    return f"often bought with {anchor}"


def together_phrase(anchor: str, product: str, lang: str) -> str:
    if lang == "ru":
        return f"К «{anchor}» часто берут «{product}» — рассказать подробнее?"
    return f"Customers who bought {anchor} often add {product} — would you like to hear about it?"


def birthday_line(days_away: int, lang: str) -> str:
    """days_away: > 0 upcoming, 0 today, < 0 a few days ago."""
    if lang == "ru":
        if days_away == 0:
            return "сегодня день рождения"
        if days_away > 0:
            return f"день рождения {days_ahead(days_away, lang)}"
        return f"день рождения был {days_ago(-days_away, lang)}"
    if days_away == 0:
        return "birthday today"
    if days_away > 0:
        return f"birthday {days_ahead(days_away, lang)}"
    return f"birthday was {days_ago(-days_away, lang)}"


def birthday_phrase(product: str, lang: str) -> str:
    if lang == "ru":
        return f"Поздравляем с днём рождения! Для вас есть специальное предложение — «{product}»."
    return f"Happy birthday from all of us! We have a special offer for you: {product}."


def anniversary_line(years: int, days_away: int, lang: str) -> str:
    span = count(years, "year", lang)
    line = f"{span} с нами" if lang == "ru" else f"{span} as our customer"
    if days_away == 0:
        return line
    when = days_ahead(days_away, lang) if days_away > 0 else days_ago(-days_away, lang)
    return f"{line} ({when})"


def anniversary_phrase(years: int, product: str, lang: str) -> str:
    span = count(years, "year", lang)
    if lang == "ru":
        return (
            f"Спасибо, что вы с нами уже {span}! "
            f"Для вас есть специальное предложение — «{product}»."
        )
    return f"Thank you for being with us for {span}! We have a special offer for you: {product}."


def rule_phrase(product: str, lang: str) -> str:
    if lang == "ru":
        return f"Могу предложить вам «{product}» — рассказать подробнее?"
    return f"May I suggest {product}? I can tell you more about it."


_SUPPRESSIONS: dict[Suppression, tuple[str, str]] = {
    Suppression.NO_MARKETING_CONSENT: (
        "No offers: the customer has not agreed to marketing",
        "Без предложений: клиент не давал согласия на маркетинг",
    ),
    Suppression.OPEN_COMPLAINT: (
        "No offers while a complaint is open",
        "Без предложений, пока открыта жалоба",
    ),
    Suppression.RECENT_LOW_SCORE: (
        "No offers: the customer recently gave a low score",
        "Без предложений: клиент недавно поставил низкую оценку",
    ),
    Suppression.COMPLAINT_CONTACT: (
        "No offers until this complaint is resolved",
        "Без предложений, пока жалоба не решена",
    ),
    Suppression.OFFER_LIMIT_REACHED: (
        "Enough offers for this contact",
        "Достаточно предложений за этот контакт",
    ),
}


def suppression_text(code: Suppression, lang: str = "en") -> str:
    """One line for the assist panel explaining why offers are withheld."""
    en, ru = _SUPPRESSIONS[code]
    return ru if language(lang) == "ru" else en
