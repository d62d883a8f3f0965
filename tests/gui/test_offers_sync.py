"""Offers answered offline reach the real server once: accepted → an interest (a lead),
declined → with the operator's reason. The server runs on loopback as its own process."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from operator_app.cache.repositories import CustomerRepository
from operator_app.gui.main_window import MainWindow
from operator_app.services.offer_advice import advise
from tests.e2e.server_process import ServerProcess
from tests.gui.app_support import OFFSCREEN_NOISE
from tests.gui.sync_support import live_server, qloop, sign_in, sync_window

__all__ = ["live_server", "qloop", "sync_window"]
pytestmark = OFFSCREEN_NOISE


def _customer_with_offers(window: MainWindow, wanted: int) -> uuid.UUID:
    """A synced customer whom the engine offers at least ``wanted`` products right now."""
    engine = window.ctx.engine
    repo = CustomerRepository(engine)
    with engine.connect() as conn:
        ids = [
            uuid.UUID(bytes=row[0])
            for row in conn.exec_driver_sql(
                "SELECT DISTINCT customer_id FROM conversations WHERE status = 'open' "
                "ORDER BY customer_id"
            )
        ]
    now = datetime.now(UTC)
    for customer_id in ids:
        card = repo.get_card(customer_id)
        if card is not None and len(advise(engine, card, now).suggestions) >= wanted:
            return customer_id
    raise AssertionError("the demo server has no customer with enough offers")


def _pending(window: MainWindow) -> int:
    return window.sync.pending.pending


def _server_offers(server: ServerProcess, customer_id: uuid.UUID) -> list[tuple[Any, ...]]:
    return server.query(
        "SELECT id, product_id, outcome, outcome_reason, by_user FROM offers "
        "WHERE customer_id = ? AND by_user = 'operator' ORDER BY at",
        customer_id.hex,
    )


def test_offers_answered_offline_reach_the_server_once(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    customer_id = _customer_with_offers(window, 2)
    assert _server_offers(live_server, customer_id) == []

    window.open_customer(customer_id)
    offers = window.assist.offers
    qtbot.waitUntil(lambda: len(offers.cards) >= 2 and offers.cards[0].accept_button.isEnabled())
    accepted = offers.cards[0].suggestion
    declined = offers.cards[1].suggestion
    assert accepted is not None and declined is not None
    # Tab from a focused offer reaches its buttons.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(offers.cards[0].hasFocus)
    qtbot.keyClick(offers.cards[0], Qt.Key.Key_Tab)
    assert offers.cards[0].accept_button.hasFocus()

    live_server.stop()
    try:
        window.sync.controller.sync_now()  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: window.connection_label.text() == "Offline", timeout=30000)

        # Accept the first offer with the mouse.
        qtbot.mouseClick(offers.cards[0].accept_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: _pending(window) == 1)
        # The list refreshes from the cache: the accepted product is not offered again.
        qtbot.waitUntil(
            lambda: (
                bool(offers.cards)
                and all(
                    c.suggestion and c.suggestion.product_id != accepted.product_id
                    for c in offers.cards
                )
            )
        )

        # Decline the other one from the keyboard: Alt+n, D, a reason, details, Enter.
        number = next(
            i
            for i, card in enumerate(offers.cards, start=1)
            if card.suggestion is not None and card.suggestion.product_id == declined.product_id
        )
        card = offers.cards[number - 1]
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(card.hasFocus)
        qtbot.keyClick(card, Qt.Key.Key_D)
        assert card.decline_form.isVisible() and card.reason_choice.hasFocus()
        # Enter without a reason: the form says what is missing and nothing is sent.
        qtbot.keyClick(card.details, Qt.Key.Key_Return)
        assert card.decline_error.isVisible()
        assert _pending(window) == 1
        qtbot.keyClick(card.reason_choice, Qt.Key.Key_Down)  # "Too expensive"
        assert card.reason_choice.currentData() == "too_expensive"
        card.details.setFocus()
        qtbot.keyClicks(card.details, "waits for the sale")
        qtbot.keyClick(card.details, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: _pending(window) == 2)
        assert "Pending changes: 2" in window.pending_label.text()
        assert window.connection_label.text() == "Offline"
        assert _server_offers(live_server, customer_id) == []
    finally:
        live_server.start()

    qtbot.waitUntil(lambda: _pending(window) == 0, timeout=30000)
    rows = _server_offers(live_server, customer_id)
    assert [(r[1], r[2], r[3]) for r in rows] == [
        (accepted.product_id.hex, "accepted", ""),
        (declined.product_id.hex, "declined", "too_expensive: waits for the sale"),
    ]
    # The accepted offer is a lead for sales: an interest at stage cart on the server.
    interests = live_server.query(
        "SELECT stage FROM interests WHERE customer_id = ? AND product_id = ?",
        customer_id.hex,
        accepted.product_id.hex,
    )
    assert ("cart",) in interests


def test_a_refit_on_the_server_reaches_the_value_strip(
    qtbot: Any, sync_window: MainWindow, live_server: ServerProcess
) -> None:
    window = sync_window
    sign_in(qtbot, window, live_server.url)
    live_server.refit()
    window.sync.controller.sync_now()  # type: ignore[union-attr]

    def refitted_customer() -> uuid.UUID | None:
        with window.ctx.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT id FROM customers WHERE p_alive IS NOT NULL "
                "AND expected_purchases IS NOT NULL AND value_segment = 'loyal' "
                "ORDER BY id LIMIT 1"
            ).first()
        return None if row is None else uuid.UUID(bytes=row[0])

    qtbot.waitUntil(lambda: refitted_customer() is not None, timeout=30000)
    with window.ctx.engine.connect() as conn:
        learned = conn.exec_driver_sql("SELECT count(*) FROM upsell_stats").scalar()
    assert learned == 1  # the refit's upsell learning is in the cache too
    customer_id = refitted_customer()
    assert customer_id is not None
    window.open_customer(customer_id)
    ui = window.card_view.ui
    qtbot.waitUntil(lambda: ui.valueSegmentBadge.text() == "Loyal")
    assert ui.aliveValue.text().endswith("%")
    assert "purchase(s) expected" in ui.predictedValue.toolTip()
    assert ui.predictedValue.text() != "not estimated yet"
