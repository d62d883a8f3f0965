"""How urgent an open review case is by its age: the queue colours rows by this.

A customer who gave a low score should hear from us the same working day: a case
untouched for half a day is getting late, one left for a day is overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from operator_app.domain.enums import ReviewStatus

SlaTone = Literal["ok", "late", "overdue", "done"]
LATE_AFTER = timedelta(hours=4)
OVERDUE_AFTER = timedelta(hours=24)


def review_tone(status: ReviewStatus | str, opened_at: datetime, now: datetime) -> SlaTone:
    if ReviewStatus(status) is ReviewStatus.RESOLVED:
        return "done"
    waited = now - opened_at
    if waited >= OVERDUE_AFTER:
        return "overdue"
    if waited >= LATE_AFTER:
        return "late"
    return "ok"
