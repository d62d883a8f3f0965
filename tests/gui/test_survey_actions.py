"""Resolve and ask, the kind menu and the score said on a call, clicked like a person."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt

from operator_app.domain.entities import Conversation, TimelineItem
from operator_app.domain.enums import Channel, ConversationStatus, SurveyKind, TimelineKind
from operator_app.gui.widgets.composer import ComposerPanel
from operator_app.gui.widgets.timeline_delegate import timeline_text
from tests.gui.app_support import OFFSCREEN_NOISE

pytestmark = OFFSCREEN_NOISE


def _conversation(channel: Channel) -> Conversation:
    return Conversation(
        id=uuid.uuid4(),
        customer_id=uuid.uuid4(),
        channel=channel,
        status=ConversationStatus.OPEN,
        topic=f"About {channel.value}",
        assignee="operator",
        opened_at=datetime(2026, 1, 5, 10, tzinfo=UTC),
    )


def _composer(qtbot: Any, *conversations: Conversation) -> ComposerPanel:
    composer = ComposerPanel()
    qtbot.addWidget(composer)
    composer.set_conversations(list(conversations))
    composer.show()
    qtbot.waitExposed(composer)
    return composer


def test_resolve_and_ask_needs_a_conversation_and_can_be_reopened(qtbot: Any) -> None:
    chat = _conversation(Channel.TELEGRAM)
    composer = _composer(qtbot, chat)
    surveys = composer.surveys
    assert not surveys.ask_button.isEnabled()  # a note is chosen: nothing to resolve
    composer.choose_conversation(chat.id)
    assert surveys.ask_button.isEnabled()
    assert not surveys.spoken.isVisible()  # nobody says a score aloud in a chat
    with qtbot.waitSignal(composer.survey_requested) as asked:
        qtbot.mouseClick(surveys.ask_button, Qt.MouseButton.LeftButton)
    assert asked.args == [chat.id, None, True]  # the policy picks the kind
    assert composer.reopen_button.isEnabled()
    with qtbot.waitSignal(composer.survey_requested) as chosen:
        surveys.kind_actions[SurveyKind.NPS].trigger()
    assert chosen.args == [chat.id, "nps", True]
    with qtbot.waitSignal(composer.survey_requested) as only:
        surveys.ask_only_action.trigger()
    assert only.args == [chat.id, None, False]


def test_a_score_said_on_a_call_is_one_click_on_its_scale(qtbot: Any) -> None:
    call = _conversation(Channel.PHONE)
    composer = _composer(qtbot, call)
    surveys = composer.surveys
    composer.choose_conversation(call.id)
    assert surveys.spoken.isVisible()
    assert [b.text() for b in surveys.score_buttons] == ["1", "2", "3", "4", "5"]
    with qtbot.waitSignal(surveys.score_said) as said:
        qtbot.mouseClick(surveys.score_buttons[1], Qt.MouseButton.LeftButton)
    assert said.args == [call.id, "csat", 2]

    surveys.kind_combo.setCurrentIndex(surveys.kind_combo.findData("nps"))
    assert [b.text() for b in surveys.score_buttons] == [str(n) for n in range(11)]
    assert surveys.score_buttons[0].accessibleName() == "Record NPS score 0"
    with qtbot.waitSignal(surveys.score_said) as nps:
        qtbot.mouseClick(surveys.score_buttons[9], Qt.MouseButton.LeftButton)
    assert nps.args == [call.id, "nps", 9]

    composer.choose_conversation(None)  # back to a note: no scores to record
    assert not surveys.spoken.isVisible()


def _survey(**fields: Any) -> TimelineItem:
    base: dict[str, Any] = {
        "kind": TimelineKind.SURVEY,
        "id": uuid.uuid4(),
        "at": datetime.now(UTC) - timedelta(hours=1),
        "title": "csat",
        "body": "",
        "channel": Channel.TELEGRAM,
    }
    return TimelineItem(**(base | fields))


def test_the_timeline_says_whether_a_survey_waits_is_scheduled_or_was_answered(
    qapp: Any,
) -> None:
    waiting = timeline_text(_survey())
    assert waiting.title == "CSAT survey" and "waiting for an answer" in waiting.caption
    policy = timeline_text(_survey(title=""))
    assert policy.title == "Survey (kind chosen by the policy)"
    later = timeline_text(_survey(at=datetime.now(UTC) + timedelta(hours=3)))
    assert "scheduled" in later.caption and "after the quiet hours" in later.body
    answered = timeline_text(
        _survey(score=2, body="Slow", answered_at=datetime.now(UTC) - timedelta(minutes=5))
    )
    assert "answered" in answered.caption and answered.body == "Slow"
