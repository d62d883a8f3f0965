"""What the card and the assist panel derive from a ``CustomerCard``; no Qt in here.

Plain functions of the card and today's date, so they are easy to test and can move
to the domain layer unchanged when the server needs the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from operator_app.domain.entities import Coverage, Customer, CustomerCard
from operator_app.domain.enums import CoverageKind, InterestStage
from operator_app.gui.i18n import translate

EXPIRY_WARNING_DAYS = 30
BIRTHDAY_SOON_DAYS = 14


def coverage_ends(kind: CoverageKind, days: int) -> str:
    """``Warranty ends in 5 days``; one sentence per noun so Russian can agree the verb."""
    when = days_phrase(days)
    if kind == CoverageKind.SUBSCRIPTION:
        return translate("CardFacts", "Subscription ends {when}").format(when=when)
    if kind == CoverageKind.WARRANTY:
        return translate("CardFacts", "Warranty ends {when}").format(when=when)
    if kind == CoverageKind.SUPPORT:
        return translate("CardFacts", "Support ends {when}").format(when=when)
    return translate("CardFacts", "Coverage ends {when}").format(when=when)


@dataclass(frozen=True, slots=True)
class ExpiryWarning:
    text: str
    detail: str
    days_left: int


def is_expiring_soon(coverage: Coverage, today: date) -> bool:
    return 0 <= coverage.days_left(today) <= EXPIRY_WARNING_DAYS


def active_coverages(card: CustomerCard, today: date) -> list[Coverage]:
    """Coverages still running, the one ending first on top."""
    return sorted((c for c in card.coverages if c.ends >= today), key=lambda c: c.ends)


def days_phrase(days: int) -> str:
    if days == 0:
        return translate("CardFacts", "today")
    if days == 1:
        return translate("CardFacts", "tomorrow")
    return translate("CardFacts", "in %n day(s)", None, days)


def proactive_warnings(card: CustomerCard, today: date) -> list[ExpiryWarning]:
    """Subscriptions, warranties and support contracts ending within 30 days."""
    warnings = []
    for coverage in active_coverages(card, today):
        days = coverage.days_left(today)
        if not is_expiring_soon(coverage, today):
            continue
        renews = translate("CardFacts", "renews automatically")
        renew = f" · {renews}" if coverage.auto_renew else ""
        warnings.append(
            ExpiryWarning(
                text=coverage_ends(coverage.kind, days),
                detail=f"{coverage.product_name} · {coverage.contract_number}{renew}",
                days_left=days,
            )
        )
    return warnings


def unfinished_purchases(card: CustomerCard) -> list[str]:
    """Products left in a cart or abandoned at checkout, most recent first."""
    stages = {InterestStage.CART, InterestStage.ABANDONED}
    picked = sorted(
        (i for i in card.interests if i.stage in stages),
        key=lambda i: i.last_activity_at,
        reverse=True,
    )
    return [i.product_name for i in picked]


def _next_birthday(birthday: date, today: date) -> date:
    for year in (today.year, today.year + 1):
        try:
            candidate = birthday.replace(year=year)
        except ValueError:  # 29 February in a common year: celebrate on 1 March
            candidate = date(year, 3, 1)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's birthday is always ahead")


def whole_years(since: date, today: date) -> int:
    years = today.year - since.year
    if (today.month, today.day) < (since.month, since.day):
        years -= 1
    return max(0, years)


@dataclass(frozen=True, slots=True)
class Milestone:
    text: str
    soon: bool  # worth a highlight today


def milestones(customer: Customer, today: date) -> list[Milestone]:
    found = []
    if customer.birthday is not None:
        upcoming = _next_birthday(customer.birthday, today)
        days = (upcoming - today).days
        age = whole_years(customer.birthday, upcoming)
        if days == 0:
            text = translate("CardFacts", "Birthday today — turns %n", None, age)
            found.append(Milestone(text, soon=True))
        elif days <= BIRTHDAY_SOON_DAYS:
            text = translate("CardFacts", "Birthday {when} ({age})")
            found.append(Milestone(text.format(when=days_phrase(days), age=age), soon=True))
        else:
            text = translate("CardFacts", "Birthday on {date}")
            found.append(Milestone(text.format(date=_day_month(upcoming)), soon=False))
    if customer.customer_since is not None:
        years = whole_years(customer.customer_since, today)
        if years >= 1:
            text = translate("CardFacts", "Customer for %n year(s) (since {year})", None, years)
            found.append(Milestone(text.format(year=customer.customer_since.year), soon=False))
        else:
            found.append(Milestone(translate("CardFacts", "New customer this year"), soon=False))
    return found


def _day_month(day: date) -> str:
    # Imported here: formatting needs Qt's locale, this module's tests need none.
    from operator_app.gui.widgets.formatting import day_month_short

    return day_month_short(day)
