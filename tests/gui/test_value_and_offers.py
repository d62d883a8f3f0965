"""The card's value strip and the assist panel's offers, on the local cache (no server).

Offers are ranked in the client from the cache, so withholding them (no marketing
consent, an open complaint, a recent low score) works offline, and the panel says why.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy.engine import Engine

from operator_app.cache.types import to_micros
from operator_app.domain.upsell import Suggestion
from operator_app.gui.main_window import MainWindow
from operator_app.gui.widgets.offer_cards import OffersSection
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.conftest import wait_for_card
from tests.gui.dataset import Dataset

pytestmark = OFFSCREEN_NOISE


def edit(engine: Engine, sql: str, *params: object) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(sql, params)


def qualify(engine: Engine, customer: uuid.UUID) -> None:
    """Anna without her open complaint, survey answers and earlier offers: offers may be
    made, and none is held back by an earlier answer."""
    edit(engine, "UPDATE customers SET open_complaints = 0 WHERE id = ?", customer.bytes)
    edit(engine, "DELETE FROM surveys WHERE customer_id = ?", customer.bytes)
    edit(engine, "DELETE FROM offers WHERE customer_id = ?", customer.bytes)


def open_and_wait_for_offers(qtbot: Any, window: MainWindow, customer: uuid.UUID) -> None:
    window.open_customer(customer)
    wait_for_card(qtbot, window, customer)
    qtbot.waitUntil(lambda: window.assist.ui.offersHost.isVisible() and not window.db.busy)


def test_refitted_figures_show_with_plain_words(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    edit(
        engine,
        "UPDATE customers SET predicted_clv = 741035, p_alive = 0.82, expected_purchases = 2.4,"
        " value_segment = 'high_value' WHERE id = ?",
        dataset.anna.bytes,
    )
    window.open_customer(dataset.anna)
    wait_for_card(qtbot, window, dataset.anna)
    ui = window.card_view.ui

    assert "".join(ch for ch in ui.predictedValue.text() if ch.isdigit()) == "7410"
    assert "next 12 months" in ui.predictedValue.toolTip()
    assert "About 2.4 purchase(s) expected" in ui.predictedValue.toolTip()
    assert ui.aliveCaption.text() == "Likely still active"
    assert ui.aliveValue.text() == "82 %"
    assert "about 82 are still active" in ui.aliveValue.toolTip()
    assert "paid orders minus refunds since" in ui.clvValue.toolTip()
    badge = ui.valueSegmentBadge
    assert badge.text() == "High value"
    assert badge.property("segment") == "high_value"
    assert "top fifth" in badge.toolTip()
    # The header's other badge keeps the business segment.
    assert ui.segmentBadge.text() == "Постоянный покупатель"


def test_every_segment_has_its_own_badge(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    names = {}
    for segment in ("new", "loyal", "high_value", "at_risk", "lost"):
        edit(
            engine,
            "UPDATE customers SET value_segment = ?, version = version + 1 WHERE id = ?",
            segment,
            dataset.anna.bytes,
        )
        window.open_customer(dataset.anna)
        qtbot.waitUntil(
            lambda s=segment: window.card_view.ui.valueSegmentBadge.property("segment") == s
        )
        names[segment] = window.card_view.ui.valueSegmentBadge.text()
    assert names == {
        "new": "New",
        "loyal": "Loyal",
        "high_value": "High value",
        "at_risk": "At risk",
        "lost": "Lost",
    }


def test_an_open_complaint_withholds_offers_and_says_so(
    qtbot: Any, window: MainWindow, dataset: Dataset
) -> None:
    open_and_wait_for_offers(qtbot, window, dataset.anna)  # Anna has an open complaint
    offers = window.assist.offers
    assert offers.cards == []
    assert offers.note.isVisible()
    assert offers.note.text().startswith("No offers: ")
    assert "open complaint" in offers.note.text()
    # Service warnings stay: the warranty about to end is still on the panel.
    assert window.assist.warnings_list.item(0).text() == "Warranty ends in 12 days"


def test_no_marketing_consent_withholds_offers(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    qualify(engine, dataset.anna)
    edit(engine, "UPDATE customers SET consent_marketing = 0 WHERE id = ?", dataset.anna.bytes)
    open_and_wait_for_offers(qtbot, window, dataset.anna)
    assert window.assist.offers.cards == []
    assert window.assist.offers.note.text() == "No offers: no marketing consent"


def test_a_recent_low_score_withholds_offers(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    qualify(engine, dataset.anna)
    answered = to_micros(dataset.now - timedelta(days=2))
    edit(
        engine,
        "INSERT INTO surveys (id, customer_id, kind, channel, sent_at, score, comment,"
        " answered_at, version) VALUES (?, ?, 'csat', 'phone', ?, 1, 'Плохо', ?, 1)",
        uuid.uuid4().bytes,
        dataset.anna.bytes,
        answered,
        answered,
    )
    open_and_wait_for_offers(qtbot, window, dataset.anna)
    assert window.assist.offers.cards == []
    assert window.assist.offers.note.text() == "No offers: recent low score"


def test_a_qualifying_customer_gets_at_most_three_offers_each_explained(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    qualify(engine, dataset.anna)
    open_and_wait_for_offers(qtbot, window, dataset.anna)
    cards = window.assist.offers.cards
    assert 1 <= len(cards) <= 3
    for number, card in enumerate(cards, start=1):
        assert card.title.text() and card.reason.text() and card.phrase.text()
        assert card.value.text().startswith("≈ ")
        assert f"Alt+{number}" in card.toolTip() and "D: decline" in card.toolTip()
        assert card.accessibleName().startswith(f"Offer {number}: ")
    # Without a server nothing can be recorded: the buttons say so and stay off.
    assert not cards[0].accept_button.isEnabled()
    assert "Sign in" in window.assist.offers.note.text()


def test_alt_number_focuses_an_offer_and_tab_walks_the_offers(
    qtbot: Any, window: MainWindow, dataset: Dataset, engine: Engine
) -> None:
    qualify(engine, dataset.anna)
    open_and_wait_for_offers(qtbot, window, dataset.anna)
    cards = window.assist.offers.cards
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(cards[0].hasFocus)
    assert len(cards) >= 2
    # The answer buttons are off without a server, so Tab goes on to the next offer.
    qtbot.keyClick(cards[0], Qt.Key.Key_Tab)
    assert cards[1].hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(cards[0].hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(cards[1].hasFocus)


def _suggestion(name: str) -> Suggestion:
    return Suggestion(
        reason_code="successor_available",
        product_id=uuid.uuid5(uuid.NAMESPACE_DNS, name),
        title=name,
        reason=f"{name} is newer",
        phrase=f"Have you seen {name}?",
        expected_value=1234.0,
        p_accept=0.2,
    )


def test_declining_for_another_reason_needs_words_and_a_refresh_keeps_them(qtbot: Any) -> None:
    section = OffersSection()
    qtbot.addWidget(section)
    section.show()
    first, second = _suggestion("Nova 13"), _suggestion("Buds 4")
    section.show_offers([first, second], "RUB")
    answers: list[tuple[Any, str, str]] = []
    section.answered.connect(lambda s, outcome, reason: answers.append((s, outcome, reason)))

    card = section.cards[1]
    qtbot.mouseClick(card.decline_button, Qt.MouseButton.LeftButton)
    assert card.decline_form.isVisible()
    card.reason_choice.setCurrentIndex(card.reason_choice.findData("other"))
    qtbot.mouseClick(card.confirm_button, Qt.MouseButton.LeftButton)
    assert card.decline_error.text() == "Say in a few words why."
    assert answers == []
    qtbot.keyClicks(card.details, "bought one  elsewhere")

    # A sync refresh lists the same offers again: the half-filled form is still there.
    section.show_offers([first, second], "RUB")
    assert section.cards[1] is card and card.decline_form.isVisible()
    assert card.details.text() == "bought one  elsewhere"

    qtbot.keyClick(card.details, Qt.Key.Key_Return)
    assert answers == [(second, "declined", "other: bought one elsewhere")]
    assert not card.accept_button.isEnabled()  # one answer per offer


def test_esc_closes_the_decline_form_and_keeps_the_offer(qtbot: Any) -> None:
    section = OffersSection()
    qtbot.addWidget(section)
    section.show()
    section.show_offers([_suggestion("Nova 13")], "RUB")
    card = section.cards[0]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_D)
    assert card.decline_form.isVisible()
    qtbot.keyClick(card.reason_choice, Qt.Key.Key_Escape)
    assert not card.decline_form.isVisible()
    assert card.decline_button.isEnabled()


def test_the_next_callers_offers_reuse_the_cards_and_start_fresh(qtbot: Any) -> None:
    """A screen pop fills the same card widgets with the new offers; nothing half done
    (an open decline form, a disabled answer) carries over to another offer."""
    section = OffersSection()
    qtbot.addWidget(section)
    section.show()
    section.show_offers([_suggestion("Nova 13"), _suggestion("Buds 4")], "RUB")
    before = list(section.cards)
    card = before[0]
    qtbot.mouseClick(card.decline_button, Qt.MouseButton.LeftButton)
    card.reason_choice.setCurrentIndex(2)
    card.details.setText("later")
    qtbot.mouseClick(before[1].not_now_button, Qt.MouseButton.LeftButton)

    section.show_offers([_suggestion("Watch 5"), _suggestion("Tab 9")], "RUB")
    assert {id(c) for c in section.cards} == {id(c) for c in before}
    assert [c.title.text() for c in section.cards] == ["Watch 5", "Tab 9"]
    for fresh in section.cards:
        assert not fresh.decline_form.isVisibleTo(fresh)
        assert fresh.reason_choice.currentIndex() == 0 and fresh.details.text() == ""
        assert fresh.accept_button.isEnabled() and fresh.not_now_button.isEnabled()
