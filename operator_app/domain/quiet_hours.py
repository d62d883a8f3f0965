"""Quiet hours: no survey or reminder reaches a customer at night in their own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK_ZONE = "Europe/Moscow"


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` to ``end`` local time nothing is sent; ``start > end`` spans midnight."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("quiet hours must start and end at different times")

    def contains(self, local: time) -> bool:
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


def zone(name: str | None) -> ZoneInfo:
    """The customer's zone; an unknown or empty name falls back to Moscow time."""
    try:
        return ZoneInfo(name or FALLBACK_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


def next_send_time(at: datetime, timezone: str | None, quiet: QuietHours | None) -> datetime:
    """``at`` itself, or the end of the quiet hours it falls into (customer's local time).

    Returned in UTC. Across a daylight-saving change the local end time is resolved the
    way ``zoneinfo`` does (the earlier of two readings, a skipped hour moved forward).
    """
    if at.tzinfo is None:
        raise ValueError("expected a timezone-aware time")
    if quiet is None:
        return at.astimezone(UTC)
    tz = zone(timezone)
    local = at.astimezone(tz)
    if not quiet.contains(local.time().replace(tzinfo=None)):
        return at.astimezone(UTC)
    end_day = local.date()
    if quiet.start > quiet.end and local.time().replace(tzinfo=None) >= quiet.start:
        end_day += timedelta(days=1)  # quiet since the evening: it ends tomorrow morning
    end_local = datetime.combine(end_day, quiet.end, tzinfo=tz)
    return end_local.astimezone(UTC)


def parse_clock(text: str) -> time:
    """``"21:00"`` → 21:00; anything else is a ``ValueError`` for people."""
    try:
        hours, minutes = text.split(":")
        if not (len(hours) == len(minutes) == 2 and (hours + minutes).isdigit()):
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day such as 21:00") from None
