"""When a snoozed worklist entry comes back: the presets of the Snooze menu.

"Tomorrow 9:00" is 9:00 in the *operator's* time zone, not the customer's: a snooze
puts the entry back on the operator's own list, at the start of their next working
day, whoever the customer is (the customer's local time is on the card when calling).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

ONE_HOUR = timedelta(hours=1)
MORNING = time(9, 0)
SNOOZE_IN_PAST = "Pick a time in the future to snooze until."
SNOOZE_TOO_LONG = "A snooze can last at most a year."


def in_one_hour(now: datetime) -> datetime:
    return now + ONE_HOUR


def tomorrow_morning(now: datetime, zone: tzinfo | None = None) -> datetime:
    """9:00 on the day after ``now`` in ``zone`` (``None``: this computer's zone), in UTC.

    Built from the wall clock and then placed in the zone, so a daylight-saving change
    overnight still gives 9:00, not 8:00 or 10:00.
    """
    local_now = now.astimezone(zone) if zone is not None else now.astimezone()
    day: date = local_now.date() + timedelta(days=1)
    if zone is not None:
        wall = datetime.combine(day, MORNING, tzinfo=zone)
    else:
        wall = datetime.combine(day, MORNING).astimezone()
    return wall.astimezone(UTC)


def check_snooze_until(until: datetime, now: datetime) -> str | None:
    """Why ``until`` cannot end a snooze (a sentence for the operator), or ``None``."""
    if until.tzinfo is None:
        return "The snooze time needs a time zone."
    if until <= now:
        return SNOOZE_IN_PAST
    if until - now > timedelta(days=366):
        return SNOOZE_TOO_LONG
    return None
