"""The supervisor's review of a low score: which actions a case takes, and in which state.

A case opens as ``new`` when a customer's answer is at or below the policy's
threshold. Supervisors then assign it, plan a call back, compensate, and resolve it;
notes and follow-up surveys fit anywhere. ``resolved`` is final: only notes and a
follow-up survey (to see whether the customer came round) are still allowed.

The server enforces these rules; the client uses :func:`allowed_actions` to offer
only the buttons that will work.
"""

from __future__ import annotations

from enum import StrEnum

from operator_app.domain.enums import ReviewStatus


class ReviewAction(StrEnum):
    ASSIGN = "assign"
    PLAN_CALLBACK = "plan_callback"
    COMPENSATE = "compensate"
    RESOLVE = "resolve"
    SEND_FOLLOWUP_SURVEY = "send_followup_survey"
    NOTE = "note"


class CompensationType(StrEnum):
    DISCOUNT = "discount"
    REFUND = "refund"
    GIFT = "gift"
    BONUS_POINTS = "bonus_points"


class ReviewOutcome(StrEnum):
    RECOVERED = "recovered"  # the customer is satisfied again
    NOT_RECOVERED = "not_recovered"  # we tried; the customer stays unhappy
    UNREACHABLE = "unreachable"  # no answer to calls or messages
    NO_ACTION_NEEDED = "no_action_needed"  # e.g. a mis-tap on the score


class InvalidTransition(ValueError):
    """The action does not fit the case's state; the message says why, for people."""


# Actions that leave the status as it is.
_KEEP_STATUS = frozenset({ReviewAction.NOTE, ReviewAction.SEND_FOLLOWUP_SURVEY})
_STATUS_AFTER: dict[ReviewAction, ReviewStatus] = {
    ReviewAction.PLAN_CALLBACK: ReviewStatus.CALLBACK_PLANNED,
    ReviewAction.COMPENSATE: ReviewStatus.COMPENSATED,
    ReviewAction.RESOLVE: ReviewStatus.RESOLVED,
}


def allowed_actions(status: ReviewStatus | str) -> tuple[ReviewAction, ...]:
    """The actions a case in ``status`` accepts, in the order a supervisor uses them."""
    if ReviewStatus(status) is ReviewStatus.RESOLVED:
        return (ReviewAction.NOTE, ReviewAction.SEND_FOLLOWUP_SURVEY)
    return tuple(ReviewAction)


def next_status(status: ReviewStatus | str, action: ReviewAction | str) -> ReviewStatus:
    """The case's status after ``action``, or :class:`InvalidTransition` saying why not."""
    current = ReviewStatus(status)
    step = ReviewAction(action)
    if step not in allowed_actions(current):
        raise InvalidTransition(
            f"this case is already resolved; '{step.value}' is not possible any more "
            "(add a note or send a follow-up survey instead)"
        )
    if step in _KEEP_STATUS:
        return current
    if step is ReviewAction.ASSIGN:
        # Assigning a case that is already being worked on keeps its progress.
        return ReviewStatus.ASSIGNED if current is ReviewStatus.NEW else current
    return _STATUS_AFTER[step]
